import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';
import { openHallStore } from './hall-store.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'onewindow-group-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** What another process would read from the database file right now. */
function counters(dir: string): Record<string, number> {
  const db = new Database(path.join(dir, 'hall.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT board, last FROM number_counter ORDER BY board').all() as Array<{ board: string; last: number }>;
    return Object.fromEntries(rows.map((r) => [r.board, r.last]));
  } finally {
    db.close();
  }
}

describe('group commit', () => {
  it('requests of one batch commit together; a failing one is rolled back alone', async () => {
    const dir = tmp();
    const store = openHallStore(dir);
    const committed: string[] = [];
    // one event-loop turn: four requests join one batch, the third fails after writing
    expect(store.transaction(() => store.nextNumber('o', 'A', '2025-03-03'))).toBe(1);
    expect(store.transaction(() => store.nextNumber('o', 'B', '2025-03-03'))).toBe(1);
    expect(() =>
      store.transaction(() => {
        store.nextNumber('o', 'A', '2025-03-03');
        store.nextNumber('o', 'C', '2025-03-03');
        throw new Error('refused after writing');
      }),
    ).toThrow('refused after writing');
    // the next request of the same batch sees the first two, not the rolled-back one
    expect(store.transaction(() => store.nextNumber('o', 'A', '2025-03-03'))).toBe(2);
    store.afterCommit(() => committed.push('after commit'));

    expect(counters(dir)).toEqual({}); // nothing durable, nothing pushed yet
    expect(committed).toEqual([]);
    await store.whenCommitted();
    expect(committed).toEqual(['after commit']);
    expect(counters(dir)).toEqual({ A: 2, B: 1 }); // C never existed
    store.close();
  });

  it('a nested transaction that fails rolls back only itself, inside its request', async () => {
    const dir = tmp();
    const store = openHallStore(dir);
    store.transaction(() => {
      store.nextNumber('o', 'A', '2025-03-03');
      try {
        store.transaction(() => {
          store.nextNumber('o', 'B', '2025-03-03');
          throw new Error('inner');
        });
      } catch {
        // the outer request goes on
      }
    });
    await store.whenCommitted();
    expect(counters(dir)).toEqual({ A: 1 });
    store.close();
  });

  it('commits at once when a batch reaches its size cap', async () => {
    const dir = tmp();
    const store = openHallStore(dir, Date.now, { maxBatch: 3 });
    for (let i = 0; i < 3; i++) store.transaction(() => store.nextNumber('o', 'A', '2025-03-03'));
    expect(counters(dir)).toEqual({ A: 3 }); // committed synchronously by the third request
    store.transaction(() => store.nextNumber('o', 'A', '2025-03-03'));
    expect(counters(dir)).toEqual({ A: 3 });
    await store.whenCommitted();
    expect(counters(dir)).toEqual({ A: 4 });
    store.close();
  });

  it('close commits what is pending', () => {
    const dir = tmp();
    const store = openHallStore(dir);
    store.transaction(() => store.nextNumber('o', 'A', '2025-03-03'));
    store.close();
    expect(counters(dir)).toEqual({ A: 1 });
  });

  it('a failed COMMIT rejects the waiters, reports the failure and refuses further writes', async () => {
    const db = new Database(path.join(tmp(), 'fail.db'));
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
             CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)`);
    db.pragma('foreign_keys = ON');
    const failures: unknown[] = [];
    const commits = new GroupCommit(db, { onFailure: (err) => failures.push(err) });
    const pushed: string[] = [];
    commits.run(() => db.prepare('INSERT INTO parent (id) VALUES (1)').run());
    commits.run(() => db.prepare('INSERT INTO child (id, parent) VALUES (1, 99)').run()); // only COMMIT can tell
    commits.afterCommit(() => pushed.push('broadcast'));
    await expect(commits.whenCommitted()).rejects.toThrow(/FOREIGN KEY/);
    expect(failures).toHaveLength(1);
    expect(pushed).toEqual([]); // nothing observable escaped
    expect(() => commits.run(() => 1)).toThrow(/failed commit/);
    expect(db.inTransaction).toBe(false);
    expect(db.prepare('SELECT COUNT(*) AS n FROM parent').get()).toEqual({ n: 0 }); // the whole batch is gone
    db.close();
  });
});
