import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.js';
import { openHallStore } from './hall-store.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'onewindow-store-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('hall store', () => {
  it('runs every migration once, in WAL mode with synchronous=FULL', () => {
    const dir = tmp();
    openHallStore(dir).close();
    const store = openHallStore(dir); // second start: nothing to run again
    store.close();
    const db = new Database(path.join(dir, 'hall.db'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect((db.prepare('SELECT id FROM migration ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id));
    db.close();
  });

  it('counts numbers per office, board and business day', () => {
    const store = openHallStore(tmp());
    expect(store.transaction(() => store.nextNumber('o', 'A', '2025-03-03'))).toBe(1);
    expect(store.transaction(() => store.nextNumber('o', 'A', '2025-03-03'))).toBe(2);
    expect(store.transaction(() => store.nextNumber('o', 'B', '2025-03-03'))).toBe(1);
    expect(store.transaction(() => store.nextNumber('o', 'A', '2025-03-04'))).toBe(1);
    expect(store.transaction(() => store.nextNumber('k', 'A', '2025-03-03'))).toBe(1);
    store.close();
  });

  it('an enrolment code is used once and not after it expires', () => {
    const store = openHallStore(tmp());
    store.insertEnrolCode('h1', 'o', 0, 1000);
    store.insertEnrolCode('h2', 'o', 0, 1000);
    expect(store.useEnrolCode('h1', 500, 'd1')).toEqual({ office: 'o' });
    expect(store.useEnrolCode('h1', 600, 'd2')).toEqual({ refused: 'used' });
    expect(store.useEnrolCode('h2', 1001, 'd3')).toEqual({ refused: 'expired' });
    expect(store.useEnrolCode('nope', 1, 'd4')).toEqual({ refused: 'unknown' });
    store.close();
  });
});
