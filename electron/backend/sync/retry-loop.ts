import { AppError } from '../../../shared/errors.js';
import type { Logger } from '../log.js';

export const MIN_BACKOFF_MS = 200;
export const MAX_BACKOFF_MS = 5000;
/** How often an idle loop looks for work nobody kicked it for (see `sweep`). */
export const SWEEP_MS = 5_000;

/**
 * Runs one kind of upload (outbox pushes, attachments) until it succeeds, the way every uploader of
 * the window must behave:
 *  - one run at a time; asked again during a run, it runs once more afterwards (something may have
 *    been written after the run listed its work);
 *  - a failed run is retried by itself with exponential backoff (200 ms … 5 s), and at once when the
 *    connection comes back (`reconnected`), without needing a new local write;
 *  - the last failure is kept for the status line, and cleared by the next success;
 *  - with a `sweep`, an idle loop (no run, no retry scheduled) that has work runs by itself every
 *    `everyMs`: work can appear without a kick (e.g. entries put back in the outbox by the puller
 *    after a hall reset, attachments to check again), and it must not wait for the next local write.
 */
export class RetryLoop {
  private inflight: Promise<void> | null = null;
  private again = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private backoffMs = MIN_BACKOFF_MS;
  private closedFlag = false;
  private sweepTimer: NodeJS.Timeout | null = null;
  lastError: string | null = null;

  constructor(
    private readonly what: string,
    private readonly work: () => Promise<void>,
    private readonly onChange: () => void,
    private readonly log: Logger,
    sweep?: { everyMs: number; hasWork: () => boolean },
  ) {
    if (sweep) {
      this.sweepTimer = setInterval(() => {
        if (this.closedFlag || this.inflight || this.retryTimer) return;
        try {
          if (!sweep.hasWork()) return;
        } catch {
          return; // e.g. the database is closing
        }
        this.log.debug(`${this.what}: work found while idle, running`);
        this.kick();
      }, sweep.everyMs);
      this.sweepTimer.unref?.();
    }
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Run now (or right after the current run), without waiting. */
  kick(): void {
    this.run().catch(() => undefined);
  }

  /** The connection came back: forget the backoff and run now. */
  reconnected(): void {
    this.backoffMs = MIN_BACKOFF_MS;
    this.kick();
  }

  /** Runs until `isDone()` (at most 5 runs); rejects with the run's error, or `notDone` if work remains. */
  async flush(isDone: () => boolean, notDone: AppError): Promise<void> {
    for (let i = 0; i < 5; i++) {
      await this.run();
      if (isDone()) return;
    }
    throw notDone;
  }

  close(): void {
    this.closedFlag = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
  }

  /** One run now, or the one under way. Rejects with that run's error. */
  run(): Promise<void> {
    if (this.closedFlag) return Promise.reject(new AppError('internal', '工作站正在关闭。', `${this.what}: closed`));
    if (this.inflight) {
      this.again = true;
      return this.inflight;
    }
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.again = false;
    const run = this.work().then(
      () => {
        this.backoffMs = MIN_BACKOFF_MS;
        if (this.lastError !== null) {
          this.lastError = null;
          this.onChange();
        }
      },
      (err: unknown) => {
        const message = err instanceof AppError ? err.message : String(err);
        // One warning per kind of failure, not one per retry.
        if (message !== this.lastError) this.log.warn(`${this.what} failed, retrying in ${this.backoffMs} ms`, err);
        else this.log.debug(`${this.what} failed again, retrying in ${this.backoffMs} ms`);
        this.lastError = message;
        if (!this.closedFlag) {
          this.retryTimer = setTimeout(() => {
            this.retryTimer = null;
            this.kick();
          }, this.backoffMs);
          this.retryTimer.unref?.();
        }
        this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
        this.onChange();
        throw err;
      },
    );
    this.inflight = run.finally(() => {
      this.inflight = null;
      if (this.again && !this.closedFlag && this.retryTimer === null) this.kick();
    });
    return this.inflight;
  }
}
