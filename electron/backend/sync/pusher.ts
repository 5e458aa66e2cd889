import { AppError } from '../../../shared/errors.js';
import { MAX_BODY_BYTES, MAX_PUSH_MUTATIONS, type HallInput, type HallOutput, type Mutation } from '../../../shared/hall/api.js';
import { HallHttpError, type HallAuth } from '../hall-client/http.js';
import { lastAppliedOf, reusedFrom } from '../../../upstream/sync/progress.js';
import { createLogger } from '../log.js';
import { HALL_PROGRESS_LOST_MESSAGE } from './hall-reset.js';
import { RetryLoop, SWEEP_MS } from './retry-loop.js';
import type { Outbox, OutboxEntry } from '../store/outbox.js';

const log = createLogger('pusher');
const PUSH_TIMEOUT_MS = 8000;
/** A push body stays under the hall's request limit (case actions can be large: whole forms). */
const PUSH_BATCH_BYTES = MAX_BODY_BYTES - 16 * 1024;

/** The longest prefix of `batch` (at least one entry) whose mutations fit in one push body. */
export function fitBatch(batch: readonly OutboxEntry[], maxBytes = PUSH_BATCH_BYTES): OutboxEntry[] {
  let bytes = 0;
  let n = 0;
  for (const e of batch) {
    bytes += Buffer.byteLength(JSON.stringify(e.body)) + 32;
    if (n > 0 && bytes > maxBytes) break;
    n++;
  }
  return batch.slice(0, n);
}

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
  /**
   * The hall refused the push as out of order: it has lost mutations it acknowledged (its progress,
   * when it named it, is `lastApplied`). The puller mends it (lost-progress.ts) on its next pull;
   * the caller should ask for one now.
   */
  onProgressLost?(lastApplied: number | null): void;
}

/**
 * Sends the outbox to the hall server in mutation-id order, in batches (at most MAX_PUSH_MUTATIONS
 * and a body under the hall's size limit), one push at a time.
 *  - applied / duplicate ack → the entry is deleted (only now);
 *  - failed ack → parked with the hall's reason (the hall consumed the id; later entries go on);
 *  - network error, timeout, 5xx, out_of_order, 401/403 → nothing changes locally; retried with
 *    exponential backoff (200 ms … 5 s) and at once when the connection comes back (`kick`);
 *  - out_of_order means the hall lost mutations it had acknowledged (the oldest pending entry is
 *    always pushed first): the status says so (HALL_PROGRESS_LOST_MESSAGE) and `onProgressLost`
 *    asks for the pull that puts them back in the outbox (lost-progress.ts); the retries then go on;
 *  - any other 4xx → the batch is retried one entry at a time and the refused entry is parked.
 * An idle pusher with pending entries (put there without a kick) runs by itself within SWEEP_MS.
 */
export class Pusher {
  private readonly loop: RetryLoop;

  constructor(
    private readonly outbox: Outbox,
    private readonly hooks: PusherHooks,
  ) {
    this.loop = new RetryLoop('push', () => this.pushAll(), () => this.hooks.onChange(), log, {
      everyMs: SWEEP_MS,
      hasWork: () => this.outbox.pendingCount() > 0,
    });
  }

  /** Push now (or right after the current push), without waiting. */
  kick(): void {
    this.loop.kick();
  }

  /** The connection came back: forget the backoff and push now. */
  reconnected(): void {
    this.loop.reconnected();
  }

  /** Resolves when nothing is pending; rejects with the push error otherwise. */
  flush(): Promise<void> {
    return this.loop.flush(
      () => this.outbox.pendingCount() === 0,
      new AppError('internal', '记录上传未完成，请稍后重试。', 'flush: outbox still not empty after 5 runs'),
    );
  }

  /** Why the last push failed, until one succeeds. */
  get lastError(): string | null {
    return this.loop.lastError;
  }

  close(): void {
    this.loop.close();
  }

  private async pushAll(): Promise<void> {
    let batchSize = MAX_PUSH_MUTATIONS;
    for (;;) {
      if (this.loop.closed) return;
      const batch = fitBatch(this.outbox.pending(batchSize));
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
        if (err instanceof HallHttpError && err.code === 'out_of_order') {
          if (this.idsReused(err)) continue;
          throw this.progressLost(err, batch[0]!.mutationId);
        }
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

  /**
   * The hall holds some of these ids with other content: this window's disk was restored from an
   * older image and gave ids it had used to new work (upstream/sync/mutation-digest.ts). That work
   * is numbered again after the hall's progress and pushed at once; what the hall holds stays.
   */
  private idsReused(err: HallHttpError): boolean {
    const first = reusedFrom(err.detail);
    const lastApplied = lastAppliedOf(err.detail);
    if (first === null || lastApplied === null) return false;
    const moved = this.outbox.renumberFrom(first, lastApplied);
    log.warn(`the hall holds mutation ids ${first}…${lastApplied} with other content (disk restored from an older image?): ${moved} pending mutation(s) numbered again from ${lastApplied + 1}`);
    this.hooks.onChange();
    return moved > 0; // nothing moved: not retried at once (the retry loop backs off)
  }

  private progressLost(err: HallHttpError, first: number): AppError {
    const lastApplied = lastAppliedOf(err.detail);
    log.warn(`the hall refuses mutation ${first} as out of order (its last applied: ${lastApplied ?? 'not named'}): it has lost acknowledged mutations`);
    try {
      this.hooks.onProgressLost?.(lastApplied);
    } catch (hookErr) {
      log.error('onProgressLost hook failed', hookErr);
    }
    return new AppError('out_of_order', HALL_PROGRESS_LOST_MESSAGE, err.detail);
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
