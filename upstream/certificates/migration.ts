/**
 * The hall tables of certificate verification, as a migration for upstream/store/migrations.ts
 * (the lead appends it there with the next free id; this file is its single source).
 */
export const CERTIFICATE_MIGRATION = {
  id: 6,
  name: 'certificate verification records, revocations and office record keys',
  sql: `
    -- One row per issued document: its SM2-signed verification record (json = SignedRecord).
    -- id is the random verification id printed in the QR code.
    CREATE TABLE certificate_record (
      id          TEXT PRIMARY KEY,
      office      TEXT NOT NULL,
      number      TEXT NOT NULL,
      template_id TEXT NOT NULL,
      issued_at   TEXT NOT NULL,
      json        TEXT NOT NULL,
      received_at INTEGER NOT NULL
    );
    CREATE INDEX certificate_record_number ON certificate_record(office, number);
    -- Revocations; seq is the cursor workstations pull the revocation list by.
    CREATE TABLE certificate_revocation (
      seq        INTEGER PRIMARY KEY,
      id         TEXT NOT NULL UNIQUE REFERENCES certificate_record(id),
      reason     TEXT NOT NULL,
      revoked_at INTEGER NOT NULL,
      revoked_by TEXT NOT NULL
    );
    -- The SM2 public keys each office signs records with (several while a key is rotated).
    CREATE TABLE certificate_office_key (
      office     TEXT NOT NULL,
      public_key TEXT NOT NULL,
      added_at   INTEGER NOT NULL,
      PRIMARY KEY (office, public_key)
    );
  `,
} as const;
