/**
 * The supervisor's screen in Chromium under the workstation's strict CSP, fed by the real dashboard
 * (hall store with a month of simulated traffic → upstream/dashboard → the workstation's dashboard
 * handlers): echarts draws (SVG renderer) without any CSP violation, figures drill down to their
 * tickets, a call-back is recorded. ONEWINDOW_SCREENSHOTS=1 writes docs/screenshots/dashboard-*.png.
 *
 * This renders it on its own page (preview/entry.tsx, bundled here with esbuild), for a month of data;
 * tests/e2e/dashboard.e2e.test.ts drives it inside the real app. The supervisor is signed in without a
 * window's seat (值班登录).
 */
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardApi } from '../../../shared/dashboard/api.js';
import { DashboardMethods, type DashboardMethodName } from '../../../shared/dashboard/contract.js';
import type { HistoryReport, LiveView } from '../../../shared/dashboard/views.js';
import { toErrorBody } from '../../../shared/errors.js';
import { contentSecurityPolicy } from '../../../shared/web-security.js';
import { createDashboardRouteHandlers } from '../../../upstream/dashboard/routes.js';
import { simulateDays } from '../../../upstream/dashboard/simulate.js';
import { startDashboardEnv, type DashboardEnv } from '../../../upstream/dashboard/testing.js';
import { createDashboardHandlers, type DashboardCall } from '../../../electron/backend/dashboard/handlers.js';
import type { RouteContext } from '../../../upstream/http/routes.js';
import { launchChromium, ROOT } from '../../../tests/e2e/harness.js';

const SHOTS = process.env.ONEWINDOW_SCREENSHOTS === '1' ? path.join(ROOT, 'docs', 'screenshots') : undefined;
const TODAY = '2025-04-02';
let env: DashboardEnv;
let server: Server;
let url: string;
let browser: Browser;
let page: Page;
const problems: string[] = [];

function supervisorCtx(): RouteContext {
  const device = { id: 'd1', office: 'qihe-county', name: '负责人工作站', clientId: 'c-1', enrolledAt: 0, revoked: false };
  return { device, session: { device, session: { tokenHash: 'h', deviceId: 'd1', staffId: '9001', windowId: null, createdAt: 0 } } };
}

/** A busy moment this morning: a burst of tickets nobody has called for 13 minutes, one window paused. */
function busyMorning() {
  for (let i = 0; i < 22; i++) env.issue(i % 4 === 3 ? 'B' : 'A');
  env.issue('G', 'qihe-edz');
  env.clock.advance(13 * 60_000);
  const w1 = env.clerk('qihe-county/1', '1001');
  const w2 = env.clerk('qihe-county/2', '1002');
  for (const w of [w1, w2]) {
    try {
      w.callNext();
    } catch {
      // still busy with its current ticket: fine
    }
  }
  env.clerk('qihe-county/3', '1003').pause('临时离开');
  env.clock.advance(2 * 60_000);
  env.settle();
}

async function serve(): Promise<void> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'onewindow-sv-page-'));
  await build({
    entryPoints: [path.join(import.meta.dirname, 'preview', 'entry.tsx')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    outdir: out,
    entryNames: 'bundle',
    loader: { '.css': 'css' },
    logLevel: 'silent',
  });
  const routes = createDashboardRouteHandlers(env.dashboard);
  const call: DashboardCall = async (name, input) => routes[name](DashboardApi[name].input.parse(input) as never, supervisorCtx()) as never;
  const handlers = createDashboardHandlers({ call: () => call, auth: () => ({ deviceToken: 'd', sessionToken: 's' }), exportsDir: path.join(out, 'exports') });
  const staff = { id: '9001', name: '赵敏', office: 'qihe-county', roles: ['supervisor'] };
  const window = { id: 'qihe-county/12', no: 12, name: '12号税务窗口', boards: [{ board: 'G', weight: 1 }], status: 'closed', pauseReason: null, staffId: null, staffName: null };
  const state = {
    device: { enrolled: true, deviceName: '负责人工作站', office: 'qihe-county', officeName: '齐河县政务服务中心', hallUrl: 'http://hall', embeddedHall: false, windows: [window], windowId: window.id, publicPages: null },
    state: {
      session: { staff, window: null, signedInAt: env.clock.now() },
      connection: { online: true, since: env.clock.now(), hallUrl: 'http://hall', clockOffsetMs: 0, lastError: null },
      sync: { pending: 0, oldestPendingAt: null, lastSuccessAt: null, parked: [] },
      panel: null,
      canCallNext: false,
      callBlockedReason: null,
    },
  };
  const csp = contentSecurityPolicy("'self'");
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="UTF-8"><link rel="icon" href="data:,"><link rel="stylesheet" href="/bundle.css"><title>运行监测</title></head><body><div id="root"></div><script type="module" src="/bundle.js"></script></body></html>`;
  server = createServer((req, res) => {
    const send = (type: string, body: string | Buffer) => {
      res.writeHead(200, { 'Content-Type': type, 'Content-Security-Policy': csp });
      res.end(body);
    };
    if (req.url === '/') return send('text/html; charset=utf-8', html);
    if (req.url === '/bundle.js') return send('text/javascript', readFileSync(path.join(out, 'bundle.js')));
    if (req.url === '/bundle.css') return send('text/css', readFileSync(path.join(out, 'bundle.css')));
    if (req.url === '/state') return send('application/json', JSON.stringify(state));
    if (req.url === '/invoke') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const { method, input } = JSON.parse(body) as { method: DashboardMethodName; input: unknown };
        const run = async () => {
          const parsed = DashboardMethods[method].input.safeParse(input);
          if (!parsed.success) return { ok: false, error: { code: 'bad_request', message: parsed.error.message } };
          try {
            return { ok: true, value: await (handlers[method] as (i: unknown) => Promise<unknown>)(parsed.data) };
          } catch (err) {
            const e = toErrorBody(err);
            return { ok: false, error: { code: e.code, message: e.message } };
          }
        };
        void run().then((r) => send('application/json', JSON.stringify(r)));
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

beforeAll(async () => {
  env = startDashboardEnv({ start: Date.parse('2025-03-03T08:00:00+08:00') });
  simulateDays(env, '2025-03-03', 30, { seed: 8, perHour: 12, endToday: '10:30', cases: true });
  busyMorning();
  await serve();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  // The page's own clock (header) shows the hall's simulated morning.
  await page.clock.setFixedTime(new Date(env.clock.now()));
  await page.goto(url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  env?.close();
});

async function shot(name: string, fullPage = false) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage, animations: 'disabled' });
}

describe('the supervisor’s screen under the strict CSP', () => {
  it('live: lines per board, windows with their clerk and ticket, alarms and suggestions', async () => {
    const live: LiveView = env.dashboard.live('9001', { queueAlarmLength: 20 });
    await page.getByTestId('live-panel').waitFor({ timeout: 15_000 });
    const a = live.boards.find((b) => b.code === 'A')!;
    expect(a.overTarget).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('live-waiting-A').innerText()).toContain(String(a.waiting));
    expect(await page.getByTestId('alarm-wait_over_target').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('alarm-queue_too_long').count()).toBe(live.alarms.filter((x) => x.kind === 'queue_too_long').length);
    expect(await page.getByTestId('live-window-status-3').innerText()).toBe('暂停服务');
    expect(await page.getByTestId('live-window-1').innerText()).toContain('王丽');
    // Today's cases of the office, from the case log, next to today's tickets.
    expect(live.todayCases?.accepted).toBeGreaterThan(0);
    expect(await page.getByTestId('today-cases-accepted').innerText()).toContain(String(live.todayCases!.accepted));
    await shot('dashboard-live', true);
  });

  it('history: figures, three echarts charts drawn as SVG, a breakdown; a figure drills down to its tickets', async () => {
    await page.getByTestId('tab-history').click();
    await page.getByTestId('history-cards').waitFor({ timeout: 15_000 });
    const report: HistoryReport = env.dashboard.history('9001', { office: 'all', from: '2025-03-04', to: TODAY, bucket: 'day' });
    await expect.poll(() => page.getByTestId('history-issued').innerText()).toContain(String(report.totals.issued));
    for (const id of ['chart-wait', 'chart-volume', 'chart-hours']) {
      await expect.poll(() => page.locator(`[data-testid=${id}] svg path`).count(), { timeout: 10_000 }).toBeGreaterThan(10);
    }
    expect(await page.locator('[data-testid=breakdown] tbody tr').count()).toBe(report.byBoard.length);
    await shot('dashboard-history', true);
    await page.getByTestId('history-within').click();
    await page.getByTestId('drill-dialog').waitFor();
    await expect.poll(() => page.getByTestId('drill-total').innerText()).toContain(`共 ${report.totals.called - report.totals.withinTarget} 个号码`);
    await page.keyboard.press('Escape');
  });

  it('history: case figures from the case log drill down to their case numbers; quoted against actual wait by board', async () => {
    const report: HistoryReport = env.dashboard.history('9001', { office: 'all', from: '2025-03-04', to: TODAY, bucket: 'day' });
    if (!report.cases.available) throw new Error('case figures not available');
    const c = report.cases.totals;
    await expect.poll(() => page.getByTestId('cases-accepted').innerText()).toContain(String(c.accepted));
    expect(await page.getByTestId('cases-overdue').innerText()).toContain(String(c.overdue));
    expect(await page.locator('[data-testid=case-breakdown] tbody tr').count()).toBe(report.cases.byBoard.length);
    await expect.poll(() => page.locator('[data-testid=chart-cases] svg path').count(), { timeout: 10_000 }).toBeGreaterThan(10);
    // The quoted-wait table: one row per board and the total.
    expect(await page.locator('[data-testid=quote-table] tbody tr').count()).toBe(report.quoted.byBoard.length + 1);
    expect(await page.getByTestId('quote-total').innerText()).toContain(String(report.quoted.totals.quoted));
    await page.getByTestId('case-dim-window').click();
    await page.getByTestId('case-drill-oneTimeNotices-qihe-county/1').click();
    await page.getByTestId('drill-dialog').waitFor();
    const w1 = report.cases.byWindow.find((r) => r.key === 'qihe-county/1')!;
    await expect.poll(() => page.getByTestId('drill-total').innerText()).toContain(`共 ${w1.oneTimeNotices} 件`);
    expect(await page.locator('[data-testid=drill-cases] tbody tr').count()).toBe(w1.oneTimeNotices);
    await shot('dashboard-case-drill');
    await page.keyboard.press('Escape');
    await page.getByTestId('case-panel').scrollIntoViewIfNeeded();
    if (SHOTS) await page.getByTestId('case-panel').screenshot({ path: path.join(SHOTS, 'dashboard-cases.png'), animations: 'disabled' });
  });

  it('follow-ups: the week’s list, and a call-back recorded through the form', async () => {
    await page.getByTestId('tab-followups').click();
    await page.getByTestId('followup-panel').waitFor();
    const row = page.locator('tr[data-testid^=followup-]').filter({ hasText: '差评回访' }).first();
    await row.getByRole('button', { name: '记录回访' }).click();
    await row.getByLabel('满意程度').selectOption('4');
    await row.getByLabel('回访情况').fill('已说明等候原因，申请人表示理解');
    await row.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => row.innerText()).toContain('已回访 · 4 星');
    await shot('dashboard-followups');
  });

  it('nothing was refused by the CSP and nothing failed in the page', () => {
    expect(problems).toEqual([]);
  });
});
