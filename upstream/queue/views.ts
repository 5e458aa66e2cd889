import type { TicketState } from '../../shared/queue/types.js';
import { toTicketView, type TicketView } from '../../shared/hall/views.js';
import type { OfficeConfig } from '../../shared/office/config.js';

/** The shared view of a ticket, with its board's name from the office configuration. */
export function ticketViewIn(t: TicketState, office: OfficeConfig | undefined): TicketView {
  return toTicketView(t, office?.boards.find((b) => b.code === t.board)?.name ?? t.board);
}
