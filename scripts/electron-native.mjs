#!/usr/bin/env node
// Builds better-sqlite3 for the installed Electron's ABI into .data/native/electron-<version>/ once,
// and prints the path of the built `better_sqlite3.node`. `npm test` keeps using the Node build.
// Needs Electron's headers, fetched by node-gyp: run it where the Electron binary itself could be fetched.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const version = JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const dir = path.join(root, '.data', 'native', `electron-${version}`);
const out = path.join(dir, 'build', 'Release', 'better_sqlite3.node');
if (!existsSync(out)) {
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(root, 'node_modules/better-sqlite3'), dir, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) });
  const gyp = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  const r = spawnSync(process.execPath, [gyp, 'rebuild', `--target=${version}`, '--dist-url=https://electronjs.org/headers', '--release'], {
    cwd: dir,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0 || !existsSync(out)) {
    console.error(`electron-native: building better-sqlite3 for Electron ${version} failed`);
    process.exit(1);
  }
}
process.stdout.write(out);
