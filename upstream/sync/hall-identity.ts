import { createHash, randomUUID } from 'node:crypto';
import type { PullHall, PullLogCheck } from '../../shared/hall/api.js';
import type { HallStore } from '../store/hall-store.js';

/**
 * What a pull page tells a window about the hall itself, so that a window notices when the hall's
 * database is not the one it has been pulling from (electron/backend/sync/hall-reset.ts):
 *  - the hall's epoch: a random id written into the database when it is first opened (table
 *    `hall_meta`). A wiped or replaced database has another one. A database restored from a backup
 *    has the backup's epoch — which is why there is more:
 *  - for each log (tickets, cases) its latest seq, and a mark (hash of seq, id and content) of the last
 *    event at or before the window's cursor and at or before the page's next cursor. A restored
 *    database is behind the window's cursor, or — once it has taken new events since — has other
 *    events at the window's cursor than the ones the window saw there;
 *  - the pulling client's progress (its last applied mutation id), when the window names its client id
 *    and that client is enrolled in the pulling device's office: a hall that has lost acknowledged
 *    mutations shows a progress below the window's own.
 *
 * `hall_meta` is created here (CREATE TABLE IF NOT EXISTS, additive) rather than in the numbered
 * migrations so that the epoch exists whatever the migration list holds; it never changes after.
 */
export const HALL_EPOCH_KEY = 'epoch';

/** The hall's epoch, created (durably, before anything is served) the first time the database is opened. */
export function hallEpoch(store: HallStore): string {
  const db = store.db;
  const epoch = store.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS hall_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    db.prepare('INSERT OR IGNORE INTO hall_meta (key, value) VALUES (?, ?)').run(HALL_EPOCH_KEY, randomUUID());
    return (db.prepare('SELECT value FROM hall_meta WHERE key = ?').get(HALL_EPOCH_KEY) as { value: string }).value;
  });
  store.flush();
  return epoch;
}

/**
 * A log's mark at a seq: a short hash of its last event at or before it — seq, id and content (the
 * hall's own event ids are `s<seq>`, the same in any database, so the content must count too).
 */
export function logMark(seq: number, eventId: string, json: string): string {
  return createHash('sha256').update(`${seq}\n${eventId}\n${json}`).digest('hex').slice(0, 24);
}

export class HallIdentity {
  private readonly q;

  constructor(
    private readonly store: HallStore,
    readonly epoch: string = hallEpoch(store),
  ) {
    const db = store.db;
    this.q = {
      ticketAt: db.prepare('SELECT seq, event_id, json FROM ticket_event WHERE seq <= ? ORDER BY seq DESC LIMIT 1'),
      caseAt: db.prepare('SELECT seq, event_id, json FROM case_event WHERE seq <= ? ORDER BY seq DESC LIMIT 1'),
      deviceOffice: db.prepare('SELECT office FROM device WHERE client_id = ? AND revoked = 0'),
    };
  }

  /** The `hall` part of a page for a device of `office`. */
  describe(
    office: string,
    tickets: { lastSeq: number; cursor: number; next: number },
    cases: { lastSeq: number; cursor: number; next: number },
    clientId: string | undefined,
  ): PullHall {
    return {
      epoch: this.epoch,
      tickets: this.check(this.q.ticketAt, tickets),
      cases: this.check(this.q.caseAt, cases),
      lastApplied: clientId === undefined ? null : this.progress(office, clientId),
    };
  }

  private check(stmt: { get(seq: number): unknown }, p: { lastSeq: number; cursor: number; next: number }): PullLogCheck {
    const mark = (seq: number): string | null => {
      if (seq <= 0) return null;
      const r = stmt.get(seq) as { seq: number; event_id: string; json: string } | undefined;
      return r ? logMark(r.seq, r.event_id, r.json) : null;
    };
    return { lastSeq: p.lastSeq, atCursor: mark(p.cursor), atNext: mark(p.next) };
  }

  /** A client's progress, only for a client enrolled in the pulling device's office. */
  private progress(office: string, clientId: string): number | null {
    const d = this.q.deviceOffice.get(clientId) as { office: string } | undefined;
    return d?.office === office ? this.store.lastApplied(clientId) : null;
  }
}
