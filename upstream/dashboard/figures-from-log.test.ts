import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
 * "Every figure is computed from the ticket and window logs, so the same figure comes out live or
 * re-derived": the hall's fast path (per-day tables kept lazily, today from the projections) against
 * a re-derivation from nothing but the raw logs (every ticket's events folded through the reducer,
 * every window event folded through the presence rules).
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
      const built = buildDay(office, day, states, start);
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

describe('dashboard figures equal a re-derivation from the raw logs', () => {
  it('three closed days and today so far, county with its branch, by day and by week', () => {
    simulateDays(env, FIRST, 3, { seed: 11, endToday: '11:30' });
    const today = '2025-03-06';
    for (const bucket of ['day', 'week'] as const) {
      const fast = env.dashboard.summary(SUPERVISOR, { office: 'all', from: FIRST, to: today, bucket }).summary;
      expect(fast).toEqual(rederive(FIRST, today, bucket, ['qihe-county', 'qihe-edz']));
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
});
