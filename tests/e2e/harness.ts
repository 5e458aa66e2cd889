import { mkdirSync, mkdtempSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { NO_SEAT } from '../../shared/office/config.js';
import { cliAppointmentCode, cliEnrolmentCode } from '../support/cli.js';
import { startHallProcess, startNodeProcess, startPreviewProcess, type NodeProcess } from '../support/hall-process.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `onewindow-${prefix}-`));
}

export type Proc = NodeProcess;

export function startHall(dataDir: string, port = 0): Promise<Proc> {
  return startHallProcess({ dataDir, port, timeoutMs: 30_000 });
}

/**
 * A workstation preview serving the UI from dist/web (what `npm test` builds first), or from the
 * folder named by ONEWINDOW_WEB_DIR — a private build, so a run does not depend on a shared dist/web.
 */
export function startPreview(dataDir: string, hallUrl: string): Promise<Proc> {
  const web = process.env.ONEWINDOW_WEB_DIR;
  if (!web) return startPreviewProcess({ dataDir, hallUrl, timeoutMs: 30_000 });
  const args = ['--data', dataDir, '--hall', hallUrl, '--port', '0', '--web', web];
  return startNodeProcess('electron/backend/bridge/main.ts', args, 'PREVIEW_LISTENING', { timeoutMs: 30_000 });
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

/**
 * Signs staff in at a window (without one when `windowNo` is null: 值班登录) on the sign-in form and
 * waits for the screen their role lands on (the queue panel, or the supervisor view). A refusal shown
 * on the form fails at once with its text, not after a timeout with nothing to go on.
 */
export async function signInAt(
  page: Page,
  o: { office: string; staffId: string; windowNo: number | null; pin?: string; lands?: 'btn-call-next' | 'supervisor-view' },
): Promise<void> {
  await page.getByTestId('signin-staff').fill(o.staffId);
  await page.getByTestId('signin-pin').fill(o.pin ?? '123456');
  await page.getByTestId('signin-window').selectOption(o.windowNo === null ? NO_SEAT : `${o.office}/${o.windowNo}`);
  await page.getByTestId('signin-submit').click();
  const landed = page.getByTestId(o.lands ?? 'btn-call-next');
  const refused = page.getByTestId('signin-error');
  await landed.or(refused).first().waitFor({ state: 'visible', timeout: 20_000 });
  if (await landed.isVisible()) return;
  throw new Error(`sign-in of ${o.staffId} at ${o.office}/${o.windowNo} refused: ${await refused.innerText()}`);
}

/** Enrols a fresh workstation with the hall and signs staff in at a window (no error paths). */
export async function enrolAndSignIn(
  page: Page,
  o: { preview: Proc; hallUrl: string; hallDir: string; office: string; staffId: string; windowNo: number | null; deviceName: string; lands?: 'btn-call-next' | 'supervisor-view' },
): Promise<void> {
  await page.goto(o.preview.url);
  await page.getByTestId('enrol-url').fill(o.hallUrl);
  await page.getByTestId('enrol-code').fill(await enrolmentCode(o.hallDir, o.office));
  await page.getByTestId('enrol-name').fill(o.deviceName);
  await page.getByTestId('enrol-submit').click();
  await signInAt(page, o);
}

/** A ticket taken at the kiosk, through the hall's public API (as the kiosk page does). */
export async function takeTicket(hallUrl: string, office: string, board: string): Promise<{ number: string; ticketId: string }> {
  const res = await fetch(`${hallUrl}/api/kiosk/tickets`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ office, board, requestId: `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 10)}` }),
  });
  if (!res.ok) throw new Error(`kiosk issue failed: HTTP ${res.status} ${await res.text()}`);
  const t = (await res.json()) as { number: string; ticketId: string };
  return { number: t.number, ticketId: t.ticketId };
}

/**
 * A ticket taken at the kiosk for `board`, called at the signed-in window and started (办理中):
 * the clerk's first steps before any intake.
 */
export async function callAndServe(page: Page, hallUrl: string, office: string, board = 'A'): Promise<{ number: string; ticketId: string }> {
  const byId = (id: string) => page.getByTestId(id);
  const t = await takeTicket(hallUrl, office, board);
  await expect.poll(() => byId(`board-waiting-${board}`).innerText(), { timeout: 10_000 }).not.toBe('0');
  await byId('btn-call-next').click();
  await expect.poll(() => byId('current-number').innerText(), { timeout: 10_000 }).toBe(t.number);
  await byId('btn-start').click();
  return t;
}

/**
 * Finds a matter or bundle by `query` in the intake search and opens its case: the hit `code`, or
 * with none the first hit (Enter). Returns the case id.
 */
export async function openCase(page: Page, query: string, code?: string): Promise<string> {
  const byId = (id: string) => page.getByTestId(id);
  await byId('intake-search').fill(query);
  if (code) await byId(`intake-hit-${code}`).click();
  else await byId('intake-search').press('Enter');
  await byId('btn-open-case').click();
  await byId('case').waitFor();
  return (await byId('case').getAttribute('data-case-id'))!;
}

/**
 * Fills every empty field of the open case's form: a select takes its first option (a yes/no field
 * 否), any other field `valueFor(key, type)`; then waits until the form has saved.
 */
export async function fillEmptyFields(page: Page, valueFor: (key: string, type: string) => string): Promise<void> {
  const fields = page.locator('[data-testid^="field-"][data-type]');
  const n = await fields.count();
  for (let i = 0; i < n; i++) {
    const f = fields.nth(i);
    const key = (await f.getAttribute('data-testid'))!.slice('field-'.length);
    const type = (await f.getAttribute('data-type'))!;
    if ((await f.inputValue()) !== '') continue;
    if (type === 'enum') await f.selectOption({ index: 1 });
    else if (type === 'boolean') await f.selectOption('false');
    else await f.fill(valueFor(key, type));
  }
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await expect.poll(() => page.getByTestId('form-save-state').getAttribute('data-unsaved'), { timeout: 15_000 }).toBe('0');
  await expect.poll(() => page.getByTestId('form-save-state').getAttribute('data-saving')).toBe('0');
}

/**
 * With ONEWINDOW_SCREENSHOTS=1, saves the page as docs/screenshots/<name>.png (the documented way to
 * refresh them); otherwise nothing, so a test run leaves the repository as it was.
 */
export const SCREENSHOTS = process.env.ONEWINDOW_SCREENSHOTS === '1';

export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  if (!SCREENSHOTS) return;
  const dir = path.join(ROOT, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), animations: 'disabled', ...opts });
}

/** Small real files for attachments: a 2×2 PNG and a one-page PDF. */
export function fixtureFiles(): { png: { name: string; mimeType: string; buffer: Buffer }; pdf: { name: string; mimeType: string; buffer: Buffer } } {
  const png = tinyPng();
  const body = [
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
    'trailer << /Root 1 0 R >>',
    '%%EOF',
  ].join('\n');
  return {
    png: { name: '法定代表人身份证.png', mimeType: 'image/png', buffer: png },
    pdf: { name: '公司章程.pdf', mimeType: 'application/pdf', buffer: Buffer.from(body, 'latin1') },
  };
}

/** Drops files on an element the way a file manager does (dragenter, dragover, drop with a DataTransfer). */
export async function dropFiles(page: Page, testId: string, files: Array<{ name: string; mimeType: string; buffer: Buffer }>): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, type: f.mimeType, b64: f.buffer.toString('base64') }));
  const dt = await page.evaluateHandle((list) => {
    const t = new DataTransfer();
    for (const f of list) {
      const bin = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
      t.items.add(new File([bin], f.name, { type: f.type }));
    }
    return t;
  }, payload);
  const target = page.getByTestId(testId);
  await target.dispatchEvent('dragenter', { dataTransfer: dt });
  await target.dispatchEvent('dragover', { dataTransfer: dt });
  await target.dispatchEvent('drop', { dataTransfer: dt });
}

/** A valid 2×2 RGB PNG (signature, IHDR, IDAT, IEND with real CRCs). */
function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.from([0, 26, 102, 194, 255, 255, 255, 0, 255, 255, 255, 26, 102, 194]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
