import type Database from 'better-sqlite3';
import { runMigrations } from '../store/migrations.js';
import { DASHBOARD_CASE_MIGRATION } from './migration.js';

/**
 * Applies the dashboard's own later migration on a hall database that lacks it (before the lead
 * appends it to MIGRATIONS, or on a database made before it). Recorded in `migration` under its id,
 * so the ordinary run skips it afterwards. An id already taken by another migration is a mistake in
 * the numbering: refused loudly rather than skipped.
 */
export function ensureDashboardMigrations(db: Database.Database, now: number): void {
  const m = DASHBOARD_CASE_MIGRATION;
  db.exec('CREATE TABLE IF NOT EXISTS migration (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const recorded = db.prepare('SELECT name FROM migration WHERE id = ?').get(m.id) as { name: string } | undefined;
  if (recorded) {
    if (recorded.name !== m.name) throw new Error(`hall database migration ${m.id} is "${recorded.name}", not "${m.name}": give DASHBOARD_CASE_MIGRATION the next free id`);
    return;
  }
  runMigrations(db, now, [m]);
}
