import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { cliAppointmentCode, cliEnrolmentCode } from '../support/cli.js';
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

/** A one-time enrolment code, printed by `onewindow hall enroll` against the hall's data folder. */
export const enrolmentCode = (hallDataDir: string, office: string) => cliEnrolmentCode(hallDataDir, office);
/** An appointment's check-in code, printed by `onewindow hall appointment add`. */
export const appointmentCode = cliAppointmentCode;

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
