import { applyTicketEvent } from '../../shared/queue/ticket-reducer.js';
import type { TicketAction, TicketEvent, TicketState } from '../../shared/queue/types.js';

/**
 * Builds ticket states the way the hall server does: by folding real events through the reducer.
 * Tests never hand-write a TicketState.
 */
export const OFFICE = 'qihe-county';
export const W1 = 'qihe-county/1';
export const W2 = 'qihe-county/2';
export const W3 = 'qihe-county/3';

export interface IssueOptions {
  board?: string;
  number?: string;
  priority?: 'normal' | 'green' | 'appointment';
  appointment?: { code: string; slotStart: number };
  recallLimit?: number;
  orderKey?: number;
  at?: number;
}

export function issued(o: IssueOptions = {}): Extract<TicketAction, { type: 'issued' }> {
  const board = o.board ?? 'A';
  return {
    type: 'issued',
    office: OFFICE,
    board,
    number: o.number ?? `${board}001`,
    priority: o.priority ?? 'normal',
    ...(o.appointment ? { appointment: o.appointment } : {}),
    recallLimit: o.recallLimit ?? 2,
    orderKey: o.orderKey ?? 1,
    businessDate: '2025-03-03',
  };
}

/** A ticket's log under construction: `.do(action, at)` appends an event, `.state` is the fold. */
export class TicketLog {
  readonly events: TicketEvent[] = [];
  state: TicketState | undefined;
  private seq = 0;

  constructor(readonly ticketId: string) {}

  event(action: TicketAction, at: number, actor: TicketEvent['actor'] = { kind: 'system' }): TicketEvent {
    this.seq += 1;
    return { eventId: `${this.ticketId}:${this.seq}`, ticketId: this.ticketId, at, actor, action };
  }

  /** Applies one action; throws with the reducer's reason when it is refused. */
  do(action: TicketAction, at: number): this {
    const e = this.event(action, at);
    const r = applyTicketEvent(this.state, e);
    if (!r.ok) throw new Error(`refused ${action.type}: ${r.reason}`);
    this.events.push(e);
    this.state = r.state;
    return this;
  }

  get current(): TicketState {
    if (!this.state) throw new Error('ticket not issued');
    return this.state;
  }
}

/** Issues a ticket at `at` (default: its orderKey) and returns its state. */
export function waitingTicket(ticketId: string, o: IssueOptions = {}): TicketState {
  return new TicketLog(ticketId).do(issued(o), o.at ?? o.orderKey ?? 1).current;
}

/** Called by a window and handed over, the usual path to a given status. */
export function ticketIn(
  status: TicketState['status'],
  ticketId = 't1',
  o: IssueOptions = {},
): TicketState {
  const log = new TicketLog(ticketId).do(issued(o), 1_000);
  const call = () => log.do({ type: 'called', windowId: W1, staffId: '1001' }, 2_000);
  switch (status) {
    case 'WAITING':
      break;
    case 'CALLED':
      call();
      break;
    case 'SERVING':
      call().do({ type: 'started' }, 3_000);
      break;
    case 'HELD':
      call().do({ type: 'started' }, 3_000).do({ type: 'held', kind: 'waiting' }, 4_000);
      break;
    case 'TRANSFERRED':
      call().do({ type: 'transferred', toBoard: 'B', position: 'back', orderKey: 900 }, 3_000);
      break;
    case 'RECYCLED':
      call().do({ type: 'recycled', orderKey: 800 }, 3_000);
      break;
    case 'DONE':
      call().do({ type: 'started' }, 3_000).do({ type: 'finished' }, 5_000);
      break;
    case 'NO_SHOW':
      call().do({ type: 'no_show' }, 3_000);
      break;
    case 'CANCELLED':
      log.do({ type: 'cancelled', reason: '申请人离开' }, 2_000);
      break;
  }
  return log.current;
}
