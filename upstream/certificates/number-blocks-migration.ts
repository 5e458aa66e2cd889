/**
 * The hall tables of document number blocks (shared/hall/document-number-api.ts), as a migration
 * appended to upstream/store/migrations.ts (this file is its single source). Additive only.
 */
export const DOCUMENT_NUMBER_MIGRATION = {
  id: 8,
  name: 'document number blocks reserved by workstations',
  sql: `
    -- The last serial handed out of each counter. scope: the office for an official series (w:…),
    -- '*' for a licence pattern (p:…, shared by every office of the hall: the county and its branch
    -- print the same division 371425); year 0 for a pattern without {year} (it runs on across years).
    CREATE TABLE document_number_counter (
      scope  TEXT NOT NULL,
      year   INTEGER NOT NULL,
      series TEXT NOT NULL,
      last   INTEGER NOT NULL,
      PRIMARY KEY (scope, year, series)
    );
    -- Every block handed out: serials first..last of a series to one device of an office. A block
    -- not used up is never handed out again (numbers may have gaps, never duplicates).
    -- (device_id, request_id, item) makes a retried request return the same blocks.
    CREATE TABLE document_number_block (
      office       TEXT NOT NULL,
      year         INTEGER NOT NULL,
      series       TEXT NOT NULL,
      first        INTEGER NOT NULL,
      last         INTEGER NOT NULL,
      device_id    TEXT NOT NULL,
      request_id   TEXT NOT NULL,
      item         INTEGER NOT NULL,
      request_hash TEXT NOT NULL,
      at           INTEGER NOT NULL,
      PRIMARY KEY (device_id, request_id, item)
    );
    CREATE INDEX document_number_block_series ON document_number_block(office, year, series, first);
  `,
} as const;
