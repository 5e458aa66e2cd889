import type { PulledEvent, PullPage } from '../../../shared/hall/api.js';
import type { TicketAction } from '../../../shared/queue/types.js';

/** Test support: pull pages and pulled ticket events as the hall writes them. */
export function pullPage(o: Partial<PullPage> = {}): PullPage {
  return {
    events: [],
    nextCursor: o.events?.at(-1)?.seq ?? 0,
    hasMore: false,
    referenceVersion: 'aaaaaaaa',
    reference: null,
    catalogVersion: null,
    catalog: null,
    calendarVersion: null,
    calendars: null,
    caseEvents: [],
    nextCaseCursor: 0,
    caseHasMore: false,
    serverNow: 9_000,
    ...o,
  };
}

/** A hall event of the ticket log (event id `s<seq>`, as the hall's own). */
export function pulledEvent(seq: number, ticketId: string, action: TicketAction, office = 'qihe-county'): PulledEvent {
  return { seq, office, event: { eventId: `s${seq}`, ticketId, at: 1_000 + seq, actor: { kind: 'system' }, action } };
}

export function pulledIssued(seq: number, ticketId: string, businessDate = '2025-03-03', office = 'qihe-county'): PulledEvent {
  return pulledEvent(seq, ticketId, { type: 'issued', office, board: 'A', number: 'A001', priority: 'normal', recallLimit: 2, orderKey: seq, businessDate }, office);
}
