import type { PulledCaseEvent } from '../../../shared/hall/api.js';
import { refreshCase } from '../cases/case-store.js';
import { createLogger } from '../log.js';
import type { Db } from '../store/database.js';

/**
 * The case part of a pull (called by replica.ts inside the page's one transaction): the hall's case
 * events of the offices this window may see, stored by their case seq and folded into each case's row.
 *
 * Pending-write rule, as for tickets: a case with an unparked outbox entry (a case action not yet
 * acknowledged) is *held* — its events are not taken and the case cursor stops just before the first
 * of them, so they come again once the entry is acknowledged. Events of other cases are taken at
 * once; coming round again they are skipped by their seq (already stored). An event of a case the
 * window has never seen the opening of (cleaned up, or from before the replica began) is skipped.
 */
const log = createLogger('case-replica');

export interface CaseApplyResult {
  applied: number;
  held: number;
  refused: number;
  cursor: number;
  blocked: boolean;
}

/** Cases an unparked outbox entry is about: their pulled events wait. */
function heldCases(db: Db): Set<string> {
  const rows = db
    .prepare(`SELECT DISTINCT json_extract(json, '$.caseId') AS c FROM outbox WHERE parked_reason IS NULL AND mutation_id > 0 AND kind = 'case_action'`)
    .all() as Array<{ c: string | null }>;
  return new Set(rows.flatMap((r) => (r.c === null ? [] : [r.c])));
}

export function applyCaseEvents(
  db: Db,
  events: readonly PulledCaseEvent[],
  before: number,
  nextCursor: number,
  o: { now: number; timeZone: string },
): CaseApplyResult {
  const held = heldCases(db);
  const stored = db.prepare('SELECT 1 FROM case_event_remote WHERE seq = ?');
  const known = db.prepare('SELECT 1 FROM case_local WHERE case_id = ? UNION ALL SELECT 1 FROM case_event_remote WHERE case_id = ? LIMIT 1');
  const insert = db.prepare('INSERT INTO case_event_remote (seq, case_id, key, json) VALUES (?, ?, ?, ?)');
  const touched = new Set<string>();
  let applied = 0;
  let heldCount = 0;
  let refused = 0;
  let firstHeld: number | null = null;
  for (const { seq, event } of events) {
    if (seq <= before) continue;
    if (held.has(event.caseId)) {
      heldCount++;
      firstHeld ??= seq;
      continue;
    }
    if (stored.get(seq)) continue; // taken already (pulled again after a hold)
    if (event.action.type !== 'opened' && !touched.has(event.caseId) && !known.get(event.caseId, event.caseId)) {
      refused++;
      log.debug(`case event ${event.eventId} (seq ${seq}) of an unknown case ${event.caseId}: skipped`);
      continue;
    }
    insert.run(seq, event.caseId, event.key, JSON.stringify(event));
    touched.add(event.caseId);
    applied++;
  }
  for (const caseId of touched) refreshCase(db, caseId, o.timeZone, o.now);
  const cursor = firstHeld !== null ? Math.max(before, firstHeld - 1) : Math.max(before, nextCursor);
  return { applied, held: heldCount, refused, cursor, blocked: firstHeld !== null };
}

/** Drops every pulled case event and the cases only pulled (not the window's own); re-folds the window's own. */
export function dropCaseReplica(db: Db, o: { now: number; timeZone: string }): void {
  db.prepare('DELETE FROM case_event_remote').run();
  db.prepare('DELETE FROM case_local WHERE case_id NOT IN (SELECT case_id FROM case_action_local)').run();
  const own = db.prepare('SELECT case_id FROM case_local').all() as Array<{ case_id: string }>;
  for (const { case_id } of own) refreshCase(db, case_id, o.timeZone, o.now);
}

const CLOSED = ['NOTICE_ISSUED', 'NOT_ACCEPTED', 'REFUSED', 'DELIVERED', 'DISCARDED'];

/**
 * Removes closed cases only pulled (other windows'; none of this window's own, so never unsynced
 * work) opened before `cutoff`, with their pulled events. Returns how many cases.
 */
export function cleanCaseReplica(db: Db, cutoff: string): number {
  return db.transaction(() => {
    const ids = (
      db
        .prepare(
          `SELECT case_id FROM case_local WHERE business_date < ? AND status IN (${CLOSED.map(() => '?').join(', ')})
             AND case_id NOT IN (SELECT case_id FROM case_action_local)`,
        )
        .all(cutoff, ...CLOSED) as Array<{ case_id: string }>
    ).map((r) => r.case_id);
    const delEvents = db.prepare('DELETE FROM case_event_remote WHERE case_id = ?');
    const delCase = db.prepare('DELETE FROM case_local WHERE case_id = ?');
    for (const id of ids) {
      delEvents.run(id);
      delCase.run(id);
    }
    return ids.length;
  })();
}
