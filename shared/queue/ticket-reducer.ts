import { HOLD_KIND_LABEL, STATUS_LABEL, type TicketActionType, type TicketEvent, type TicketState, type TicketStatus } from './types.js';

/**
 * The one reducer of a ticket's log. Used by the hall server (authority), by the window (to check an
 * action before it is queued locally) and by the tests. Pure: no clock, no I/O.
 */
export type ReduceResult = { ok: true; state: TicketState } | { ok: false; reason: string };

export const ACTION_LABEL: Record<TicketActionType, string> = {
  issued: '取号',
  called: '叫号',
  recalled: '重呼',
  started: '开始办理',
  no_show: '过号',
  recycled: '重新排队',
  held: '挂起',
  resumed: '恢复办理',
  transferred: '转移',
  finished: '办结',
  cancelled: '取消',
  prioritised: '设为绿色通道',
  rated: '评价',
};

/** From which statuses each action is allowed. `issued` is allowed only on an empty log. */
export const ALLOWED_FROM: Record<Exclude<TicketActionType, 'issued'>, readonly TicketStatus[]> = {
  called: ['WAITING', 'TRANSFERRED', 'RECYCLED'],
  recalled: ['CALLED'],
  started: ['CALLED'],
  no_show: ['CALLED'],
  recycled: ['CALLED', 'NO_SHOW'],
  held: ['SERVING'],
  resumed: ['HELD'],
  transferred: ['CALLED', 'SERVING'],
  finished: ['SERVING'],
  cancelled: ['WAITING', 'TRANSFERRED', 'RECYCLED', 'HELD'],
  prioritised: ['WAITING', 'TRANSFERRED', 'RECYCLED'],
  rated: ['DONE'],
};

function refuse(reason: string): ReduceResult {
  return { ok: false, reason };
}

export function applyTicketEvent(state: TicketState | undefined, event: TicketEvent): ReduceResult {
  const a = event.action;
  if (state === undefined) {
    if (a.type !== 'issued') return refuse(`没有找到该号码，不能${ACTION_LABEL[a.type]}。`);
    return {
      ok: true,
      state: {
        ticketId: event.ticketId,
        office: a.office,
        number: a.number,
        board: a.board,
        originalBoard: a.board,
        priority: a.priority,
        appointment: a.appointment,
        status: 'WAITING',
        businessDate: a.businessDate,
        recallLimit: a.recallLimit,
        orderKey: a.orderKey,
        issuedAt: event.at,
        queuedAt: event.at,
        firstCalledAt: undefined,
        calledAt: undefined,
        startedAt: undefined,
        finishedAt: undefined,
        closedAt: undefined,
        windowId: undefined,
        staffId: undefined,
        recallCount: 0,
        noShowReason: undefined,
        hold: undefined,
        holdMs: 0,
        holdCount: 0,
        holdMsAtStart: 0,
        transferTo: undefined,
        transferCount: 0,
        caseNo: undefined,
        cancelReason: undefined,
        rating: undefined,
        serviceMs: undefined,
        lastEventAt: event.at,
        eventCount: 1,
      },
    };
  }
  if (event.ticketId !== state.ticketId) return refuse('事件与号码不符。');
  if (a.type === 'issued') return refuse(`号码 ${state.number} 已取过，不能重复取号。`);
  const allowed = ALLOWED_FROM[a.type];
  if (!allowed.includes(state.status)) {
    return refuse(`号码 ${state.number} 当前状态为“${STATUS_LABEL[state.status]}”，不能${ACTION_LABEL[a.type]}。`);
  }
  // Durations never run backwards, whatever a window's clock said.
  const at = Math.max(event.at, state.lastEventAt);
  const base: TicketState = { ...state, lastEventAt: at, eventCount: state.eventCount + 1 };

  switch (a.type) {
    case 'called':
      return {
        ok: true,
        state: {
          ...base,
          status: 'CALLED',
          windowId: a.windowId,
          staffId: a.staffId,
          calledAt: at,
          firstCalledAt: state.firstCalledAt ?? at,
          recallCount: 0,
          transferTo: undefined,
        },
      };
    case 'recalled': {
      const recallCount = state.recallCount + 1;
      if (recallCount > state.recallLimit) {
        return { ok: true, state: { ...base, recallCount, status: 'NO_SHOW', noShowReason: 'recall_limit', closedAt: at } };
      }
      return { ok: true, state: { ...base, recallCount, calledAt: at } };
    }
    case 'started':
      return { ok: true, state: { ...base, status: 'SERVING', startedAt: at, holdMsAtStart: state.holdMs } };
    case 'no_show':
      return { ok: true, state: { ...base, status: 'NO_SHOW', noShowReason: 'skipped', closedAt: at } };
    case 'recycled':
      return {
        ok: true,
        state: {
          ...base,
          status: 'RECYCLED',
          orderKey: a.orderKey,
          queuedAt: at,
          windowId: undefined,
          staffId: undefined,
          noShowReason: undefined,
          closedAt: undefined,
        },
      };
    case 'held':
      return {
        ok: true,
        state: {
          ...base,
          status: 'HELD',
          hold: { kind: a.kind, since: at, windowId: state.windowId, note: a.note },
          holdCount: state.holdCount + 1,
        },
      };
    case 'resumed': {
      const hold = state.hold;
      if (hold?.kind === 'with_materials' && hold.windowId !== a.windowId) {
        return refuse(`号码 ${state.number} 为${HOLD_KIND_LABEL.with_materials}，材料在原窗口，只能在原窗口恢复办理。`);
      }
      return {
        ok: true,
        state: {
          ...base,
          status: 'SERVING',
          windowId: a.windowId,
          staffId: a.staffId,
          hold: undefined,
          holdMs: state.holdMs + (hold ? at - hold.since : 0),
        },
      };
    }
    case 'transferred':
      if (a.toBoard === state.board && a.toWindowId === undefined) {
        return refuse(`号码 ${state.number} 已在该业务板块排队，请选择其他板块或指定窗口。`);
      }
      if (a.toWindowId !== undefined && a.toWindowId === state.windowId) {
        return refuse('不能转移到本窗口。');
      }
      return {
        ok: true,
        state: {
          ...base,
          status: 'TRANSFERRED',
          board: a.toBoard,
          transferTo: { board: a.toBoard, windowId: a.toWindowId },
          transferCount: state.transferCount + 1,
          orderKey: a.orderKey,
          queuedAt: at,
          windowId: undefined,
          staffId: undefined,
          startedAt: undefined,
        },
      };
    case 'finished': {
      const started = state.startedAt ?? at;
      const holdDuringService = state.holdMs - state.holdMsAtStart;
      return {
        ok: true,
        state: {
          ...base,
          status: 'DONE',
          finishedAt: at,
          closedAt: at,
          caseNo: a.caseNo,
          serviceMs: Math.max(0, at - started - holdDuringService),
        },
      };
    }
    case 'cancelled': {
      const hold = state.hold;
      return {
        ok: true,
        state: {
          ...base,
          status: 'CANCELLED',
          cancelReason: a.reason,
          closedAt: at,
          hold: undefined,
          holdMs: state.holdMs + (hold ? at - hold.since : 0),
        },
      };
    }
    case 'prioritised':
      if (state.priority === 'green') return refuse(`号码 ${state.number} 已是绿色通道。`);
      return { ok: true, state: { ...base, priority: 'green' } };
    case 'rated':
      if (state.rating !== undefined) return refuse(`号码 ${state.number} 已评价过，每次服务只能评价一次。`);
      if (a.level <= 2 && (a.reason === undefined || a.reason.trim() === '')) {
        return refuse('选择“不满意”或“非常不满意”时，请说明原因。');
      }
      return { ok: true, state: { ...base, rating: { level: a.level, reason: a.reason?.trim() || undefined, at } } };
  }
}

/** Folds a whole log. Throws on a refused event: a stored log is always valid. */
export function reduceTicketLog(events: readonly TicketEvent[]): TicketState | undefined {
  let state: TicketState | undefined;
  for (const e of events) {
    const r = applyTicketEvent(state, e);
    if (!r.ok) throw new Error(`invalid ticket log at ${e.eventId}: ${r.reason}`);
    state = r.state;
  }
  return state;
}
