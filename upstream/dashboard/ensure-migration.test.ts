import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations } from '../store/migrations.js';
import { ensureDashboardMigrations } from './ensure-migration.js';
import { DASHBOARD_CASE_MIGRATION } from './migration.js';

/** The dashboard's later migration on a hall database that lacks it: applied once, a clash of ids refused. */
describe('the dashboard’s case migration', () => {
  const tables = (db: Database.Database) => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'dash_case%' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);

  it('is applied to a hall database that lacks it, recorded, and not again; a stored day keeps reading', () => {
    const db = new Database(':memory:');
    runMigrations(db, 1, MIGRATIONS.filter((m) => m.id !== DASHBOARD_CASE_MIGRATION.id));
    db.prepare("INSERT INTO dash_day (business_date, office, n, staff_ids, combos, sums, waits, services, hours, lows, built_at) VALUES ('2025-03-03', 'qihe-county', 0, '[]', x'', x'', x'', x'', x'', '[]', 1)").run();
    ensureDashboardMigrations(db, 2);
    ensureDashboardMigrations(db, 3);
    expect(tables(db)).toEqual(['dash_case_day', 'dash_case_fact']);
    expect(db.prepare('SELECT applied_at FROM migration WHERE id = ?').all(DASHBOARD_CASE_MIGRATION.id)).toEqual([{ applied_at: 2 }]);
    expect(db.prepare('SELECT quotes FROM dash_day').get()).toEqual({ quotes: null });
  });

  it('refuses a database whose migration of that id is another one', () => {
    const db = new Database(':memory:');
    runMigrations(db, 1, [...MIGRATIONS.filter((m) => m.id < DASHBOARD_CASE_MIGRATION.id), { id: DASHBOARD_CASE_MIGRATION.id, name: 'something else', sql: 'SELECT 1' }]);
    expect(() => ensureDashboardMigrations(db, 2)).toThrow(/give DASHBOARD_CASE_MIGRATION the next free id/);
    expect(tables(db)).toEqual([]);
  });
});
