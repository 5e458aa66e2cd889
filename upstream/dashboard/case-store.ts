import type Database from 'better-sqlite3';
import type { CaseDayCube, CaseFactKey, OverdueCase } from '../../shared/dashboard/case-cube.js';
import type { CaseCounter, CaseFact } from '../../shared/dashboard/case-facts.js';
import type { CaseEvent } from '../../shared/case/types.js';

/**
 * The dashboard's SQL over the case log: read-only queries on the hall's case_event table
 * (migration 4), and its own derived tables dash_case_fact / dash_case_day (DASHBOARD_CASE_MIGRATION).
 * Writes must run inside the hall's transaction runner, on the hall's connection.
 */
export type CaseFactStore = ReturnType<typeof openCaseFactStore>;

/** A fact as the drill-down lists it. */
export type CaseFactRow = Pick<CaseFact, 'figure' | 'caseId' | 'office' | 'day' | 'board' | 'windowNo' | 'staffId' | 'caseNo' | 'title' | 'ticketNumber'>;

const ROW = `business_date AS day, office, figure, case_id AS caseId, board, window_no AS windowNo, staff_id AS staffId, case_no AS caseNo, title, ticket_number AS ticketNumber`;

export function openCaseFactStore(db: Database.Database) {
  const q = {
    // A range of the log's own key (seq): grouped in JS, as GROUP BY case_id would scan the whole case index.
    casesAfter: db.prepare('SELECT case_id, seq FROM case_event WHERE seq > ? ORDER BY seq'),
    events: db.prepare('SELECT json FROM case_event WHERE case_id = ? ORDER BY seq'),
    factDays: db.prepare('SELECT DISTINCT business_date AS day, office FROM dash_case_fact WHERE case_id = ?'),
    deleteFacts: db.prepare('DELETE FROM dash_case_fact WHERE case_id = ?'),
    insertFact: db.prepare(
      `INSERT INTO dash_case_fact (business_date, office, figure, case_id, event_id, board, window_no, staff_id, case_no, title, ticket_number, promised_date, decided)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    factsOfDay: db.prepare('SELECT figure, board, window_no AS windowNo, staff_id AS staffId FROM dash_case_fact WHERE business_date = ? AND office = ?'),
    putDay: db.prepare('INSERT OR REPLACE INTO dash_case_day (business_date, office, staff_ids, combos, built_at) VALUES (?, ?, ?, ?, ?)'),
    deleteDay: db.prepare('DELETE FROM dash_case_day WHERE business_date = ? AND office = ?'),
    days: db.prepare('SELECT business_date AS day, office, staff_ids, combos FROM dash_case_day WHERE business_date >= ? AND business_date <= ?'),
    // Through the partial index of undecided accepted cases (few), not the year of facts the day range holds.
    overdue: db.prepare(
      `SELECT business_date AS day, office, board, window_no AS windowNo, staff_id AS staffId FROM dash_case_fact INDEXED BY dash_case_fact_undecided
       WHERE figure = 'accepted' AND decided = 0 AND promised_date < ? AND business_date >= ? AND business_date <= ?`,
    ),
    overdueRows: db.prepare(
      `SELECT ${ROW} FROM dash_case_fact INDEXED BY dash_case_fact_undecided
       WHERE figure = 'accepted' AND decided = 0 AND promised_date < ? AND business_date >= ? AND business_date <= ?`,
    ),
    factRows: db.prepare(`SELECT ${ROW} FROM dash_case_fact WHERE business_date >= ? AND business_date <= ? AND figure IN (?, ?)`),
  };

  return {
    /** Cases whose log grew after `seq`, each once, with the last seq of the log read. */
    casesAfter(seq: number): { caseIds: string[]; last: number } {
      const caseIds = new Set<string>();
      let last = seq;
      for (const r of q.casesAfter.iterate(seq) as IterableIterator<{ case_id: string; seq: number }>) {
        caseIds.add(r.case_id);
        last = r.seq;
      }
      return { caseIds: [...caseIds], last };
    },
    events(caseId: string): CaseEvent[] {
      return (q.events.all(caseId) as Array<{ json: string }>).map((r) => JSON.parse(r.json) as CaseEvent);
    },
    /** The (office, day)s a case's stored facts are on. */
    factDays(caseId: string): Array<{ day: string; office: string }> {
      return q.factDays.all(caseId) as Array<{ day: string; office: string }>;
    },
    replaceFacts(caseId: string, facts: readonly CaseFact[]): void {
      q.deleteFacts.run(caseId);
      for (const f of facts) {
        q.insertFact.run(f.day, f.office, f.figure, f.caseId, f.eventId, f.board, f.windowNo, f.staffId, f.caseNo, f.title, f.ticketNumber, f.promisedDate, f.decided ? 1 : 0);
      }
    },
    factsOfDay(office: string, day: string): CaseFactKey[] {
      return q.factsOfDay.all(day, office) as CaseFactKey[];
    },
    /** Stores a built day (a day without facts is removed). */
    putDay(cube: CaseDayCube, at: number): void {
      if (cube.combos.length === 0) q.deleteDay.run(cube.day, cube.office);
      else q.putDay.run(cube.day, cube.office, JSON.stringify(cube.staffIds), Buffer.from(cube.combos.buffer, cube.combos.byteOffset, cube.combos.byteLength), at);
    },
    days(offices: ReadonlySet<string>, from: string, to: string): CaseDayCube[] {
      const out: CaseDayCube[] = [];
      for (const r of q.days.iterate(from, to) as IterableIterator<{ day: string; office: string; staff_ids: string; combos: Buffer }>) {
        if (!offices.has(r.office)) continue;
        // Copied: a blob's bytes need not be aligned for 32-bit reads.
        const combos = new Int32Array(r.combos.byteLength / 4);
        new Uint8Array(combos.buffer).set(r.combos);
        out.push({ office: r.office, day: r.day, staffIds: JSON.parse(r.staff_ids) as string[], combos });
      }
      return out;
    },
    overdue(offices: ReadonlySet<string>, today: string, from: string, to: string): OverdueCase[] {
      return (q.overdue.all(today, from, to) as OverdueCase[]).filter((r) => offices.has(r.office));
    },
    /** Facts of one or two counters in a range (drill-downs), or the overdue accepted cases. */
    rows(counters: readonly CaseCounter[] | 'overdue', today: string, from: string, to: string): CaseFactRow[] {
      if (counters === 'overdue') return q.overdueRows.all(today, from, to) as CaseFactRow[];
      return q.factRows.all(from, to, counters[0], counters[1] ?? counters[0]) as CaseFactRow[];
    },
  };
}
