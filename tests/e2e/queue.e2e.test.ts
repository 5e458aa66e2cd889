/**
 * The hall's ticket queue end to end, through the real UI in Chromium: a real hall server process,
 * two workstations in browser-preview processes (real backends, own SQLite caches), the kiosk, the
 * call display and the evaluator pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { appointmentCode, enrolmentCode, launchChromium, screenshot, signInAt, startHall, startPreview, tempDir, type Proc } from './harness.js';

const OFFICE = 'qihe-county';

let hallDir: string;
let hall: Proc;
let ws1: Proc;
let ws2: Proc;
let browser: Browser;

async function enrolAndSignIn(page: Page, preview: Proc, staffId: string, windowNo: number, deviceName: string, first = false) {
  await page.goto(preview.url);
  if (first) {
    // A code that was never issued is refused, in Chinese, and the workstation stays unenrolled.
    await page.getByTestId('enrol-url').fill(hall.url);
    await page.getByTestId('enrol-code').fill('ZZZZ-0000');
    await page.getByTestId('enrol-name').fill(deviceName);
    await page.getByTestId('enrol-submit').click();
    await page.getByTestId('enrol-error').filter({ hasText: /登记码/ }).waitFor({ timeout: 10_000 });
    await screenshot(page, 'workstation-enrol');
  }
  await page.getByTestId('enrol-url').fill(hall.url);
  await page.getByTestId('enrol-code').fill(await enrolmentCode(hallDir, OFFICE));
  await page.getByTestId('enrol-name').fill(deviceName);
  await page.getByTestId('enrol-submit').click();
  if (first) {
    await page.getByTestId('signin-staff').fill(staffId);
    await page.getByTestId('signin-pin').fill('654321');
    await page.getByTestId('signin-window').selectOption(`${OFFICE}/${windowNo}`);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('signin-error').filter({ hasText: '工号或密码错误' }).waitFor({ timeout: 10_000 });
    await screenshot(page, 'workstation-signin');
  }
  await signInAt(page, { office: OFFICE, staffId, windowNo });
}

const text = (page: Page, id: string) => page.getByTestId(id).innerText();
const pending = (page: Page) => page.getByTestId('sync-pending').getAttribute('data-pending');

describe('ticket queue through the real UI', () => {
  let clerk1: Page;
  let clerk2: Page;
  let kiosk: Page;
  let display: Page;
  let evaluator: Page;

  beforeAll(async () => {
    hallDir = tempDir('e2e-hall');
    hall = await startHall(hallDir);
    [ws1, ws2] = await Promise.all([startPreview(tempDir('e2e-ws1'), hall.url), startPreview(tempDir('e2e-ws2'), hall.url)]);
    browser = await launchChromium();
    const viewport = { width: 1366, height: 820 };
    clerk1 = await browser.newPage({ viewport });
    clerk2 = await browser.newPage({ viewport });
    kiosk = await browser.newPage({ viewport: { width: 1080, height: 1280 } });
    display = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    evaluator = await browser.newPage({ viewport: { width: 1024, height: 700 } });
    await enrolAndSignIn(clerk1, ws1, '1001', 1, '1号窗口工作站', true);
    await enrolAndSignIn(clerk2, ws2, '1002', 2, '2号窗口工作站');
    await display.goto(`${hall.url}/display?office=${OFFICE}`);
    await evaluator.goto(`${hall.url}/evaluator?windowId=${OFFICE}/1`);
    await kiosk.goto(`${hall.url}/kiosk?office=${OFFICE}`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([ws1?.stop(), ws2?.stop(), hall?.stop()]);
  });

  it('a ticket taken at the kiosk is called at a window and shows on the call display', async () => {
    await screenshot(kiosk, 'kiosk');
    await kiosk.getByTestId('kiosk-board-A').click();
    await expect.poll(() => text(kiosk, 'ticket-number')).toBe('A001');
    expect(await text(kiosk, 'ticket-ahead')).toContain('0');
    await screenshot(kiosk, 'kiosk-ticket');

    await expect.poll(() => text(clerk1, 'board-waiting-A')).toContain('1');
    await clerk1.getByTestId('btn-call-next').click();
    await expect.poll(() => text(clerk1, 'current-number')).toBe('A001');
    await expect.poll(() => text(clerk1, 'current-status')).toContain('已呼叫');

    await expect.poll(() => text(display, 'display-latest-number')).toBe('A001');
    expect(await text(display, 'display-latest-window')).toContain('1');
    await expect.poll(() => text(display, 'display-announcing')).toContain('A001');
    await screenshot(display, 'display');
    // The board never shows who the applicant is: tickets carry no names, and the clerk's name is not shown either.
    expect(await display.locator('body').innerText()).not.toContain('王丽');
  });

  it('a held ticket is resumed at another window serving its board', async () => {
    await clerk1.getByTestId('btn-start').click();
    await expect.poll(() => text(clerk1, 'current-status')).toContain('办理中');
    await clerk1.getByTestId('btn-hold').click();
    await clerk1.getByTestId('hold-kind-without_materials').click();
    await clerk1.getByTestId('btn-hold-confirm').click();
    await expect.poll(() => clerk1.getByTestId('current-number').count()).toBe(0);

    await expect.poll(() => clerk2.getByTestId('resume-A001').count(), { timeout: 5_000 }).toBe(1);
    await clerk2.getByTestId('resume-A001').click();
    await expect.poll(() => text(clerk2, 'current-number')).toBe('A001');
    await expect.poll(() => text(clerk2, 'current-status')).toContain('办理中');
  });

  it('a transferred ticket is called by a window serving the target board', async () => {
    await clerk2.getByTestId('btn-transfer').click();
    await clerk2.getByTestId('transfer-board').selectOption('B');
    await clerk2.getByTestId('transfer-position').selectOption('front');
    await clerk2.getByTestId('btn-transfer-confirm').click();
    await expect.poll(() => clerk2.getByTestId('current-number').count()).toBe(0);
    await expect.poll(() => text(clerk1, 'board-waiting-B')).toContain('1');

    await clerk1.getByTestId('btn-call-next').click();
    await expect.poll(() => text(clerk1, 'current-number'), { timeout: 10_000 }).toBe('A001');
  });

  it('a finished service is rated once on the window’s evaluator', async () => {
    await clerk1.getByTestId('btn-start').click();
    await expect.poll(() => text(clerk1, 'current-status')).toContain('办理中');
    await expect.poll(() => clerk1.getByTestId('btn-finish').isEnabled()).toBe(true);
    await screenshot(clerk1, 'workstation-queue');
    await clerk1.getByTestId('btn-finish').click();
    await expect.poll(() => clerk1.getByTestId('current-number').count()).toBe(0);

    await expect.poll(() => evaluator.getByTestId('rate-5').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await evaluator.locator('body').innerText()).toContain('A001');
    await screenshot(evaluator, 'evaluator');
    await evaluator.getByTestId('rate-5').click();
    await evaluator.getByTestId('rate-submit').click();
    await expect.poll(() => evaluator.getByTestId('rate-thanks').isVisible()).toBe(true);

    // The same service cannot be rated again: the hall server refuses a second rating.
    const pending = await fetch(`${hall.url}/api/evaluator/pending?windowId=${OFFICE}/1`).then((r) => r.json());
    expect(pending.request).toBeNull();
  });

  it('when the hall server stops: a banner, no calling, the current ticket finished offline and synced on return', async () => {
    await kiosk.getByTestId('kiosk-board-A').click();
    await expect.poll(() => text(kiosk, 'ticket-number')).toBe('A002');
    await expect.poll(() => text(clerk2, 'board-waiting-A')).toContain('1');
    await clerk2.getByTestId('btn-call-next').click();
    await expect.poll(() => text(clerk2, 'current-number')).toBe('A002');
    await clerk2.getByTestId('btn-start').click();
    await expect.poll(() => text(clerk2, 'current-status')).toContain('办理中');

    // Everything done so far has reached the hall, so what is pending later is only the offline finish.
    await expect.poll(() => pending(clerk2)).toBe('0');
    const port = new URL(hall.url).port;
    await hall.kill('SIGKILL');
    await expect.poll(() => clerk2.getByTestId('offline-banner').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await text(clerk2, 'offline-banner')).toContain('连接中断');
    expect(await clerk2.getByTestId('btn-call-next').isDisabled()).toBe(true);
    await expect.poll(() => clerk2.getByTestId('btn-finish').isEnabled()).toBe(true);
    await screenshot(clerk2, 'workstation-offline');

    await clerk2.getByTestId('btn-finish').click();
    await expect.poll(() => clerk2.getByTestId('current-number').count()).toBe(0);
    await expect.poll(() => pending(clerk2)).toBe('1');

    hall = await startHall(hallDir, Number(port));
    await expect.poll(() => clerk2.getByTestId('offline-banner').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => pending(clerk2), { timeout: 15_000 }).toBe('0');
    // The finish reached the hall server exactly once: the service is now waiting for its rating at window 2.
    const rating = await fetch(`${hall.url}/api/evaluator/pending?windowId=${OFFICE}/2`).then((r) => r.json());
    expect(rating.request?.number).toBe('A002');
    expect(await clerk2.getByTestId('btn-call-next').isDisabled()).toBe(false);
  }, 90_000);

  it('the window calls a green-channel ticket first, then a due appointment, then the line', async () => {
    const take = async (board: string) => {
      await kiosk.getByTestId(`kiosk-board-${board}`).click();
      const number = await kiosk.getByTestId('ticket-number').innerText();
      await kiosk.getByTestId('kiosk-done').click();
      return number;
    };
    const normal = await take('A');

    await kiosk.getByTestId('kiosk-green').click();
    await kiosk.getByTestId('kiosk-green-staff').fill('1003');
    await kiosk.getByTestId('kiosk-green-pin').fill('123456');
    await kiosk.getByTestId('kiosk-green-confirm').click();
    await kiosk.getByTestId('kiosk-green-active').waitFor();
    const green = await take('A');

    const code = await appointmentCode(hallDir, OFFICE, 'A', new Date(Date.now() - 60_000).toISOString());
    await kiosk.getByTestId('kiosk-checkin').click();
    await kiosk.getByTestId('kiosk-checkin-code').fill(code);
    await kiosk.getByTestId('kiosk-checkin-submit').click();
    const booked = await kiosk.getByTestId('ticket-number').innerText();
    await kiosk.getByTestId('kiosk-done').click();
    expect(new Set([normal, green, booked]).size).toBe(3);

    for (const expected of [green, booked, normal]) {
      await clerk1.getByTestId('btn-call-next').click();
      await expect.poll(() => text(clerk1, 'current-number'), { timeout: 10_000 }).toBe(expected);
      await clerk1.getByTestId('btn-no-show').click();
      await expect.poll(() => clerk1.getByTestId('current-number').count()).toBe(0);
    }
  }, 60_000);
});
