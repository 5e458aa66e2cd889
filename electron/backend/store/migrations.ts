/**
 * Numbered, additive migrations of the workstation's local cache. A migration is never edited once
 * shipped; a change is a new entry. `schema_migrations` records what ran.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'outbox, local ticket events, panel cache, meta',
    sql: `
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      -- Mutations waiting for the hall server's acknowledgement, pushed in mutation_id order.
      -- A parked entry (parked_reason set) is not pushed until the clerk retries it.
      CREATE TABLE outbox (
        mutation_id   INTEGER PRIMARY KEY,
        created_at    INTEGER NOT NULL,
        json          TEXT NOT NULL,
        summary       TEXT NOT NULL DEFAULT '',
        -- The window's own record of the action (ticket_event.id): a stable link while ids move.
        event_id      INTEGER NOT NULL,
        attempts      INTEGER NOT NULL DEFAULT 0,
        parked_reason TEXT,
        parked_at     INTEGER
      );
      CREATE INDEX outbox_pending ON outbox(parked_reason, mutation_id);
      -- Ticket events this window made (audit trail of the window), with the (client id, mutation id)
      -- they travel under and the hall's answer (applied / failed: reason / parked: reason).
      CREATE TABLE ticket_event (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        mutation_id INTEGER,
        client_id   TEXT NOT NULL,
        ticket_id   TEXT NOT NULL,
        window_id   TEXT NOT NULL,
        staff_id    TEXT NOT NULL,
        at          INTEGER NOT NULL,
        action      TEXT NOT NULL,
        outcome     TEXT
      );
      CREATE INDEX ticket_event_mutation ON ticket_event(mutation_id);
      CREATE INDEX ticket_event_ticket ON ticket_event(ticket_id);
      -- The last WindowPanel received from the hall server, per window.
      CREATE TABLE panel_cache (
        window_id  TEXT PRIMARY KEY,
        fetched_at INTEGER NOT NULL,
        json       TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'replica of the hall tickets the office may see',
    sql: `
      -- The hall's tickets as pulled (server events folded with the shared reducer), for the offices
      -- this workstation may see. last_seq: the server seq of the last event folded into state_json.
      -- The pull cursor and the reference data (version + JSON) live in meta (pull.*).
      CREATE TABLE replica_ticket (
        ticket_id     TEXT PRIMARY KEY,
        office        TEXT NOT NULL,
        business_date TEXT NOT NULL,
        status        TEXT NOT NULL,
        state_json    TEXT NOT NULL,
        last_seq      INTEGER NOT NULL
      );
      CREATE INDEX replica_ticket_day ON replica_ticket(business_date);
    `,
  },
  {
    version: 3,
    name: 'attachments stored by content hash',
    sql: `
      -- Attachments (pages, PDFs) kept in dataDir/blobs/<ab>/<sha256>, once per content.
      -- uploaded_at: when the hall confirmed it complete and verified; NULL while it waits.
      CREATE TABLE attachment (
        sha256      TEXT PRIMARY KEY,
        size        INTEGER NOT NULL,
        mime        TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        uploaded_at INTEGER
      );
      CREATE INDEX attachment_pending ON attachment(uploaded_at, created_at);
    `,
  },
  {
    version: 4,
    name: 'outbox kinds; the cases of the window, their local action log, pulled case events; audit log',
    sql: `
      -- What an outbox entry is (ticket_action, case_action, audit): event_id links the window's own
      -- record of it in ticket_event, case_action_local or audit_local respectively.
      ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'ticket_action';
      -- Case actions this window took (the case log as the window wrote it), with the (client id,
      -- mutation id) they travel under and the hall's answer (applied / failed: reason / parked: reason).
      CREATE TABLE case_action_local (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id     TEXT NOT NULL,
        key         TEXT NOT NULL UNIQUE,
        mutation_id INTEGER,
        client_id   TEXT NOT NULL,
        window_id   TEXT NOT NULL,
        staff_id    TEXT NOT NULL,
        at          INTEGER NOT NULL,
        json        TEXT NOT NULL,
        outcome     TEXT
      );
      CREATE INDEX case_action_local_case ON case_action_local(case_id, id);
      CREATE INDEX case_action_local_mutation ON case_action_local(mutation_id);
      -- The hall's case events as pulled (server case seq), for the cases the office may see.
      CREATE TABLE case_event_remote (
        seq     INTEGER PRIMARY KEY,
        case_id TEXT NOT NULL,
        key     TEXT NOT NULL,
        json    TEXT NOT NULL
      );
      CREATE INDEX case_event_remote_case ON case_event_remote(case_id, seq);
      -- Each case the window knows: its state folded by the shared reducer from the pulled events and
      -- then the window's own actions not refused (a cache of both logs, rewritten with them).
      CREATE TABLE case_local (
        case_id        TEXT PRIMARY KEY,
        office         TEXT NOT NULL,
        window_id      TEXT NOT NULL,
        staff_id       TEXT NOT NULL,
        status         TEXT NOT NULL,
        business_date  TEXT NOT NULL,
        provisional_no TEXT NOT NULL,
        case_no        TEXT,
        ticket_id      TEXT,
        state_json     TEXT NOT NULL,
        last_seq       INTEGER NOT NULL DEFAULT 0,
        updated_at     INTEGER NOT NULL
      );
      CREATE INDEX case_local_day ON case_local(office, business_date);
      CREATE INDEX case_local_status ON case_local(status);
      -- Provisional case numbers: one counter per window and business day.
      CREATE TABLE case_counter (
        window_id     TEXT NOT NULL,
        business_date TEXT NOT NULL,
        last          INTEGER NOT NULL,
        PRIMARY KEY (window_id, business_date)
      );
      -- Openings of a case's personal data (and prints, exports) by this window's clerks.
      CREATE TABLE audit_local (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id     TEXT NOT NULL,
        what        TEXT NOT NULL,
        mutation_id INTEGER,
        client_id   TEXT NOT NULL,
        window_id   TEXT NOT NULL,
        staff_id    TEXT NOT NULL,
        at          INTEGER NOT NULL,
        outcome     TEXT
      );
      CREATE INDEX audit_local_case ON audit_local(case_id);
      CREATE INDEX audit_local_mutation ON audit_local(mutation_id);
    `,
  },
  {
    version: 5,
    name: 'settings changes for the audit trail (the office seal)',
    sql: `
      -- Imports and removals of an office's seal and signing certificate at this workstation, sent to
      -- the hall's audit trail (kind settings_audit). window_id is NULL for a sign-in without a window.
      CREATE TABLE settings_audit_local (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        what        TEXT NOT NULL,
        office_id   TEXT NOT NULL,
        fingerprint TEXT,
        subject     TEXT,
        mutation_id INTEGER,
        client_id   TEXT NOT NULL,
        window_id   TEXT,
        staff_id    TEXT NOT NULL,
        at          INTEGER NOT NULL,
        outcome     TEXT
      );
      CREATE INDEX settings_audit_local_mutation ON settings_audit_local(mutation_id);
    `,
  },
];
