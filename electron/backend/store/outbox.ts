import type { Mutation, MutationAck } from '../../../shared/hall/api.js';
import { getMeta, prepared, setMeta, type Db } from './database.js';

type WithoutId<T> = T extends unknown ? Omit<T, 'mutationId'> : never;
/** A mutation as written locally (any kind); its id is given by the outbox when it commits. */
export type MutationBody = WithoutId<Mutation>;
export type MutationKind = Mutation['kind'];
export type TicketMutationBody = Extract<MutationBody, { kind: 'ticket_action' }>;
export type CaseMutationBody = Extract<MutationBody, { kind: 'case_action' }>;
export type AuditMutationBody = Extract<MutationBody, { kind: 'audit' }>;

/**
 * The window's own record of each kind of mutation (who, when, what, under which (client id,
 * mutation id), and the hall's answer in `outcome`): the outbox entry's `event_id` is its row id.
 */
export const LOCAL_LOG: Record<MutationKind, 'ticket_event' | 'case_action_local' | 'audit_local' | 'settings_audit_local'> = {
  ticket_action: 'ticket_event',
  case_action: 'case_action_local',
  audit: 'audit_local',
  settings_audit: 'settings_audit_local',
};

/** A case whose local actions changed outcome (acknowledged, refused, parked, re-queued). */
export interface CaseSettlement {
  caseId: string;
  /** The official case number the hall gave in its acknowledgement. */
  caseNo?: string;
}

export interface OutboxHooks {
  /**
   * Runs inside the transaction that changed the outcome of case actions, so the window's copy of
   * each case (its state, its official number) changes together with the outbox.
   */
  casesSettled?(changes: CaseSettlement[]): void;
}

export interface OutboxEntry {
  mutationId: number;
  createdAt: number;
  body: MutationBody;
  summary: string;
  attempts: number;
}

export interface ParkedEntry {
  mutationId: number;
  summary: string;
  reason: string;
  at: number;
}

interface Row {
  mutation_id: number;
  created_at: number;
  json: string;
  summary: string;
  attempts: number;
  parked_reason: string | null;
  parked_at: number | null;
  event_id: number;
  kind: MutationKind;
}

const LAST_ID = 'outbox.last_mutation_id';
const CLIENT = 'outbox.client_id';
const LAST_SUCCESS = 'outbox.last_success_at';

/**
 * The window's outbox. Each local write commits together with its outbox entry (one transaction,
 * synchronous=FULL). Mutation ids rise per client id and are never reused for a mutation the hall
 * server may have seen. Entries leave the outbox only when the hall acknowledges them
 * (applied or duplicate); a mutation the hall refused is parked with its reason, never dropped.
 */
export class Outbox {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly hooks: OutboxHooks = {},
  ) {}

  clientId(): string | null {
    return getMeta(this.db, CLIENT);
  }

  /**
   * Ties the outbox to the client id the hall gave at enrolment. A new client id starts its mutation
   * ids at 1 again; that is refused while mutations of the old id are still waiting.
   */
  bindClient(clientId: string): void {
    this.db.transaction(() => {
      const current = getMeta(this.db, CLIENT);
      if (current === clientId) return;
      if (current !== null && this.pendingCount() > 0) {
        throw new Error(`outbox still holds mutations of client ${current}`);
      }
      setMeta(this.db, CLIENT, clientId);
      setMeta(this.db, LAST_ID, '0');
    })();
  }

  /**
   * Ties the outbox to a NEW client id and carries the waiting mutations over (re-enrolment with a
   * hall that no longer knows the old id, see sync/re-enrol.ts): pending entries keep their order and
   * are numbered from `lastApplied` + 1, their local records following (new client id, new id);
   * entries the old hall refused stay parked, set aside under negative keys. One transaction (or
   * the enclosing one). Returns how many pending entries were carried over.
   */
  carryOver(clientId: string, lastApplied = 0): number {
    return this.db.transaction(() => {
      for (const id of this.ids('parked_reason IS NOT NULL', 1)) this.rekey(id, this.asideKey());
      const moved = this.numberAfter(this.ids('parked_reason IS NULL', 1), lastApplied, clientId);
      setMeta(this.db, CLIENT, clientId);
      return moved;
    })();
  }

  /**
   * Numbers the entries from id `first` on again after the hall's `lastApplied`, in their order: the
   * hall holds those ids with other content (this window was restored from an older disk image and
   * gave them to new work, see upstream/sync/mutation-digest.ts). Parked entries in that range are
   * set aside (still parked). Entries below `first` stay: the hall holds them as they are. One
   * transaction. Returns how many pending entries were numbered again.
   */
  renumberFrom(first: number, lastApplied: number): number {
    return this.db.transaction(() => {
      for (const id of this.ids('parked_reason IS NOT NULL', first)) this.rekey(id, this.asideKey());
      return this.numberAfter(this.ids('parked_reason IS NULL', first), lastApplied);
    })();
  }

  /** Ids of entries matching `where` from `from` on, in order. */
  private ids(where: string, from: number): number[] {
    const rows = prepared(this.db, `SELECT mutation_id FROM outbox WHERE ${where} AND mutation_id >= ? ORDER BY mutation_id`).all(Math.max(1, from));
    return (rows as { mutation_id: number }[]).map((r) => r.mutation_id);
  }

  /** Moves the entries `ids` (in order) to lastApplied + 1, + 2, …, their local records following. */
  private numberAfter(ids: readonly number[], lastApplied: number, clientId?: string): number {
    // Out of the way first (negative keys, in order), so new ids never collide with old ones.
    const aside = ids.map((id) => {
      const key = this.asideKey();
      this.rekey(id, key);
      return key;
    });
    let last = lastApplied;
    for (const key of aside) this.rekey(key, ++last, clientId);
    setMeta(this.db, LAST_ID, String(last));
    return aside.length;
  }

  /**
   * Writes one mutation and the window's own record of it (ticket event, case action or audit entry)
   * in one transaction. `alsoInTransaction` runs inside the same transaction (any further local
   * write of the action); called inside an enclosing transaction, everything commits with it.
   */
  append(body: MutationBody, summary: string, alsoInTransaction?: (mutationId: number) => void): number {
    return this.db.transaction(() => {
      const clientId = getMeta(this.db, CLIENT);
      if (clientId === null) throw new Error('outbox has no client id: device not enrolled');
      const id = Number(getMeta(this.db, LAST_ID) ?? '0') + 1;
      const eventId = this.insertLocalRecord(body, id, clientId);
      prepared(this.db, 'INSERT INTO outbox (mutation_id, created_at, json, summary, event_id, kind) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, this.now(), JSON.stringify(body), summary, eventId, body.kind);
      setMeta(this.db, LAST_ID, String(id));
      alsoInTransaction?.(id);
      return id;
    })();
  }

  private insertLocalRecord(body: MutationBody, id: number, clientId: string): number {
    switch (body.kind) {
      case 'ticket_action':
        return Number(
          prepared(
            this.db,
            `INSERT INTO ticket_event (mutation_id, client_id, ticket_id, window_id, staff_id, at, action)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          ).run(id, clientId, body.ticketId, body.windowId, body.staffId, body.at, JSON.stringify(body.action)).lastInsertRowid,
        );
      case 'case_action':
        return Number(
          prepared(
            this.db,
            `INSERT INTO case_action_local (case_id, key, mutation_id, client_id, window_id, staff_id, at, json)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(body.caseId, body.key, id, clientId, body.windowId, body.staffId, body.at, JSON.stringify(body.action)).lastInsertRowid,
        );
      case 'audit':
        return Number(
          prepared(this.db, 'INSERT INTO audit_local (case_id, what, mutation_id, client_id, window_id, staff_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(body.caseId, body.what, id, clientId, body.windowId, body.staffId, body.at).lastInsertRowid,
        );
      case 'settings_audit':
        return Number(
          prepared(
            this.db,
            `INSERT INTO settings_audit_local (what, office_id, fingerprint, subject, mutation_id, client_id, window_id, staff_id, at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(body.what, body.officeId, body.fingerprint, body.subject, id, clientId, body.windowId, body.staffId, body.at).lastInsertRowid,
        );
    }
  }

  /** Records the hall's answer on the local record of an entry. */
  private setOutcome(kind: MutationKind, eventId: number, outcome: string, unlink = false): void {
    prepared(this.db, `UPDATE ${LOCAL_LOG[kind]} SET outcome = ?${unlink ? ', mutation_id = NULL' : ''} WHERE id = ?`)
      .run(outcome, eventId);
  }

  /** Entries to push, oldest first. */
  pending(limit = 1_000_000): OutboxEntry[] {
    const rows = prepared(this.db, 'SELECT * FROM outbox WHERE parked_reason IS NULL AND mutation_id > 0 ORDER BY mutation_id LIMIT ?')
      .all(limit) as Row[];
    return rows.map(toEntry);
  }

  /** Pending entries about one ticket, oldest first. */
  pendingForTicket(ticketId: string): Array<OutboxEntry & { body: TicketMutationBody }> {
    const rows = prepared(
      this.db,
      `SELECT * FROM outbox WHERE parked_reason IS NULL AND mutation_id > 0 AND kind = 'ticket_action' AND json_extract(json, '$.ticketId') = ?
       ORDER BY mutation_id`,
    ).all(ticketId) as Row[];
    return rows.map(toEntry).flatMap((e) => (e.body.kind === 'ticket_action' ? [{ ...e, body: e.body }] : []));
  }

  /** How many actions of each case wait for the hall (unparked entries), by case id. */
  pendingByCase(caseIds?: readonly string[]): Map<string, number> {
    const rows = prepared(
      this.db,
      `SELECT json_extract(json, '$.caseId') AS c, COUNT(*) AS n FROM outbox
       WHERE parked_reason IS NULL AND mutation_id > 0 AND kind = 'case_action' GROUP BY c`,
    ).all() as Array<{ c: string; n: number }>;
    const wanted = caseIds ? new Set(caseIds) : null;
    return new Map(rows.filter((r) => wanted === null || wanted.has(r.c)).map((r) => [r.c, r.n]));
  }

  pendingCount(): number {
    return (prepared(this.db, 'SELECT COUNT(*) AS n FROM outbox WHERE parked_reason IS NULL').get() as { n: number }).n;
  }

  /**
   * Counts one more push attempt of these entries. Its own commit at NORMAL durability (WAL: no fsync
   * at commit; the next FULL commit makes it durable with its own): a power cut may lose the count,
   * which is harmless — it only informs the clerk, and neither the entries nor their ids or order
   * depend on it. A FULL commit here cost a second fsync per push batch. Inside an enclosing
   * transaction it simply commits with that one (SQLite cannot change durability mid-transaction).
   */
  markAttempt(ids: readonly number[]): void {
    const stmt = prepared(this.db, 'UPDATE outbox SET attempts = attempts + 1 WHERE mutation_id = ?');
    const count = this.db.transaction(() => ids.forEach((id) => stmt.run(id)));
    if (this.db.inTransaction) return count();
    prepared(this.db, 'PRAGMA synchronous = NORMAL').run();
    try {
      count();
    } finally {
      prepared(this.db, 'PRAGMA synchronous = FULL').run();
    }
  }

  /**
   * Applies the hall's acknowledgements in one transaction: applied/duplicate → the entry is done and
   * deleted; failed → the hall consumed the id without effect, the entry is parked with the reason.
   * `alsoInTransaction` runs inside the same transaction: whatever the window keeps of the hall's
   * state must change together with the delete, or a crash between the two shows stale state.
   */
  applyAcks(acks: readonly MutationAck[], alsoInTransaction?: () => void): { done: number; parked: number } {
    let done = 0;
    let parked = 0;
    const find = prepared(this.db, 'SELECT event_id, kind, json FROM outbox WHERE mutation_id = ? AND parked_reason IS NULL');
    const del = prepared(this.db, 'DELETE FROM outbox WHERE mutation_id = ?');
    const park = prepared(this.db, 'UPDATE outbox SET parked_reason = ?, parked_at = ? WHERE mutation_id = ?');
    this.db.transaction(() => {
      const cases: CaseSettlement[] = [];
      for (const ack of acks) {
        const row = find.get(ack.mutationId) as { event_id: number; kind: MutationKind; json: string } | undefined;
        if (!row) continue;
        // A duplicate that carries a reason is a mutation that failed when first applied (we crashed
        // before parking it): it is parked, not taken for done.
        if (ack.status === 'failed' || (ack.status === 'duplicate' && ack.reason)) {
          const reason = ack.reason ?? '大厅服务器拒绝了这条记录。';
          park.run(reason, this.now(), ack.mutationId);
          this.setOutcome(row.kind, row.event_id, `failed: ${reason}`);
          parked += 1;
        } else {
          del.run(ack.mutationId);
          this.setOutcome(row.kind, row.event_id, 'applied');
          done += 1;
        }
        if (row.kind === 'case_action') {
          const caseId = (JSON.parse(row.json) as { caseId: string }).caseId;
          cases.push(ack.caseNo !== undefined ? { caseId, caseNo: ack.caseNo } : { caseId });
        }
      }
      if (done + parked > 0) setMeta(this.db, LAST_SUCCESS, String(this.now()));
      if (cases.length > 0) this.hooks.casesSettled?.(cases);
      alsoInTransaction?.();
    })();
    return { done, parked };
  }

  /**
   * Parks an entry the hall refused as a whole request (a 4xx) and therefore never consumed. Its id
   * would leave a gap the hall refuses (out of order), so the entry is set aside under a negative
   * local key and the later, never-accepted entries move down by one. Safe because the hall applies
   * in order: nothing after an unconsumed id can have been applied.
   */
  parkUnconsumed(mutationId: number, reason: string): void {
    this.db.transaction(() => {
      const row = prepared(this.db, 'SELECT event_id, kind, json FROM outbox WHERE mutation_id = ?').get(mutationId) as
        | { event_id: number; kind: MutationKind; json: string }
        | undefined;
      if (!row) return;
      const aside = this.asideKey();
      this.rekey(mutationId, aside);
      prepared(this.db, 'UPDATE outbox SET parked_reason = ?, parked_at = ? WHERE mutation_id = ?').run(reason, this.now(), aside);
      this.setOutcome(row.kind, row.event_id, `parked: ${reason}`, true);
      if (row.kind === 'case_action') this.hooks.casesSettled?.([{ caseId: (JSON.parse(row.json) as { caseId: string }).caseId }]);
      const later = prepared(this.db, 'SELECT mutation_id FROM outbox WHERE mutation_id > ? ORDER BY mutation_id').all(mutationId) as {
        mutation_id: number;
      }[];
      for (const { mutation_id } of later) this.rekey(mutation_id, mutation_id - 1);
      setMeta(this.db, LAST_ID, String(Number(getMeta(this.db, LAST_ID) ?? '0') - 1));
    })();
  }

  /**
   * Puts every parked entry back in line as a NEW mutation (a fresh, higher id, under the current
   * client id): the hall has already consumed the old id (a failed mutation is recorded as failed),
   * so resending it would only be acknowledged as a duplicate. Returns how many were re-queued.
   */
  requeueParked(): number {
    return this.db.transaction(() => {
      const clientId = getMeta(this.db, CLIENT);
      if (clientId === null) throw new Error('outbox has no client id: device not enrolled');
      const parked = prepared(this.db, 'SELECT mutation_id, kind, json FROM outbox WHERE parked_reason IS NOT NULL ORDER BY parked_at, created_at, mutation_id')
        .all() as { mutation_id: number; kind: MutationKind; json: string }[];
      // First out of the way (negative keys), so new ids never collide with a parked entry's old one.
      const aside = parked.map(({ mutation_id }) => {
        const key = this.asideKey();
        this.rekey(mutation_id, key);
        return key;
      });
      let last = Number(getMeta(this.db, LAST_ID) ?? '0');
      for (const key of aside) {
        last += 1;
        this.rekey(key, last, clientId);
        prepared(this.db, 'UPDATE outbox SET parked_reason = NULL, parked_at = NULL, attempts = 0 WHERE mutation_id = ?').run(last);
      }
      setMeta(this.db, LAST_ID, String(last));
      const cases = parked.filter((p) => p.kind === 'case_action').map((p) => ({ caseId: (JSON.parse(p.json) as { caseId: string }).caseId }));
      if (cases.length > 0) this.hooks.casesSettled?.(cases);
      return parked.length;
    })();
  }

  /** Moves an outbox entry to another key; its local record follows (with the client id, if given). */
  private rekey(from: number, to: number, clientId?: string): void {
    const row = prepared(this.db, 'SELECT event_id, kind FROM outbox WHERE mutation_id = ?').get(from) as { event_id: number; kind: MutationKind } | undefined;
    if (!row) return;
    prepared(this.db, 'UPDATE outbox SET mutation_id = ? WHERE mutation_id = ?').run(to, from);
    if (to > 0) {
      prepared(this.db, `UPDATE ${LOCAL_LOG[row.kind]} SET mutation_id = ?, client_id = COALESCE(?, client_id), outcome = NULL WHERE id = ?`)
        .run(to, clientId ?? null, row.event_id);
    }
  }

  /** A free negative key for an entry set aside. */
  private asideKey(): number {
    const min = (prepared(this.db, 'SELECT MIN(mutation_id) AS m FROM outbox').get() as { m: number | null }).m ?? 0;
    return Math.min(-1, min - 1);
  }

  status(): { pending: number; oldestPendingAt: number | null; lastSuccessAt: number | null; parked: ParkedEntry[] } {
    const p = prepared(this.db, 'SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE parked_reason IS NULL')
      .get() as { n: number; oldest: number | null };
    const parked = (prepared(this.db, 'SELECT * FROM outbox WHERE parked_reason IS NOT NULL ORDER BY parked_at').all() as Row[]).map((r) => ({
      mutationId: r.mutation_id,
      summary: r.summary,
      reason: r.parked_reason ?? '',
      at: r.parked_at ?? r.created_at,
    }));
    const last = getMeta(this.db, LAST_SUCCESS);
    return { pending: p.n, oldestPendingAt: p.oldest, lastSuccessAt: last === null ? null : Number(last), parked };
  }
}

function toEntry(r: Row): OutboxEntry {
  return { mutationId: r.mutation_id, createdAt: r.created_at, body: JSON.parse(r.json) as MutationBody, summary: r.summary, attempts: r.attempts };
}
