import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `onewindow-${prefix}-`));
}

export interface Proc {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts a TypeScript entry point under Node with tsx and waits for its `<MARKER> <url>` line. */
export function startProcess(entry: string, args: string[], marker: string, timeoutMs = 30_000): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'test' },
  });
  let log = '';
  const collect = (b: Buffer) => {
    log += b.toString();
    if (log.length > 200_000) log = log.slice(-100_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not print ${marker} within ${timeoutMs} ms:\n${log}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!settled) reject(new Error(`${entry} exited with ${code} before ${marker}:\n${log}`));
      settled = true;
    });
    child.stdout!.on('data', () => {
      if (settled) return;
      const m = new RegExp(`^${marker} (\\S+)`, 'm').exec(log);
      if (!m) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        url: m[1]!,
        child,
        output: () => log,
        async stop(signal: NodeJS.Signals = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    });
  });
}

export function startHall(dataDir: string, port = 0): Promise<Proc> {
  return startProcess('upstream/main.ts', ['--port', String(port), '--data', dataDir], 'HALL_LISTENING');
}

export function startPreview(dataDir: string, hallUrl: string): Promise<Proc> {
  return startProcess('electron/backend/bridge/main.ts', ['--data', dataDir, '--hall', hallUrl, '--port', '0'], 'PREVIEW_LISTENING');
}

/** Runs the real `onewindow` CLI and returns what it printed. */
async function cli(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'onewindow.mjs'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`onewindow ${args.join(' ')} failed (${code}): ${out}`);
  return out;
}

/** A one-time enrolment code, printed by `onewindow hall enroll` against the hall's data folder. */
export async function enrolmentCode(hallDataDir: string, office: string): Promise<string> {
  const out = await cli(['hall', 'enroll', '--data', hallDataDir, '--office', office]);
  const m = /\b([A-Z0-9]{4}-[A-Z0-9]{4})\b/.exec(out);
  if (!m) throw new Error(`no enrolment code in: ${out}`);
  return m[1]!;
}

/** An appointment's check-in code, printed by `onewindow hall appointment add`. */
export async function appointmentCode(hallDataDir: string, office: string, board: string, slotIso: string): Promise<string> {
  const out = await cli(['hall', 'appointment', 'add', '--data', hallDataDir, '--office', office, '--board', board, '--slot', slotIso]);
  const m = /\b([A-Z0-9]{6,12})\b/.exec(out);
  if (!m) throw new Error(`no appointment code in: ${out}`);
  return m[1]!;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
