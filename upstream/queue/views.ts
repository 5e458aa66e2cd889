import type { TicketState } from '../../shared/queue/types.js';
import type { TicketView } from '../../shared/hall/views.js';
import type { OfficeConfig } from '../../shared/office/config.js';

/** What a window, kiosk or display sees of a ticket: no personal data, nullable instead of undefined. */
export function toTicketView(t: TicketState, office: OfficeConfig | undefined): TicketView {
  return {
    ticketId: t.ticketId,
    number: t.number,
    office: t.office,
    board: t.board,
    boardName: office?.boards.find((b) => b.code === t.board)?.name ?? t.board,
    status: t.status,
    priority: t.priority,
    issuedAt: t.issuedAt,
    queuedAt: t.queuedAt,
    calledAt: t.calledAt ?? null,
    startedAt: t.startedAt ?? null,
    windowId: t.windowId ?? null,
    recallCount: t.recallCount,
    recallLimit: t.recallLimit,
    hold: t.hold
      ? { kind: t.hold.kind, since: t.hold.since, windowId: t.hold.windowId ?? null, note: t.hold.note ?? null }
      : null,
    holdMs: t.holdMs,
    transferTo: t.transferTo ? { board: t.transferTo.board, windowId: t.transferTo.windowId ?? null } : null,
    appointmentSlot: t.appointment?.slotStart ?? null,
  };
}
