import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseEvent } from '../../shared/case/types.js';
import { caseCubeOf, summariseCases, type CaseDayCube } from '../../shared/dashboard/case-cube.js';
import { caseFacts, isOverdue, type CaseFact } from '../../shared/dashboard/case-facts.js';
import { CASE_FIGURES } from '../../shared/dashboard/case-source.js';
import type { DayCube } from '../../shared/dashboard/cube.js';
import { buildDay } from '../../shared/dashboard/day.js';
import { summarise, type StaffedRow } from '../../shared/dashboard/kpi-history.js';
import { kpiLabels } from '../../shared/dashboard/labels.js';
import { addDays, dayStartMs, eachDay, type Bucket } from '../../shared/dashboard/period.js';
import { applyPresence, staffedTime, type PresenceAtStart, type WindowLogEvent } from '../../shared/dashboard/presence.js';
import { parseWindowId } from '../../shared/office/config.js';
import { businessDate } from '../../shared/queue/numbering.js';
import { reduceTicketLog } from '../../shared/queue/ticket-reducer.js';
import type { TicketEvent, TicketState } from '../../shared/queue/types.js';
import { simulateDays } from './simulate.js';
import { startDashboardEnv, type DashboardEnv } from './testing.js';

/**
 * "Every figure is computed from the ticket, window and case logs, so the same figure comes out live
 * or re-derived": the hall's fast path (per-day tables kept lazily, today from the projections, case
 * facts rebuilt per case past a cursor) against a re-derivation from nothing but the raw logs (every
 * ticket's events folded through the reducer with the quote of its issue, every window event folded
 * through the presence rules, every case's events folded through the case reducer).
 */
const SUPERVISOR = '9001';
const FIRST = '2025-03-03';
let env: DashboardEnv;

beforeEach(() => {
  env = startDashboardEnv({ start: Date.parse(`${FIRST}T08:00:00+08:00`) });
});
afterEach(() => env.close());

function rederive(from: string, to: string, bucket: Bucket, offices: string[]) {
  const now = env.clock.now();
  const tz = env.config.timeZone;
  const today = businessDate(now, tz);
  const logs = new Map<string, TicketEvent[]>();
  for (const e of env.allEvents()) {
    const list = logs.get(e.ticketId);
    if (list) list.push(e);
    else logs.set(e.ticketId, [e]);
  }
  const states = [...logs.values()].map((l) => reduceTicketLog(l)!) as TicketState[];
  const quotes = new Map<string, number>();
  for (const l of logs.values()) {
    const first = l[0]!.action;
    if (first.type === 'issued' && first.quotedWaitMinutes !== undefined) quotes.set(l[0]!.ticketId, first.quotedWaitMinutes);
  }
  const windowLog = (env.db.prepare('SELECT window_id, type, at, json FROM window_event ORDER BY seq').all() as Array<{ window_id: string; type: string; at: number; json: string }>).map(
    (r): WindowLogEvent => ({ windowId: r.window_id, type: r.type, at: r.at, staffId: (JSON.parse(r.json) as { staffId?: string }).staffId }),
  );
  const cubes: DayCube[] = [];
  const staffed: StaffedRow[] = [];
  for (const day of eachDay(from, to)) {
    if (day > today) break;
    const start = dayStartMs(day, tz);
    const end = day === today ? now : dayStartMs(addDays(day, 1), tz);
    for (const office of offices) {
      const built = buildDay(office, day, states, start, quotes);
      if (built.columns.n > 0) cubes.push(built.cube);
      const atStart = new Map<string, PresenceAtStart>();
      for (const e of windowLog) {
        if (e.at >= start || parseWindowId(e.windowId).office !== office) continue;
        const s = applyPresence(atStart.get(e.windowId), e);
        if (s) atStart.set(e.windowId, s);
        else atStart.delete(e.windowId);
      }
      const events = windowLog.filter((e) => e.at >= start && e.at < end && parseWindowId(e.windowId).office === office);
      for (const s of staffedTime(atStart, events, { dayEnd: end, pastDay: day < today })) {
        staffed.push({ office, day, windowNo: parseWindowId(s.windowId).no, staffId: s.staffId, staffedMs: s.staffedMs });
      }
    }
  }
  return summarise({ cubes, staffed, today, bucket, labels: kpiLabels(env.config, offices.length) });
}

/** The case figures of a range from the raw case log alone: each case's events folded, its facts summed. */
function rederiveCases(from: string, to: string, bucket: Bucket, offices: string[]) {
  const today = businessDate(env.clock.now(), env.config.timeZone);
  const logs = new Map<string, CaseEvent[]>();
  for (const e of env.allCaseEvents()) logs.set(e.caseId, [...(logs.get(e.caseId) ?? []), e]);
  const facts = [...logs.values()]
    .flatMap((l) => caseFacts(l, { timeZone: env.config.timeZone, boardOf: env.boardOf }))
    .filter((f) => offices.includes(f.office) && f.day >= from && f.day <= to);
  const days = new Map<string, CaseFact[]>();
  for (const f of facts) days.set(`${f.day} ${f.office}`, [...(days.get(`${f.day} ${f.office}`) ?? []), f]);
  const cubes: CaseDayCube[] = [...days.values()].map((list) => caseCubeOf(list[0]!.office, list[0]!.day, list));
  return summariseCases({ cubes, overdue: facts.filter((f) => isOverdue(f, today)), bucket, labels: kpiLabels(env.config, offices.length), offices });
}

describe('dashboard figures equal a re-derivation from the raw logs', () => {
  it('three closed days and today so far, county with its branch, by day and by week', () => {
    simulateDays(env, FIRST, 3, { seed: 11, endToday: '11:30', cases: true });
    const today = '2025-03-06';
    for (const bucket of ['day', 'week'] as const) {
      const fast = env.dashboard.summary(SUPERVISOR, { office: 'all', from: FIRST, to: today, bucket }).summary;
      expect(fast).toEqual(rederive(FIRST, today, bucket, ['qihe-county', 'qihe-edz']));
      const cases = env.dashboard.history(SUPERVISOR, { office: 'all', from: FIRST, to: today, bucket }).cases;
      expect(cases).toEqual(rederiveCases(FIRST, today, bucket, ['qihe-county', 'qihe-edz']));
      // Not an empty comparison: every case figure is there, on both offices.
      if (!cases.available) throw new Error('case figures not available');
      for (const k of CASE_FIGURES) expect(cases.totals[k], k).toBeGreaterThan(0);
      expect(cases.byOffice.map((r) => r.key)).toEqual(['qihe-county', 'qihe-edz']);
      expect(cases.byBoard.map((r) => r.key)).toEqual(['A', 'B', 'G']);
      // Quoted waits: nearly every called ticket was quoted one at the kiosk.
      expect(fast.quoted.totals.quoted).toBeGreaterThan(fast.totals.called * 0.9);
      expect(fast.quoted.totals.maeMs).toBeGreaterThan(0);
      // Not an empty comparison: the days hold real traffic.
      expect(fast.totals.issued).toBeGreaterThan(200);
      expect(fast.totals.done).toBeGreaterThan(100);
      expect(fast.totals.low).toBeGreaterThan(0);
      expect(fast.totals.staffedMs).toBeGreaterThan(0);
      expect(fast.byOffice.map((r) => r.key)).toEqual(['qihe-county', 'qihe-edz']);
    }
    const county = env.dashboard.summary(SUPERVISOR, { office: 'qihe-county', from: addDays(FIRST, 1), to: addDays(FIRST, 2), bucket: 'day' }).summary;
    expect(county).toEqual(rederive(addDays(FIRST, 1), addDays(FIRST, 2), 'day', ['qihe-county']));
    // Today's figures on the live panel are the same as today's row of the history.
    const live = env.dashboard.live(SUPERVISOR, { office: 'qihe-county', queueAlarmLength: 20 });
    const todayOnly = rederive(today, today, 'day', ['qihe-county']).totals;
    expect({ ...live.today, key: '', label: '' }).toEqual({ ...todayOnly, key: '', label: '' });
    const { key: _k, label: _l, ...todayCases } = rederiveCases(today, today, 'day', ['qihe-county']).totals;
    expect(live.todayCases).toEqual(todayCases);
    expect(todayCases.accepted).toBeGreaterThan(0);
  });

  it('a case’s figures follow its log as it grows: decided late, escalated and resolved on later days', () => {
    const w1 = { windowId: 'qihe-county/1', staffId: '1001' };
    const w3 = { windowId: 'qihe-county/3', staffId: '1003' };
    const act = (w: typeof w1, caseId: string, action: Parameters<typeof env.caseAct>[3]) => env.caseAct(w.windowId, w.staffId, caseId, action);
    env.clock.t = Date.parse(`${FIRST}T09:00:00+08:00`);
    const opened = { type: 'opened', title: '企业开办', provisionalNo: '临-001', catalogVersion: null } as const;
    act(w1, 'c-late-0001', { ...opened, subject: { kind: 'bundle', code: 'enterprise-opening' } });
    act(w1, 'c-late-0001', { type: 'accepted', matters: ['37142500-XZSP-002'], promisedDate: '2025-03-04', overrides: [] });
    act(w1, 'c-late-0002', { ...opened, subject: { kind: 'matter', code: '37142500-WJ-001' }, title: '出生医学证明首次签发' });
    act(w1, 'c-late-0002', { type: 'notice_issued', items: [{ materialId: 'applicant.idCard', problem: 'missing', detail: '缺少身份证原件' }] });
    act(w1, 'c-late-0002', { type: 'escalated', reason: '反映材料要求不一致', owner: '办不成事窗口' });
    env.settle();
    const range = { office: 'all' as const, from: FIRST, to: '2025-03-07', bucket: 'day' as const };
    const figures = () => {
      const c = env.dashboard.history(SUPERVISOR, range).cases;
      if (!c.available) throw new Error('case figures not available');
      expect(c).toEqual(rederiveCases(range.from, range.to, 'day', ['qihe-county', 'qihe-edz']));
      return c;
    };
    expect(figures().totals).toMatchObject({ accepted: 1, oneTimeNotices: 1, escalations: 1, escalationsOpen: 1, decided: 0, overdue: 0 });
    // Two days on, the promised date (03-04) has passed: overdue, counted on the day it was accepted.
    env.clock.t = Date.parse('2025-03-05T09:00:00+08:00');
    expect(figures().series.find((r) => r.key === FIRST)).toMatchObject({ accepted: 1, overdue: 1 });
    // Decided a day late by another clerk, and the escalation resolved: the first day's row changes.
    act(w3, 'c-late-0001', { type: 'approved' });
    act(w3, 'c-late-0002', { type: 'escalation_resolved', resolution: '已当场协调办结' });
    env.settle();
    const after = figures();
    expect(after.totals).toMatchObject({ accepted: 1, escalations: 1, escalationsOpen: 0, decided: 1, decidedOnTime: 0, overdue: 0 });
    expect(after.series.find((r) => r.key === '2025-03-05')).toMatchObject({ decided: 1, decidedOnTime: 0 });
    expect(after.byStaff.find((r) => r.key === '1003')).toMatchObject({ decided: 1, accepted: 0 });
    expect(after.byBoard.map((r) => [r.key, r.accepted, r.oneTimeNotices])).toEqual([['A', 1, 0], ['B', 0, 1]]);
  });

  it('a past day is rebuilt when its log grows later (a held service finished the next morning)', () => {
    const clerk = env.clerk('qihe-county/2', '1002');
    env.clock.t = Date.parse(`${FIRST}T09:00:00+08:00`);
    clerk.signIn();
    const held = env.issue('A');
    env.clock.advance(60_000);
    expect(clerk.callNext()).toBe(held);
    clerk.act(held, { type: 'started' });
    env.clock.advance(5 * 60_000);
    clerk.act(held, { type: 'held', kind: 'with_materials' });
    const served = env.issue('B');
    env.clock.advance(60_000);
    expect(clerk.callNext()).toBe(served);
    clerk.act(served, { type: 'started' });
    env.clock.advance(8 * 60_000);
    clerk.act(served, { type: 'finished' });
    env.settle();
    // Read the next morning: the first day is stored with one service done and one left unfinished.
    env.clock.t = Date.parse('2025-03-04T09:00:00+08:00');
    const q = { office: 'all' as const, from: FIRST, to: '2025-03-04', bucket: 'day' as const };
    const before = env.dashboard.summary(SUPERVISOR, q).summary;
    expect(before.series[0]).toMatchObject({ key: FIRST, issued: 2, done: 1, left: 1 });
    // Then the held service is resumed and finished at the window: the first day's log grows.
    clerk.act(held, { type: 'resumed' });
    env.clock.advance(3 * 60_000);
    clerk.act(held, { type: 'finished' });
    env.settle();
    const after = env.dashboard.summary(SUPERVISOR, q).summary;
    expect(after.series[0]).toMatchObject({ key: FIRST, issued: 2, done: 2, left: 0 });
    expect(after).toEqual(rederive(FIRST, '2025-03-04', 'day', ['qihe-county', 'qihe-edz']));
  });

  it('the tickets behind a figure are exactly as many as the figure', () => {
    simulateDays(env, FIRST, 2, { seed: 5, endToday: '10:00' });
    const q = { office: 'all' as const, from: FIRST, to: '2025-03-05', bucket: 'day' as const };
    const t = env.dashboard.summary(SUPERVISOR, q).summary.totals;
    const drill = (figure: Parameters<typeof env.dashboard.drill>[1]['figure'], more: { dim?: 'board' | 'window' | 'staff' | 'office' | 'bucket'; key?: string } = {}) =>
      env.dashboard.drill(SUPERVISOR, { ...q, figure, dim: more.dim ?? 'total', key: more.key, limit: 500 });
    expect(drill('issued').total).toBe(t.issued);
    expect(drill('over_target').total).toBe(t.called - t.withinTarget);
    expect(drill('no_show').total).toBe(t.noShow);
    expect(drill('left').total).toBe(t.left);
    expect(drill('open').total).toBe(t.open);
    expect(drill('low').total).toBe(t.low);
    const overTarget = drill('over_target');
    expect(overTarget.tickets[0]!.waitMs).toBe(t.waitMaxMs);
    expect(overTarget.tickets.every((x) => x.number.length > 0 && x.ticketId.length > 0)).toBe(true);
    const w1 = env.dashboard.summary(SUPERVISOR, q).summary.byWindow.find((r) => r.key === 'qihe-county/1')!;
    expect(drill('done', { dim: 'window', key: 'qihe-county/1' }).total).toBe(w1.done);
    const page = env.dashboard.drill(SUPERVISOR, { ...q, figure: 'issued', dim: 'total', key: undefined, limit: 10 });
    expect(page).toMatchObject({ total: t.issued, truncated: true });
    expect(page.tickets).toHaveLength(10);
  });

  it('the cases behind a case figure are exactly as many as the figure, with their case numbers', () => {
    simulateDays(env, FIRST, 3, { seed: 5, endToday: '10:00', cases: true });
    const q = { office: 'all' as const, from: FIRST, to: '2025-03-06', bucket: 'day' as const };
    const c = env.dashboard.history(SUPERVISOR, q).cases;
    if (!c.available) throw new Error('case figures not available');
    const drill = (figure: (typeof CASE_FIGURES)[number], more: { dim?: 'board' | 'window' | 'staff' | 'office' | 'bucket'; key?: string } = {}) =>
      env.dashboard.drillCases(SUPERVISOR, { ...q, figure, dim: more.dim ?? 'total', key: more.key, limit: 500 });
    for (const figure of CASE_FIGURES) expect(drill(figure).total, figure).toBe(c.totals[figure]);
    const accepted = drill('accepted');
    expect(accepted.cases.every((x) => /^\S+$/.test(x.caseNo ?? '') && x.title.length > 0 && x.window.length > 0)).toBe(true);
    expect(accepted.cases[0]!.day >= accepted.cases.at(-1)!.day).toBe(true);
    const w1 = c.byWindow.find((r) => r.key === 'qihe-county/1')!;
    expect(drill('oneTimeNotices', { dim: 'window', key: 'qihe-county/1' }).total).toBe(w1.oneTimeNotices);
    const branch = c.byOffice.find((r) => r.key === 'qihe-edz')!;
    expect(drill('accepted', { dim: 'office', key: 'qihe-edz' }).total).toBe(branch.accepted);
    const g = c.byBoard.find((r) => r.key === 'G')!;
    expect(drill('instantApprovals', { dim: 'board', key: 'G' }).total).toBe(g.instantApprovals);
    const day2 = c.series.find((r) => r.key === '2025-03-04')!;
    expect(drill('decided', { dim: 'bucket', key: '2025-03-04' }).total).toBe(day2.decided);
  });
});
