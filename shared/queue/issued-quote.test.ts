import { describe, expect, it } from 'vitest';
import { issued } from '../../tests/support/ticket-events.js';
import { TicketEvent } from './types.js';

/** The `issued` action's quoted wait: optional (older logs have none), whole non-negative minutes. */
const event = (action: unknown) => ({ eventId: 's1', ticketId: 't1', at: 0, actor: { kind: 'kiosk' }, action });

describe('the quoted wait on an issued ticket', () => {
  it('is kept when it is whole minutes, and an older issue without it still reads', () => {
    expect(TicketEvent.parse(event({ ...issued(), quotedWaitMinutes: 12 })).action).toMatchObject({ quotedWaitMinutes: 12 });
    expect(TicketEvent.parse(event({ ...issued(), quotedWaitMinutes: 0 })).action).toMatchObject({ quotedWaitMinutes: 0 });
    expect(TicketEvent.parse(event(issued())).action).not.toHaveProperty('quotedWaitMinutes');
  });

  it('refuses a negative, fractional or non-numeric quote', () => {
    for (const bad of [-1, 2.5, '12', null]) expect(TicketEvent.safeParse(event({ ...issued(), quotedWaitMinutes: bad })).success).toBe(false);
  });
});
