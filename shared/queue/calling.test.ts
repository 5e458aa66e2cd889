import { describe, expect, it } from 'vitest';
import { isEligible, pickNext, type CallPolicy, type RoundRobinState, type WorkProfile } from './calling.js';
import type { TicketState } from './types.js';
import { TicketLog, W1, W2, issued, ticketIn, waitingTicket } from '../../tests/support/ticket-events.js';

const NO_STARVATION: CallPolicy = { maxWaitMs: undefined };
const NOW = 10_000_000;

const profile = (windowId: string, boards: Record<string, number>): WorkProfile => ({
  windowId,
  boards: Object.entries(boards).map(([board, weight]) => ({ board, weight })),
});

/** A board's line of `n` waiting tickets, issued one second apart from `from`. */
function line(board: string, n: number, from = 0): TicketState[] {
  return Array.from({ length: n }, (_, i) =>
    waitingTicket(`${board}-${from + i}`, { board, number: `${board}${String(from + i + 1).padStart(3, '0')}`, orderKey: from + i, at: 1_000 * (from + i) }),
  );
}

/**
 * Runs "call next" `n` times for one window the way the hall server does: the picked ticket leaves
 * the line (it is CALLED now) and the round-robin state carries over. Returns the boards called.
 */
function callMany(pool: TicketState[], p: WorkProfile, n: number, rr: { state: RoundRobinState } = { state: {} }, policy = NO_STARVATION) {
  const boards: string[] = [];
  for (let i = 0; i < n; i++) {
    const pick = pickNext(pool, p, rr.state, NOW, policy);
    if (!pick) break;
    rr.state = pick.roundRobin;
    boards.push(pick.ticket.board);
    pool.splice(pool.indexOf(pick.ticket), 1);
  }
  return boards;
}

describe('weighted boards (smooth weighted round-robin)', () => {
  it('weights 2:1 interleave two A for each B over a long line, never three A in a row', () => {
    const pool = [...line('A', 400), ...line('B', 200)];
    const called = callMany(pool, profile(W1, { A: 2, B: 1 }), 300);
    expect(called).toHaveLength(300);
    // the cycle A,B,A repeats: from the third call on, the line reads A,A,B,A,A,B ...
    expect(called.slice(0, 6).join('')).toBe('ABAABA');
    expect(called.slice(2).join('')).toBe('AAB'.repeat(99) + 'A');
    for (let i = 0; i + 3 <= called.length; i += 3) {
      const chunk = called.slice(i, i + 3);
      expect(chunk.filter((b) => b === 'A')).toHaveLength(2);
    }
    expect(called.join('')).not.toContain('AAA');
    expect(called.join('')).not.toContain('BB');
  });

  it('within a board the front of the line goes first', () => {
    const pool = line('A', 5).reverse();
    const order: string[] = [];
    let rr: RoundRobinState = {};
    for (let i = 0; i < 5; i++) {
      const pick = pickNext(pool, profile(W1, { A: 1 }), rr, NOW, NO_STARVATION)!;
      expect(pick.rule).toBe('weighted');
      rr = pick.roundRobin;
      order.push(pick.ticket.number);
      pool.splice(pool.indexOf(pick.ticket), 1);
    }
    expect(order).toEqual(['A001', 'A002', 'A003', 'A004', 'A005']);
  });

  it('3:2:1 over 600 calls gives exactly 300:200:100', () => {
    const pool = [...line('A', 400), ...line('B', 300), ...line('C', 200)];
    const called = callMany(pool, profile(W1, { A: 3, B: 2, C: 1 }), 600);
    const count = (b: string) => called.filter((x) => x === b).length;
    expect([count('A'), count('B'), count('C')]).toEqual([300, 200, 100]);
  });

  it('an empty board is skipped, and when it fills again the weights go on fairly without a catch-up burst', () => {
    const p = profile(W1, { A: 2, B: 1 });
    const rr = { state: {} as RoundRobinState };
    const pool = [...line('A', 3), ...line('B', 30)];
    const first = callMany(pool, p, 12, rr);
    // A's three tickets are called at their turn, then B alone is called (A is skipped, not waited for)
    expect(first.filter((b) => b === 'A')).toHaveLength(3);
    expect(first.slice(-6)).toEqual(['B', 'B', 'B', 'B', 'B', 'B']);
    // A fills again: 2:1 resumes at once; no "A owes" backlog of consecutive A calls
    pool.push(...line('A', 30, 100));
    const after = callMany(pool, p, 30, rr);
    for (let i = 0; i + 3 <= after.length; i += 3) {
      expect(after.slice(i, i + 3).filter((b) => b === 'A'), `calls ${i}..${i + 2}: ${after.join('')}`).toHaveLength(2);
    }
    expect(after.join('')).not.toContain('AAA');
  });

  it('boards the window does not serve are never called, and a window with nothing eligible gets nothing', () => {
    const pool = [...line('C', 3), ...line('D', 3)];
    expect(pickNext(pool, profile(W1, { A: 1, B: 1 }), {}, NOW, NO_STARVATION)).toBeUndefined();
    expect(pickNext([], profile(W1, { A: 1 }), {}, NOW, NO_STARVATION)).toBeUndefined();
    const pick = pickNext(pool, profile(W1, { A: 1, D: 1 }), {}, NOW, NO_STARVATION);
    expect(pick?.ticket.board).toBe('D');
  });

  it('a board with weight 0 is not served', () => {
    const t = waitingTicket('a1', { board: 'A' });
    expect(isEligible(t, profile(W1, { A: 0, B: 1 }))).toBe(false);
  });

  it('does not change the round-robin state it was given', () => {
    const rr: RoundRobinState = Object.freeze({ A: 1, B: -1 });
    const pick = pickNext([...line('A', 2), ...line('B', 2)], profile(W1, { A: 2, B: 1 }), rr, NOW, NO_STARVATION)!;
    expect(rr).toEqual({ A: 1, B: -1 });
    expect(pick.roundRobin).not.toBe(rr);
  });
});

describe('green channel (绿色通道)', () => {
  it('is called first, across all boards of the window, before the weights', () => {
    const green = waitingTicket('g1', { board: 'B', number: 'B050', priority: 'green', orderKey: 50 });
    const pool = [...line('A', 10), ...line('B', 5), green];
    const pick = pickNext(pool, profile(W1, { A: 2, B: 1 }), {}, NOW, NO_STARVATION)!;
    expect(pick).toMatchObject({ rule: 'green', roundRobin: {} });
    expect(pick.ticket.ticketId).toBe('g1');
  });

  it('the earliest green in line goes first; a ticket prioritised later counts as green', () => {
    const later = waitingTicket('g-late', { board: 'A', priority: 'green', orderKey: 9 });
    const promoted = new TicketLog('g-promoted').do(issued({ board: 'B', orderKey: 3 }), 3).do({ type: 'prioritised', priority: 'green' }, 100).current;
    const pick = pickNext([...line('A', 3), later, promoted], profile(W1, { A: 1, B: 1 }), {}, NOW, NO_STARVATION)!;
    expect(pick.ticket.ticketId).toBe('g-promoted');
  });

  it('a green ticket on a board the window does not serve is left for others', () => {
    const green = waitingTicket('g1', { board: 'C', priority: 'green' });
    const pick = pickNext([...line('A', 2), green], profile(W1, { A: 1 }), {}, NOW, NO_STARVATION)!;
    expect(pick.ticket.board).toBe('A');
    expect(pick.rule).toBe('weighted');
  });
});

describe('appointments (预约)', () => {
  const appt = (id: string, slotStart: number, orderKey: number) =>
    waitingTicket(id, { board: 'A', priority: 'appointment', appointment: { code: `Y${id}`, slotStart }, orderKey, at: orderKey });

  it('a checked-in appointment whose slot has begun goes before walk-ins', () => {
    const pool = [...line('A', 5), appt('due', NOW - 60_000, 1_000)];
    const pick = pickNext(pool, profile(W1, { A: 1 }), {}, NOW, NO_STARVATION)!;
    expect(pick).toMatchObject({ rule: 'appointment' });
    expect(pick.ticket.ticketId).toBe('due');
    // exactly at the slot start counts as due
    expect(pickNext([...line('A', 5), appt('now', NOW, 1_000)], profile(W1, { A: 1 }), {}, NOW, NO_STARVATION)!.ticket.ticketId).toBe('now');
  });

  it('an appointment is not jumped ahead before its slot', () => {
    const pool = [...line('A', 5), appt('early', NOW + 1, 1_000)];
    const pick = pickNext(pool, profile(W1, { A: 1 }), {}, NOW, NO_STARVATION)!;
    expect(pick.rule).toBe('weighted');
    expect(pick.ticket.number).toBe('A001');
  });

  it('the earliest slot goes first, whatever the check-in order', () => {
    const pool = [appt('late-slot', NOW - 1_000, 1), appt('early-slot', NOW - 5_000, 2), ...line('A', 2)];
    expect(pickNext(pool, profile(W1, { A: 1 }), {}, NOW, NO_STARVATION)!.ticket.ticketId).toBe('early-slot');
  });

  it('green still goes before a due appointment', () => {
    const pool = [appt('due', NOW - 1_000, 1), waitingTicket('g', { board: 'A', priority: 'green', orderKey: 5 })];
    expect(pickNext(pool, profile(W1, { A: 1 }), {}, NOW, NO_STARVATION)).toMatchObject({ rule: 'green' });
  });
});

describe('anti-starvation', () => {
  const policy: CallPolicy = { maxWaitMs: 30 * 60_000 };

  it('a ticket waiting longer than the limit is called first, even on the light board', () => {
    const old = waitingTicket('old-b', { board: 'B', orderKey: 10, at: NOW - 31 * 60_000 });
    const recent = Array.from({ length: 5 }, (_, i) => waitingTicket(`a${i}`, { board: 'A', orderKey: i, at: NOW - 60_000 }));
    const pool = [...recent, old];
    const rr = { A: 5, B: -5 };
    const pick = pickNext(pool, profile(W1, { A: 3, B: 1 }), rr, NOW, policy)!;
    expect(pick).toMatchObject({ rule: 'max_wait', roundRobin: rr });
    expect(pick.ticket.ticketId).toBe('old-b');
  });

  it('the longest waiting starving ticket goes first; with the rule off the weights decide', () => {
    const a = waitingTicket('a-old', { board: 'A', orderKey: 1, at: NOW - 40 * 60_000 });
    const b = waitingTicket('b-older', { board: 'B', orderKey: 2, at: NOW - 50 * 60_000 });
    expect(pickNext([a, b], profile(W1, { A: 1, B: 1 }), {}, NOW, policy)!.ticket.ticketId).toBe('b-older');
    expect(pickNext([a, b], profile(W1, { A: 1, B: 1 }), {}, NOW, NO_STARVATION)!.rule).toBe('weighted');
  });

  it('waiting exactly the limit is not yet starving', () => {
    const t = waitingTicket('edge', { board: 'A', at: NOW - 30 * 60_000 });
    expect(pickNext([t], profile(W1, { A: 1 }), {}, NOW, policy)!.rule).toBe('weighted');
  });

  it('a recycled ticket waits from when it re-entered the line', () => {
    const log = new TicketLog('r1').do(issued({ board: 'A', orderKey: 1 }), NOW - 60 * 60_000);
    log.do({ type: 'called', windowId: W2, staffId: '1002' }, NOW - 59 * 60_000).do({ type: 'recycled', orderKey: 99 }, NOW - 60_000);
    expect(pickNext([log.current], profile(W1, { A: 1 }), {}, NOW, policy)!.rule).toBe('weighted');
  });
});

describe('transfers', () => {
  function transferred(id: string, toBoard: string, position: 'front' | 'back', orderKey: number, toWindowId?: string) {
    const log = new TicketLog(id).do(issued({ board: 'A', orderKey: 0 }), 0).do({ type: 'called', windowId: 'qihe-county/9', staffId: '1003' }, 10);
    log.do({ type: 'started' }, 20).do({ type: 'transferred', toBoard, position, orderKey, ...(toWindowId ? { toWindowId } : {}) }, 30);
    return log.current;
  }

  it('a ticket transferred to a named window goes only to that window, and first there', () => {
    const named = transferred('named', 'B', 'back', 10_000, W2);
    const green = waitingTicket('g', { board: 'B', priority: 'green' });
    const pool = [...line('B', 5), green, named];
    // window 1 serves B too but never gets the named ticket
    expect(isEligible(named, profile(W1, { B: 1 }))).toBe(false);
    const at1 = callMany([...pool], profile(W1, { B: 1 }), 10);
    expect(at1).toHaveLength(6);
    // window 2 gets it before the green channel, even though it serves another board
    const pick = pickNext(pool, profile(W2, { C: 1 }), {}, NOW, NO_STARVATION)!;
    expect(pick).toMatchObject({ rule: 'named_transfer' });
    expect(pick.ticket.ticketId).toBe('named');
  });

  it('front of the line goes before everyone waiting, back after everyone', () => {
    const b = line('B', 3, 10); // orderKeys 10, 11, 12
    const front = transferred('front', 'B', 'front', 9);
    const back = transferred('back', 'B', 'back', 13);
    const pool = [back, ...b, front];
    const order: string[] = [];
    let rr: RoundRobinState = {};
    while (true) {
      const pick = pickNext(pool, profile(W1, { B: 1 }), rr, NOW, NO_STARVATION);
      if (!pick) break;
      rr = pick.roundRobin;
      order.push(pick.ticket.ticketId);
      pool.splice(pool.indexOf(pick.ticket), 1);
    }
    expect(order).toEqual(['front', 'B-10', 'B-11', 'B-12', 'back']);
  });

  it('a transferred ticket is in its new board’s line, not its old one', () => {
    const t = transferred('moved', 'C', 'back', 5);
    expect(isEligible(t, profile(W1, { A: 1 }))).toBe(false);
    expect(isEligible(t, profile(W1, { C: 1 }))).toBe(true);
  });
});

describe('eligibility', () => {
  it.each(['CALLED', 'SERVING', 'HELD', 'DONE', 'NO_SHOW', 'CANCELLED'] as const)('a %s ticket is never called', (status) => {
    const t = ticketIn(status, 'x', { board: 'A', priority: 'green' });
    expect(isEligible(t, profile(W1, { A: 1 }))).toBe(false);
    expect(pickNext([t], profile(W1, { A: 1 }), {}, NOW, { maxWaitMs: 0 })).toBeUndefined();
  });

  it.each(['WAITING', 'RECYCLED'] as const)('a %s ticket may be called', (status) => {
    const t = ticketIn(status, 'x', { board: 'A' });
    expect(pickNext([t], profile(W1, { A: 1 }), {}, NOW, NO_STARVATION)?.ticket.ticketId).toBe('x');
  });

  it('a TRANSFERRED ticket may be called on its new board', () => {
    const t = ticketIn('TRANSFERRED', 'x', { board: 'A' }); // moved to B by the fixture
    expect(pickNext([t], profile(W1, { B: 1 }), {}, NOW, NO_STARVATION)?.ticket.ticketId).toBe('x');
  });
});
