import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-helpers.js';
import { getMeta, openDatabase, prepared, setMeta } from './database.js';
import { Outbox, type MutationBody } from './outbox.js';

const FULL = 2;

function body(ticketId: string): MutationBody {
  return { kind: 'ticket_action', ticketId, windowId: 'qihe-county/1', staffId: '1001', at: 1_000, action: { type: 'started' } };
}

function fresh() {
  const file = path.join(tempDir('outbox-attempts'), 'workstation.db');
  const db = openDatabase(file);
  const outbox = new Outbox(db, () => 5_000);
  outbox.bindClient('client-a');
  return { db, file, outbox };
}

describe('outbox: push attempts and prepared statements', () => {
  it('counts attempts at NORMAL durability and leaves the connection at synchronous=FULL for everything else', () => {
    const { db, file, outbox } = fresh();
    outbox.append(body('t1'), 'A001');
    outbox.append(body('t2'), 'A002');
    outbox.markAttempt([1, 2]);
    outbox.markAttempt([2]);
    expect(outbox.pending().map((e) => [e.mutationId, e.attempts])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(db.pragma('synchronous', { simple: true })).toBe(FULL);

    // inside an enclosing transaction it commits with it (durability cannot change mid-transaction)
    db.transaction(() => outbox.markAttempt([1]))();
    expect(db.pragma('synchronous', { simple: true })).toBe(FULL);
    expect(outbox.pending()[0]!.attempts).toBe(2);

    // a count that fails (here: an id SQLite cannot bind) still restores FULL
    expect(() => outbox.markAttempt([{} as unknown as number])).toThrow();
    expect(db.pragma('synchronous', { simple: true })).toBe(FULL);

    db.close();
    const reopened = openDatabase(file);
    expect((reopened.prepare('SELECT attempts FROM outbox ORDER BY mutation_id').all() as Array<{ attempts: number }>).map((r) => r.attempts)).toEqual([2, 2]);
    reopened.close();
  });

  it('prepares each statement once per connection; meta values read back through them', () => {
    const { db } = fresh();
    const other = openDatabase(path.join(tempDir('outbox-attempts'), 'other.db'));
    const sql = 'SELECT value FROM meta WHERE key = ?';
    expect(prepared(db, sql)).toBe(prepared(db, sql));
    expect(prepared(other, sql)).not.toBe(prepared(db, sql));
    setMeta(db, 'k', 'one');
    setMeta(db, 'k', 'two');
    expect(getMeta(db, 'k')).toBe('two');
    expect(getMeta(other, 'k')).toBeNull();
    other.close();
    db.close();
  });
});
