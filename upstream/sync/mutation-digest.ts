import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Mutation } from '../../shared/hall/api.js';

/**
 * What the hall keeps of each mutation it applied, to tell a retry from a reused id.
 *
 * A window retries a mutation with the same id and the same content (its outbox entry). A window
 * whose disk was restored from an older image has forgotten the ids it used after that image was
 * taken and hands them out again for new work: without a record of what each id was, the hall would
 * acknowledge that new work as a duplicate and it would be lost. The hall therefore keeps a short
 * digest of each applied mutation's identity — kind, window, clerk, the window's time, the ticket or
 * case and the action (a case action's idempotency key) — and refuses an id it holds with another
 * identity (push.ts), naming the first reused id and its progress (progress.ts); the window numbers
 * that work again after the hall's progress (electron/backend/store/outbox.ts `renumberFrom`).
 *
 * Only identity fields are hashed, never the whole body, so a later version that adds fields or
 * defaults to a mutation does not make a genuine retry look like a reused id. Kept for the last
 * DIGESTS_KEPT ids of each client (pruned as ids pass multiples of PRUNE_EVERY): a window restored
 * from an image older than that many of its mutations is not recognised.
 */
export const MUTATION_DIGEST_MIGRATION = {
  id: 9,
  name: 'digests of applied mutations (a window restored from an older disk image reuses ids)',
  sql: `
    CREATE TABLE mutation_digest (
      client_id   TEXT NOT NULL,
      mutation_id INTEGER NOT NULL,
      digest      TEXT NOT NULL,
      PRIMARY KEY (client_id, mutation_id)
    ) WITHOUT ROWID;
  `,
};

export const DIGESTS_KEPT = 20_000;
const PRUNE_EVERY = 1_000;

/** 16 hex characters of SHA-256 over the mutation's identity. */
export function mutationDigest(m: Mutation): string {
  const subject =
    m.kind === 'ticket_action'
      ? [m.ticketId, m.action.type]
      : m.kind === 'case_action'
        ? [m.caseId, m.key, m.action.type]
        : m.kind === 'audit'
          ? [m.caseId, m.what]
          : [m.officeId, m.what, m.fingerprint];
  const identity = JSON.stringify([m.kind, m.windowId, m.staffId, m.at, ...subject]);
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}

export interface MutationDigests {
  /** Records the digest of an applied (or failed) mutation; call in the transaction that records its progress. */
  record(clientId: string, m: Mutation): void;
  /** The first mutation of `mutations` whose id the hall holds with another identity, if any. */
  firstReused(clientId: string, mutations: readonly Mutation[], lastApplied: number): Mutation | undefined;
}

export function createMutationDigests(db: Database.Database): MutationDigests {
  const insert = db.prepare('INSERT OR REPLACE INTO mutation_digest (client_id, mutation_id, digest) VALUES (?, ?, ?)');
  const get = db.prepare('SELECT digest FROM mutation_digest WHERE client_id = ? AND mutation_id = ?').pluck();
  const prune = db.prepare('DELETE FROM mutation_digest WHERE client_id = ? AND mutation_id <= ?');
  return {
    record(clientId, m) {
      insert.run(clientId, m.mutationId, mutationDigest(m));
      if (m.mutationId % PRUNE_EVERY === 0 && m.mutationId > DIGESTS_KEPT) prune.run(clientId, m.mutationId - DIGESTS_KEPT);
    },
    firstReused(clientId, mutations, lastApplied) {
      for (const m of mutations) {
        if (m.mutationId > lastApplied) return undefined;
        const held = get.get(clientId, m.mutationId) as string | undefined;
        if (held !== undefined && held !== mutationDigest(m)) return m;
      }
      return undefined;
    },
  };
}
