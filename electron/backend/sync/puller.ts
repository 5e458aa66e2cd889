import type { HallInput, PullPage } from '../../../shared/hall/api.js';
import { businessDate } from '../../../shared/queue/numbering.js';
import { createLogger } from '../log.js';
import { CoalescedRun } from './coalesced-run.js';
import type { Db } from '../store/database.js';
import { HALL_RESET_MESSAGE, HALL_RESET_REASON, knowsHallEpoch, type HallResetReason } from './hall-reset.js';
import { nextMutationId, progressLost, recoverLostProgress, type LostProgressRecovery } from './lost-progress.js';
import {
  applyPullPage,
  bindReplica,
  calendarVersion,
  caseCursor,
  catalogVersion,
  cleanReplica,
  lastPullAt,
  pullCursor,
  referenceVersion,
  replicaReference,
  type ApplyResult,
} from './replica.js';

const log = createLogger('puller');
export const PULL_PAGE_LIMIT = 500;
/** Replica tickets of business days older than this are removed at start (unsynced work never). */
export const REPLICA_KEEP_DAYS = 7;
/** Closed cases of other windows opened longer ago than this are removed at start (the window's own never). */
export const CASE_REPLICA_KEEP_DAYS = 30;

/** A failed pull is tried again after this long, doubling up to the maximum, until one succeeds. */
export const PULL_RETRY_MIN_MS = 1000;
export const PULL_RETRY_MAX_MS = 30_000;

/** Fetches one page from the hall (`GET /api/sync/pull`). */
export type PullSource = (input: HallInput<'pull'>) => Promise<PullPage>;

/** What the puller found and did about a hall whose database was reset (see hall-reset.ts). */
export interface HallResetReport {
  reason: HallResetReason;
  /** Set when the hall had lost acknowledged mutations of this window: what was put back in the outbox. */
  recovery?: LostProgressRecovery;
}

export interface PullerHooks {
  /** Where to pull from now and under which sync identity; null while not enrolled / no hall. */
  source(): { pull: PullSource; clientId: string } | null;
  /** A page was applied (replica, cursor or reference data may have changed). */
  onApplied?(result: ApplyResult): void;
  /**
   * The hall's database was reset: the replica was dropped and is being pulled again, and/or lost
   * mutations were put back in the outbox and attachments marked for checking again. The caller
   * should kick the pusher and the attachment uploader (they also find the work by themselves within
   * their idle sweep) and show the status.
   */
  onHallReset?(report: HallResetReport): void;
}

/**
 * Keeps the replica (see replica.ts) up to date: pulls from the stored cursor, page after page while
 * the hall says there is more, each page applied in one transaction. `request()` coalesces: while a
 * pull runs, any number of requests make exactly one more pull after it. Triggers (index.ts): the
 * hall connection opening, the hall's `queue.changed`, and acknowledgements of our own pushes
 * (which release tickets held by the pending-write rule). A failed pull is tried again by itself
 * after a back-off (1 s, doubling up to 30 s; any successful pull resets it), so a window that
 * missed a pull while the hall blipped catches up without waiting for the next trigger.
 *
 * Each page is checked against the hall the replica was pulled from (hall-reset.ts): a reset hall
 * makes the replica start again from 0, and a hall that lost this window's acknowledged mutations
 * gets them again (lost-progress.ts).
 */
export class Puller {
  private readonly run = new CoalescedRun(
    async () => {
      await this.pullAll();
      this.succeeded();
    },
    () => !this.closed,
    (err) => {
      this.lastError = err instanceof Error ? err.message : String(err);
      log.debug(`pull failed; trying again in ${this.backoffMs} ms`, err);
      this.scheduleRetry();
    },
  );
  private closed = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private backoffMs: number;
  lastError: string | null = null;
  /**
   * The last hall reset seen (for the status line: HALL_RESET_MESSAGE), with what was put back in
   * the outbox; cleared once the replica has caught up again and nothing waits to be pushed.
   */
  hallReset: HallResetReport | null = null;

  constructor(
    private readonly db: Db,
    private readonly hooks: PullerHooks,
    private readonly now: () => number = Date.now,
    private readonly pageLimit = PULL_PAGE_LIMIT,
    private readonly retry: { minMs: number; maxMs: number } = { minMs: PULL_RETRY_MIN_MS, maxMs: PULL_RETRY_MAX_MS },
  ) {
    this.backoffMs = retry.minMs;
  }

  /** Pull now, or once more right after the pull in progress. Resolves when that pull ended. */
  request(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.run.request();
  }

  /** A retry is scheduled (a pull failed and none has succeeded since). */
  get retrying(): boolean {
    return this.retryTimer !== null;
  }

  private succeeded(): void {
    this.lastError = null;
    this.backoffMs = this.retry.minMs;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** One retry at a time: a failure while one is scheduled leaves it (and its delay) as it is. */
  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.request();
    }, this.backoffMs);
    this.retryTimer.unref?.();
    this.backoffMs = Math.min(this.retry.maxMs, this.backoffMs * 2);
  }

  status(): { lastPullAt: number | null; pullCursor: number; hallNotice: string | null } {
    return { lastPullAt: lastPullAt(this.db), pullCursor: pullCursor(this.db), hallNotice: this.hallReset ? HALL_RESET_MESSAGE : null };
  }

  /** Drops replica tickets of old business days (never unsynced work); returns how many. */
  cleanUp(keepDays = REPLICA_KEEP_DAYS): number {
    const timeZone = replicaReference(this.db)?.timeZone ?? 'Asia/Shanghai';
    const n = cleanReplica(this.db, { today: businessDate(this.now(), timeZone), keepDays, caseKeepDays: Math.max(keepDays, CASE_REPLICA_KEEP_DAYS) });
    if (n > 0) log.info(`removed ${n} replica ticket(s) and closed case(s) of other windows older than ${keepDays} days`);
    return n;
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private async pullAll(): Promise<void> {
    let resets = 0;
    for (;;) {
      if (this.closed) return;
      const src = this.hooks.source();
      if (!src) return;
      if (bindReplica(this.db, src.clientId)) log.info('enrolment changed: replica dropped, pulling again from the start');
      const cursor = pullCursor(this.db);
      const cases = caseCursor(this.db);
      // Each part of the reference data the window holds, by version: the hall sends only what differs.
      const input: HallInput<'pull'> = { cursor, caseCursor: cases, limit: this.pageLimit };
      const office = referenceVersion(this.db);
      const catalog = catalogVersion(this.db);
      const calendars = calendarVersion(this.db);
      if (office !== null) input.referenceVersion = office;
      if (catalog !== null) input.catalogVersion = catalog;
      if (calendars !== null) input.calendarVersion = calendars;
      // Only a hall that described itself before knows the client id parameter (older halls refuse unknown ones).
      if (knowsHallEpoch(this.db)) input.clientId = src.clientId;
      // Read before asking: an acknowledgement arriving meanwhile must not make the hall look behind.
      const nextId = nextMutationId(this.db);
      const page = await src.pull(input);
      if (this.closed) return;
      if (this.hooks.source()?.clientId !== src.clientId) return; // re-enrolled meanwhile: the page is another hall's
      const lastApplied = input.clientId !== undefined ? (page.hall?.lastApplied ?? null) : null;
      if (lastApplied !== null && progressLost(lastApplied, nextId)) this.recover(src.clientId, lastApplied);
      const r = applyPullPage(this.db, page, { cursor, caseCursor: cases }, this.now());
      if (r.reset) {
        log.warn(`hall reset detected (${HALL_RESET_REASON[r.reset]}): replica dropped, pulling again from the start`);
        this.reported({ reason: r.reset });
        if (++resets > 1) throw new Error(`hall reset seen twice in one pull (${r.reset}); trying again later`);
        continue;
      }
      if (r.applied + r.held + r.cases.applied + r.cases.held > 0 || page.reference || page.catalog || page.calendars) {
        log.debug(
          `pulled ${page.events.length} ticket event(s) after ${cursor}: applied ${r.applied}, held ${r.held}, cursor ${r.cursor}; ` +
            `${page.caseEvents.length} case event(s) after ${cases}: applied ${r.cases.applied}, held ${r.cases.held}, cursor ${r.cases.cursor}`,
        );
      }
      this.hooks.onApplied?.(r);
      if (!r.current) return;
      // Another page while either log has more and the last page moved its cursor (a held record stops it).
      const moreTickets = page.hasMore && !r.blocked && r.cursor > cursor;
      const moreCases = page.caseHasMore && !r.cases.blocked && r.cases.cursor > cases;
      if (!moreTickets && !moreCases) {
        if (this.hallReset && resets === 0 && !this.outboxWaiting()) this.hallReset = null; // caught up again, nothing left to re-send
        return;
      }
    }
  }

  private recover(clientId: string, lastApplied: number): void {
    const timeZone = replicaReference(this.db)?.timeZone ?? 'Asia/Shanghai';
    const recovery = recoverLostProgress(this.db, clientId, lastApplied, this.now(), timeZone);
    if (recovery) this.reported({ reason: 'progress_lost', recovery });
  }

  private outboxWaiting(): boolean {
    return this.db.prepare('SELECT 1 FROM outbox WHERE parked_reason IS NULL LIMIT 1').get() !== undefined;
  }

  private reported(report: HallResetReport): void {
    const recovery = report.recovery ?? this.hallReset?.recovery;
    this.hallReset = recovery ? { ...report, recovery } : report;
    try {
      this.hooks.onHallReset?.(report);
    } catch (err) {
      log.error('onHallReset hook failed', err);
    }
  }
}
