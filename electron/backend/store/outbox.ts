import type { Mutation, MutationAck } from '../../../shared/hall/api.js';
import { getMeta, setMeta, type Db } from './database.js';

/** A mutation as written locally; its id is given by the outbox when it commits. */
export type MutationBody = Omit<Mutation, 'mutationId'>;

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
   * Writes one mutation and the window's own record of the ticket event in one transaction.
   * `alsoInTransaction` runs inside the same transaction (any further local write of the action).
   */
  append(body: MutationBody, summary: string, alsoInTransaction?: (mutationId: number) => void): number {
    return this.db.transaction(() => {
      const clientId = getMeta(this.db, CLIENT);
      if (clientId === null) throw new Error('outbox has no client id: device not enrolled');
      const id = Number(getMeta(this.db, LAST_ID) ?? '0') + 1;
      const event = this.db
        .prepare(
          `INSERT INTO ticket_event (mutation_id, client_id, ticket_id, window_id, staff_id, at, action)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, clientId, body.ticketId, body.windowId, body.staffId, body.at, JSON.stringify(body.action));
      this.db
        .prepare('INSERT INTO outbox (mutation_id, created_at, json, summary, event_id) VALUES (?, ?, ?, ?, ?)')
        .run(id, this.now(), JSON.stringify(body), summary, Number(event.lastInsertRowid));
      setMeta(this.db, LAST_ID, String(id));
      alsoInTransaction?.(id);
      return id;
    })();
  }

  /** Entries to push, oldest first. */
  pending(limit = 1_000_000): OutboxEntry[] {
    const rows = this.db
      .prepare('SELECT * FROM outbox WHERE parked_reason IS NULL AND mutation_id > 0 ORDER BY mutation_id LIMIT ?')
      .all(limit) as Row[];
    return rows.map(toEntry);
  }

  /** Pending entries about one ticket, oldest first. */
  pendingForTicket(ticketId: string): OutboxEntry[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM outbox WHERE parked_reason IS NULL AND mutation_id > 0 AND json_extract(json, '$.ticketId') = ?
         ORDER BY mutation_id`,
      )
      .all(ticketId) as Row[];
    return rows.map(toEntry);
  }

  pendingCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE parked_reason IS NULL').get() as { n: number }).n;
  }

  markAttempt(ids: readonly number[]): void {
    const stmt = this.db.prepare('UPDATE outbox SET attempts = attempts + 1 WHERE mutation_id = ?');
    this.db.transaction(() => ids.forEach((id) => stmt.run(id)))();
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
    const find = this.db.prepare('SELECT event_id FROM outbox WHERE mutation_id = ? AND parked_reason IS NULL');
    const del = this.db.prepare('DELETE FROM outbox WHERE mutation_id = ?');
    const park = this.db.prepare('UPDATE outbox SET parked_reason = ?, parked_at = ? WHERE mutation_id = ?');
    const outcome = this.db.prepare('UPDATE ticket_event SET outcome = ? WHERE id = ?');
    this.db.transaction(() => {
      for (const ack of acks) {
        const row = find.get(ack.mutationId) as { event_id: number } | undefined;
        if (!row) continue;
        // A duplicate that carries a reason is a mutation that failed when first applied (we crashed
        // before parking it): it is parked, not taken for done.
        if (ack.status === 'failed' || (ack.status === 'duplicate' && ack.reason)) {
          const reason = ack.reason ?? '大厅服务器拒绝了这条记录。';
          park.run(reason, this.now(), ack.mutationId);
          outcome.run(`failed: ${reason}`, row.event_id);
          parked += 1;
        } else {
          del.run(ack.mutationId);
          outcome.run('applied', row.event_id);
          done += 1;
        }
      }
      if (done + parked > 0) setMeta(this.db, LAST_SUCCESS, String(this.now()));
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
      const row = this.db.prepare('SELECT event_id FROM outbox WHERE mutation_id = ?').get(mutationId) as { event_id: number } | undefined;
      if (!row) return;
      this.rekey(mutationId, this.asideKey());
      this.db.prepare('UPDATE outbox SET parked_reason = ?, parked_at = ? WHERE event_id = ?').run(reason, this.now(), row.event_id);
      this.db.prepare('UPDATE ticket_event SET mutation_id = NULL, outcome = ? WHERE id = ?').run(`parked: ${reason}`, row.event_id);
      const later = this.db.prepare('SELECT mutation_id FROM outbox WHERE mutation_id > ? ORDER BY mutation_id').all(mutationId) as {
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
      const parked = this.db
        .prepare('SELECT mutation_id FROM outbox WHERE parked_reason IS NOT NULL ORDER BY parked_at, event_id')
        .all() as { mutation_id: number }[];
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
        this.db.prepare('UPDATE outbox SET parked_reason = NULL, parked_at = NULL, attempts = 0 WHERE mutation_id = ?').run(last);
      }
      setMeta(this.db, LAST_ID, String(last));
      return parked.length;
    })();
  }

  /** Moves an outbox entry to another key; its ticket event follows (with the client id, if given). */
  private rekey(from: number, to: number, clientId?: string): void {
    const row = this.db.prepare('SELECT event_id FROM outbox WHERE mutation_id = ?').get(from) as { event_id: number } | undefined;
    if (!row) return;
    this.db.prepare('UPDATE outbox SET mutation_id = ? WHERE mutation_id = ?').run(to, from);
    if (to > 0) {
      this.db
        .prepare('UPDATE ticket_event SET mutation_id = ?, client_id = COALESCE(?, client_id), outcome = NULL WHERE id = ?')
        .run(to, clientId ?? null, row.event_id);
    }
  }

  /** A free negative key for an entry set aside. */
  private asideKey(): number {
    const min = (this.db.prepare('SELECT MIN(mutation_id) AS m FROM outbox').get() as { m: number | null }).m ?? 0;
    return Math.min(-1, min - 1);
  }

  status(): { pending: number; oldestPendingAt: number | null; lastSuccessAt: number | null; parked: ParkedEntry[] } {
    const p = this.db
      .prepare('SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE parked_reason IS NULL')
      .get() as { n: number; oldest: number | null };
    const parked = (this.db.prepare('SELECT * FROM outbox WHERE parked_reason IS NOT NULL ORDER BY parked_at').all() as Row[]).map((r) => ({
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
