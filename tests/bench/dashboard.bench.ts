/**
 * Dashboard benchmark: a year of a county hall and its branch — 1,000,000 tickets by default, each a
 * real event log folded by the ticket reducer (with the wait quoted at issue), and 50,000 cases, each
 * a real case log folded by the case reducer (accepted, notices, 秒批, 跨域, decisions days later,
 * escalations), written straight into a temporary hall database in big transactions together with
 * the windows' sign-in / pause log — then the supervisor's figures:
 *
 *   kpi_today_ms  the live panel of the county hall + today's figures of the county with its branch
 *   kpi_year_ms   365 days of figures by month, by board / window / clerk / office, county + branch,
 *                 tickets, quoted waits and cases (case_year_ms: the case figures' share of it)
 *
 * Each is the median of 7 runs after one warm-up. The per-day tables are built once before (their
 * one-time build from the log is reported as aggregate_build_ms, the case facts' part of it as
 * case_build_ms). Last line: one JSON object.
 *
 * Timings are wall-clock medians; the CPU time the process itself used is printed next to them
 * (on a shared machine the wall clock also counts time spent waiting for a core).
 *
 *   node --import tsx tests/bench/dashboard.bench.ts [--tickets 1000000] [--cases 50000] [--days 365] [--keep] [--db DIR]
 *   --keep leaves the database in its temporary folder; --db DIR times an existing one (no loading).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyCaseEvent } from '../../shared/case/case-reducer.js';
import type { CaseAction, CaseEvent, CaseState } from '../../shared/case/types.js';
import { loadCatalogDir } from '../../shared/catalog/node-loader.js';
import { catalogBoards } from '../../shared/dashboard/case-facts.js';
import { addDays, dayStartMs } from '../../shared/dashboard/period.js';
import type { WindowView } from '../../shared/hall/views.js';
import { kpiLabels } from '../../shared/dashboard/labels.js';
import { windowId, windowLabel } from '../../shared/office/config.js';
import { formatTicketNumber } from '../../shared/queue/numbering.js';
import { applyTicketEvent } from '../../shared/queue/ticket-reducer.js';
import type { TicketAction, TicketEvent, TicketState } from '../../shared/queue/types.js';
import { defaultCatalogDir, loadHallConfig } from '../../upstream/config.js';
import { HallCaseKpis } from '../../upstream/dashboard/case-kpi.js';
import { DashboardService } from '../../upstream/dashboard/service.js';
import { rng } from '../../upstream/dashboard/simulate.js';
import { openHallStore } from '../../upstream/store/hall-store.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const TICKETS = arg('tickets', 1_000_000);
const CASES = arg('cases', 50_000);
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
      const wait = Math.floor(-Math.log(1 - rand()) * 8 * MIN);
      // The kiosk's estimate: right on average, off by up to ±60 %; none at 3 % (no window serving then).
      const quote = rand() < 0.03 ? {} : { quotedWaitMinutes: Math.round((wait / MIN) * (0.4 + 1.2 * rand())) };
      const log: Array<[number, TicketAction]> = [
        [issuedAt, { type: 'issued', office: office.id, board, number: formatTicketNumber(office.prefix, board, n), priority: 'normal', recallLimit: 2, orderKey: seq + 1, businessDate: day, ...quote }],
      ];
      let t = issuedAt + wait;
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

/** Matters and bundles the bench's cases are for, by board. */
const SUBJECTS: Array<{ kind: 'matter' | 'bundle'; code: string; title: string; board: string; instant: boolean }> = [
  { kind: 'bundle', code: 'enterprise-opening', title: '企业开办', board: 'A', instant: false },
  { kind: 'matter', code: '37142500-XZSP-003', title: '个体工商户设立登记', board: 'A', instant: true },
  { kind: 'bundle', code: 'newborn', title: '新生儿出生一件事', board: 'B', instant: false },
  { kind: 'bundle', code: 'industrial-land-to-construction', title: '工业项目拿地即开工', board: 'C', instant: false },
  { kind: 'bundle', code: 'retirement', title: '退休一件事', board: 'D', instant: false },
  { kind: 'bundle', code: 'property-transfer', title: '不动产转移登记（二手房）', board: 'E', instant: false },
  { kind: 'matter', code: '37142500-GJJ-001', title: '单位住房公积金缴存登记', board: 'F', instant: true },
  { kind: 'matter', code: '37142500-SW-001', title: '新办纳税人信息确认', board: 'G', instant: true },
];

/** CASES case logs over the year (today: 30 % of a day's), each folded through the case reducer. */
function loadCases(): number {
  const started = performance.now();
  db.pragma('synchronous = OFF');
  const insEvent = db.prepare('INSERT INTO case_event (seq, event_id, case_id, office, key, type, at, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insCase = db.prepare(
    'INSERT INTO "case" (case_id, office, status, last_seq, json, case_no, opened_date, staff_id, window_id, ticket_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)',
  );
  let seq = 0;
  let made = 0;
  const numbers = new Map<string, number>();
  const todayCount = Math.round((CASES / DAYS) * 0.3);
  const countOf = (d: number) => (d === DAYS - 1 ? todayCount : Math.floor(((CASES - todayCount) * (d + 1)) / (DAYS - 1)) - Math.floor(((CASES - todayCount) * d) / (DAYS - 1)));
  const dayRun = db.transaction((day: string, count: number) => {
    const start = dayStartMs(day, tz);
    for (let i = 0; i < count; i++) {
      const office = rand() < 0.8 ? config.offices[0]! : config.offices[1]!;
      const w = office.windows[Math.floor(rand() * office.windows.length)]!;
      const choices = SUBJECTS.filter((x) => w.boards.some((b) => b.board === x.board));
      const subject = choices[Math.floor(rand() * choices.length)]!;
      const actor = { office: office.id, windowId: windowId(office.id, w.no), staffId: staffOf(office.id, w.no) };
      const caseId = `c-bench-${made}`;
      const at = start + Math.floor((8.6 + rand() * (day === TODAY ? 2.3 : 8)) * 60 * MIN);
      const no = (numbers.get(office.id) ?? 0) + 1;
      numbers.set(office.id, no);
      const onBehalf = rand() < 0.08;
      const log: Array<[number, CaseAction]> = [
        [at, { type: 'opened', subject: { kind: subject.kind, code: subject.code }, title: subject.title, provisionalNo: `临-${made}`, catalogVersion: null, ...(onBehalf ? { onBehalfOf: { jurisdiction: '济南市历下区', scope: '全省通办' } } : {}) }],
        [at, { type: 'numbered', caseNo: `${office.id === 'qihe-county' ? 'QH' : 'KF'}-${day.slice(0, 4)}-${String(no).padStart(6, '0')}` }],
      ];
      const fate = rand();
      const later = (days: number) => Math.max(at + 30 * MIN, dayStartMs(addDays(day, days), tz) + Math.floor((9 + rand() * 7) * 60 * MIN));
      if (fate < 0.7) {
        const days = subject.instant ? 0 : 1 + Math.floor(rand() * 5);
        log.push([at + 10 * MIN, { type: 'accepted', matters: ['37142500-XZSP-002'], promisedDate: addDays(day, days), overrides: [] }]);
        if (onBehalf) log.push([at + 10 * MIN, { type: 'forwarded', target: '济南市历下区行政审批服务局' }]);
        if (subject.instant && rand() < 0.7) log.push([at + 10 * MIN, { type: 'approved', automated: { rulesVersion: 'rules-2026.1' } }]);
        else if (rand() < 0.95) log.push([later(Math.max(0, days - 1 + Math.floor(rand() * 3))), rand() < 0.9 ? { type: 'approved' } : { type: 'refused', reason: '不符合法定条件' }]);
      } else if (fate < 0.9) {
        log.push([at + 8 * MIN, { type: 'notice_issued', items: [{ materialId: 'applicant.idCard', problem: 'missing', detail: '缺少身份证原件' }] }]);
      } else if (fate < 0.96) log.push([at + 8 * MIN, { type: 'not_accepted', reason: '不属于本大厅受理范围' }]);
      else log.push([at + 5 * MIN, { type: 'discarded', reason: '申请人暂不办理' }]);
      if (fate < 0.96 && rand() < 0.03) {
        log.push([at + 20 * MIN, { type: 'escalated', reason: '多次往返未办成', owner: '办不成事窗口' }]);
        if (rand() < 0.8) log.push([later(1), { type: 'escalation_resolved', resolution: '已协调办结' }]);
      }
      log.sort((a, b) => a[0] - b[0]);
      let state: CaseState | undefined;
      for (const [t, action] of log) {
        if (t > NOW) break;
        seq += 1;
        const e: CaseEvent = { eventId: `s${seq}`, caseId, key: `bench-${seq}`, at: t, actor, action };
        const r = applyCaseEvent(state, e);
        if (!r.ok) throw new Error(r.reason);
        state = r.state;
        insEvent.run(seq, e.eventId, caseId, office.id, e.key, action.type, t, JSON.stringify(e));
      }
      insCase.run(caseId, office.id, state!.status, seq, JSON.stringify(state), state!.caseNo ?? null, day, actor.staffId, actor.windowId);
      made += 1;
    }
  });
  for (let d = 0; d < DAYS; d++) dayRun(addDays(FIRST, d), countOf(d));
  db.pragma('synchronous = FULL');
  console.log(`loaded ${made} cases (${seq} events) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
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
const cases = reuse ? (db.prepare('SELECT COUNT(*) AS n FROM "case"').get() as { n: number }).n : loadCases();
const catalog = loadCatalogDir(defaultCatalogDir());
if (!catalog.ok) throw new Error('the repository catalog does not validate');
const transaction = <T>(fn: () => T): T => db.transaction(fn)();
const caseKpis = new HallCaseKpis({ db, transaction, now: () => NOW, timeZone: tz, boardOf: catalogBoards(catalog.catalog) });
const dashboard = new DashboardService({ db, transaction, config, now: () => NOW, windows: windowsOf, presence: () => [], cases: caseKpis });
const t0 = performance.now();
caseKpis.catchUp();
const caseBuildMs = Math.round(performance.now() - t0);
const yearQuery = { office: 'all', from: FIRST, to: TODAY, bucket: 'month' as const };
dashboard.history('9001', yearQuery);
const buildMs = Math.round(performance.now() - t0);
console.log(`per-day tables built from the log once in ${buildMs} ms (case facts ${caseBuildMs} ms)`);

const todayMs = time(() => {
  dashboard.live('9001', { office: 'qihe-county', queueAlarmLength: 20 });
  dashboard.history('9001', { office: 'all', from: TODAY, to: TODAY, bucket: 'day' });
});
const year = dashboard.history('9001', yearQuery);
const yearMs = time(() => dashboard.history('9001', yearQuery));
const caseYearMs = time(() => caseKpis.figures({ offices: ['qihe-county', 'qihe-edz'], from: FIRST, to: TODAY, bucket: 'month', today: TODAY, labels: kpiLabels(config, 2) }));
const t = year.totals;
const c = year.cases.available ? year.cases.totals : undefined;
const q = year.quoted.totals;
console.log(
  `cases: ${c?.accepted} accepted, ${c?.oneTimeNotices} one-time notices, ${c?.instantApprovals} 秒批, ${c?.crossRegion} cross-region, ${c?.escalations} escalations (${c?.escalationsOpen} open), ` +
    `${c?.decided} decided (${c?.decidedOnTime} on time), ${c?.overdue} overdue; quoted: ${q.quoted} of ${q.called} called, MAE ${((q.maeMs ?? 0) / MIN).toFixed(1)} min, kept ${((q.keptShare ?? 0) * 100).toFixed(1)} %`,
);
console.log(
  `year: ${t.issued} tickets, avg wait ${((t.waitAvgMs ?? 0) / MIN).toFixed(1)} min, p90 ${((t.waitP90Ms ?? 0) / MIN).toFixed(1)} min, within target ${((t.withinTargetShare ?? 0) * 100).toFixed(1)} %, ` +
    `satisfaction ${((t.satisfactionRate ?? 0) * 100).toFixed(1)} %, ${year.byWindow.length} windows, ${year.byStaff.length} clerks, ${year.series.length} months`,
);
console.log(`kpi today ${todayMs.wall} ms (cpu ${todayMs.cpu} ms; target ≤ 50), kpi year ${yearMs.wall} ms (cpu ${yearMs.cpu} ms; target ≤ 300), of which cases ${caseYearMs.wall} ms`);
console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
db.close();
if (!args.includes('--keep') && !reuse) rmSync(dir, { recursive: true, force: true });
else console.log(`database kept in ${dir}`);
console.log(
  JSON.stringify({
    tickets,
    cases,
    kpi_today_ms: todayMs.wall,
    kpi_year_ms: yearMs.wall,
    kpi_today_cpu_ms: todayMs.cpu,
    kpi_year_cpu_ms: yearMs.cpu,
    case_year_ms: caseYearMs.wall,
    aggregate_build_ms: buildMs,
    case_build_ms: caseBuildMs,
  }),
);
