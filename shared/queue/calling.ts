import { CALLABLE, type TicketState } from './types.js';

/**
 * Who a window calls next. Pure: the hall server runs it inside its serialised "call next", the
 * tests run it on hand-made lines.
 *
 * Order of the rules (first that yields a ticket wins):
 *  1. tickets transferred to this very window (front/back as the transfer said);
 *  2. green channel (绿色通道: elderly, disabled, pregnant) on any board the window serves;
 *  3. appointments whose slot has begun, earliest slot first;
 *  4. anyone who has waited longer than `maxWaitMs` (anti-starvation), longest first;
 *  5. smooth weighted round-robin over the window's boards that have someone waiting
 *     (weights 2:1 give A, A, B, A, A, B ...), and within a board the front of its line.
 */
export interface BoardWeight {
  board: string;
  weight: number;
}

export interface WorkProfile {
  windowId: string;
  boards: readonly BoardWeight[];
}

/** Smooth weighted round-robin state per window: the running "current weight" of each board. */
export type RoundRobinState = Readonly<Record<string, number>>;

export interface CallPolicy {
  /** Anti-starvation threshold; `undefined` disables rule 4. */
  maxWaitMs: number | undefined;
}

export type CallRule = 'named_transfer' | 'green' | 'appointment' | 'max_wait' | 'weighted';

export interface CallPick {
  ticket: TicketState;
  rule: CallRule;
  roundRobin: RoundRobinState;
}

const byOrder = (a: TicketState, b: TicketState) => a.orderKey - b.orderKey || (a.ticketId < b.ticketId ? -1 : 1);

/** Whether `t` may be called by a window with `profile`. */
export function isEligible(t: TicketState, profile: WorkProfile): boolean {
  if (!CALLABLE.has(t.status)) return false;
  const named = t.transferTo?.windowId;
  if (named !== undefined) return named === profile.windowId;
  return profile.boards.some((b) => b.board === t.board && b.weight > 0);
}

export function pickNext(
  candidates: Iterable<TicketState>,
  profile: WorkProfile,
  roundRobin: RoundRobinState,
  now: number,
  policy: CallPolicy,
): CallPick | undefined {
  const eligible: TicketState[] = [];
  for (const t of candidates) if (isEligible(t, profile)) eligible.push(t);
  if (eligible.length === 0) return undefined;

  const first = (list: TicketState[], cmp: (a: TicketState, b: TicketState) => number = byOrder) =>
    list.length === 0 ? undefined : list.reduce((best, t) => (cmp(t, best) < 0 ? t : best));

  const named = first(eligible.filter((t) => t.transferTo?.windowId === profile.windowId));
  if (named) return { ticket: named, rule: 'named_transfer', roundRobin };

  const green = first(eligible.filter((t) => t.priority === 'green'));
  if (green) return { ticket: green, rule: 'green', roundRobin };

  const due = eligible.filter((t) => t.appointment !== undefined && t.appointment.slotStart <= now);
  const appointment = first(due, (a, b) => a.appointment!.slotStart - b.appointment!.slotStart || byOrder(a, b));
  if (appointment) return { ticket: appointment, rule: 'appointment', roundRobin };

  if (policy.maxWaitMs !== undefined) {
    const limit = policy.maxWaitMs;
    const starving = first(
      eligible.filter((t) => now - t.queuedAt > limit),
      (a, b) => a.queuedAt - b.queuedAt || byOrder(a, b),
    );
    if (starving) return { ticket: starving, rule: 'max_wait', roundRobin };
  }

  const heads = new Map<string, TicketState>();
  for (const t of eligible) {
    const h = heads.get(t.board);
    if (h === undefined || byOrder(t, h) < 0) heads.set(t.board, t);
  }
  const active = profile.boards.filter((b) => b.weight > 0 && heads.has(b.board));
  const next = { ...roundRobin };
  let total = 0;
  let chosen: BoardWeight | undefined;
  for (const b of active) {
    next[b.board] = (next[b.board] ?? 0) + b.weight;
    total += b.weight;
    if (chosen === undefined || next[b.board]! > next[chosen.board]!) chosen = b;
    else if (next[b.board] === next[chosen.board] && byOrder(heads.get(b.board)!, heads.get(chosen.board)!) < 0) chosen = b;
  }
  if (chosen === undefined) return undefined;
  next[chosen.board] = next[chosen.board]! - total;
  return { ticket: heads.get(chosen.board)!, rule: 'weighted', roundRobin: next };
}
