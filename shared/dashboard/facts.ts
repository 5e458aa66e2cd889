import { parseWindowId } from '../office/config.js';
import type { TicketState } from '../queue/types.js';

/**
 * What the dashboard reads from one ticket: a handful of numbers, every one a plain function of the
 * ticket's state as the one reducer computes it from the ticket's log. Definitions (also shown to the
 * supervisor under 「口径说明」):
 *
 *  - board: the board the ticket was taken for (`originalBoard`), whatever it was transferred to;
 *  - window / clerk: the window and clerk that handled it last (who finished it, or called it last);
 *  - wait: from taking the ticket to the first call (`firstCalledAt − issuedAt`); only for tickets
 *    that were called; a ticket never called has no wait (it shows in the left-without-service rate);
 *  - service: the finished service's time, holds excluded (`serviceMs`, done tickets only);
 *  - outcome: done, no-show, cancelled, or open (still in a line or at a window). On a past day an
 *    open ticket counts, like a cancelled one, as left without service (离开未办);
 *  - rating: the applicant's level (1–5) on the evaluator, done tickets only.
 */
export const OUTCOME = { open: 0, done: 1, noShow: 2, cancelled: 3 } as const;
export type OutcomeCode = (typeof OUTCOME)[keyof typeof OUTCOME];

export const FLAG = { started: 1, transferred: 2, held: 4, green: 8, appointment: 16, caseNo: 32 } as const;

/** No value (a ticket with no wait or no service time). */
export const NONE = -1;

export interface TicketFact {
  ticketId: string;
  number: string;
  board: string;
  windowNo: number;
  staffId: string;
  outcome: OutcomeCode;
  flags: number;
  /** Hour of day (0–23) the ticket was taken, in the hall's time zone. */
  hour: number;
  waitMs: number;
  serviceMs: number;
  rating: number;
  ratingReason: string | undefined;
}

function outcomeOf(t: TicketState): OutcomeCode {
  switch (t.status) {
    case 'DONE':
      return OUTCOME.done;
    case 'NO_SHOW':
      return OUTCOME.noShow;
    case 'CANCELLED':
      return OUTCOME.cancelled;
    default:
      return OUTCOME.open;
  }
}

/** Durations are stored as 32-bit integers: clamp to [0, 2^31) ms (24 days). */
function ms(v: number | undefined): number {
  if (v === undefined) return NONE;
  return Math.min(0x7fffffff, Math.max(0, Math.round(v)));
}

export function ticketFact(t: TicketState, dayStart: number): TicketFact {
  const flags =
    (t.startedAt !== undefined || t.status === 'DONE' ? FLAG.started : 0) |
    (t.transferCount > 0 ? FLAG.transferred : 0) |
    (t.holdCount > 0 ? FLAG.held : 0) |
    (t.priority === 'green' ? FLAG.green : 0) |
    (t.priority === 'appointment' ? FLAG.appointment : 0) |
    (t.caseNo ? FLAG.caseNo : 0);
  const hour = Math.min(23, Math.max(0, Math.floor((t.issuedAt - dayStart) / 3_600_000)));
  const done = t.status === 'DONE';
  return {
    ticketId: t.ticketId,
    number: t.number,
    board: t.originalBoard,
    windowNo: t.windowId ? parseWindowId(t.windowId).no : 0,
    staffId: t.staffId ?? '',
    outcome: outcomeOf(t),
    flags,
    hour,
    waitMs: t.firstCalledAt === undefined ? NONE : ms(t.firstCalledAt - t.issuedAt),
    serviceMs: done ? ms(t.serviceMs) : NONE,
    rating: done && t.rating ? t.rating.level : 0,
    ratingReason: done ? t.rating?.reason : undefined,
  };
}

/**
 * One office's tickets of one business day as columns, one row per ticket, in a fixed order (issue
 * time, then ticket id) so a day built from the log and a day read back from the store are
 * identical. Drill-downs read these rows; the figures are summed from the day's cube (cube.ts),
 * which is made from them.
 */
export interface DayColumns {
  office: string;
  day: string;
  n: number;
  /** Board letter as its char code. */
  board: Uint8Array;
  windowNo: Uint16Array;
  /** 1-based index into `staffIds`; 0 = none. */
  staff: Uint16Array;
  staffIds: string[];
  outcome: Uint8Array;
  flags: Uint8Array;
  hour: Uint8Array;
  waitMs: Int32Array;
  serviceMs: Int32Array;
  rating: Uint8Array;
}

export interface LowRating {
  ticketId: string;
  number: string;
  board: string;
  windowNo: number;
  staffId: string;
  level: number;
  reason: string;
}

