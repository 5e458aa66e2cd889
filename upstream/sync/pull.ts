import type { PullPage, PullReference } from '../../shared/hall/api.js';
import { visibleOffices, type HallConfig } from '../../shared/office/config.js';
import type { HallStore } from '../store/hall-store.js';
import { HallIdentity } from './hall-identity.js';
import { versionOf, type HallReferenceData } from './reference-data.js';

/** What a window says it holds: one version per part of the reference data. */
export interface PullInput {
  cursor: number;
  /** The case log's cursor (its own sequence); 0 when the window has none. */
  caseCursor?: number | undefined;
  /** The most events of each log (tickets, cases) one page holds. */
  limit: number;
  referenceVersion?: string | undefined;
  catalogVersion?: string | undefined;
  calendarVersion?: string | undefined;
  /** The window's client id: the page then carries the hall's progress for it. */
  clientId?: string | undefined;
}

/**
 * The hall's side of a window's pull: the ticket events and the case events its office may see
 * after its two cursors (two logs, two sequences), in server sequence order, one page at a time,
 * plus each part of the reference data (office settings, matter catalog, holiday calendars) whose
 * version differs from the window's copy, plus the hall's identity and log positions (`hall`, see
 * hall-identity.ts). Read-only; runs synchronously, so the page and `lastTicketSeq` describe the
 * same moment of the log (what the open group-commit batch holds; the reply waits for its commit).
 */
export class PullService {
  private readonly references = new Map<string, { version: string; reference: PullReference }>();
  private readonly identity: HallIdentity;

  constructor(
    private readonly store: HallStore,
    private readonly config: HallConfig,
    private readonly shared: HallReferenceData | null = null,
  ) {
    this.identity = new HallIdentity(store);
  }

  /** The reference data of `office` and its version (hash of its JSON); computed once per office. */
  reference(office: string): { version: string; reference: PullReference } {
    let r = this.references.get(office);
    if (!r) {
      const offices = visibleOffices(this.config, office);
      const reference: PullReference = {
        hallName: this.config.hallName,
        timeZone: this.config.timeZone,
        offices: this.config.offices.filter((o) => offices.includes(o.id)),
        // Never the PIN hash: only what a window shows about a colleague.
        staff: this.config.staff.filter((s) => offices.includes(s.office)).map((s) => ({ id: s.id, name: s.name, office: s.office, roles: s.roles })),
      };
      const version = versionOf(reference);
      r = { version, reference };
      this.references.set(office, r);
    }
    return r;
  }

  /**
   * One page for a device of `office`. `nextCursor` is the last seq returned while more follow;
   * on the last page it is the hall's latest seq (never below the cursor), so events of offices the
   * window may not see are not scanned again next time. An event's office never changes, so
   * skipping them is safe.
   */
  page(office: string, input: PullInput, serverNow: number): PullPage {
    const offices = visibleOffices(this.config, office);
    const lastTicketSeq = this.store.lastTicketSeq();
    const tickets = logPage(this.store.ticketEventsAfter(offices, input.cursor, input.limit + 1), input.cursor, input.limit, lastTicketSeq);
    const caseCursor = input.caseCursor ?? 0;
    const lastCaseSeq = this.store.cases.lastSeq();
    const cases = logPage(this.store.cases.eventsAfter(offices, caseCursor, input.limit + 1), caseCursor, input.limit, lastCaseSeq);
    const ref = this.reference(office);
    const catalog = this.shared?.catalog ?? null;
    const calendars = this.shared?.calendars ?? null;
    return {
      events: tickets.events,
      nextCursor: tickets.next,
      hasMore: tickets.hasMore,
      referenceVersion: ref.version,
      reference: input.referenceVersion === ref.version ? null : ref.reference,
      catalogVersion: catalog?.version ?? null,
      catalog: catalog === null || input.catalogVersion === catalog.version ? null : catalog.source,
      calendarVersion: calendars?.version ?? null,
      calendars: calendars === null || input.calendarVersion === calendars.version ? null : calendars.years,
      caseEvents: cases.events,
      nextCaseCursor: cases.next,
      caseHasMore: cases.hasMore,
      serverNow,
      hall: this.identity.describe(
        office,
        { lastSeq: lastTicketSeq, cursor: input.cursor, next: tickets.next },
        { lastSeq: lastCaseSeq, cursor: caseCursor, next: cases.next },
        input.clientId,
      ),
    };
  }
}

/**
 * One log's part of a page from up to `limit + 1` rows after `cursor`: while more follow, the next
 * cursor is the last seq returned; on the last page it is the log's latest seq (never below the cursor).
 */
function logPage<T extends { seq: number }>(rows: T[], cursor: number, limit: number, lastSeq: number): { events: T[]; next: number; hasMore: boolean } {
  const hasMore = rows.length > limit;
  const events = hasMore ? rows.slice(0, limit) : rows;
  return { events, next: hasMore ? events[events.length - 1]!.seq : Math.max(cursor, lastSeq), hasMore };
}
