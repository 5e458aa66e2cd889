import { addDays, dayStartMs } from '../../shared/dashboard/period.js';
import { CaseSim } from './simulate-cases.js';
import type { Clerk, DashboardEnv } from './testing.js';

/**
 * Test support: ordinary hall days driven through the real queue engine, minute by minute, with a
 * seeded random source: arrivals, calls, no-shows, holds, transfers, cancellations, services of
 * varying length, ratings (some low, with a reason), a lunch pause, and one clerk who forgets to
 * sign out; with `cases`, the cases of those services too (simulate-cases.ts). Deterministic for a seed.
 */
export interface SimWindow {
  windowId: string;
  staffId: string;
  boards: string[];
  office: string;
}

export const SIM_WINDOWS: SimWindow[] = [
  { windowId: 'qihe-county/1', staffId: '1001', boards: ['A', 'B'], office: 'qihe-county' },
  { windowId: 'qihe-county/2', staffId: '1002', boards: ['A', 'B'], office: 'qihe-county' },
  { windowId: 'qihe-county/3', staffId: '1003', boards: ['A', 'B'], office: 'qihe-county' },
  { windowId: 'qihe-edz/1', staffId: '2001', boards: ['A', 'G'], office: 'qihe-edz' },
];

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Desk {
  w: SimWindow;
  clerk: Clerk;
  ticket: string | null;
  phase: 'called' | 'serving' | 'held';
  until: number;
}

const MIN = 60_000;

/**
 * Runs `days` business days from `firstDay` (08:30–17:00 each), then, if `endToday` is given, the
 * following day up to that time ("HH:MM"), leaving tickets open and windows signed in.
 */
export function simulateDays(env: DashboardEnv, firstDay: string, days: number, opts: { seed?: number; perHour?: number; endToday?: string; cases?: boolean } = {}): void {
  const rand = rng(opts.seed ?? 7);
  // Its own random source: the tickets of a seed are the same with or without cases.
  const cases = opts.cases ? new CaseSim(env, rng((opts.seed ?? 7) + 1)) : undefined;
  const perHour = opts.perHour ?? 10;
  const tz = env.config.timeZone;
  const total = days + (opts.endToday ? 1 : 0);
  for (let d = 0; d < total; d++) {
    const day = addDays(firstDay, d);
    const start = dayStartMs(day, tz);
    const last = d === days;
    const end = last ? Date.parse(`${day}T${opts.endToday}:00+08:00`) : start + 17 * 60 * MIN;
    env.clock.t = Math.max(env.clock.t, start + 8.5 * 60 * MIN);
    cases?.dayStart();
    const desks: Desk[] = SIM_WINDOWS.map((w) => ({ w, clerk: env.clerk(w.windowId, w.staffId), ticket: null, phase: 'called', until: 0 }));
    // Window 3's clerk forgets to sign out on the first day: the session carries over to the second.
    const forgot = (k: Desk) => d === 0 && k.w.windowId === 'qihe-county/3';
    for (const k of desks) if (!(d === 1 && k.w.windowId === 'qihe-county/3')) k.clerk.signIn();
    const waiting: string[] = [];
    while (env.clock.t < end) {
      env.clock.advance(MIN);
      const now = env.clock.t;
      const minuteOfDay = Math.round((now - start) / MIN);
      if (rand() < perHour / 60) {
        const branch = rand() < 0.2;
        waiting.push(env.issue(rand() < 0.6 ? 'A' : branch ? 'G' : 'B', branch ? 'qihe-edz' : 'qihe-county'));
      }
      if (waiting.length > 3 && rand() < 0.03) {
        const id = waiting.shift()!;
        const desk = desks[0]!;
        try {
          desk.clerk.act(id, { type: 'cancelled', reason: '申请人离开' });
        } catch {
          // called meanwhile: nothing to cancel
        }
      }
      for (const k of desks) {
        if (k.w.windowId === 'qihe-county/1' && minuteOfDay === 12 * 60) k.clerk.pause('午休');
        if (k.w.windowId === 'qihe-county/1' && minuteOfDay === 13 * 60) k.clerk.unpause();
        if (k.w.windowId === 'qihe-county/1' && minuteOfDay >= 12 * 60 && minuteOfDay < 13 * 60) continue;
        step(k, rand, now, cases);
      }
    }
    if (!last) {
      for (const k of desks) {
        if (k.ticket && k.phase !== 'held') {
          k.clerk.act(k.ticket, k.phase === 'called' ? { type: 'no_show' } : { type: 'finished' });
          k.ticket = null;
        }
        if (!forgot(k)) k.clerk.signOut();
      }
    }
  }
  env.settle();
}

function step(k: Desk, rand: () => number, now: number, cases: CaseSim | undefined): void {
  if (k.ticket === null) {
    const id = k.clerk.callNext();
    if (id) Object.assign(k, { ticket: id, phase: 'called', until: now + MIN });
    return;
  }
  if (now < k.until) return;
  const id = k.ticket;
  if (k.phase === 'called') {
    if (rand() < 0.06) {
      k.clerk.act(id, { type: 'no_show' });
      k.ticket = null;
    } else {
      k.clerk.act(id, { type: 'started' });
      Object.assign(k, { phase: 'serving', until: now + (3 + Math.floor(rand() * 14)) * MIN });
    }
    return;
  }
  if (k.phase === 'held') {
    k.clerk.act(id, { type: 'resumed' });
    Object.assign(k, { phase: 'serving', until: now + 3 * MIN });
    return;
  }
  const r = rand();
  if (r < 0.05) {
    k.clerk.act(id, { type: 'held', kind: 'with_materials' });
    Object.assign(k, { phase: 'held', until: now + 5 * MIN });
  } else if (r < 0.08 && k.w.office === 'qihe-county') {
    k.clerk.act(id, { type: 'transferred', toBoard: k.w.boards.includes('B') ? 'D' : 'B', position: 'back' });
    k.ticket = null;
  } else {
    k.clerk.act(id, { type: 'finished', ...(rand() < 0.5 ? { caseNo: `QH${now}` } : {}) });
    k.ticket = null;
    cases?.finished(k.w, id);
    const p = rand();
    if (p < 0.7) k.clerk.rate(p < 0.06 ? 1 : p < 0.12 ? 2 : p < 0.2 ? 3 : p < 0.35 ? 4 : 5, p < 0.12 ? '等待时间太长' : undefined);
  }
}
