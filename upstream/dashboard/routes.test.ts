import { afterEach, describe, expect, it } from 'vitest';
import { DashboardApi, FollowupRecordInput, HistoryQuery } from '../../shared/dashboard/api.js';
import { CASES_NOT_CONNECTED } from '../../shared/dashboard/case-source.js';
import { FOLLOWUP_SAMPLE_SIZE } from '../../shared/dashboard/followup.js';
import { AppError } from '../../shared/errors.js';
import { HallConfig } from '../../shared/office/config.js';
import type { RouteContext } from '../http/routes.js';
import { loadHallConfig } from '../config.js';
import { createDashboardRouteHandlers } from './routes.js';
import { DashboardService, SUPERVISOR_ONLY } from './service.js';
import { simulateDays } from './simulate.js';
import { startDashboardEnv, type DashboardEnv } from './testing.js';

const MONDAY = '2025-03-03';
let env: DashboardEnv | undefined;
afterEach(() => env?.close());

function ctx(staffId: string, office = 'qihe-county'): RouteContext {
  const device = { id: 'd1', office, name: '工作站', clientId: 'c-1', enrolledAt: 0, revoked: false };
  return { device, session: { device, session: { tokenHash: 'h', deviceId: 'd1', staffId, windowId: `${office}/1`, createdAt: 0 } } };
}

/** The qihe configuration plus a supervisor of the branch centre. */
function configWithBranchSupervisor() {
  const base = loadHallConfig();
  const pinHash = base.staff.find((s) => s.id === '9001')!.pinHash;
  return HallConfig.parse({ ...base, staff: [...base.staff, { id: '2009', name: '孙强', office: 'qihe-edz', roles: ['supervisor'], pinHash }] });
}

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('not refused');
}

describe('who may see the dashboard', () => {
  it('a clerk is refused on every dashboard route, in Chinese', async () => {
    env = startDashboardEnv();
    const routes = createDashboardRouteHandlers(env.dashboard);
    const clerk = ctx('1001');
    const calls: Array<() => unknown> = [
      () => routes.dashboardLive({ queueAlarmLength: 20 }, clerk),
      () => routes.dashboardHistory({ from: MONDAY, to: MONDAY, bucket: 'day' }, clerk),
      () => routes.dashboardDrill({ from: MONDAY, to: MONDAY, bucket: 'day', figure: 'issued', dim: 'total', limit: 10 }, clerk),
      () => routes.dashboardCases({ from: MONDAY, to: MONDAY, bucket: 'day', figure: 'accepted', dim: 'total', limit: 10 }, clerk),
      () => routes.dashboardFollowups({ week: MONDAY }, clerk),
      () => routes.dashboardExport({ from: MONDAY, to: MONDAY, bucket: 'day', format: 'csv' }, clerk),
    ];
    for (const call of calls) expect(refusal(call)).toEqual({ code: 'forbidden', message: SUPERVISOR_ONLY });
  });

  it('the county supervisor sees the county hall and its branch; a branch supervisor only the branch', () => {
    env = startDashboardEnv({ config: configWithBranchSupervisor() });
    const routes = createDashboardRouteHandlers(env.dashboard);
    const county = routes.dashboardHistory({ office: 'all', from: MONDAY, to: MONDAY, bucket: 'day' }, ctx('9001')) as { offices: Array<{ id: string }> };
    expect(county.offices.map((o) => o.id)).toEqual(['qihe-county', 'qihe-edz']);
    expect((routes.dashboardLive({ office: 'qihe-edz', queueAlarmLength: 20 }, ctx('9001')) as { office: string }).office).toBe('qihe-edz');
    const branch = ctx('2009', 'qihe-edz');
    expect((routes.dashboardLive({ queueAlarmLength: 20 }, branch) as { office: string }).office).toBe('qihe-edz');
    expect(refusal(() => routes.dashboardLive({ office: 'qihe-county', queueAlarmLength: 20 }, branch))).toEqual({ code: 'forbidden', message: '无权查看该办事大厅的数据。' });
    expect(refusal(() => routes.dashboardHistory({ office: 'qihe-county', from: MONDAY, to: MONDAY, bucket: 'day' }, branch)).code).toBe('forbidden');
  });

  it('a supervisor signed in at a window is not counted as an open window', () => {
    env = startDashboardEnv({ start: Date.parse(`${MONDAY}T09:00:00+08:00`) });
    env.clerk('qihe-county/12', '9001').signIn();
    env.settle();
    const live = env.dashboard.live('9001', { queueAlarmLength: 20 });
    expect(live.windows.find((w) => w.no === 12)).toMatchObject({ status: 'closed', staffName: '赵敏' });
  });
});

describe('bad input is refused with a clear reason', () => {
  const issues = (r: { success: boolean; error?: { issues: Array<{ message: string }> } }) => r.error?.issues.map((i) => i.message) ?? [];
  it('dates out of order, impossible dates, ranges over 400 days, unknown fields', () => {
    expect(issues(HistoryQuery.safeParse({ from: '2025-03-05', to: '2025-03-01' }))).toContain('开始日期不能晚于结束日期');
    expect(issues(HistoryQuery.safeParse({ from: '2025-02-30', to: '2025-03-01' }))).toContain('日期不存在');
    expect(issues(HistoryQuery.safeParse({ from: '2024-01-01', to: '2025-03-01' }))).toContain('查询范围最长 400 天');
    expect(HistoryQuery.safeParse({ from: '2025-03-01', to: '2025-03-01', sql: '1' }).success).toBe(false);
    expect(DashboardApi.dashboardDrill.input.safeParse({ from: '2025-03-01', to: '2025-03-01', figure: 'everything' }).success).toBe(false);
    expect(DashboardApi.dashboardDrill.input.safeParse({ from: '2025-03-01', to: '2025-03-01', figure: 'low', limit: '9999' }).success).toBe(false);
    expect(DashboardApi.dashboardCases.input.safeParse({ from: '2025-03-01', to: '2025-03-01', figure: 'issued' }).success).toBe(false);
    expect(issues(DashboardApi.dashboardCases.input.safeParse({ from: '2025-03-05', to: '2025-03-01', figure: 'accepted' }))).toContain('开始日期不能晚于结束日期');
    expect(DashboardApi.dashboardCases.input.parse({ from: '2025-03-01', to: '2025-03-01', figure: 'overdue', limit: '20' })).toMatchObject({ dim: 'total', limit: 20 });
    // Query strings arrive as text: numbers are read from them.
    expect(DashboardApi.dashboardLive.input.parse({ queueAlarmLength: '15' }).queueAlarmLength).toBe(15);
  });

  it('a call-back that reached the applicant needs their satisfaction', () => {
    const r = FollowupRecordInput.safeParse({ ticketId: 't1', outcome: 'reached', requestId: 'abcdefgh12' });
    expect(issues(r)).toEqual(['已回访的，请记录满意程度']);
  });
});

describe('follow-ups (回访), report and export', () => {
  it('the week’s list holds every low rating and a fixed sample; call-backs are recorded once', () => {
    env = startDashboardEnv({ start: Date.parse(`${MONDAY}T08:00:00+08:00`) });
    simulateDays(env, MONDAY, 5, { seed: 21 });
    env.clock.t = Date.parse('2025-03-10T10:00:00+08:00');
    const routes = createDashboardRouteHandlers(env.dashboard);
    const sup = ctx('9001');
    const list = env.dashboard.followups.list('9001', { week: '2025-03-06' });
    expect(list).toMatchObject({ office: 'qihe-county', week: MONDAY, weekEnd: '2025-03-09', recorded: 0 });
    const low = list.rows.filter((r) => r.reason === 'low_rating');
    expect(low.length).toBeGreaterThan(0);
    expect(low.every((r) => r.rating !== null && r.rating <= 2 && r.ratingReason === '等待时间太长')).toBe(true);
    expect(list.rows.filter((r) => r.reason === 'sample')).toHaveLength(FOLLOWUP_SAMPLE_SIZE);
    // The same list whoever asks, whenever.
    expect(env.dashboard.followups.list('9001', { week: '2025-03-09' })).toEqual(list);

    const target = low[0]!;
    const record = { ticketId: target.ticketId, outcome: 'reached' as const, satisfaction: 4, note: '已解释等候原因', requestId: 'followup-0001' };
    expect(routes.dashboardFollowupRecord(record, sup)).toEqual({ ok: true });
    expect(routes.dashboardFollowupRecord(record, sup)).toEqual({ ok: true });
    const after = env.dashboard.followups.list('9001', { week: MONDAY });
    expect(after.recorded).toBe(1);
    expect(after.rows.find((r) => r.ticketId === target.ticketId)!.record).toMatchObject({ outcome: 'reached', satisfaction: 4, note: '已解释等候原因', staffName: '赵敏' });
    expect(env.db.prepare('SELECT COUNT(*) AS n FROM followup_event').get()).toEqual({ n: 1 });

    const report = env.dashboard.history('9001', { office: 'qihe-county', from: MONDAY, to: '2025-03-09', bucket: 'day' });
    expect(report.lowRatings.find((l) => l.ticketId === target.ticketId)!.followup).toMatchObject({ outcome: 'reached', satisfaction: 4 });
    expect(report.lowRatingsTotal).toBe(report.totals.low);
    // No case was opened these days: the case figures are there, and zero.
    expect(report.cases).toMatchObject({ available: true, totals: { accepted: 0, oneTimeNotices: 0 } });
    // Tickets issued through the engine carry the wait the kiosk quoted.
    expect(report.quoted.totals.quoted).toBeGreaterThan(report.totals.called * 0.9);
    expect(report.quoted.byBoard.map((r) => r.key)).toEqual(report.byBoard.map((r) => r.key));
    // A hall without a case log says so instead of showing zeros.
    const bare = new DashboardService({ db: env.db, transaction: (fn) => env!.db.transaction(fn)(), config: env.config, now: env.clock.now, windows: () => [], presence: () => [] });
    expect(bare.history('9001', { office: 'qihe-county', from: MONDAY, to: '2025-03-09', bucket: 'day' }).cases).toEqual({ available: false, note: CASES_NOT_CONNECTED });

    const open = env.store.ticketsOfDay(MONDAY).find((t) => t.status !== 'DONE')!;
    expect(refusal(() => routes.dashboardFollowupRecord({ ticketId: open.ticketId, outcome: 'unreachable', requestId: 'followup-0002' }, sup)).code).toBe('conflict');
    expect(refusal(() => routes.dashboardFollowupRecord({ ticketId: 'nope', outcome: 'unreachable', requestId: 'followup-0003' }, sup)).code).toBe('not_found');
    expect(refusal(() => routes.dashboardFollowupRecord({ ticketId: target.ticketId, outcome: 'unreachable', satisfaction: 2, requestId: 'followup-0004' }, sup)).code).toBe('bad_request');
    expect(refusal(() => routes.dashboardFollowupRecord({ ticketId: target.ticketId, outcome: 'declined', requestId: 'followup-0005' }, ctx('1001'))).code).toBe('forbidden');
    expect(env.db.prepare('SELECT COUNT(*) AS n FROM followup_event').get()).toEqual({ n: 1 });

    const csv = routes.dashboardExport({ office: 'qihe-county', from: MONDAY, to: '2025-03-09', bucket: 'day', format: 'csv' }, sup) as { filename: string; content: string };
    expect(csv.filename).toBe('大厅运行报表_qihe-county_2025-03-03_2025-03-09.csv');
    expect(csv.content.startsWith('\uFEFF政务服务大厅运行报表\r\n')).toBe(true);
    const lines = csv.content.split('\r\n');
    const header = lines.indexOf('汇总') + 1;
    expect(lines[header]!.split(',').slice(0, 4)).toEqual(['范围', '取号数', '叫号数', '办结数']);
    expect(lines[header + 1]!.split(',').slice(1, 4)).toEqual([String(report.totals.issued), String(report.totals.called), String(report.totals.done)]);
    const cases = lines.indexOf('办件汇总') + 1;
    expect(lines[cases]!.split(',').slice(0, 3)).toEqual(['范围', '受理', '一次性告知']);
    const quoted = lines.indexOf('预计与实际等待') + 1;
    expect(lines[quoted]!.split(',').slice(0, 4)).toEqual(['板块', '叫号数', '有预计等待数', '平均偏差(分钟)']);
    expect(lines[quoted + report.quoted.byBoard.length + 1]!.split(',').slice(0, 3)).toEqual(['合计', String(report.quoted.totals.called), String(report.quoted.totals.quoted)]);
  });
});
