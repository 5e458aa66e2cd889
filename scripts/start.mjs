#!/usr/bin/env node
// `npm start`: builds what is missing, then opens the workstation.
//  - In Electron when an Electron binary can be had (electron@45 fetches it on first use).
//  - Otherwise in the browser preview: the same UI in a browser against the same backend in a Node
//    process (see README). `npm run preview` always takes this path.
// With no hall server configured, the workstation starts an embedded hall server on loopback and
// enrolls itself, so one machine is a complete hall.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const previewOnly = args.includes('--preview');
const dataDir = process.env.ONEWINDOW_DATA ?? path.join(root, '.data', 'workstation');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function buildIfStale() {
  const out = path.join(root, 'dist', 'web', 'workstation.html');
  const sources = Math.max(newestMtime(path.join(root, 'renderer')), newestMtime(path.join(root, 'shared')));
  const needWeb = !existsSync(out) || statSync(out).mtimeMs < sources;
  const needElectron = !previewOnly && !existsSync(path.join(root, 'dist', 'electron', 'main.cjs'));
  const flags = needWeb && needElectron ? [] : needWeb ? ['--web'] : needElectron ? ['--electron'] : null;
  if (flags === null) return;
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), ...flags], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Path of a runnable Electron binary, or a reason why there is none. */
function findElectron() {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const bin = probe.stdout?.trim();
  if (probe.status === 0 && bin && existsSync(bin)) return { bin };
  const lines = (probe.stderr || probe.error?.message || 'unknown').split('\n').map((l) => l.trim());
  const cause = lines.filter((l) => /^[A-Za-z]*Error: /.test(l)).slice(0, 2).join(' / ');
  return { reason: cause || lines.filter(Boolean).slice(-1)[0] };
}

function run(cmd, cmdArgs, env = {}) {
  const child = spawn(cmd, cmdArgs, { stdio: 'inherit', cwd: root, env: { ...process.env, ...env } });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function startPreview() {
  const opt = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
  };
  // `--import tsx` rather than the tsx CLI, so signals reach the preview itself (clean shutdown).
  const previewArgs = ['--import', 'tsx', path.join(root, 'electron', 'backend', 'bridge', 'main.ts'), '--data', dataDir, '--port', opt('--port', '5170')];
  const hall = opt('--hall', undefined);
  if (hall) previewArgs.push('--hall', hall);
  run(process.execPath, previewArgs);
}

function startElectron() {
  const found = findElectron();
  if (!found.bin) {
    console.warn(`OneWindow: no Electron binary could be had here (${found.reason}).`);
    console.warn('OneWindow: opening the browser preview of the workstation instead (same UI, same backend).');
    return false;
  }
  // Electron's Node ABI differs from the system Node's: scripts/electron-native.mjs builds
  // better-sqlite3 for Electron once, and main.ts loads it through `nativeBinding`.
  const native = spawnSync(process.execPath, [path.join(root, 'scripts', 'electron-native.mjs')], { cwd: root, encoding: 'utf8' });
  if (native.status !== 0) {
    console.error(native.stderr || native.stdout);
    console.error('OneWindow: could not build the SQLite module for Electron; opening the browser preview instead.');
    return false;
  }
  run(found.bin, [path.join(root, 'dist', 'electron', 'main.cjs')], { ONEWINDOW_SQLITE_BINDING: native.stdout.trim() });
  return true;
}

buildIfStale();
if (previewOnly || !startElectron()) startPreview();
