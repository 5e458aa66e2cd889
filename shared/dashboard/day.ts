import type { TicketState } from '../queue/types.js';
import { cubeOf, type DayCube } from './cube.js';
import { NONE, ticketFact, type DayColumns, type LowRating } from './facts.js';

/** Ticket ids and numbers of a day's rows, kept apart: only a drill-down reads them. */
export interface DayTickets {
  ticketIds: string[];
  numbers: string[];
}

/** A built day: its rows, its cube (what figures are summed from) and its ticket ids. */
export interface BuiltDay {
  columns: DayColumns;
  cube: DayCube;
  tickets: DayTickets;
}

/**
 * Builds one office's day from ticket states (the reducer's output): its rows, its cube and its
 * ticket ids. The hall's day tables, today's live figures and every re-derivation go through here.
 * `quotes`: the wait quoted at issue (minutes) by ticket id, from each ticket's `issued` event.
 */
export function buildDay(office: string, day: string, states: readonly TicketState[], dayStart: number, quotes?: ReadonlyMap<string, number>): BuiltDay {
  const list = states
    .filter((t) => t.office === office && t.businessDate === day)
    .sort((a, b) => a.issuedAt - b.issuedAt || (a.ticketId < b.ticketId ? -1 : a.ticketId > b.ticketId ? 1 : 0));
  const n = list.length;
  const c: DayColumns = {
    office,
    day,
    n,
    board: new Uint8Array(n),
    windowNo: new Uint16Array(n),
    staff: new Uint16Array(n),
    staffIds: [],
    outcome: new Uint8Array(n),
    flags: new Uint8Array(n),
    hour: new Uint8Array(n),
    waitMs: new Int32Array(n),
    serviceMs: new Int32Array(n),
    rating: new Uint8Array(n),
  };
  const lows: LowRating[] = [];
  const tickets: DayTickets = { ticketIds: new Array<string>(n), numbers: new Array<string>(n) };
  const staffIndex = new Map<string, number>();
  const quotedMs = quotes && quotes.size > 0 ? new Int32Array(n).fill(NONE) : undefined;
  list.forEach((t, i) => {
    const quote = quotes?.get(t.ticketId);
    if (quotedMs && quote !== undefined) quotedMs[i] = Math.min(0x7fffffff, quote * 60_000);
    const f = ticketFact(t, dayStart);
    c.board[i] = f.board.charCodeAt(0);
    c.windowNo[i] = f.windowNo;
    if (f.staffId) {
      let s = staffIndex.get(f.staffId);
      if (s === undefined) {
        c.staffIds.push(f.staffId);
        s = c.staffIds.length;
        staffIndex.set(f.staffId, s);
      }
      c.staff[i] = s;
    }
    c.outcome[i] = f.outcome;
    c.flags[i] = f.flags;
    c.hour[i] = f.hour;
    c.waitMs[i] = f.waitMs;
    c.serviceMs[i] = f.serviceMs;
    c.rating[i] = f.rating;
    if (f.rating > 0 && f.rating <= 2) {
      lows.push({ ticketId: f.ticketId, number: f.number, board: f.board, windowNo: f.windowNo, staffId: f.staffId, level: f.rating, reason: f.ratingReason ?? '' });
    }
    tickets.ticketIds[i] = f.ticketId;
    tickets.numbers[i] = f.number;
  });
  return { columns: c, cube: cubeOf(c, lows, quotedMs), tickets };
}
