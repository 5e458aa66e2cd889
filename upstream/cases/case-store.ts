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
  };

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
      q.insertEvent.run(seq, event.eventId, event.caseId, state.office, event.key, event.action.type, event.at, JSON.stringify(event));
      q.upsertCase.run(
        state.caseId,
        state.office,
        state.status,
        seq,
        JSON.stringify(state),
        state.caseNo ?? null,
        openedDate,
        state.staffId,
        state.windowId,
        state.ticketId ?? null,
      );
    },
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
