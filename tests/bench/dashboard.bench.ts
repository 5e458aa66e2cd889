/**
 * Dashboard benchmark: a year of a county hall and its branch — 1,000,000 tickets by default, each a
 * real event log folded by the ticket reducer, written straight into a temporary hall database in
 * big transactions together with the windows' sign-in / pause log — then the supervisor's figures:
 *
 *   kpi_today_ms  the live panel of the county hall + today's figures of the county with its branch
 *   kpi_year_ms   365 days of figures by month, by board / window / clerk / office, county + branch
 *
 * Each is the median of 7 runs after one warm-up. The per-day tables are built once before (their
 * one-time build from the log is reported as aggregate_build_ms). Last line: one JSON object.
 *
 * Timings are wall-clock medians; the CPU time the process itself used is printed next to them
 * (on a shared machine the wall clock also counts time spent waiting for a core).
 *
 *   node --import tsx tests/bench/dashboard.bench.ts [--tickets 1000000] [--days 365] [--keep] [--db DIR]
 *   --keep leaves the database in its temporary folder; --db DIR times an existing one (no loading).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addDays, dayStartMs } from '../../shared/dashboard/period.js';
import type { WindowView } from '../../shared/hall/views.js';
import { windowId, windowLabel } from '../../shared/office/config.js';
import { formatTicketNumber } from '../../shared/queue/numbering.js';
import { applyTicketEvent } from '../../shared/queue/ticket-reducer.js';
import type { TicketAction, TicketEvent, TicketState } from '../../shared/queue/types.js';
import { loadHallConfig } from '../../upstream/config.js';
import { DashboardService } from '../../upstream/dashboard/service.js';
import { rng } from '../../upstream/dashboard/simulate.js';
import { openHallStore } from '../../upstream/store/hall-store.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const TICKETS = arg('tickets', 1_000_000);
const DAYS = arg('days', 365);
const MIN = 60_000;

const config = loadHallConfig();
const tz = config.timeZone;
const TODAY = '2026-03-02';
const NOW = Date.parse(`${TODAY}T11:00:00+08:00`);
const FIRST = addDays(TODAY, -(DAYS - 1));
const reuse = args.includes('--db') ? args[args.indexOf('--db') + 1]! : null;
const dir = reuse ?? mkdtempSync(path.join(os.tmpdir(), 'onewindow-bench-dash-'));

// The hall's schema: every migration, the dashboard's tables included.
openHallStore(dir, () => NOW).close();
const db = new Database(path.join(dir, 'hall.db'));
db.pragma('journal_mode = WAL');

const rand = rng(2026);
const staffOf = (office: string, no: number) => (office === 'qihe-county' ? (no <= 3 ? `100${no}` : `c${String(no).padStart(3, '0')}`) : no === 1 ? '2001' : `k${String(no).padStart(3, '0')}`);

function load(): number {
  const started = performance.now();
  db.pragma('synchronous = OFF');
  const insEvent = db.prepare('INSERT INTO ticket_event (seq, event_id, ticket_id, office, business_date, type, at, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insTicket = db.prepare('INSERT INTO ticket (ticket_id, office, business_date, status, last_seq, json) VALUES (?, ?, ?, ?, ?, ?)');
  const insWindow = db.prepare('INSERT INTO window_event (window_id, type, at, json) VALUES (?, ?, ?, ?)');
  let seq = 0;
  let made = 0;
  // Today (until 11:00) gets about 30 % of a day's tickets, the past days share the rest evenly.
  const todayCount = Math.round((TICKETS / DAYS) * 0.3);
  const past = TICKETS - todayCount;
  const countOf = (d: number) => (d === DAYS - 1 ? todayCount : Math.floor((past * (d + 1)) / (DAYS - 1)) - Math.floor((past * d) / (DAYS - 1)));
  const dayRun = db.transaction((day: string, count: number, isToday: boolean) => {
    const start = dayStartMs(day, tz);
    const counters = new Map<string, number>();
    const end = isToday ? NOW : start + 17.5 * 60 * MIN;
    for (const o of config.offices) {
      for (const w of o.windows) {
        const id = windowId(o.id, w.no);
        const staffId = staffOf(o.id, w.no);
        const presence: Array<[string, number]> = [['signed_in', 8.5], ['paused', 12], ['unpaused', 13.5], ['signed_out', 17.5]];
        for (const [type, h] of presence) {
          const at = start + h * 60 * MIN;
          if (at <= end) insWindow.run(id, type, at, JSON.stringify({ staffId }));
        }
      }
    }
    for (let i = 0; i < count; i++) {
      const office = rand() < 0.8 ? config.offices[0]! : config.offices[1]!;
      const board = office.boards[Math.floor(rand() * office.boards.length)]!.code;
      const servers = office.windows.filter((w) => w.boards.some((b) => b.board === board));
      const w = servers[Math.floor(rand() * servers.length)]!;
      const n = (counters.get(`${office.id}${board}`) ?? 0) + 1;
      counters.set(`${office.id}${board}`, n);
      const span = isToday ? (NOW - start) / 3_600_000 - 8.6 : 8.4;
      const hour = 8.5 + Math.min(span, Math.abs((rand() + rand() + rand()) / 3 - 0.5) * 2 * span);
      const issuedAt = start + Math.floor(hour * 60 * MIN + rand() * MIN);
      const ticketId = `t${seq}`;
      const actor = { kind: 'clerk' as const, staffId: staffOf(office.id, w.no), windowId: windowId(office.id, w.no) };
      const log: Array<[number, TicketAction]> = [
        [issuedAt, { type: 'issued', office: office.id, board, number: formatTicketNumber(office.prefix, board, n), priority: 'normal', recallLimit: 2, orderKey: seq + 1, businessDate: day }],
      ];
      let t = issuedAt + Math.floor(-Math.log(1 - rand()) * 8 * MIN);
      const fate = rand();
      if (fate < 0.06) log.push([t, { type: 'cancelled', reason: '申请人离开' }]);
      else {
        log.push([t, { type: 'called', windowId: actor.windowId, staffId: actor.staffId }]);
        if (fate < 0.12) log.push([t + 3 * MIN, { type: 'no_show' }]);
        else {
          log.push([(t += MIN), { type: 'started' }]);
          log.push([(t += Math.floor((3 + rand() * 17) * MIN)), { type: 'finished' }]);
          const r = rand();
          if (r < 0.6) log.push([t + MIN, r < 0.03 ? { type: 'rated', level: 1 + Math.floor(rand() * 2), reason: '等待时间太长' } : { type: 'rated', level: 3 + Math.floor(rand() * 3) }]);
        }
      }
      let state: TicketState | undefined;
      for (const [at, action] of log) {
        if (at > end) break;
        seq += 1;
        const e: TicketEvent = { eventId: `s${seq}`, ticketId, at, actor: action.type === 'issued' ? { kind: 'kiosk' } : action.type === 'rated' ? { kind: 'evaluator', windowId: actor.windowId } : actor, action };
        const r = applyTicketEvent(state, e);
        if (!r.ok) throw new Error(r.reason);
        state = r.state;
        insEvent.run(seq, e.eventId, ticketId, office.id, day, action.type, at, JSON.stringify(e));
      }
      if (state) {
        insTicket.run(ticketId, office.id, day, state.status, seq, JSON.stringify(state));
        made += 1;
      }
    }
  });
  for (let d = 0; d < DAYS; d++) {
    const day = addDays(FIRST, d);
    const isToday = day === TODAY;
    dayRun(day, countOf(d), isToday);
    if (d % 30 === 0) process.stdout.write(`  loaded ${day}: ${made} tickets, ${seq} events\n`);
  }
  db.pragma('synchronous = FULL');
  console.log(`loaded ${made} tickets (${seq} events) over ${DAYS} days in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return made;
}

function windowsOf(office: string): WindowView[] {
  const o = config.offices.find((x) => x.id === office)!;
  return o.windows.map((w) => {
    const staffId = staffOf(office, w.no);
    return { id: windowId(office, w.no), no: w.no, name: windowLabel(w), boards: w.boards, status: 'open', pauseReason: null, staffId, staffName: staffId };
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Median wall-clock and CPU ms of `runs` runs after a warm-up. */
function time(fn: () => unknown, runs = 7): { wall: number; cpu: number } {
  fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const c0 = cpuMs();
    fn();
    cpu.push(cpuMs() - c0);
    wall.push(performance.now() - t0);
  }
  return { wall: Math.round(median(wall) * 10) / 10, cpu: Math.round(median(cpu) * 10) / 10 };
}

const tickets = reuse ? (db.prepare('SELECT COUNT(*) AS n FROM ticket').get() as { n: number }).n : load();
const dashboard = new DashboardService({
  db,
  transaction: (fn) => db.transaction(fn)(),
  config,
  now: () => NOW,
  windows: windowsOf,
  presence: () => [],
});
const t0 = performance.now();
const yearQuery = { office: 'all', from: FIRST, to: TODAY, bucket: 'month' as const };
dashboard.history('9001', yearQuery);
const buildMs = Math.round(performance.now() - t0);
console.log(`per-day tables built from the log once in ${buildMs} ms`);

const todayMs = time(() => {
  dashboard.live('9001', { office: 'qihe-county', queueAlarmLength: 20 });
  dashboard.history('9001', { office: 'all', from: TODAY, to: TODAY, bucket: 'day' });
});
const year = dashboard.history('9001', yearQuery);
const yearMs = time(() => dashboard.history('9001', yearQuery));
const t = year.totals;
console.log(
  `year: ${t.issued} tickets, avg wait ${((t.waitAvgMs ?? 0) / MIN).toFixed(1)} min, p90 ${((t.waitP90Ms ?? 0) / MIN).toFixed(1)} min, within target ${((t.withinTargetShare ?? 0) * 100).toFixed(1)} %, ` +
    `satisfaction ${((t.satisfactionRate ?? 0) * 100).toFixed(1)} %, ${year.byWindow.length} windows, ${year.byStaff.length} clerks, ${year.series.length} months`,
);
console.log(`kpi today ${todayMs.wall} ms (cpu ${todayMs.cpu} ms; target ≤ 50), kpi year ${yearMs.wall} ms (cpu ${yearMs.cpu} ms; target ≤ 300)`);
console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
db.close();
if (!args.includes('--keep') && !reuse) rmSync(dir, { recursive: true, force: true });
else console.log(`database kept in ${dir}`);
console.log(
  JSON.stringify({ tickets, kpi_today_ms: todayMs.wall, kpi_year_ms: yearMs.wall, kpi_today_cpu_ms: todayMs.cpu, kpi_year_cpu_ms: yearMs.cpu, aggregate_build_ms: buildMs }),
);
