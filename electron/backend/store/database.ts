import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createLogger } from '../log.js';
import { MIGRATIONS, type Migration } from './migrations.js';

export type Db = Database.Database;
const log = createLogger('store');

/**
 * Opens (creating if needed) the workstation's local cache: WAL journal, synchronous=FULL so an
 * outbox commit survives a power cut, then runs the pending migrations.
 * Electron loads better-sqlite3 built for its own ABI through `ONEWINDOW_SQLITE_BINDING`
 * (the path of a `better_sqlite3.node`), so Node's build stays the one the tests use.
 */
export function openDatabase(file: string, opts: { nativeBinding?: string; migrations?: readonly Migration[] } = {}): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const nativeBinding = opts.nativeBinding ?? process.env.ONEWINDOW_SQLITE_BINDING;
  const db = nativeBinding ? new Database(file, { nativeBinding }) : new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, opts.migrations ?? MIGRATIONS);
  return db;
}

export function migrate(db: Db, migrations: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const ran: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
    })();
    log.info(`migration ${m.version} applied: ${m.name}`);
    ran.push(m.version);
  }
  return ran;
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * `db.prepare(sql)`, compiled once per connection and reused: preparing costs more than running a
 * small statement, and the outbox, the case cache and the meta table run the same few statements
 * for every mutation. Only for fixed SQL texts (a bounded set), never for text built from data.
 */
export function prepared(db: Db, sql: string): Database.Statement {
  let byText = statements.get(db);
  if (!byText) statements.set(db, (byText = new Map()));
  let stmt = byText.get(sql);
  if (!stmt) byText.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}

export function getMeta(db: Db, key: string): string | null {
  const row = prepared(db, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function setMeta(db: Db, key: string, value: string): void {
  prepared(db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
