import { validateCatalog } from '../../../shared/catalog/validate.js';
import type { PullPage } from '../../../shared/hall/api.js';
import { applyTicketEvent } from '../../../shared/queue/ticket-reducer.js';
import type { TicketState } from '../../../shared/queue/types.js';
import { createLogger } from '../log.js';
import { getMeta, setMeta, type Db } from '../store/database.js';
import { forgetHallCopies } from '../attachments/attachment-store.js';
import { applyCaseEvents, cleanCaseReplica, dropCaseReplica } from './case-replica.js';
import { HALL_EPOCH, HALL_META, hallMismatch, rememberHall, type HallResetReason } from './hall-reset.js';
import {
  CALENDAR_JSON,
  CALENDAR_VERSION,
  CATALOG_JSON,
  CATALOG_VERSION,
  REFERENCE_JSON,
  REFERENCE_VERSION,
  replicaReference,
} from './replica-reference.js';

export {
  calendarVersion,
  catalogVersion,
  referenceData,
  referenceVersion,
  replicaReference,
  type ReferenceData,
} from './replica-reference.js';

/**
 * The workstation's replica of the hall's tickets (the offices it may see), filled by pulls.
 *
 * Pending-write rule — a pull never lands on a ticket with a local write still on its way up:
 *  - A ticket is *held* while the outbox has an unparked entry about it (a mutation not yet
 *    acknowledged). Events of a held ticket are not folded, and the cursor stops just before the
 *    first of them (`seq − 1`), so that event is pulled again once the entry has been acknowledged.
 *    Other tickets' events of the same page are folded at once; when they come round again they are
 *    skipped by `last_seq` (each replica row remembers the seq of the last event folded into it), so
 *    folding is idempotent and per-ticket order is kept.
 *  - A parked entry (the hall refused it and consumed its id) does not hold its ticket: the hall's
 *    record is the truth. It does keep the ticket from clean-up (`cleanReplica`).
 * The hold check, the folded rows, the new cursor and any new reference data are one transaction:
 * there is no moment at which the cursor has moved and the rows have not, or the reverse.
 *
 * Reference data comes in three parts, each stored with its own version and replaced whole when the
 * hall sends a new one: the office settings (`reference`), the matter catalog (its source files,
 * validated again on arrival — one that fails is not stored, so it is asked for again) and the
 * holiday calendars. `referenceData(db)` reads them back (replica-reference.ts).
 *
 * Cases come by their own cursor (the hall's case log has its own sequence) under the same rule and
 * in the same transaction: see case-replica.ts.
 *
 * A page from a hall whose database is not the one the replica was pulled from (wiped, replaced,
 * restored from an older backup: see hall-reset.ts) is not applied: the replica is dropped in the
 * same transaction and pulled again from 0 (`ApplyResult.reset`).
 */
const log = createLogger('replica');

export const PULL_CURSOR = 'pull.cursor';
export const PULL_IDENTITY = 'pull.client_id';
export const LAST_PULL_AT = 'pull.last_pull_at';
export const CASE_CURSOR = 'pull.case_cursor';
/** Everything a pull stores in `meta`: dropped together when the enrolment changes. */
const PULL_META = [
  PULL_CURSOR,
  REFERENCE_VERSION,
  REFERENCE_JSON,
  LAST_PULL_AT,
  CATALOG_VERSION,
  CATALOG_JSON,
  CALENDAR_VERSION,
  CALENDAR_JSON,
  CASE_CURSOR,
  ...HALL_META,
];
const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export interface ApplyResult {
  /** Events folded into the replica. */
  applied: number;
  /** Events not folded because their ticket has a pending local write. */
  held: number;
  /** Events the reducer refused (the replica lacks the ticket's earlier history); skipped. */
  refused: number;
  /** The cursor after this page. */
  cursor: number;
  /** True when a held ticket stopped the cursor: pull again after the outbox drains. */
  blocked: boolean;
  /** False when the page was asked for at another cursor than the stored one (ignored). */
  current: boolean;
  /** The case part of the page: events taken, held back, skipped; the case cursor after it. */
  cases: { applied: number; held: number; refused: number; cursor: number; blocked: boolean };
  /** Set when the page showed a reset hall: nothing was applied, the replica was dropped (pull again from 0). */
  reset?: HallResetReason;
}

export interface ReplicaTicket {
  state: TicketState;
  lastSeq: number;
}

export function pullCursor(db: Db): number {
  return Number(getMeta(db, PULL_CURSOR) ?? '0');
}

export function caseCursor(db: Db): number {
  return Number(getMeta(db, CASE_CURSOR) ?? '0');
}

export function lastPullAt(db: Db): number | null {
  const v = getMeta(db, LAST_PULL_AT);
  return v === null ? null : Number(v);
}

export function replicaTicket(db: Db, ticketId: string): ReplicaTicket | undefined {
  const r = db.prepare('SELECT state_json, last_seq FROM replica_ticket WHERE ticket_id = ?').get(ticketId) as
    | { state_json: string; last_seq: number }
    | undefined;
  return r ? { state: JSON.parse(r.state_json) as TicketState, lastSeq: r.last_seq } : undefined;
}

/** Tickets an unparked outbox entry is about: the pull leaves them alone for now. */
function heldTickets(db: Db): Set<string> {
  const rows = db
    .prepare(`SELECT DISTINCT json_extract(json, '$.ticketId') AS t FROM outbox WHERE parked_reason IS NULL AND mutation_id > 0`)
    .all() as Array<{ t: string | null }>;
  return new Set(rows.flatMap((r) => (r.t === null ? [] : [r.t])));
}

/**
 * Makes the replica belong to sync identity `clientId` (the device's enrolment): a replica pulled
 * from another enrolment (another hall, another seq space) is dropped and pulled again from 0.
 * Outbox and local records are untouched. Returns true if it reset anything.
 */
export function bindReplica(db: Db, clientId: string): boolean {
  return db.transaction(() => {
    const current = getMeta(db, PULL_IDENTITY);
    if (current === clientId) return false;
    dropReplica(db, Date.now());
    setMeta(db, PULL_IDENTITY, clientId);
    return current !== null;
  })();
}

/**
 * Drops everything pulled (replica tickets, pulled case events and the cases only pulled, reference
 * data, cursors, what is known of the hall), so the next pull starts from 0. The window's own
 * records, its cases and its outbox are untouched. Call inside a transaction (or on its own).
 */
export function dropReplica(db: Db, now: number): void {
  const timeZone = replicaReference(db)?.timeZone ?? DEFAULT_TIME_ZONE;
  db.prepare('DELETE FROM replica_ticket').run();
  db.prepare(`DELETE FROM meta WHERE key IN (${PULL_META.map(() => '?').join(', ')})`).run(...PULL_META);
  dropCaseReplica(db, { now, timeZone });
}

/**
 * Applies one pulled page in ONE transaction (see the rule at the top). `askedAt` is the cursor
 * the page was requested with (and the case cursor, if it is not the stored one); if a stored
 * cursor moved meanwhile the page is ignored.
 */
export function applyPullPage(db: Db, page: PullPage, askedAt: number | { cursor: number; caseCursor: number }, at: number): ApplyResult {
  const get = db.prepare('SELECT state_json, last_seq FROM replica_ticket WHERE ticket_id = ?');
  const put = db.prepare(
    `INSERT INTO replica_ticket (ticket_id, office, business_date, status, state_json, last_seq) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(ticket_id) DO UPDATE SET office = excluded.office, business_date = excluded.business_date,
       status = excluded.status, state_json = excluded.state_json, last_seq = excluded.last_seq`,
  );
  // Checked before the transaction (pure work): a catalog that does not validate is not stored.
  let catalogJson: string | null = null;
  if (page.catalog && page.catalogVersion) {
    const checked = validateCatalog(page.catalog.files);
    if (checked.ok) catalogJson = JSON.stringify(page.catalog);
    else log.warn(`pulled catalog ${page.catalogVersion.slice(0, 12)} does not validate (${checked.errors.length} errors); keeping the previous one`);
  }
  return db.transaction((): ApplyResult => {
    const before = pullCursor(db);
    const caseBefore = caseCursor(db);
    const asked = typeof askedAt === 'number' ? { cursor: askedAt, caseCursor: caseBefore } : askedAt;
    if (before !== asked.cursor || caseBefore !== asked.caseCursor) {
      const cases = { applied: 0, held: 0, refused: 0, cursor: caseBefore, blocked: false };
      return { applied: 0, held: 0, refused: 0, cursor: before, blocked: false, current: false, cases };
    }
    const reset = hallMismatch(db, page.hall, asked);
    if (reset !== null) {
      dropReplica(db, at);
      // The hall may have lost attachments too: ask it about each one again.
      forgetHallCopies(db);
      if (page.hall) setMeta(db, HALL_EPOCH, page.hall.epoch);
      const cases = { applied: 0, held: 0, refused: 0, cursor: 0, blocked: false };
      return { applied: 0, held: 0, refused: 0, cursor: 0, blocked: false, current: false, cases, reset };
    }
    const held = heldTickets(db);
    let applied = 0;
    let heldCount = 0;
    let refused = 0;
    let firstHeld: number | null = null;
    const states = new Map<string, ReplicaTicket | undefined>();
    for (const { seq, event } of page.events) {
      if (seq <= before) continue;
      if (held.has(event.ticketId)) {
        heldCount++;
        firstHeld ??= seq;
        continue;
      }
      let cur = states.get(event.ticketId);
      if (cur === undefined && !states.has(event.ticketId)) {
        const r = get.get(event.ticketId) as { state_json: string; last_seq: number } | undefined;
        cur = r ? { state: JSON.parse(r.state_json) as TicketState, lastSeq: r.last_seq } : undefined;
      }
      if (cur && seq <= cur.lastSeq) continue; // folded already (pulled again after a hold)
      const r = applyTicketEvent(cur?.state, event);
      if (!r.ok) {
        refused++;
        log.debug(`pulled event ${event.eventId} (seq ${seq}) refused on ${event.ticketId}: ${r.reason}`);
        states.set(event.ticketId, cur);
        continue;
      }
      states.set(event.ticketId, { state: r.state, lastSeq: seq });
      applied++;
    }
    for (const [ticketId, t] of states) {
      if (t) put.run(ticketId, t.state.office, t.state.businessDate, t.state.status, JSON.stringify(t.state), t.lastSeq);
    }
    const cursor = firstHeld !== null ? Math.max(before, firstHeld - 1) : Math.max(before, page.nextCursor);
    setMeta(db, PULL_CURSOR, String(cursor));
    if (page.reference) {
      setMeta(db, REFERENCE_VERSION, page.referenceVersion);
      setMeta(db, REFERENCE_JSON, JSON.stringify(page.reference));
    }
    if (catalogJson !== null && page.catalogVersion) {
      setMeta(db, CATALOG_VERSION, page.catalogVersion);
      setMeta(db, CATALOG_JSON, catalogJson);
    }
    if (page.calendars && page.calendarVersion) {
      setMeta(db, CALENDAR_VERSION, page.calendarVersion);
      setMeta(db, CALENDAR_JSON, JSON.stringify(page.calendars));
    }
    const cases = applyCaseEvents(db, page.caseEvents, caseBefore, page.nextCaseCursor, {
      now: at,
      timeZone: replicaReference(db)?.timeZone ?? DEFAULT_TIME_ZONE,
    });
    setMeta(db, CASE_CURSOR, String(cases.cursor));
    rememberHall(db, page.hall, { asked: before, now: cursor, next: page.nextCursor }, { asked: caseBefore, now: cases.cursor, next: page.nextCaseCursor });
    setMeta(db, LAST_PULL_AT, String(at));
    return { applied, held: heldCount, refused, cursor, blocked: firstHeld !== null, current: true, cases };
  })();
}

/** `date` (YYYY-MM-DD) minus `days` calendar days. */
export function daysBefore(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/**
 * Removes replica tickets of business days more than `keepDays` before `today` — never one that
 * any outbox entry (pending or parked: unsynced work) is about — and closed cases of other windows
 * opened before then (see cleanCaseReplica; the window's own cases are never removed). Returns how
 * many tickets and cases were removed.
 */
export function cleanReplica(db: Db, opts: { today: string; keepDays: number; caseKeepDays?: number }): number {
  const cutoff = daysBefore(opts.today, Math.max(0, Math.floor(opts.keepDays)));
  const tickets = db
    .prepare(
      `DELETE FROM replica_ticket WHERE business_date < ?
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE json_extract(o.json, '$.ticketId') = replica_ticket.ticket_id)`,
    )
    .run(cutoff).changes;
  const caseCutoff = daysBefore(opts.today, Math.max(0, Math.floor(opts.caseKeepDays ?? opts.keepDays)));
  return tickets + cleanCaseReplica(db, caseCutoff);
}
