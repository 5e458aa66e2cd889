import { CASE_ACTION_LABEL } from '../../../shared/case/case-reducer.js';
import type { CaseActionType } from '../../../shared/case/types.js';
import { ACTION_LABEL } from '../../../shared/queue/ticket-reducer.js';
import type { TicketActionType } from '../../../shared/queue/types.js';
import { forgetHallCopies } from '../attachments/attachment-store.js';
import { refreshCase } from '../cases/case-store.js';
import { createLogger } from '../log.js';
import { getMeta, setMeta, type Db } from '../store/database.js';
import { LOCAL_LOG, type MutationBody, type MutationKind } from '../store/outbox.js';

const log = createLogger('lost-progress');

/**
 * When the hall has lost mutations it acknowledged to this window (its database restored from an
 * older backup): the hall's progress for the client (`lastApplied`, L) is below the ids the window
 * has had acknowledged, so every push of the window's next id is refused as out of order, forever.
 *
 * Detection. The window compares L with the id it will push next (N: its oldest pending entry's, or
 * with nothing pending the one after its last). Everything below N has been acknowledged by the hall
 * (applied, or consumed as failed), and the hall records an id's progress in the transaction that
 * applies it — so a hall that has not lost anything always has L ≥ N − 1. L < N − 1 means the hall
 * lost ids L+1 … N−1. (N is read before the request that brought L, so an acknowledgement arriving
 * meanwhile cannot make a healthy hall look behind.)
 *
 * Recovery, in ONE transaction (all of it or none):
 *  - the lost mutations are put back in the outbox from the window's own log (ticket_event,
 *    case_action_local, audit_local keep every mutation with its id and the hall's answer): each one
 *    the hall had applied becomes pending again; one the hall had refused stays parked (set aside,
 *    as the clerk still sees it and may retry it);
 *  - they and the pending entries are numbered again from L+1 in their order, so the next push is
 *    exactly what the hall expects. The hall applies each of them once: it holds none of them;
 *  - attachments are asked about again (the hall may have lost them too).
 * What the window's log no longer holds cannot be sent again (counted as `missing`, logged).
 * Case actions keep their idempotency keys, so a case action the hall did keep is not applied twice.
 */
export interface LostProgressRecovery {
  /** The hall's progress for the client. */
  lastApplied: number;
  /** Mutations the hall had acknowledged and lost, put back in the outbox. */
  resent: number;
  /** Pending entries numbered again after them. */
  renumbered: number;
  /** Refused (parked) entries whose ids the hall lost: set aside, still parked. */
  setAside: number;
  /** Lost ids the window's log no longer holds. */
  missing: number;
}

const CLIENT = 'outbox.client_id';
const LAST_ID = 'outbox.last_mutation_id';

/** The mutation id the window pushes next: its oldest pending entry's, or the one after its last. */
export function nextMutationId(db: Db): number {
  const r = db.prepare('SELECT MIN(mutation_id) AS m FROM outbox WHERE parked_reason IS NULL AND mutation_id > 0').get() as { m: number | null };
  return r.m ?? Number(getMeta(db, LAST_ID) ?? '0') + 1;
}

/** True when a hall progress of `lastApplied` means it has lost acknowledged mutations (`next`: read before asking). */
export function progressLost(lastApplied: number, next: number): boolean {
  return lastApplied < next - 1;
}

interface LostRow {
  id: number;
  mutation_id: number;
  kind: MutationKind;
  body: MutationBody;
  summary: string;
}

/**
 * Recovers from a hall that lost this client's acknowledged mutations after `lastApplied` (see the
 * top of this file). Returns null when there is nothing to recover (the window's outbox belongs to
 * another client id, or the hall is not behind it).
 */
export function recoverLostProgress(db: Db, clientId: string, lastApplied: number, now: number, timeZone: string): LostProgressRecovery | null {
  return db.transaction((): LostProgressRecovery | null => {
    if (getMeta(db, CLIENT) !== clientId) return null;
    const next = nextMutationId(db);
    if (!progressLost(lastApplied, next)) return null;
    const lost = lostMutations(db, clientId, lastApplied, next);
    // Refused entries whose ids the hall has lost: out of the way of the new numbers, still parked.
    const parked = db.prepare('SELECT mutation_id, kind, event_id FROM outbox WHERE parked_reason IS NOT NULL AND mutation_id > ?').all(lastApplied) as Array<{
      mutation_id: number;
      kind: MutationKind;
      event_id: number;
    }>;
    let aside = Math.min(0, (db.prepare('SELECT MIN(mutation_id) AS m FROM outbox').get() as { m: number | null }).m ?? 0);
    const moveOutbox = db.prepare('UPDATE outbox SET mutation_id = ? WHERE mutation_id = ?');
    const statements = (table: string) => ({
      keep: db.prepare(`UPDATE ${table} SET mutation_id = ? WHERE id = ?`),
      pending: db.prepare(`UPDATE ${table} SET mutation_id = ?, outcome = NULL WHERE id = ?`),
    });
    const link = Object.fromEntries(Object.entries(LOCAL_LOG).map(([kind, table]) => [kind, statements(table)])) as Record<MutationKind, ReturnType<typeof statements>>;
    const linkLocal = (kind: MutationKind, eventId: number, id: number | null, pending: boolean) => link[kind][pending ? 'pending' : 'keep'].run(id, eventId);
    for (const p of parked) {
      moveOutbox.run(--aside, p.mutation_id);
      linkLocal(p.kind, p.event_id, null, false);
    }
    const pending = db.prepare('SELECT mutation_id, kind, event_id FROM outbox WHERE parked_reason IS NULL AND mutation_id > 0 ORDER BY mutation_id').all() as Array<{
      mutation_id: number;
      kind: MutationKind;
      event_id: number;
    }>;
    // Pending entries out of the way too (negative keys, in order), then everything numbered from L+1.
    const temp = pending.map((p) => {
      moveOutbox.run(--aside, p.mutation_id);
      return aside;
    });
    let id = lastApplied;
    const insert = db.prepare('INSERT INTO outbox (mutation_id, created_at, json, summary, event_id, kind) VALUES (?, ?, ?, ?, ?, ?)');
    for (const l of lost) {
      insert.run(++id, now, JSON.stringify(l.body), l.summary, l.id, l.kind);
      linkLocal(l.kind, l.id, id, true);
    }
    pending.forEach((p, i) => {
      moveOutbox.run(++id, temp[i]!);
      linkLocal(p.kind, p.event_id, id, false);
    });
    setMeta(db, LAST_ID, String(id));
    const cases = new Set([...lost.flatMap((l) => (l.body.kind === 'case_action' ? [l.body.caseId] : []))]);
    for (const p of pending.filter((x) => x.kind === 'case_action')) {
      const row = db.prepare('SELECT case_id FROM case_action_local WHERE id = ?').get(p.event_id) as { case_id: string } | undefined;
      if (row) cases.add(row.case_id);
    }
    for (const caseId of cases) refreshCase(db, caseId, timeZone, now);
    forgetHallCopies(db);
    const r: LostProgressRecovery = {
      lastApplied,
      resent: lost.length,
      renumbered: pending.length,
      setAside: parked.length,
      missing: Math.max(0, next - 1 - lastApplied - lost.length - parked.filter((p) => p.mutation_id < next).length),
    };
    log.warn(`the hall lost this window's mutations ${lastApplied + 1}…${next - 1}: put back ${r.resent}, renumbered ${r.renumbered} pending from ${lastApplied + 1}`, r);
    return r;
  })();
}

/** Where each kind of mutation is recorded at the window, and how a record becomes its mutation again. */
type LocalRecord = { id: number; mutation_id: number; window_id: string; staff_id: string; at: number } & Record<string, unknown>;
const RECORDS: Array<{ kind: MutationKind; sql: string; rebuild(r: LocalRecord): { body: MutationBody; summary: string } }> = [
  {
    kind: 'ticket_action',
    sql: `SELECT id, mutation_id, ticket_id, window_id, staff_id, at, action FROM ticket_event`,
    rebuild: (r) => {
      const action = JSON.parse(r.action as string) as { type: TicketActionType };
      const body = { kind: 'ticket_action', ticketId: r.ticket_id, windowId: r.window_id, staffId: r.staff_id, at: r.at, action } as MutationBody;
      return { body, summary: `补传：${ACTION_LABEL[action.type] ?? action.type}` };
    },
  },
  {
    kind: 'case_action',
    sql: `SELECT a.id, a.mutation_id, a.case_id, a.key, a.window_id, a.staff_id, a.at, a.json, COALESCE(c.case_no, c.provisional_no) AS no
          FROM case_action_local a LEFT JOIN case_local c ON c.case_id = a.case_id`,
    rebuild: (r) => {
      const action = JSON.parse(r.json as string) as { type: CaseActionType };
      const body = { kind: 'case_action', caseId: r.case_id, key: r.key, windowId: r.window_id, staffId: r.staff_id, at: r.at, action } as MutationBody;
      return { body, summary: `补传：办件 ${(r.no as string | null) ?? ''} ${CASE_ACTION_LABEL[action.type] ?? action.type}` };
    },
  },
  {
    kind: 'audit',
    sql: `SELECT id, mutation_id, case_id, what, window_id, staff_id, at FROM audit_local`,
    rebuild: (r) => ({ body: { kind: 'audit', caseId: r.case_id, what: r.what, windowId: r.window_id, staffId: r.staff_id, at: r.at } as MutationBody, summary: '补传：查阅记录' }),
  },
  {
    kind: 'settings_audit',
    sql: `SELECT id, mutation_id, what, office_id, fingerprint, subject, window_id, staff_id, at FROM settings_audit_local`,
    rebuild: (r) => ({
      body: { kind: 'settings_audit', what: r.what, officeId: r.office_id, fingerprint: r.fingerprint, subject: r.subject, windowId: r.window_id, staffId: r.staff_id, at: r.at } as MutationBody,
      summary: '补传：印章设置记录',
    }),
  },
];

/** The window's own record of each mutation the hall applied with an id in (after, before), in id order. */
function lostMutations(db: Db, clientId: string, after: number, before: number): LostRow[] {
  return RECORDS.flatMap(({ kind, sql, rebuild }) => {
    // The first table named is the record's own (aliased "a" for case actions).
    const t = kind === 'case_action' ? 'a.' : '';
    const rows = db
      .prepare(`${sql} WHERE ${t}client_id = ? AND ${t}mutation_id > ? AND ${t}mutation_id < ? AND ${t}outcome = 'applied'`)
      .all(clientId, after, before) as LocalRecord[];
    return rows.map((r): LostRow => ({ id: r.id, mutation_id: r.mutation_id, kind, ...rebuild(r) }));
  }).sort((a, b) => a.mutation_id - b.mutation_id);
}
