import type { WindowTicketAction } from '../../../shared/hall/api.js';
import { toTicketView, type TicketView, type WindowPanel } from '../../../shared/hall/views.js';
import { applyTicketEvent } from '../../../shared/queue/ticket-reducer.js';
import type { TicketAction, TicketState } from '../../../shared/queue/types.js';

/**
 * The window's local view of its current ticket. Before an action is queued it is checked with the
 * shared reducer against the ticket as the window knows it, and the panel shows its result at once
 * (online or not). The hall server remains the authority: its next panel replaces this one, with the
 * still-pending local actions applied again on top.
 */
export interface LocalActor {
  windowId: string;
  staffId: string;
}

export function stateFromView(v: TicketView): TicketState {
  const lastEventAt = Math.max(v.issuedAt, v.queuedAt, v.calledAt ?? 0, v.startedAt ?? 0, v.hold?.since ?? 0);
  return {
    ticketId: v.ticketId,
    office: v.office,
    number: v.number,
    board: v.board,
    originalBoard: v.board,
    priority: v.priority,
    appointment: undefined,
    status: v.status,
    businessDate: '',
    recallLimit: v.recallLimit,
    orderKey: 0,
    issuedAt: v.issuedAt,
    queuedAt: v.queuedAt,
    firstCalledAt: v.calledAt ?? undefined,
    calledAt: v.calledAt ?? undefined,
    startedAt: v.startedAt ?? undefined,
    finishedAt: undefined,
    closedAt: undefined,
    windowId: v.windowId ?? undefined,
    staffId: undefined,
    recallCount: v.recallCount,
    noShowReason: undefined,
    hold: v.hold ? { kind: v.hold.kind, since: v.hold.since, windowId: v.hold.windowId ?? undefined, note: v.hold.note ?? undefined } : undefined,
    holdMs: v.holdMs,
    holdCount: v.hold ? 1 : 0,
    holdMsAtStart: v.holdMs,
    transferTo: v.transferTo ? { board: v.transferTo.board, windowId: v.transferTo.windowId ?? undefined } : undefined,
    transferCount: 0,
    caseNo: undefined,
    cancelReason: undefined,
    rating: undefined,
    serviceMs: undefined,
    lastEventAt,
    eventCount: 1,
  };
}

/** The view after a local action; what the window cannot know locally (board name, slot) stays as it was. */
function viewFromState(prev: TicketView, s: TicketState): TicketView {
  return { ...toTicketView(s, prev.boardName), appointmentSlot: prev.appointmentSlot };
}

/** The reducer's action for a window's action (order keys are the hall's to decide; 0 locally). */
export function toTicketAction(a: WindowTicketAction, actor: LocalActor): TicketAction {
  switch (a.type) {
    case 'recycled':
      return { type: 'recycled', orderKey: 0 };
    case 'transferred':
      return { ...a, orderKey: 0 };
    case 'resumed':
      return { type: 'resumed', windowId: actor.windowId, staffId: actor.staffId };
    default:
      return a;
  }
}

/** Checks an action against a ticket; returns the ticket after it, or the reducer's reason. */
export function applyLocally(
  ticket: TicketView,
  action: WindowTicketAction,
  actor: LocalActor,
  at: number,
): { ok: true; ticket: TicketView } | { ok: false; reason: string } {
  const r = applyTicketEvent(stateFromView(ticket), {
    eventId: 'local',
    ticketId: ticket.ticketId,
    at,
    actor: { kind: 'clerk', staffId: actor.staffId, windowId: actor.windowId },
    action: toTicketAction(action, actor),
  });
  return r.ok ? { ok: true, ticket: viewFromState(ticket, r.state) } : { ok: false, reason: r.reason };
}

const AT_WINDOW = new Set(['CALLED', 'SERVING']);

/** The panel after one local action on its current ticket; unchanged if it does not apply. */
export function applyToPanel(panel: WindowPanel, m: { ticketId: string; windowId: string; staffId: string; at: number; action: WindowTicketAction }): WindowPanel {
  const cur = panel.current;
  if (!cur || cur.ticketId !== m.ticketId || m.windowId !== panel.window.id) return panel;
  const r = applyLocally(cur, m.action, m, m.at);
  if (!r.ok) return panel;
  if (AT_WINDOW.has(r.ticket.status)) return { ...panel, current: r.ticket };
  const resumable = panel.resumable.filter((t) => t.ticketId !== m.ticketId);
  return { ...panel, current: null, resumable: r.ticket.status === 'HELD' ? [r.ticket, ...resumable] : resumable };
}
