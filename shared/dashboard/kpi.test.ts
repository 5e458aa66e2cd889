import { describe, expect, it } from 'vitest';
import { TicketLog, issued } from '../../tests/support/ticket-events.js';
import { buildDay } from './day.js';
import { summarise, type KpiLabels } from './kpi-history.js';
import { dayStartMs } from './period.js';
import { staffedTime, type WindowLogEvent } from './presence.js';

/**
 * A small hand-made day at the county hall (2025-03-03, target 10 minutes), every figure worked out
 * by hand below. Times are local (+08:00).
 *
 *  ticket | board | taken | called (window, clerk) | what then                         | wait | service | rating
 *  A001   | A     | 09:00 | 09:04 (1, 1001)        | start 09:05, finish 09:17          |  4   | 12      | 5
 *  A002   | A     | 09:02 | 09:17 (1, 1001)        | start 09:18, finish 09:26          | 15   |  8      | 2 等待太久
 *  B001   | B     | 09:05 | 09:06 (2, 1002)        | start 09:07, hold 09:10, resume 09:20, finish 09:25 | 1 | 25−7−10 = 8 | 4
 *  A003   | A     | 09:10 | 09:26 (1, 1001)        | no-show 09:28                      | 16   |  –      | –
 *  B002   | B     | 09:12 | –                      | cancelled 09:40 (left)             |  –   |  –      | –
 *  B003   | B     | 10:05 | 10:11 (2, 1002)        | start 10:11, finish 10:31          |  6   | 20      | –
 *  A004   | A     | 10:30 | 10:40 (1, 1001)        | start 10:41, finish 10:44          | 10   |  3      | 3
 *  A005   | A     | 11:00 | –                      | still waiting at the end of the day|  –   |  –      | –
 *
 * Windows: 1 — 1001 signs in 08:55, pauses 10:00–10:20, signs out 11:00: staffed 65 + 40 = 105 min;
 *          2 — 1002 signs in 09:00, signs out 11:00: staffed 120 min.
 */
const DAY = '2025-03-03';
const OFFICE = 'qihe-county';
const MIN = 60_000;
const T = (hhmm: string) => Date.parse(`${DAY}T${hhmm}:00+08:00`);
const W1 = 'qihe-county/1';
const W2 = 'qihe-county/2';

function handMadeDay() {
  const tickets = [
    new TicketLog('t1').do(issued({ board: 'A', number: 'A001' }), T('09:00'))
      .do({ type: 'called', windowId: W1, staffId: '1001' }, T('09:04')).do({ type: 'started' }, T('09:05'))
      .do({ type: 'finished' }, T('09:17')).do({ type: 'rated', level: 5 }, T('09:18')),
    new TicketLog('t2').do(issued({ board: 'A', number: 'A002' }), T('09:02'))
      .do({ type: 'called', windowId: W1, staffId: '1001' }, T('09:17')).do({ type: 'started' }, T('09:18'))
      .do({ type: 'finished' }, T('09:26')).do({ type: 'rated', level: 2, reason: '等待太久' }, T('09:27')),
    new TicketLog('t3').do(issued({ board: 'B', number: 'B001' }), T('09:05'))
      .do({ type: 'called', windowId: W2, staffId: '1002' }, T('09:06')).do({ type: 'started' }, T('09:07'))
      .do({ type: 'held', kind: 'without_materials' }, T('09:10')).do({ type: 'resumed', windowId: W2, staffId: '1002' }, T('09:20'))
      .do({ type: 'finished' }, T('09:25')).do({ type: 'rated', level: 4 }, T('09:26')),
    new TicketLog('t4').do(issued({ board: 'A', number: 'A003' }), T('09:10'))
      .do({ type: 'called', windowId: W1, staffId: '1001' }, T('09:26')).do({ type: 'no_show' }, T('09:28')),
    new TicketLog('t5').do(issued({ board: 'B', number: 'B002' }), T('09:12')).do({ type: 'cancelled', reason: '离开' }, T('09:40')),
    new TicketLog('t6').do(issued({ board: 'B', number: 'B003' }), T('10:05'))
      .do({ type: 'called', windowId: W2, staffId: '1002' }, T('10:11')).do({ type: 'started' }, T('10:11'))
      .do({ type: 'finished' }, T('10:31')),
    new TicketLog('t7').do(issued({ board: 'A', number: 'A004' }), T('10:30'))
      .do({ type: 'called', windowId: W1, staffId: '1001' }, T('10:40')).do({ type: 'started' }, T('10:41'))
      .do({ type: 'finished' }, T('10:44')).do({ type: 'rated', level: 3 }, T('10:45')),
    new TicketLog('t8').do(issued({ board: 'A', number: 'A005' }), T('11:00')),
  ];
  const windowLog: WindowLogEvent[] = [
    { windowId: W1, type: 'signed_in', at: T('08:55'), staffId: '1001' },
    { windowId: W2, type: 'signed_in', at: T('09:00'), staffId: '1002' },
    { windowId: W1, type: 'paused', at: T('10:00'), staffId: '1001' },
    { windowId: W1, type: 'unpaused', at: T('10:20'), staffId: '1001' },
    { windowId: W1, type: 'signed_out', at: T('11:00'), staffId: '1001' },
    { windowId: W2, type: 'signed_out', at: T('11:00'), staffId: '1002' },
  ];
  return { states: tickets.map((t) => t.current), windowLog };
}

const labels: KpiLabels = {
  officeName: () => '县政务大厅',
  boardName: (c) => `板块${c}`,
  windowName: (_o, no) => `${no}号窗口`,
  staffName: (id) => `工号${id}`,
  targetMs: () => 10 * MIN,
};

/**
 * The waits the kiosk quoted (minutes) against the real ones, error = actual − quoted:
 *  A001 5 → 4 (−1) · A002 5 → 15 (+10) · B001 0 → 1 (+1) · A003 10 → 16 (+6) · B002 3 → never called
 *  B003 no quote (no window served B then) → 6 · A004 20 → 10 (−10) · A005 25 → still waiting.
 */
const QUOTES = new Map([
  ['t1', 5],
  ['t2', 5],
  ['t3', 0],
  ['t4', 10],
  ['t5', 3],
  ['t7', 20],
  ['t8', 25],
]);

function summary(today: string) {
  const { states, windowLog } = handMadeDay();
  const { cube } = buildDay(OFFICE, DAY, states, dayStartMs(DAY, 'Asia/Shanghai'), QUOTES);
  const staffed = staffedTime(new Map(), windowLog, { dayEnd: dayStartMs('2025-03-04', 'Asia/Shanghai'), pastDay: today > DAY }).map((s) => ({
    office: OFFICE,
    day: DAY,
    windowNo: Number(s.windowId.split('/')[1]),
    staffId: s.staffId,
    staffedMs: s.staffedMs,
  }));
  return summarise({ cubes: [cube], staffed, today, bucket: 'day', labels });
}

describe('KPIs of a hand-made day', () => {
  it('counts, waits against the 10-minute target, and service times of the whole day', () => {
    const t = summary('2025-03-04').totals;
    expect(t).toMatchObject({ issued: 8, called: 6, done: 5, noShow: 1, open: 0 });
    // Left without service: B002 cancelled + A005 still waiting when the (past) day ended.
    expect(t.left).toBe(2);
    // Waits 4, 15, 1, 16, 6, 10 → sum 52 min over 6; sorted 1 4 6 10 15 16:
    // median = rank ⌈0.5·6⌉ = 3 → 6 min; p90 = rank ⌈0.9·6⌉ = 6 → 16 min; max 16.
    expect(t.waitAvgMs).toBeCloseTo((52 / 6) * MIN, 6);
    expect(t.waitMedianMs).toBe(6 * MIN);
    expect(t.waitP90Ms).toBe(16 * MIN);
    expect(t.waitMaxMs).toBe(16 * MIN);
    // Within 10 min (10 itself counts): 1, 4, 6, 10 → 4 of 6.
    expect(t.withinTarget).toBe(4);
    expect(t.withinTargetShare).toBeCloseTo(4 / 6, 9);
    // Services 12, 8, 8 (B001: 18 min minus the 10-min hold), 20, 3 → sum 51 over 5 = 10.2 min;
    // sorted 3 8 8 12 20: median rank 3 → 8 min; p90 rank ⌈4.5⌉ = 5 → 20 min.
    expect(t.serviceAvgMs).toBeCloseTo(10.2 * MIN, 6);
    expect(t.serviceMedianMs).toBe(8 * MIN);
    expect(t.serviceP90Ms).toBe(20 * MIN);
    // No-show 1/8; left 2/8.
    expect(t.noShowRate).toBe(0.125);
    expect(t.leftRate).toBe(0.25);
  });

  it('satisfaction: share rated, 好评 rate, average level and the low ratings list', () => {
    const s = summary('2025-03-04');
    // Ratings 5, 2, 4, 3 on 5 finished services: rated 4/5; 好评 (3–5) 3 of 4; average 14/4 = 3.5.
    expect(s.totals).toMatchObject({ rated: 4, satisfied: 3, low: 1, ratedShare: 0.8, satisfactionRate: 0.75, avgRating: 3.5 });
    expect(s.lows).toEqual([
      { ticketId: 't2', number: 'A002', office: OFFICE, day: DAY, board: 'A', windowNo: 1, staffId: '1001', level: 2, reason: '等待太久' },
    ]);
  });

  it('staffed time, throughput per hour and utilisation per window and clerk', () => {
    const s = summary('2025-03-04');
    // Staffed 105 + 120 = 225 min = 3.75 h; 5 services → 1.333…/h; service 51 min / 225 min.
    expect(s.totals.staffedMs).toBe(225 * MIN);
    expect(s.totals.throughputPerHour).toBeCloseTo(5 / 3.75, 9);
    expect(s.totals.utilisation).toBeCloseTo(51 / 225, 9);
    const [w1, w2] = s.byWindow;
    // Window 1 handled A001, A002, A003 (no-show), A004: waits 4 15 16 10 → avg 11.25, median rank 2 → 10,
    // p90 rank ⌈3.6⌉ = 4 → 16; within 2 of 4; services 12 8 3 → 23 min; 3 done in 1.75 h.
    expect(w1).toMatchObject({ key: W1, label: '1号窗口', issued: 4, called: 4, done: 3, noShow: 1, withinTarget: 2, staffedMs: 105 * MIN });
    expect(w1!.waitAvgMs).toBe(11.25 * MIN);
    expect(w1!.waitMedianMs).toBe(10 * MIN);
    expect(w1!.waitP90Ms).toBe(16 * MIN);
    expect(w1!.serviceMedianMs).toBe(8 * MIN);
    expect(w1!.throughputPerHour).toBeCloseTo(3 / 1.75, 9);
    expect(w1!.utilisation).toBeCloseTo(23 / 105, 9);
    // Window 2: B001, B003; services 8 + 20 = 28 min; 2 done in 2 h.
    expect(w2).toMatchObject({ key: W2, issued: 2, done: 2, staffedMs: 120 * MIN, throughputPerHour: 1 });
    expect(w2!.utilisation).toBeCloseTo(28 / 120, 9);
    expect(s.byStaff.map((r) => [r.key, r.issued, r.staffedMs])).toEqual([
      ['1001', 4, 105 * MIN],
      ['1002', 2, 120 * MIN],
    ]);
  });

  it('by board (the board the ticket was taken for), by hour of taking, by office', () => {
    const s = summary('2025-03-04');
    // A: A001–A005 (A005 left); B: B001–B003 (B002 left).
    expect(s.byBoard.map((r) => [r.key, r.issued, r.called, r.done, r.left, r.staffedMs])).toEqual([
      ['A', 5, 4, 3, 1, null],
      ['B', 3, 2, 2, 1, null],
    ]);
    // 9 h: 5 taken, 4 called, waits 4+15+1+16 = 36 → 9 min; 10 h: B003, A004 waits 6+10 → 8 min; 11 h: A005 only.
    expect(s.hours).toEqual([
      { hour: 9, issued: 5, called: 4, waitAvgMs: 9 * MIN },
      { hour: 10, issued: 2, called: 2, waitAvgMs: 8 * MIN },
      { hour: 11, issued: 1, called: 0, waitAvgMs: null },
    ]);
    expect(s.byOffice).toHaveLength(1);
    expect(s.byOffice[0]!.issued).toBe(8);
    expect(s.series.map((r) => [r.key, r.label, r.issued])).toEqual([[DAY, '3月3日', 8]]);
  });

  it('on the day itself the ticket still waiting is open, not left', () => {
    const t = summary(DAY).totals;
    expect(t).toMatchObject({ left: 1, open: 1 });
    expect(t.leftRate).toBe(0.125);
  });
});

describe('quoted against actual wait', () => {
  it('mean absolute error, bias, within ±5 min and kept (not over the quote by more than 5 min), by board', () => {
    const q = summary('2025-03-04').quoted;
    // A: errors −1, +10, +6, −10 → |·| 27/4 = 6.75 min, bias 5/4 = 1.25 min; within ±5: A001 only;
    // kept (error ≤ 5): A001 and A004.
    expect(q.byBoard[0]).toMatchObject({ key: 'A', label: '板块A', called: 4, quoted: 4, within: 1, kept: 2, withinShare: 0.25, keptShare: 0.5 });
    expect(q.byBoard[0]!.maeMs).toBe(6.75 * MIN);
    expect(q.byBoard[0]!.biasMs).toBe(1.25 * MIN);
    // B: B001 (+1) quoted, B003 called without a quote, B002 never called.
    expect(q.byBoard[1]).toMatchObject({ key: 'B', called: 2, quoted: 1, maeMs: 1 * MIN, biasMs: 1 * MIN, within: 1, kept: 1 });
    // All: 6 called, 5 quoted; |·| 28 → 5.6 min; bias 6/5 = 1.2 min; within 2/5; kept 3/5.
    expect(q.totals).toMatchObject({ key: 'total', called: 6, quoted: 5, within: 2, kept: 3, withinShare: 0.4, keptShare: 0.6 });
    expect(q.totals.maeMs).toBeCloseTo(5.6 * MIN, 6);
    expect(q.totals.biasMs).toBeCloseTo(1.2 * MIN, 6);
    expect(q.series.map((r) => [r.key, r.quoted])).toEqual([[DAY, 5]]);
  });

  it('a day whose tickets were quoted nothing has no error to show, not a zero', () => {
    const { states } = handMadeDay();
    const { cube } = buildDay(OFFICE, DAY, states, dayStartMs(DAY, 'Asia/Shanghai'));
    const q = summarise({ cubes: [cube], staffed: [], today: '2025-03-04', bucket: 'day', labels }).quoted.totals;
    expect(q).toMatchObject({ called: 6, quoted: 0, maeMs: null, biasMs: null, withinShare: null, keptShare: null });
  });
});

describe('staffed time from the window log', () => {
  it('a session left open overnight counts from the first to the last action of a past day', () => {
    const atStart = new Map([[W1, { staffId: '1001', paused: false }]]);
    const events: WindowLogEvent[] = [
      { windowId: W1, type: 'called', at: T('09:30'), staffId: '1001' },
      { windowId: W1, type: 'paused', at: T('12:00'), staffId: '1001' },
      { windowId: W1, type: 'unpaused', at: T('13:00'), staffId: '1001' },
      { windowId: W1, type: 'ticket_action', at: T('16:00'), staffId: '1001' },
    ];
    expect(staffedTime(atStart, events, { dayEnd: T('23:59'), pastDay: true })).toEqual([
      { windowId: W1, staffId: '1001', staffedMs: (150 + 180) * MIN, pausedMs: 60 * MIN },
    ]);
    // Today the open session runs on to now.
    expect(staffedTime(atStart, events, { dayEnd: T('17:00'), pastDay: false })[0]!.staffedMs).toBe((150 + 240) * MIN);
    // A carried-over session with no action that day was not staffed.
    expect(staffedTime(atStart, [], { dayEnd: T('23:59'), pastDay: true })).toEqual([]);
  });

  it('a new sign-in at a window ends the previous clerk’s time there', () => {
    const events: WindowLogEvent[] = [
      { windowId: W1, type: 'signed_in', at: T('09:00'), staffId: '1001' },
      { windowId: W1, type: 'signed_in', at: T('10:00'), staffId: '1002' },
      { windowId: W1, type: 'signed_out', at: T('10:30'), staffId: '1002' },
    ];
    expect(staffedTime(new Map(), events, { dayEnd: T('23:59'), pastDay: true }).map((r) => [r.staffId, r.staffedMs])).toEqual([
      ['1001', 60 * MIN],
      ['1002', 30 * MIN],
    ]);
  });
});
