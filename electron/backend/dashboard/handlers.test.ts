import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardMethods } from '../../../shared/dashboard/contract.js';
import type { HistoryReport } from '../../../shared/dashboard/views.js';
import { AppError } from '../../../shared/errors.js';
import { simulateDays } from '../../../upstream/dashboard/simulate.js';
import { startDashboardEnv, type DashboardEnv } from '../../../upstream/dashboard/testing.js';
import { describeIssuesZh } from '../handlers.js';
import { createDashboardHandlers, DASHBOARD_OFFLINE, safeFileName, type DashboardCall } from './handlers.js';

const AUTH = { deviceToken: 'dev', sessionToken: 'sess' };
const Q = { office: 'qihe-county', from: '2025-03-03', to: '2025-03-07', bucket: 'day' as const };

let env: DashboardEnv;
let report: HistoryReport;
beforeAll(() => {
  env = startDashboardEnv({ start: Date.parse('2025-03-03T08:00:00+08:00') });
  simulateDays(env, '2025-03-03', 5, { seed: 4, cases: true });
  env.clock.t = Date.parse('2025-03-10T09:00:00+08:00');
  report = env.dashboard.history('9001', Q);
});
afterAll(() => env.close());

/** A hall that answers from the real dashboard service, recording what it was asked. */
function fakeHall() {
  const calls: Array<{ name: string; input: Record<string, unknown>; auth: unknown }> = [];
  const call: DashboardCall = async (name, input, auth) => {
    calls.push({ name, input: input as Record<string, unknown>, auth });
    const staff = '9001';
    const d = env.dashboard;
    const i = input as never;
    const answers: Record<string, () => unknown> = {
      dashboardLive: () => d.live(staff, { queueAlarmLength: 20, ...(input as object) }),
      dashboardHistory: () => d.history(staff, i),
      dashboardFollowups: () => d.followups.list(staff, i),
      dashboardFollowupRecord: () => d.followups.recordCallBack(staff, i),
      dashboardExport: () => d.exportCsv(staff, i),
      dashboardCases: () => d.drillCases(staff, i),
    };
    return answers[name]!() as never;
  };
  return { calls, call };
}

describe('the workstation’s dashboard methods', () => {
  it('ask the hall with the signed-in session, leaving out fields not given', async () => {
    const hall = fakeHall();
    const h = createDashboardHandlers({ call: () => hall.call, auth: () => AUTH, exportsDir: null });
    const live = await h['dashboard.live']({ office: undefined, queueAlarmLength: 15 });
    expect(live.office).toBe('qihe-county');
    expect(hall.calls[0]).toEqual({ name: 'dashboardLive', input: { queueAlarmLength: 15 }, auth: AUTH });
  });

  it('say plainly when nobody is signed in, no hall is configured, or the hall cannot be reached', async () => {
    const hall = fakeHall();
    const none = createDashboardHandlers({ call: () => hall.call, auth: () => null, exportsDir: null });
    await expect(none['dashboard.live']({ queueAlarmLength: 20 })).rejects.toMatchObject({ code: 'unauthorized', message: '请先登录' });
    const noHall = createDashboardHandlers({ call: () => null, auth: () => AUTH, exportsDir: null });
    await expect(noHall['dashboard.history'](Q)).rejects.toMatchObject({ code: 'offline', message: '未配置大厅服务器，无法查看运行监测。' });
    const down: DashboardCall = async () => {
      throw new AppError('offline', '无法连接大厅服务器，请检查网络；当前号码可继续办结，恢复后自动上传。', 'ECONNREFUSED');
    };
    const offline = createDashboardHandlers({ call: () => down, auth: () => AUTH, exportsDir: null });
    await expect(offline['dashboard.history'](Q)).rejects.toMatchObject({ code: 'offline', message: DASHBOARD_OFFLINE });
    expect(hall.calls).toEqual([]);
  });

  it('the cases behind a case figure are asked of the hall like the tickets behind a figure', async () => {
    const hall = fakeHall();
    const h = createDashboardHandlers({ call: () => hall.call, auth: () => AUTH, exportsDir: null });
    const input = DashboardMethods['dashboard.drillCases'].input.parse({ ...Q, figure: 'accepted', dim: 'window', key: 'qihe-county/1' });
    const r = await h['dashboard.drillCases'](input);
    expect(hall.calls[0]).toEqual({ name: 'dashboardCases', input: { ...Q, figure: 'accepted', dim: 'window', key: 'qihe-county/1', limit: 200 }, auth: AUTH });
    if (!report.cases.available) throw new Error('case figures not available');
    expect(r.total).toBe(report.cases.byWindow.find((w) => w.key === 'qihe-county/1')!.accepted);
    expect(r.total).toBeGreaterThan(0);
  });

  it('a call-back is sent with a fresh request id and the week’s list comes back', async () => {
    const hall = fakeHall();
    const h = createDashboardHandlers({ call: () => hall.call, auth: () => AUTH, exportsDir: null });
    const list = await h['dashboard.followups']({ week: '2025-03-03' });
    const target = list.rows[0]!;
    const after = await h['dashboard.recordFollowup']({ ticketId: target.ticketId, outcome: 'reached', satisfaction: 5, week: '2025-03-03' });
    expect(hall.calls.map((c) => c.name)).toEqual(['dashboardFollowups', 'dashboardFollowupRecord', 'dashboardFollowups']);
    expect(hall.calls[1]!.input.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(after.rows.find((r) => r.ticketId === target.ticketId)!.record).toMatchObject({ outcome: 'reached', satisfaction: 5 });
  });

  it('bad input is refused before anything is asked, in Chinese', () => {
    const r = DashboardMethods['dashboard.history'].input.safeParse({ from: '2025-03-09', to: '2025-03-01' });
    expect(r.success).toBe(false);
    expect(describeIssuesZh(r.error!.issues)).toContain('开始日期不能晚于结束日期');
    const f = DashboardMethods['dashboard.recordFollowup'].input.safeParse({ ticketId: 't', outcome: 'reached', week: '2025-03-03' });
    expect(describeIssuesZh(f.error!.issues)).toContain('已回访的，请记录满意程度');
  });
});

describe('exports', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'onewindow-dash-export-'));

  it('the CSV is handed back and saved under the data folder', async () => {
    const hall = fakeHall();
    const h = createDashboardHandlers({ call: () => hall.call, auth: () => AUTH, exportsDir: path.join(dir, 'exports') });
    const csv = await h['dashboard.exportCsv']({ ...Q, format: 'csv' });
    expect(csv.savedPath).toBe(path.join(dir, 'exports', '大厅运行报表_qihe-county_2025-03-03_2025-03-07.csv'));
    expect(readFileSync(csv.savedPath!, 'utf8')).toBe(csv.content);
    expect(safeFileName('a/b\\c:d*?.csv')).toBe('a_b_c_d__.csv');
  });

  it('the PDF report holds the figures in Chinese text a PDF reader can extract', async () => {
    const hall = fakeHall();
    const h = createDashboardHandlers({ call: () => hall.call, auth: () => AUTH, exportsDir: path.join(dir, 'exports') });
    const pdf = await h['dashboard.exportPdf'](Q);
    const bytes = Buffer.from(pdf.contentBase64, 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(existsSync(pdf.savedPath!)).toBe(true);
    const file = path.join(dir, 'report.pdf');
    writeFileSync(file, bytes);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('政务服务大厅运行报表');
    expect(text).toContain('按业务板块');
    expect(text).toContain(`${report.totals.issued}`);
    expect(text).toContain(report.byStaff[0]!.label.slice(0, 2));
    // The case figures and quoted waits have their own tables.
    expect(text).toContain('办件按业务板块');
    expect(text).toContain('预计与实际等待');
    expect(text).toContain('承诺时限内办结');
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSerifSC-Regular/);
    // Look at it: ONEWINDOW_SCREENSHOTS=1 renders the first page to docs/screenshots/dashboard-report.png.
    if (process.env.ONEWINDOW_SCREENSHOTS === '1') {
      const shots = path.join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots');
      execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', file, path.join(shots, 'dashboard-report')]);
      const casePage = text.split('\f').findIndex((p) => p.includes('办件汇总')) + 1;
      execFileSync('pdftoppm', ['-png', '-r', '80', '-f', String(casePage), '-l', String(casePage), '-singlefile', file, path.join(shots, 'dashboard-report-cases')]);
    }
  });
});
