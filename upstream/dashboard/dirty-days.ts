import type Database from 'better-sqlite3';

/**
 * How far the dashboard has read each log (dash_cursor) and which derived days are stale since
 * (dash_dirty): ticket days (dash_day), window days (dash_window_day), case days (dash_case_day).
 */
export type DirtyKind = 'ticket' | 'window' | 'case';

export function openDirtyDays(db: Database.Database) {
  const q = {
    cursor: db.prepare('SELECT seq FROM dash_cursor WHERE name = ?'),
    setCursor: db.prepare('INSERT INTO dash_cursor (name, seq) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET seq = excluded.seq'),
    markDirty: db.prepare('INSERT OR IGNORE INTO dash_dirty (kind, office, business_date) VALUES (?, ?, ?)'),
    dirtyIn: db.prepare('SELECT office, business_date AS day FROM dash_dirty WHERE kind = ? AND business_date >= ? AND business_date <= ? ORDER BY business_date'),
    clearDirty: db.prepare('DELETE FROM dash_dirty WHERE kind = ? AND office = ? AND business_date = ?'),
  };
  return {
    cursor(name: string): number {
      return (q.cursor.get(name) as { seq: number } | undefined)?.seq ?? 0;
    },
    setCursor(name: string, seq: number): void {
      q.setCursor.run(name, seq);
    },
    markDirty(kind: DirtyKind, office: string, day: string): void {
      q.markDirty.run(kind, office, day);
    },
    dirtyIn(kind: DirtyKind, from: string, to: string): Array<{ office: string; day: string }> {
      return q.dirtyIn.all(kind, from, to) as Array<{ office: string; day: string }>;
    },
    clearDirty(kind: DirtyKind, office: string, day: string): void {
      q.clearDirty.run(kind, office, day);
    },
  };
}
