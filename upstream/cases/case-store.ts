import type Database from 'better-sqlite3';
import type { CaseEvent, CaseState } from '../../shared/case/types.js';

/**
 * The hall's case tables (migration 4): the case log with its own sequence (the case cursor of
 * pulls), one projection row per case, the official-number counters and the audit of who opened a
 * case's personal data. Reached through `HallStore.cases`; every write must run inside a
 * `HallStore.transaction` (a savepoint of the open group-commit batch).
 */
export interface AuditRow {
  seq: number;
  at: number;
  staffId: string;
  caseId: string;
  office: string;
  windowId: string;
  deviceId: string;
  what: string;
  eventId: string;
}

export interface CaseRow {
  state: CaseState;
  lastSeq: number;
}

/**
 * "A case is complete upstream only when all its attachments are": of the attachments the case's
 * materials reference (attachment_added, less attachment_removed), which the hall does not hold
 * stored and hash-verified (table `attachment`). Read from the case's row and the attachment table
 * at the moment of asking, so it follows both an attachment_added applied and an upload completed,
 * in whichever order they come.
 */
export interface CaseAttachments {
  /** Distinct attachments (by sha256) the case references. */
  referenced: number;
  /** Those the hall does not hold complete and verified, sorted. */
  missing: string[];
  /** True when nothing is missing (also for a case without attachments). */
  complete: boolean;
}

/** SQL: the attachment `a` (a json_each row of a material's attachments) is held by the hall. */
const HELD = `EXISTS (SELECT 1 FROM attachment x WHERE x.sha256 = json_extract(a.value, '$.sha256'))`;

export type CaseTables = ReturnType<typeof openCaseTables>;

export function openCaseTables(db: Database.Database) {
  const q = {
    lastSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM case_event'),
    insertEvent: db.prepare('INSERT INTO case_event (seq, event_id, case_id, office, key, type, at, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    upsertCase: db.prepare(
      `INSERT INTO "case" (case_id, office, status, last_seq, json, case_no, opened_date, staff_id, window_id, ticket_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(case_id) DO UPDATE SET status = excluded.status, last_seq = excluded.last_seq, json = excluded.json, case_no = excluded.case_no`,
    ),
    caseById: db.prepare('SELECT json, last_seq FROM "case" WHERE case_id = ?'),
    caseNo: db.prepare('SELECT office, case_no AS caseNo FROM "case" WHERE case_id = ?'),
    eventsOfOfficeAfter: db.prepare('SELECT seq, office, json FROM case_event WHERE office = ? AND seq > ? ORDER BY seq LIMIT ?'),
    eventsOfCase: db.prepare('SELECT json FROM case_event WHERE case_id = ? ORDER BY seq'),
    counter: db.prepare('SELECT last FROM case_number_counter WHERE office = ? AND year = ?'),
    setCounter: db.prepare(
      `INSERT INTO case_number_counter (office, year, last) VALUES (?, ?, ?)
       ON CONFLICT(office, year) DO UPDATE SET last = excluded.last`,
    ),
    insertAudit: db.prepare(
      'INSERT OR IGNORE INTO audit (at, staff_id, case_id, office, window_id, device_id, what, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    auditsOfCase: db.prepare('SELECT seq, at, staff_id, case_id, office, window_id, device_id, what, event_id FROM audit WHERE case_id = ? ORDER BY seq'),
    caseExists: db.prepare('SELECT 1 FROM "case" WHERE case_id = ?'),
    attachmentsOfCase: db.prepare(`SELECT sha256, held FROM (SELECT DISTINCT json_extract(a.value, '$.sha256') AS sha256, ${HELD} AS held
      FROM "case" c, json_each(c.json, '$.materials') m, json_each(m.value, '$.attachments') a WHERE c.case_id = ?)`),
    incompleteOfOffice: db.prepare(`SELECT c.case_id AS caseId, COUNT(DISTINCT json_extract(a.value, '$.sha256')) AS missing
      FROM "case" c, json_each(c.json, '$.materials') m, json_each(m.value, '$.attachments') a
      WHERE c.office = ? AND NOT ${HELD} GROUP BY c.case_id`),
  };

  function appendEvent(seq: number, event: CaseEvent, office: string): void {
    q.insertEvent.run(seq, event.eventId, event.caseId, office, event.key, event.action.type, event.at, JSON.stringify(event));
  }
  function putCase(seq: number, state: CaseState, openedDate: string, inserted: CaseState = state): void {
    q.upsertCase.run(
      state.caseId,
      inserted.office,
      state.status,
      seq,
      JSON.stringify(state),
      state.caseNo ?? null,
      openedDate,
      inserted.staffId,
      inserted.windowId,
      inserted.ticketId ?? null,
    );
  }

  return {
    lastSeq(): number {
      return (q.lastSeq.get() as { s: number }).s;
    },
    /** The case's state and the seq of its last event, or undefined. */
    get(caseId: string): CaseRow | undefined {
      const r = q.caseById.get(caseId) as { json: string; last_seq: number } | undefined;
      return r ? { state: JSON.parse(r.json) as CaseState, lastSeq: r.last_seq } : undefined;
    },
    /** The case's office and official number (null until numbered), without parsing its state. */
    numberOf(caseId: string): { office: string; caseNo: string | null } | undefined {
      return q.caseNo.get(caseId) as { office: string; caseNo: string | null } | undefined;
    },
    /**
     * Appends event number `seq` of the case log (`lastSeq() + 1`) and the case's new projection.
     * `openedDate`: the business date the case was opened (kept from the first write).
     */
    append(seq: number, event: CaseEvent, state: CaseState, openedDate: string): void {
      appendEvent(seq, event, state.office);
      putCase(seq, state, openedDate);
    },
    /** The log half of `append`: event number `seq` only (a push's CaseWork writes the row once at its end). */
    appendEvent,
    /**
     * The projection half of `append`: the case's row as of event `seq`. `inserted`: the state whose
     * office, clerk, window and ticket a new row takes (the row's first state; kept from then on).
     */
    putCase,
    /** Up to `limit` events of the given offices with seq > `after`, in seq order (one range scan per office, merged). */
    eventsAfter(offices: readonly string[], after: number, limit: number): Array<{ seq: number; office: string; event: CaseEvent }> {
      const rows: Array<{ seq: number; office: string; json: string }> = [];
      for (const office of new Set(offices)) rows.push(...(q.eventsOfOfficeAfter.all(office, after, limit) as typeof rows));
      rows.sort((a, b) => a.seq - b.seq);
      return rows.slice(0, limit).map((r) => ({ seq: r.seq, office: r.office, event: JSON.parse(r.json) as CaseEvent }));
    },
    events(caseId: string): CaseEvent[] {
      return (q.eventsOfCase.all(caseId) as Array<{ json: string }>).map((r) => JSON.parse(r.json) as CaseEvent);
    },
    /** The next official number of `office` in `year`. Call inside the transaction that records it. */
    nextNumber(office: string, year: number): number {
      const r = q.counter.get(office, year) as { last: number } | undefined;
      const next = (r?.last ?? 0) + 1;
      q.setCounter.run(office, year, next);
      return next;
    },
    /** Records an opening of a case's personal data; the same event id twice is recorded once. */
    audit(a: Omit<AuditRow, 'seq'>): void {
      q.insertAudit.run(a.at, a.staffId, a.caseId, a.office, a.windowId, a.deviceId, a.what, a.eventId);
    },
    /** Whether the hall holds every attachment the case references (undefined: no such case). */
    attachments(caseId: string): CaseAttachments | undefined {
      if (!q.caseExists.get(caseId)) return undefined;
      const rows = q.attachmentsOfCase.all(caseId) as Array<{ sha256: string; held: number }>;
      const missing = rows.filter((r) => r.held === 0).map((r) => r.sha256).sort();
      return { referenced: rows.length, missing, complete: missing.length === 0 };
    },
    /** Cases of the given offices not complete upstream (an attachment is missing), with how many are missing. */
    incomplete(offices: readonly string[]): Array<{ caseId: string; missing: number }> {
      const out: Array<{ caseId: string; missing: number }> = [];
      for (const office of new Set(offices)) out.push(...(q.incompleteOfOffice.all(office) as Array<{ caseId: string; missing: number }>));
      return out.sort((a, b) => a.caseId.localeCompare(b.caseId));
    },
    audits(caseId: string): AuditRow[] {
      return (
        q.auditsOfCase.all(caseId) as Array<{
          seq: number;
          at: number;
          staff_id: string;
          case_id: string;
          office: string;
          window_id: string;
          device_id: string;
          what: string;
          event_id: string;
        }>
      ).map((r) => ({ seq: r.seq, at: r.at, staffId: r.staff_id, caseId: r.case_id, office: r.office, windowId: r.window_id, deviceId: r.device_id, what: r.what, eventId: r.event_id }));
    },
  };
}
