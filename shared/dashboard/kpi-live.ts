import type { WindowView } from '../hall/views.js';
import type { OfficeConfig } from '../office/config.js';
import { effectiveWindows, estimateWaitMinutes } from '../queue/estimate.js';
import { CALLABLE, type TicketState } from '../queue/types.js';
import type { LiveAlarm, LiveBoard, LiveSuggestion, LiveWindow } from './views.js';

/**
 * The live panel of one office, from today's ticket states (the reducer's output) and the windows'
 * presence as the hall server holds it. Pure: the same tickets and the same instant give the same view.
 *
 *  - waiting: tickets a window may call (waiting, transferred, re-queued), by the board they are in now;
 *    their wait is the time since they entered that line (`queuedAt`), as the call display shows it;
 *  - a window is closed (nobody signed in, or someone who does not serve applicants — a supervisor),
 *    paused, serving or called (with its ticket), or idle (open, no ticket);
 *  - alarms: a wait above the target; a line longer than the set length; a window idle for
 *    `idleAlarmMs` or more while people wait for one of its boards;
 *  - suggestions: open (or resume) a window serving a board whose estimated wait is above the target;
 *    pause a window idle for `closeAfterIdleMs` whose boards nobody waits for and others still serve.
 */
export interface LiveInput {
  office: OfficeConfig;
  windows: readonly WindowView[];
  /** Each window's last presence event (sign-in, unpause, ...) time, for how long it has been idle. */
  lastPresenceAt: ReadonlyMap<string, number>;
  /** Today's tickets of the office. */
  tickets: readonly TicketState[];
  now: number;
  queueAlarmLength: number;
  idleAlarmMs?: number;
  closeAfterIdleMs?: number;
  /** Whether a staff member serves applicants (clerk / branch staff) rather than only supervising. */
  servesApplicants(staffId: string): boolean;
}

export const IDLE_ALARM_MS = 2 * 60_000;
export const CLOSE_AFTER_IDLE_MS = 15 * 60_000;
const MIN_SAMPLES = 3;

/** Whole minutes, for alarms (which only speak of waits and idle times of a minute or more). */
const minutes = (ms: number) => `${Math.max(1, Math.floor(ms / 60_000))} 分钟`;

export interface LivePanels {
  boards: LiveBoard[];
  windows: LiveWindow[];
  alarms: LiveAlarm[];
  suggestions: LiveSuggestion[];
}

export function livePanels(input: LiveInput): LivePanels {
  const { office, now } = input;
  const targetMs = office.policy.targetWaitMinutes * 60_000;
  const idleAlarmMs = input.idleAlarmMs ?? IDLE_ALARM_MS;
  const closeAfterIdleMs = input.closeAfterIdleMs ?? CLOSE_AFTER_IDLE_MS;
  const tickets = input.tickets.filter((t) => t.office === office.id);

  const windows: LiveWindow[] = input.windows.map((w) => {
    const atWindow = tickets.filter((t) => t.windowId === w.id);
    const current = atWindow.find((t) => t.status === 'CALLED' || t.status === 'SERVING');
    const supervising = w.staffId !== null && !input.servesApplicants(w.staffId);
    const status = w.status === 'closed' || supervising ? 'closed' : w.status === 'paused' ? 'paused' : current ? (current.status === 'CALLED' ? 'called' : 'serving') : 'idle';
    const lastAction = Math.max(input.lastPresenceAt.get(w.id) ?? 0, ...atWindow.map((t) => t.lastEventAt));
    return {
      id: w.id,
      no: w.no,
      name: w.name,
      boards: w.boards.map((b) => b.board),
      status,
      staffId: w.staffId,
      staffName: w.staffName,
      pauseReason: supervising ? '大厅负责人登录，不办理业务' : w.pauseReason,
      current:
        current && (current.status === 'CALLED' || current.status === 'SERVING')
          ? {
              ticketId: current.ticketId,
              number: current.number,
              board: current.board,
              status: current.status,
              elapsedMs: Math.max(
                0,
                current.status === 'CALLED'
                  ? now - (current.calledAt ?? now)
                  : now - (current.startedAt ?? now) - (current.holdMs - current.holdMsAtStart),
              ),
            }
          : null,
      idleMs: status === 'idle' ? Math.max(0, now - (lastAction || now)) : null,
      doneToday: atWindow.filter((t) => t.status === 'DONE').length,
    };
  });

  const presence = windows.map((w) => ({ serving: w.status === 'idle' || w.status === 'called' || w.status === 'serving', boards: w.boards }));
  const boards: LiveBoard[] = office.boards.map((b) => {
    const line = tickets.filter((t) => t.board === b.code && CALLABLE.has(t.status));
    const waits = line.map((t) => Math.max(0, now - t.queuedAt));
    const eff = effectiveWindows(b.code, presence);
    return {
      code: b.code,
      name: b.name,
      waiting: line.length,
      held: tickets.filter((t) => t.board === b.code && t.status === 'HELD').length,
      overTarget: waits.filter((w) => w > targetMs).length,
      longestWaitMs: waits.reduce((m, w) => Math.max(m, w), 0),
      effectiveWindows: Math.round(eff * 1000) / 1000,
      estimateMinutes: estimateWaitMinutes(line.length, eff, serviceEstimateMs(tickets, b.code, b.defaultServiceMinutes)),
    };
  });
  const boardOf = new Map(boards.map((b) => [b.code, b]));
  const boardName = (code: string) => `${code} ${boardOf.get(code)?.name ?? ''}`.trim();
  const who = (w: LiveWindow) => (w.staffName ? `${w.name}（${w.staffName}）` : w.name);

  const alarms: LiveAlarm[] = [];
  for (const b of boards) {
    if (b.overTarget > 0) {
      alarms.push({
        kind: 'wait_over_target',
        board: b.code,
        windowId: null,
        message: `${boardName(b.code)}：${b.overTarget} 人等待超过 ${office.policy.targetWaitMinutes} 分钟，最长已等 ${minutes(b.longestWaitMs)}`,
      });
    }
    if (b.waiting > input.queueAlarmLength) {
      alarms.push({ kind: 'queue_too_long', board: b.code, windowId: null, message: `${boardName(b.code)}：排队 ${b.waiting} 人，超过设定的 ${input.queueAlarmLength} 人` });
    }
  }
  for (const w of windows) {
    if (w.status !== 'idle' || (w.idleMs ?? 0) < idleAlarmMs) continue;
    const waiting = w.boards.reduce((s, c) => s + (boardOf.get(c)?.waiting ?? 0), 0);
    if (waiting === 0) continue;
    alarms.push({
      kind: 'idle_window',
      board: null,
      windowId: w.id,
      message: `${who(w)}已空闲 ${minutes(w.idleMs!)}，其办理的 ${w.boards.join('、')} 板块有 ${waiting} 人等待`,
    });
  }

  const suggestions: LiveSuggestion[] = [];
  for (const b of boards) {
    if (b.waiting === 0) continue;
    const late = b.estimateMinutes === null || b.estimateMinutes > office.policy.targetWaitMinutes;
    if (!late) continue;
    const estimate = b.estimateMinutes === null ? '目前没有开放的窗口办理' : `预计等待约 ${b.estimateMinutes} 分钟，超过 ${office.policy.targetWaitMinutes} 分钟目标`;
    const paused = windows.find((w) => w.status === 'paused' && w.boards.includes(b.code));
    const closed = windows.find((w) => w.status === 'closed' && w.staffId === null && w.boards.includes(b.code));
    const action = paused ? `建议${who(paused)}恢复服务` : closed ? `建议开放${closed.name}` : '建议增派人员或调整窗口办理的板块';
    suggestions.push({ kind: 'open_window', board: b.code, windowId: (paused ?? closed)?.id ?? null, message: `${boardName(b.code)}排队 ${b.waiting} 人，${estimate}：${action}` });
  }
  for (const w of windows) {
    if (w.status !== 'idle' || (w.idleMs ?? 0) < closeAfterIdleMs) continue;
    if (w.boards.some((c) => (boardOf.get(c)?.waiting ?? 0) > 0)) continue;
    const othersServe = w.boards.every((c) => windows.some((o) => o.id !== w.id && o.boards.includes(c) && (o.status === 'idle' || o.status === 'called' || o.status === 'serving')));
    if (!othersServe) continue;
    suggestions.push({
      kind: 'close_window',
      board: null,
      windowId: w.id,
      message: `${who(w)}已空闲 ${minutes(w.idleMs!)}，所办板块无人等待且有其他窗口办理：可暂停服务或调配人员`,
    });
  }
  return { boards, windows, alarms, suggestions };
}

/** Average service time of the board today once there are a few services, else the board's default. */
function serviceEstimateMs(tickets: readonly TicketState[], board: string, defaultMinutes: number): number {
  let n = 0;
  let sum = 0;
  for (const t of tickets) {
    if (t.status !== 'DONE' || t.serviceMs === undefined || t.board !== board) continue;
    n++;
    sum += t.serviceMs;
  }
  return n >= MIN_SAMPLES ? sum / n : defaultMinutes * 60_000;
}
