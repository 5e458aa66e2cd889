import type Database from 'better-sqlite3';
import { DEVICE_REVOCATION_MIGRATION } from '../auth/devices.js';
import { PIN_FAILURE_MIGRATION } from '../auth/pin-lockout.js';
import { CERTIFICATE_MIGRATION } from '../certificates/migration.js';
import { DOCUMENT_NUMBER_MIGRATION } from '../certificates/number-blocks-migration.js';
import { DASHBOARD_CASE_MIGRATION, DASHBOARD_MIGRATION } from '../dashboard/migration.js';
import { MUTATION_DIGEST_MIGRATION } from '../sync/mutation-digest.js';
import { SETTINGS_AUDIT_MIGRATION } from '../sync/settings-audit.js';

/**
 * Numbered, additive migrations of the hall database. A migration is never edited once shipped:
 * a change is a new entry at the end. Each runs in its own transaction and is recorded in `migration`.
 */
export const MIGRATIONS: ReadonlyArray<{ id: number; name: string; sql: string }> = [
  {
    id: 1,
    name: 'tickets, numbering, devices, sessions, sync',
    sql: `
      CREATE TABLE ticket_event (
        seq INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        ticket_id TEXT NOT NULL,
        office TEXT NOT NULL,
        business_date TEXT NOT NULL,
        type TEXT NOT NULL,
        at INTEGER NOT NULL,
        json TEXT NOT NULL
      );
      CREATE INDEX ticket_event_ticket ON ticket_event(ticket_id, seq);
      CREATE TABLE ticket (
        ticket_id TEXT PRIMARY KEY,
        office TEXT NOT NULL,
        business_date TEXT NOT NULL,
        status TEXT NOT NULL,
        last_seq INTEGER NOT NULL,
        json TEXT NOT NULL
      );
      CREATE INDEX ticket_day ON ticket(business_date, office);
      CREATE TABLE number_counter (
        office TEXT NOT NULL,
        board TEXT NOT NULL,
        business_date TEXT NOT NULL,
        last INTEGER NOT NULL,
        PRIMARY KEY (office, board, business_date)
      );
      CREATE TABLE device (
        id TEXT PRIMARY KEY,
        office TEXT NOT NULL,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        client_id TEXT NOT NULL UNIQUE,
        enrolled_at INTEGER NOT NULL,
        revoked INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE enrol_code (
        code_hash TEXT PRIMARY KEY,
        office TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER,
        device_id TEXT
      );
      CREATE TABLE session (
        token_hash TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        staff_id TEXT NOT NULL,
        window_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        ended_at INTEGER
      );
      CREATE INDEX session_window ON session(window_id, ended_at);
      CREATE TABLE client_progress (
        client_id TEXT PRIMARY KEY,
        last_applied INTEGER NOT NULL
      );
      CREATE TABLE mutation_result (
        client_id TEXT NOT NULL,
        mutation_id INTEGER NOT NULL,
        status TEXT NOT NULL,
        reason TEXT,
        at INTEGER NOT NULL,
        PRIMARY KEY (client_id, mutation_id)
      );
      CREATE TABLE window_event (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        window_id TEXT NOT NULL,
        type TEXT NOT NULL,
        at INTEGER NOT NULL,
        json TEXT NOT NULL
      );
      CREATE INDEX window_event_window ON window_event(window_id, seq);
      CREATE TABLE rating_token (
        ticket_id TEXT NOT NULL,
        token_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (ticket_id, token_hash)
      );
      CREATE TABLE request_dedupe (
        scope TEXT NOT NULL,
        request_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        json TEXT NOT NULL,
        PRIMARY KEY (scope, request_id)
      );
      CREATE TABLE appointment (
        code TEXT PRIMARY KEY,
        office TEXT NOT NULL,
        board TEXT NOT NULL,
        slot_start INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        used_at INTEGER,
        ticket_id TEXT
      );
    `,
  },
  {
    id: 2,
    name: 'pull: ticket events by office in seq order',
    sql: `
      -- A window pulls the events of the offices it may see after its cursor, in seq order:
      -- one range scan per office (seq itself is the table's key).
      CREATE INDEX ticket_event_office_seq ON ticket_event(office, seq);
    `,
  },
  {
    id: 3,
    name: 'attachments stored by content hash',
    sql: `
      -- One row per attachment stored complete and verified (its bytes hash to sha256), stored once
      -- whoever uploads it again. office / device_id: the device that completed the upload.
      CREATE TABLE attachment (
        sha256       TEXT PRIMARY KEY,
        size         INTEGER NOT NULL,
        office       TEXT NOT NULL,
        device_id    TEXT NOT NULL,
        completed_at INTEGER NOT NULL
      );
    `,
  },
  {
    id: 4,
    name: 'cases: case log, projections, official numbers, audit',
    sql: `
      -- The hall's case log (办件). seq is the case cursor of pulls (its own series, apart from the
      -- ticket log). event_id: "<clientId>:<mutationId>" for a window's action, "s<seq>" for the hall's.
      -- key: the action's idempotency key, unique within its case.
      CREATE TABLE case_event (
        seq      INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        case_id  TEXT NOT NULL,
        office   TEXT NOT NULL,
        key      TEXT NOT NULL,
        type     TEXT NOT NULL,
        at       INTEGER NOT NULL,
        json     TEXT NOT NULL
      );
      -- (case_id, key) also serves a case's whole log: a case has tens of events, sorted by seq after.
      CREATE UNIQUE INDEX case_event_case_key ON case_event(case_id, key);
      CREATE INDEX case_event_office_seq ON case_event(office, seq);
      -- One row per case: its state from the reducer (json) and what lists filter on.
      -- ("case" is an SQL keyword: always quote the table name.)
      CREATE TABLE "case" (
        case_id     TEXT PRIMARY KEY,
        office      TEXT NOT NULL,
        status      TEXT NOT NULL,
        last_seq    INTEGER NOT NULL,
        json        TEXT NOT NULL,
        case_no     TEXT,
        opened_date TEXT NOT NULL,
        staff_id    TEXT NOT NULL,
        window_id   TEXT NOT NULL,
        ticket_id   TEXT
      );
      CREATE UNIQUE INDEX case_no_unique ON "case"(case_no) WHERE case_no IS NOT NULL;
      CREATE INDEX case_office_date ON "case"(office, opened_date);
      CREATE INDEX case_office_status ON "case"(office, status);
      CREATE INDEX case_ticket ON "case"(ticket_id) WHERE ticket_id IS NOT NULL;
      -- Official case numbers: one series per office and year.
      CREATE TABLE case_number_counter (
        office TEXT NOT NULL,
        year   INTEGER NOT NULL,
        last   INTEGER NOT NULL,
        PRIMARY KEY (office, year)
      );
      -- Who opened a case's personal data, when, from which window and device.
      CREATE TABLE audit (
        seq       INTEGER PRIMARY KEY AUTOINCREMENT,
        at        INTEGER NOT NULL,
        staff_id  TEXT NOT NULL,
        case_id   TEXT NOT NULL,
        office    TEXT NOT NULL,
        window_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        what      TEXT NOT NULL,
        event_id  TEXT NOT NULL UNIQUE
      );
      CREATE INDEX audit_case ON audit(case_id, seq);
      CREATE INDEX audit_office_at ON audit(office, at);
      CREATE INDEX audit_staff_at ON audit(staff_id, at);
    `,
  },
  DASHBOARD_MIGRATION,
  CERTIFICATE_MIGRATION,
  DASHBOARD_CASE_MIGRATION,
  DOCUMENT_NUMBER_MIGRATION,
  MUTATION_DIGEST_MIGRATION,
  DEVICE_REVOCATION_MIGRATION,
  SETTINGS_AUDIT_MIGRATION,
  PIN_FAILURE_MIGRATION,
];

export function runMigrations(db: Database.Database, now: number, migrations: ReadonlyArray<{ id: number; name: string; sql: string }> = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS migration (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const done = new Set((db.prepare('SELECT id FROM migration').all() as Array<{ id: number }>).map((r) => r.id));
  const applied: number[] = [];
  for (const m of migrations) {
    if (done.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO migration (id, name, applied_at) VALUES (?, ?, ?)').run(m.id, m.name, now);
    })();
    applied.push(m.id);
  }
  return applied;
}
