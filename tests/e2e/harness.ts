import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startHallProcess, startPreviewProcess, type NodeProcess } from '../support/hall-process.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `onewindow-${prefix}-`));
}

export type Proc = NodeProcess;

export function startHall(dataDir: string, port = 0): Promise<Proc> {
  return startHallProcess({ dataDir, port, timeoutMs: 30_000 });
}

export function startPreview(dataDir: string, hallUrl: string): Promise<Proc> {
  return startPreviewProcess({ dataDir, hallUrl, timeoutMs: 30_000 });
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
