/**
 * The supervisor's dashboard end to end, through the real UI: a real hall server process, two
 * workstations in browser-preview processes (the supervisor's and a clerk's), Chromium.
 *
 *  - the supervisor (9001) signs in and gets the supervisor view, not the queue panel;
 *  - a ticket taken at the kiosk shows in the live view; when the clerk's window calls it, the
 *    live view shows the window calling that number and the line empty again;
 *  - a clerk asking the dashboard is refused, in Chinese, by the hall.
 *
 * The supervisor signs in without a window's seat (值班登录).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SUPERVISOR_ONLY } from '../../upstream/dashboard/service.js';
import { enrolAndSignIn, enrolmentCode, launchChromium, startHall, startPreview, takeTicket, tempDir, type Proc } from './harness.js';

const OFFICE = 'qihe-county';
let hallDir: string;
let hall: Proc;
let supWs: Proc;
let clerkWs: Proc;
let browser: Browser;
let supervisor: Page;
let clerk: Page;

const text = (page: Page, id: string) => page.getByTestId(id).innerText();

const signInSupervisor = (page: Page) =>
  enrolAndSignIn(page, { preview: supWs, hallUrl: hall.url, hallDir, office: OFFICE, staffId: '9001', windowNo: null, deviceName: '大厅负责人工作站', lands: 'supervisor-view' });

describe('supervisor dashboard through the real UI', () => {
  beforeAll(async () => {
    hallDir = tempDir('e2e-dash-hall');
    hall = await startHall(hallDir);
    [supWs, clerkWs] = await Promise.all([startPreview(tempDir('e2e-dash-sup'), hall.url), startPreview(tempDir('e2e-dash-clerk'), hall.url)]);
    browser = await launchChromium();
    supervisor = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    clerk = await browser.newPage({ viewport: { width: 1366, height: 820 } });
    await enrolAndSignIn(clerk, { preview: clerkWs, hallUrl: hall.url, hallDir, office: OFFICE, staffId: '1001', windowNo: 1, deviceName: '1号窗口工作站' });
    await signInSupervisor(supervisor);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([supWs?.stop(), clerkWs?.stop(), hall?.stop()]);
  });

  it('the live view changes when a ticket is taken and when a window calls it', async () => {
    await supervisor.getByTestId('live-panel').waitFor({ timeout: 15_000 });
    await expect.poll(() => text(supervisor, 'live-waiting-A')).toContain('0');
    expect(await text(supervisor, 'live-window-1')).toContain('王丽');

    const t = await takeTicket(hall.url, OFFICE, 'A');
    await expect.poll(() => text(supervisor, 'live-waiting-A'), { timeout: 10_000 }).toContain('1');

    await expect.poll(() => text(clerk, 'board-waiting-A')).toContain('1');
    await clerk.getByTestId('btn-call-next').click();
    await expect.poll(() => text(clerk, 'current-number')).toBe(t.number);

    await expect.poll(() => text(supervisor, 'live-window-current-1'), { timeout: 10_000 }).toBe(t.number);
    expect(await text(supervisor, 'live-window-status-1')).toBe('已叫号');
    await expect.poll(() => text(supervisor, 'live-waiting-A')).toContain('0');
    // The supervisor signed in without a window's seat (值班登录): window 12 stays closed, its clerk undisturbed.
    expect(await text(supervisor, 'header-seat')).toBe('值班登录（未占用窗口）');
    expect(await text(supervisor, 'live-window-status-12')).toBe('未开放');
  });

  it('the history shows today’s figures and drills down to the ticket', async () => {
    await supervisor.getByTestId('tab-history').click();
    await supervisor.getByTestId('range-today').click();
    await expect.poll(() => text(supervisor, 'history-issued'), { timeout: 10_000 }).toContain('1');
    await supervisor.getByTestId('history-issued').click();
    await expect.poll(() => text(supervisor, 'drill-total')).toContain('共 1 个号码');
  });

  it('a clerk is refused: no supervisor view, and the hall answers the dashboard with a refusal', async () => {
    expect(await clerk.getByTestId('supervisor-view').count()).toBe(0);
    const r = await clerk.evaluate(() =>
      (window as unknown as { onewindow: { invoke(m: string, i: unknown): Promise<unknown> } }).onewindow.invoke('dashboard.live', { queueAlarmLength: 20 }),
    );
    expect(r).toEqual({ ok: false, error: { code: 'forbidden', message: SUPERVISOR_ONLY } });
  });
});
