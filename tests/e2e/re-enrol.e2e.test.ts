/**
 * Re-enrolment through the real UI after the hall's database was wiped: a hall server process, a
 * workstation in a browser-preview process, Chromium. The window finished a ticket offline; the hall
 * comes back with an empty data folder on the same address and no longer knows the workstation.
 * The enrol form is offered again (after a reload) with the notice that the pending work is kept;
 * enrolled again with a new code, the work is sent once (the wiped hall never issued the ticket, so
 * it refuses the finish: shown as refused, nothing left pending).
 */
import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolAndSignIn, enrolmentCode, launchChromium, screenshot, signInAt, startHall, startPreview, takeTicket, tempDir, type Proc } from './harness.js';

const OFFICE = 'qihe-county';

let hallDir: string;
let hall: Proc;
let ws: Proc;
let browser: Browser;
let clerk: Page;

const pending = (page: Page) => page.getByTestId('sync-pending').getAttribute('data-pending');

describe('re-enrolment after the hall was wiped, through the real UI', () => {
  beforeAll(async () => {
    hallDir = tempDir('e2e-reenrol-hall');
    hall = await startHall(hallDir);
    ws = await startPreview(tempDir('e2e-reenrol-ws'), hall.url);
    browser = await launchChromium();
    clerk = await browser.newPage({ viewport: { width: 1366, height: 820 } });
    await enrolAndSignIn(clerk, { preview: ws, hallUrl: hall.url, hallDir, office: OFFICE, staffId: '1001', windowNo: 1, deviceName: '1号窗口工作站' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([ws?.stop(), hall?.stop()]);
  });

  it('offers the enrol form again, keeps the offline work and sends it once after enrolling again', async () => {
    const ticket = await takeTicket(hall.url, OFFICE, 'A');
    await clerk.getByTestId('btn-call-next').click();
    await expect.poll(() => clerk.getByTestId('current-number').innerText()).toBe(ticket.number);
    await clerk.getByTestId('btn-start').click();
    await expect.poll(() => clerk.getByTestId('current-status').innerText()).toContain('办理中');
    await expect.poll(() => pending(clerk)).toBe('0');

    const port = Number(new URL(hall.url).port);
    await hall.kill('SIGKILL');
    await expect.poll(() => clerk.getByTestId('offline-banner').isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => clerk.getByTestId('btn-finish').isEnabled()).toBe(true);
    await clerk.getByTestId('btn-finish').click();
    await expect.poll(() => pending(clerk)).toBe('1');

    // The administrator wipes the hall's data and starts it again, empty, on the same address.
    rmSync(hallDir, { recursive: true, force: true });
    hall = await startHall(hallDir, port);

    // Reloaded, the workstation offers the enrol form again, saying why and that the record is kept.
    const notice = clerk.getByTestId('enrol-again-notice');
    await expect
      .poll(
        async () => {
          await clerk.reload();
          return (await notice.count()) > 0 ? notice.innerText() : '';
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toContain('大厅服务器已不认识本工作站');
    expect(await notice.innerText()).toContain('本机未上传的 1 条记录和附件会保留并在登记后上传');
    expect(await clerk.getByTestId('enrol-url').inputValue()).toBe(hall.url);
    expect(await clerk.getByTestId('enrol-name').inputValue()).toBe('1号窗口工作站');
    await screenshot(clerk, 'workstation-re-enrol');

    await clerk.getByTestId('enrol-code').fill(await enrolmentCode(hallDir, OFFICE));
    await clerk.getByTestId('enrol-submit').click();
    await signInAt(clerk, { office: OFFICE, staffId: '1001', windowNo: 1 });

    // Sent once: nothing pending; the wiped hall refused the finish of a ticket it never issued, shown as refused.
    await expect.poll(() => pending(clerk), { timeout: 15_000 }).toBe('0');
    await expect.poll(() => clerk.getByTestId('sync-pending').getAttribute('data-parked'), { timeout: 15_000 }).toBe('1');
  }, 120_000);
});
