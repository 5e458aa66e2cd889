import { AppError } from '../../../shared/errors.js';
import { MAX_PUSH_MUTATIONS, type HallInput, type HallOutput, type Mutation } from '../../../shared/hall/api.js';
import { HallHttpError, type HallAuth } from '../hall-client/http.js';
import { createLogger } from '../log.js';
import type { Outbox, OutboxEntry } from '../store/outbox.js';

const log = createLogger('pusher');
const MIN_BACKOFF_MS = 200;
const MAX_BACKOFF_MS = 5000;
const PUSH_TIMEOUT_MS = 8000;

/** What the pusher needs of the hall client: its push call. HallHttp in the app; a simulated network in tests. */
export interface PushHttp {
  call(name: 'push', input: HallInput<'push'>, auth: HallAuth, timeoutMs?: number): Promise<HallOutput<'push'>>;
}

export interface PushTarget {
  http: PushHttp;
  deviceToken: string;
  clientId: string;
}

export interface PusherHooks {
  /** Where to push now; null while the device is not enrolled. */
  target(): PushTarget | null;
  /** Entries the hall acknowledged as applied (or already applied). */
  /** Runs inside the transaction that deletes the acknowledged entries: synchronous local writes only. */
  onAcked(entries: OutboxEntry[]): void;
  /** Anything visible in SyncStatus changed. */
  onChange(): void;
}

/**
 * Sends the outbox to the hall server in mutation-id order, in batches, one push at a time.
 *  - applied / duplicate ack → the entry is deleted (only now);
 *  - failed ack → parked with the hall's reason (the hall consumed the id; later entries go on);
 *  - network error, timeout, 5xx, out_of_order, 401/403 → nothing changes locally; retried with
 *    exponential backoff (200 ms … 5 s) and at once when the connection comes back (`kick`);
 *  - any other 4xx → the batch is retried one entry at a time and the refused entry is parked.
 */
export class Pusher {
  private inflight: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private backoffMs = MIN_BACKOFF_MS;
  private closed = false;
  lastError: string | null = null;

  constructor(
    private readonly outbox: Outbox,
    private readonly hooks: PusherHooks,
  ) {}

  /** Push now (or right after the current push), without waiting. */
  kick(): void {
    this.drain().catch(() => undefined);
  }

  /** The connection came back: forget the backoff and push now. */
  reconnected(): void {
    this.backoffMs = MIN_BACKOFF_MS;
    this.kick();
  }

  /** Resolves when nothing is pending; rejects with the push error otherwise. */
  async flush(): Promise<void> {
    for (let i = 0; i < 5; i++) {
      await this.drain();
      if (this.outbox.pendingCount() === 0) return;
    }
    throw new AppError('internal', '记录上传未完成，请稍后重试。', 'flush: outbox still not empty after 5 drains');
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private drain(): Promise<void> {
    if (this.closed) return Promise.reject(new AppError('internal', '工作站正在关闭。', 'pusher closed'));
    if (this.inflight) return this.inflight;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const run = this.pushAll().then(
      () => {
        this.backoffMs = MIN_BACKOFF_MS;
        if (this.lastError !== null) {
          this.lastError = null;
          this.hooks.onChange();
        }
      },
      (err: unknown) => {
        const message = err instanceof AppError ? err.message : String(err);
        // One warning per kind of failure, not one per retry.
        if (message !== this.lastError) log.warn(`push failed, retrying in ${this.backoffMs} ms`, err);
        else log.debug(`push failed again, retrying in ${this.backoffMs} ms`);
        this.lastError = message;
        if (!this.closed) {
          this.retryTimer = setTimeout(() => {
            this.retryTimer = null;
            this.kick();
          }, this.backoffMs);
          this.retryTimer.unref?.();
        }
        this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
        this.hooks.onChange();
        throw err;
      },
    );
    this.inflight = run.finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async pushAll(): Promise<void> {
    let batchSize = MAX_PUSH_MUTATIONS;
    for (;;) {
      if (this.closed) return;
      const batch = this.outbox.pending(batchSize);
      if (batch.length === 0) return;
      const target = this.hooks.target();
      if (!target) throw new AppError('unauthorized', '本机尚未登记到大厅服务器，记录暂存本机。', 'push: not enrolled');
      const mutations: Mutation[] = batch.map((e) => ({ ...e.body, mutationId: e.mutationId }));
      this.outbox.markAttempt(batch.map((e) => e.mutationId));
      try {
        const res = await target.http.call('push', { clientId: target.clientId, mutations }, { deviceToken: target.deviceToken }, PUSH_TIMEOUT_MS);
        faultAfterAck();
        const byId = new Map(batch.map((e) => [e.mutationId, e]));
        const acked = res.acks.filter((a) => a.status === 'applied' || (a.status === 'duplicate' && !a.reason)).flatMap((a) => byId.get(a.mutationId) ?? []);
        // The window's copy of the hall's panel takes the acknowledged actions in the same transaction
        // as the outbox delete, so no crash can leave the ticket shown as it was before them.
        const { done, parked } = this.outbox.applyAcks(res.acks, () => {
          if (acked.length > 0) this.hooks.onAcked(acked);
        });
        if (parked > 0) log.warn(`${parked} mutation(s) refused by the hall and parked`, res.acks.filter((a) => a.status === 'failed'));
        this.hooks.onChange();
        if (done + parked === 0) {
          throw new AppError('internal', '大厅服务器未确认上传的记录，稍后自动重试。', `push: no ack for ${batch[0]!.mutationId}…, lastApplied ${res.lastApplied}`);
        }
        batchSize = MAX_PUSH_MUTATIONS;
      } catch (err) {
        if (!(err instanceof HallHttpError) || !isParkable(err)) throw err;
        if (batch.length > 1) {
          // Find the one entry the hall refuses: the hall applies in order, so it is the first one
          // that fails on its own.
          batchSize = 1;
          continue;
        }
        log.warn(`mutation ${batch[0]!.mutationId} refused (${err.status}), parked`, err);
        this.outbox.parkUnconsumed(batch[0]!.mutationId, err.message);
        this.hooks.onChange();
      }
    }
  }
}

/**
 * Fault injection for `npm run test:faults` only: with ONEWINDOW_FAULT=crash-after-ack the process
 * kills itself (SIGKILL) with probability ONEWINDOW_FAULT_P (default 0.05) right after the hall's
 * acknowledgement arrived and before the outbox delete. Inert unless the variable is set.
 */
const FAULT_CRASH_AFTER_ACK = process.env.ONEWINDOW_FAULT === 'crash-after-ack';
const FAULT_P = Number(process.env.ONEWINDOW_FAULT_P ?? '0.05');
function faultAfterAck(): void {
  if (FAULT_CRASH_AFTER_ACK && Math.random() < FAULT_P) process.kill(process.pid, 'SIGKILL');
}

/** A refusal that belongs to the mutation itself (not the network, the hall's health, the device or the order). */
function isParkable(err: HallHttpError): boolean {
  if (err.status >= 500) return false;
  if (err.code === 'out_of_order' || err.code === 'offline') return false;
  return err.status !== 401 && err.status !== 403 && err.status !== 429;
}
