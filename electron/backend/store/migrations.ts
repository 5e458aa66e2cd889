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
];
