/**
 * The dashboard's tables on the hall database, appended by the lead to MIGRATIONS
 * (upstream/store/migrations.ts). Everything in dash_* is derived from the ticket and window logs and
 * may be dropped and rebuilt at any time (the dashboard rebuilds what is missing or stale on its own);
 * followup_event is a log of its own (the supervisor's call-backs).
 *
 * Shipped as migration 5: never renumber it again.
 */
export const DASHBOARD_MIGRATION = {
  id: 5,
  name: 'dashboard: per-day ticket columns, staffed time, follow-up log',
  sql: `
    -- One office's past business day folded by board × window × clerk (shared/dashboard/cube.ts):
    -- counts and sums per combination, each combination's waits and service times sorted, counts by
    -- hour, low ratings. A year of figures reads ~365 small rows per office.
    CREATE TABLE dash_day (
      business_date TEXT NOT NULL,
      office        TEXT NOT NULL,
      n             INTEGER NOT NULL,
      staff_ids     TEXT NOT NULL,
      combos        BLOB NOT NULL,
      sums          BLOB NOT NULL,
      waits         BLOB NOT NULL,
      services      BLOB NOT NULL,
      hours         BLOB NOT NULL,
      lows          TEXT NOT NULL,
      built_at      INTEGER NOT NULL,
      PRIMARY KEY (business_date, office)
    );
    -- The same day one row per ticket (shared/dashboard/facts.ts), with ticket ids and numbers:
    -- read only by drill-downs.
    CREATE TABLE dash_day_rows (
      business_date TEXT NOT NULL,
      office        TEXT NOT NULL,
      n             INTEGER NOT NULL,
      staff_ids     TEXT NOT NULL,
      board         BLOB NOT NULL,
      window_no     BLOB NOT NULL,
      staff         BLOB NOT NULL,
      outcome       BLOB NOT NULL,
      flags         BLOB NOT NULL,
      hour          BLOB NOT NULL,
      wait_ms       BLOB NOT NULL,
      service_ms    BLOB NOT NULL,
      rating        BLOB NOT NULL,
      ticket_ids    TEXT NOT NULL,
      numbers       TEXT NOT NULL,
      PRIMARY KEY (business_date, office)
    );
    -- Staffed (signed in, not paused) and paused time per window and clerk of a past day, from window_event.
    CREATE TABLE dash_window_day (
      business_date TEXT NOT NULL,
      office        TEXT NOT NULL,
      window_no     INTEGER NOT NULL,
      staff_id      TEXT NOT NULL,
      staffed_ms    INTEGER NOT NULL,
      paused_ms     INTEGER NOT NULL,
      PRIMARY KEY (business_date, office, window_no, staff_id)
    );
    -- Days whose log grew since they were built (kind: 'ticket' or 'window'), and how far each log was read.
    CREATE TABLE dash_dirty (
      kind          TEXT NOT NULL,
      office        TEXT NOT NULL,
      business_date TEXT NOT NULL,
      PRIMARY KEY (kind, office, business_date)
    );
    CREATE TABLE dash_cursor (
      name TEXT PRIMARY KEY,
      seq  INTEGER NOT NULL
    );
    -- A day's window events, and a window's presence just before a day began.
    CREATE INDEX dash_window_event_at ON window_event(at);
    CREATE INDEX dash_window_event_window_at ON window_event(window_id, at);
    -- 回访: each call-back of a finished service, appended; the latest per ticket counts.
    CREATE TABLE followup_event (
      seq          INTEGER PRIMARY KEY AUTOINCREMENT,
      request_id   TEXT NOT NULL UNIQUE,
      ticket_id    TEXT NOT NULL,
      office       TEXT NOT NULL,
      at           INTEGER NOT NULL,
      staff_id     TEXT NOT NULL,
      outcome      TEXT NOT NULL,
      satisfaction INTEGER,
      note         TEXT NOT NULL
    );
    CREATE INDEX followup_event_ticket ON followup_event(ticket_id, seq);
  `,
} as const;

/**
 * The dashboard's second migration: case figures from the case log, and quoted waits. Appended by
 * the lead to MIGRATIONS after DASHBOARD_MIGRATION and CERTIFICATE_MIGRATION; until then (and on a
 * hall database made before it) `ensureDashboardMigrations` applies it when the dashboard opens.
 * Everything here is derived and may be dropped and rebuilt.
 */
export const DASHBOARD_CASE_MIGRATION = {
  id: 7,
  name: 'dashboard: case figures from the case log, quoted waits',
  sql: `
    -- Each past day's quoted-against-actual waits per board (shared/dashboard/quotes.ts). Days built
    -- before this column existed had no quotes in their log: NULL reads as none.
    ALTER TABLE dash_day ADD COLUMN quotes BLOB;
    -- One row per figure a case event makes (shared/dashboard/case-facts.ts): accepted, notice,
    -- escalation, decision ... on the business day of the event, with its board, window and clerk.
    -- Rebuilt whole for a case whenever its log grows. Clustered by day for ranges and drill-downs.
    CREATE TABLE dash_case_fact (
      business_date TEXT NOT NULL,
      office        TEXT NOT NULL,
      figure        TEXT NOT NULL,
      case_id       TEXT NOT NULL,
      event_id      TEXT NOT NULL,
      board         TEXT NOT NULL,
      window_no     INTEGER NOT NULL,
      staff_id      TEXT NOT NULL,
      case_no       TEXT,
      title         TEXT NOT NULL,
      ticket_number TEXT,
      promised_date TEXT,
      decided       INTEGER NOT NULL,
      PRIMARY KEY (business_date, office, figure, case_id, event_id)
    ) WITHOUT ROWID;
    CREATE INDEX dash_case_fact_case ON dash_case_fact(case_id);
    -- Accepted cases not decided yet: the overdue ones are those whose promised date has passed.
    CREATE INDEX dash_case_fact_undecided ON dash_case_fact(promised_date) WHERE figure = 'accepted' AND decided = 0;
    -- One office's day of case figures folded by board × window × clerk (shared/dashboard/case-cube.ts).
    CREATE TABLE dash_case_day (
      business_date TEXT NOT NULL,
      office        TEXT NOT NULL,
      staff_ids     TEXT NOT NULL,
      combos        BLOB NOT NULL,
      built_at      INTEGER NOT NULL,
      PRIMARY KEY (business_date, office)
    );
  `,
} as const;
