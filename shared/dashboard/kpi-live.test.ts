import { describe, expect, it } from 'vitest';
import { TicketLog, issued } from '../../tests/support/ticket-events.js';
import type { WindowView } from '../hall/views.js';
import { OfficeConfig } from '../office/config.js';
import { livePanels } from './kpi-live.js';

/**
 * The live panel at 10:00 on a hand-made morning (target 10 min, alarm when a line is longer than 2).
 *
 *  windows: 1 [A,B] 王丽 open · 2 [A] 张伟 open · 3 [B] 李娜 paused (午休) · 4 [A] closed ·
 *           5 [B] signed in by the supervisor 赵敏 (does not serve applicants: shown closed)
 *  tickets: B001 taken 09:10, called at 1 09:12, started 09:13, finished 09:30 (done at window 1)
 *           A001 taken 09:40, called at 1 09:55 → window 1 "called" for 5 min
 *           A002 09:45 waiting 15 min (over target) · A003 09:52 waiting 8 · A004 09:58 waiting 2
 *           B002 09:50 waiting 10 min (exactly the target: not over)
 *
 *  Board A: 3 waiting, longest 15 min, 1 over target; served by window 1 (½, it has two boards) and
 *           window 2 (1) = 1.5 windows; estimate ⌈3 / 1.5 × 12 min (no 3 services yet: default)⌉ = 24 min.
 *  Board B: 1 waiting; window 1 only (½: window 3 is paused, window 5 is the supervisor's):
 *           ⌈1 / 0.5 × 8⌉ = 16 min.
 *  Window 2 open since its sign-in at 09:00 with nothing to do: idle 60 min while A has 3 waiting.
 */
const DAY = '2025-03-03';
const T = (hhmm: string) => Date.parse(`${DAY}T${hhmm}:00+08:00`);
const MIN = 60_000;

const office = OfficeConfig.parse({
  id: 'qihe-county',
  name: '齐河县政务服务中心',
  shortName: '县政务大厅',
  kind: 'county',
  prefix: '',
  boards: [
    { code: 'A', name: '市场准入', defaultServiceMinutes: 12 },
    { code: 'B', name: '社会事务', defaultServiceMinutes: 8 },
  ],
  windows: [1, 2, 3, 4, 5].map((no) => ({ no, boards: ({ 1: ['A', 'B'], 2: ['A'], 3: ['B'], 4: ['A'], 5: ['B'] } as Record<number, string[]>)[no]!.map((board) => ({ board, weight: 1 })) })),
  policy: { targetWaitMinutes: 10 },
});

function view(no: number, status: WindowView['status'], staff: [string, string] | null, pauseReason: string | null = null): WindowView {
  const boards = office.windows.find((w) => w.no === no)!.boards;
  return { id: `qihe-county/${no}`, no, name: `${no}号窗口`, boards, status, pauseReason, staffId: staff?.[0] ?? null, staffName: staff?.[1] ?? null };
}

function morning() {
  const W1 = 'qihe-county/1';
  const tickets = [
    new TicketLog('b1').do(issued({ board: 'B', number: 'B001' }), T('09:10')).do({ type: 'called', windowId: W1, staffId: '1001' }, T('09:12'))
      .do({ type: 'started' }, T('09:13')).do({ type: 'finished' }, T('09:30')),
    new TicketLog('a1').do(issued({ board: 'A', number: 'A001' }), T('09:40')).do({ type: 'called', windowId: W1, staffId: '1001' }, T('09:55')),
    new TicketLog('a2').do(issued({ board: 'A', number: 'A002' }), T('09:45')),
    new TicketLog('a3').do(issued({ board: 'A', number: 'A003' }), T('09:52')),
    new TicketLog('a4').do(issued({ board: 'A', number: 'A004' }), T('09:58')),
    new TicketLog('b2').do(issued({ board: 'B', number: 'B002' }), T('09:50')),
  ].map((l) => l.current);
  return livePanels({
    office,
    windows: [view(1, 'open', ['1001', '王丽']), view(2, 'open', ['1002', '张伟']), view(3, 'paused', ['1003', '李娜'], '午休'), view(4, 'closed', null), view(5, 'open', ['9001', '赵敏'])],
    lastPresenceAt: new Map([
      ['qihe-county/1', T('09:00')],
      ['qihe-county/2', T('09:00')],
    ]),
    tickets,
    now: T('10:00'),
    queueAlarmLength: 2,
    servesApplicants: (id) => id !== '9001',
  });
}

describe('live panel of a hand-made morning', () => {
  it('waiting per board, longest wait, tickets over the target and the wait estimate', () => {
    const { boards } = morning();
    expect(boards).toEqual([
      { code: 'A', name: '市场准入', waiting: 3, held: 0, overTarget: 1, longestWaitMs: 15 * MIN, effectiveWindows: 1.5, estimateMinutes: 24 },
      { code: 'B', name: '社会事务', waiting: 1, held: 0, overTarget: 0, longestWaitMs: 10 * MIN, effectiveWindows: 0.5, estimateMinutes: 16 },
    ]);
  });

  it('each window: status, clerk, its current ticket and how long it has run, idle time, services done', () => {
    const w = morning().windows;
    expect(w.map((x) => [x.no, x.status, x.staffName, x.current?.number ?? null, x.current?.elapsedMs ?? null, x.idleMs, x.doneToday])).toEqual([
      [1, 'called', '王丽', 'A001', 5 * MIN, null, 1],
      [2, 'idle', '张伟', null, null, 60 * MIN, 0],
      [3, 'paused', '李娜', null, null, null, 0],
      [4, 'closed', null, null, null, null, 0],
      [5, 'closed', '赵敏', null, null, null, 0],
    ]);
    expect(w[2]!.pauseReason).toBe('午休');
    expect(w[4]!.pauseReason).toContain('大厅负责人');
  });

  it('alarms: a wait over the target, a line over the set length, a window idle while its board waits', () => {
    expect(morning().alarms.map((a) => [a.kind, a.board ?? a.windowId, a.message])).toEqual([
      ['wait_over_target', 'A', 'A 市场准入：1 人等待超过 10 分钟，最长已等 15 分钟'],
      ['queue_too_long', 'A', 'A 市场准入：排队 3 人，超过设定的 2 人'],
      ['idle_window', 'qihe-county/2', '2号窗口（张伟）已空闲 60 分钟，其办理的 A 板块有 3 人等待'],
    ]);
  });

  it('suggestions: open the closed window for A, bring the paused window back for B', () => {
    expect(morning().suggestions.map((s) => [s.kind, s.board, s.windowId, s.message])).toEqual([
      ['open_window', 'A', 'qihe-county/4', 'A 市场准入排队 3 人，预计等待约 24 分钟，超过 10 分钟目标：建议开放4号窗口'],
      ['open_window', 'B', 'qihe-county/3', 'B 社会事务排队 1 人，预计等待约 16 分钟，超过 10 分钟目标：建议3号窗口（李娜）恢复服务'],
    ]);
  });

  it('suggests pausing a window idle for 15 minutes whose boards nobody waits for and others serve', () => {
    const W = (no: number, boards: string[], staff: string): WindowView => ({
      id: `qihe-county/${no}`, no, name: `${no}号窗口`, boards: boards.map((board) => ({ board, weight: 1 })), status: 'open', pauseReason: null, staffId: staff, staffName: staff,
    });
    const r = livePanels({
      office,
      windows: [W(1, ['A', 'B'], '1001'), W(2, ['A'], '1002')],
      lastPresenceAt: new Map([['qihe-county/1', T('09:55')], ['qihe-county/2', T('09:30')]]),
      tickets: [],
      now: T('10:00'),
      queueAlarmLength: 20,
      servesApplicants: () => true,
    });
    // Window 2 idle 30 min, A served by window 1 too → pause it; window 1 idle only 5 min → nothing.
    expect(r.suggestions.map((s) => [s.kind, s.windowId])).toEqual([['close_window', 'qihe-county/2']]);
    expect(r.alarms).toEqual([]);
  });
});
