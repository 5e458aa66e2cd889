import type { Mutation, MutationAck, WindowTicketAction } from '../../shared/hall/api.js';
import type { TicketView } from '../../shared/hall/views.js';
import { HallClient, HallHttpError, requestId, retryWhileOffline } from './hall-http.js';

/**
 * One window of a load test, behaving like the workstation: "call next" with an idempotency key that
 * is kept until an answer arrives (so a call whose response was lost is retried with the same key and
 * returns the same ticket), and ticket actions sent as outbox mutations with rising mutation ids,
 * retried unchanged until acknowledged.
 */
export interface ClerkOptions {
  client: HallClient;
  windowId: string;
  staffId: string;
  /** Give up retrying an unreachable hall server after this time (epoch ms). */
  deadline: number;
  /** Mutation ids already used by this client (0 for a fresh enrolment). */
  lastMutationId?: number;
}

export class WindowClerk {
  readonly client: HallClient;
  readonly windowId: string;
  readonly staffId: string;
  /** Ticket ids this window was given by "call next", in order (a retried call counts once). */
  readonly called: string[] = [];
  /** Latency of each answered "call next" that returned a ticket, ms (connection retries included). */
  readonly callLatencyMs: number[] = [];
  readonly failedAcks: Array<MutationAck & { ticketId: string }> = [];
  retries = 0;
  mutationsApplied = 0;
  private nextMutationId: number;
  private pendingCall: string | undefined;
  private readonly deadline: number;

  constructor(o: ClerkOptions) {
    this.client = o.client;
    this.windowId = o.windowId;
    this.staffId = o.staffId;
    this.deadline = o.deadline;
    this.nextMutationId = (o.lastMutationId ?? 0) + 1;
  }

  private offline<T>(fn: () => Promise<T>): Promise<T> {
    return retryWhileOffline(fn, { deadline: this.deadline, onRetry: () => this.retries++ });
  }

  /** Calls the next ticket; `null` when nobody is waiting for this window. */
  async callNext(): Promise<TicketView | null> {
    this.pendingCall ??= requestId();
    const rid = this.pendingCall;
    const t0 = performance.now();
    const r = await this.offline(() => this.client.call('callNext', { requestId: rid }));
    const ms = performance.now() - t0;
    this.pendingCall = undefined;
    if (r.ticket) {
      this.callLatencyMs.push(ms);
      this.called.push(r.ticket.ticketId);
    }
    return r.ticket;
  }

  /** Sends actions on a ticket as one push of consecutive mutations; retried unchanged until acked. */
  async act(ticketId: string, actions: readonly WindowTicketAction[]): Promise<MutationAck[]> {
    const clientId = this.client.clientId;
    if (!clientId) throw new Error('client not enrolled');
    const mutations: Mutation[] = actions.map((action) => ({
      mutationId: this.nextMutationId++,
      kind: 'ticket_action',
      ticketId,
      windowId: this.windowId,
      staffId: this.staffId,
      at: Date.now(),
      action,
    }));
    const r = await this.offline(() => this.client.call('push', { clientId, mutations }));
    for (const ack of r.acks) {
      if (ack.status === 'failed') this.failedAcks.push({ ...ack, ticketId });
      else this.mutationsApplied++;
    }
    return r.acks;
  }

  /** Greets the applicant and finishes the service: `started` + `finished` in one push. */
  serve(ticketId: string): Promise<MutationAck[]> {
    return this.act(ticketId, [{ type: 'started' }, { type: 'finished' }]);
  }

  /**
   * Calls and serves until the line is empty and `more()` says no more tickets are coming (while
   * it says yes, an empty line is polled again), or until `stop()`. Returns the number served.
   */
  async workThroughLine(o: { stop?: () => boolean; more?: () => boolean; pollMs?: number } = {}): Promise<number> {
    let served = 0;
    while (!o.stop?.()) {
      const t = await this.callNext();
      if (!t) {
        if (o.more?.()) {
          await new Promise((r) => setTimeout(r, o.pollMs ?? 5));
          continue;
        }
        break;
      }
      await this.serve(t.ticketId);
      served++;
    }
    return served;
  }
}

/** Issues tickets at the kiosk; each request keeps its requestId across connection retries. */
export async function issueAtKiosk(
  client: HallClient,
  o: { office: string; board: string; deadline: number; onRetry?: () => void },
): Promise<{ ticketId: string; number: string; board: string }> {
  const rid = requestId();
  const r = await retryWhileOffline(() => client.call('kioskIssue', { office: o.office, board: o.board, requestId: rid }), {
    deadline: o.deadline,
    onRetry: o.onRetry,
  });
  return { ticketId: r.ticketId, number: r.number, board: r.board };
}

export function isHallError(err: unknown, code: string): boolean {
  return err instanceof HallHttpError && err.code === code;
}
