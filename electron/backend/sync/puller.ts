import type { HallInput, PullPage } from '../../../shared/hall/api.js';
import { businessDate } from '../../../shared/queue/numbering.js';
import { createLogger } from '../log.js';
import { CoalescedRun } from './coalesced-run.js';
import type { Db } from '../store/database.js';
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

/** Fetches one page from the hall (`GET /api/sync/pull`). */
export type PullSource = (input: HallInput<'pull'>) => Promise<PullPage>;

export interface PullerHooks {
  /** Where to pull from now and under which sync identity; null while not enrolled / no hall. */
  source(): { pull: PullSource; clientId: string } | null;
  /** A page was applied (replica, cursor or reference data may have changed). */
  onApplied?(result: ApplyResult): void;
}

/**
 * Keeps the replica (see replica.ts) up to date: pulls from the stored cursor, page after page while
 * the hall says there is more, each page applied in one transaction. `request()` coalesces: while a
 * pull runs, any number of requests make exactly one more pull after it. Triggers (index.ts): the
 * hall connection opening, the hall's `queue.changed`, and acknowledgements of our own pushes
 * (which release tickets held by the pending-write rule). A failed pull waits for the next trigger.
 */
export class Puller {
  private readonly run = new CoalescedRun(
    async () => {
      await this.pullAll();
      this.lastError = null;
    },
    () => !this.closed,
    (err) => {
      this.lastError = err instanceof Error ? err.message : String(err);
      log.debug('pull failed; waiting for the next trigger', err);
    },
  );
  private closed = false;
  lastError: string | null = null;

  constructor(
    private readonly db: Db,
    private readonly hooks: PullerHooks,
    private readonly now: () => number = Date.now,
    private readonly pageLimit = PULL_PAGE_LIMIT,
  ) {}

  /** Pull now, or once more right after the pull in progress. Resolves when that pull ended. */
  request(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.run.request();
  }

  status(): { lastPullAt: number | null; pullCursor: number } {
    return { lastPullAt: lastPullAt(this.db), pullCursor: pullCursor(this.db) };
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
  }

  private async pullAll(): Promise<void> {
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
      const page = await src.pull(input);
      if (this.closed) return;
      if (this.hooks.source()?.clientId !== src.clientId) return; // re-enrolled meanwhile: the page is another hall's
      const r = applyPullPage(this.db, page, { cursor, caseCursor: cases }, this.now());
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
      if (!moreTickets && !moreCases) return;
    }
  }
}
