import type Database from 'better-sqlite3';

/**
 * Group commit for the hall's single SQLite connection.
 *
 * A durable COMMIT (WAL, synchronous=FULL) costs an fsync; one per request caps the hall at the
 * machine's raw commit rate and makes every request wait behind the others' fsyncs. Instead, the
 * first write of an event-loop turn opens a batch (BEGIN IMMEDIATE); every request that writes
 * before the batch closes joins it, each in its own SAVEPOINT, so a request that throws rolls back
 * only its own writes. The batch commits once, on setImmediate (after the I/O callbacks of the turn
 * that joined it) or as soon as it holds `maxBatch` requests.
 *
 * What callers must do with it:
 *  - Nothing a request wrote may be *observed* outside the process before `whenCommitted()`
 *    resolves: HTTP replies (of reads too, since they may show a batch's uncommitted effects) wait
 *    for it, WebSocket pushes are registered with `afterCommit`.
 *  - In-memory state may follow a request as soon as its `transaction` returned (its savepoint was
 *    released): later requests of the same batch then see exactly what the open transaction holds,
 *    so e.g. "call next" never hands out a ticket another request of the batch already called.
 *    A request that threw has been rolled back to its savepoint and must leave memory untouched.
 *
 * A COMMIT that fails (disk full, I/O error) — or an error after which SQLite itself rolled the
 * whole batch back — leaves memory ahead of the disk for every request of the batch. The store is
 * then broken: pending waiters are rejected (no reply says "done"), every later transaction throws,
 * and `onFailure` is called; the hall server's default logs and exits non-zero so that its
 * supervisor restarts it from what is on disk.
 */
export interface GroupCommitOptions {
  /** Commit at once when a batch holds this many requests (bounds latency and lock time). */
  maxBatch?: number;
  /** Called once when a batch cannot be committed. Default: log to stderr and exit(1). */
  onFailure?: (err: unknown) => void;
}

interface Batch {
  requests: number;
  readonly after: Array<() => void>;
  done: { promise: Promise<void>; resolve: () => void; reject: (err: unknown) => void } | undefined;
}

export const DEFAULT_MAX_BATCH = 256;

export function exitOnCommitFailure(err: unknown): void {
  process.stderr.write(
    `hall: FATAL: a group commit failed; exiting so the hall restarts from what is on disk: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
}

export class GroupCommit {
  private batch: Batch | undefined;
  private depth = 0;
  private broken: unknown = undefined;
  private readonly maxBatch: number;
  private readonly onFailure: (err: unknown) => void;
  private readonly sql: {
    begin: Database.Statement;
    commit: Database.Statement;
    rollback: Database.Statement;
    savepoint: Database.Statement;
    release: Database.Statement;
    rollbackTo: Database.Statement;
  };

  constructor(
    private readonly db: Database.Database,
    opts: GroupCommitOptions = {},
  ) {
    this.maxBatch = Math.max(1, opts.maxBatch ?? DEFAULT_MAX_BATCH);
    this.onFailure = opts.onFailure ?? exitOnCommitFailure;
    this.sql = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT request'),
      release: db.prepare('RELEASE request'),
      rollbackTo: db.prepare('ROLLBACK TO request'),
    };
  }

  /**
   * Runs `fn` (synchronous) as one request of the open batch, in its own savepoint. If `fn` throws,
   * its writes are rolled back and the error is rethrown; the batch goes on. A nested call runs in
   * a nested savepoint of the outer request.
   */
  run<T>(fn: () => T): T {
    if (this.broken !== undefined) throw new Error(`hall store unusable after a failed commit: ${String(this.broken)}`);
    if (this.depth > 0) return this.inSavepoint(fn);
    const batch = this.open();
    const result = this.inSavepoint(fn);
    batch.requests++;
    if (batch.requests >= this.maxBatch) this.flush();
    return result;
  }

  /** Runs `cb` once everything written so far is durable (at once if nothing is pending). */
  afterCommit(cb: () => void): void {
    if (this.batch) this.batch.after.push(cb);
    else cb();
  }

  /** Resolves once everything written so far is durable; rejects if that commit failed. */
  whenCommitted(): Promise<void> {
    if (this.broken !== undefined) return Promise.reject(this.broken);
    const b = this.batch;
    if (!b) return Promise.resolve();
    if (!b.done) {
      let resolve!: () => void;
      let reject!: (err: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      b.done = { promise, resolve, reject };
    }
    return b.done.promise;
  }

  /** Commits the open batch now (synchronously). Used before close and by synchronous callers. */
  flush(): void {
    const b = this.batch;
    if (!b || this.depth > 0) return;
    this.batch = undefined;
    try {
      this.sql.commit.run();
    } catch (err) {
      this.fail(b, err);
      return;
    }
    for (const cb of b.after) {
      try {
        cb();
      } catch {
        // a broken listener must never undo or block a committed change
      }
    }
    b.done?.resolve();
  }

  get pending(): boolean {
    return this.batch !== undefined;
  }

  private open(): Batch {
    if (this.batch) return this.batch;
    this.sql.begin.run();
    const b: Batch = { requests: 0, after: [], done: undefined };
    this.batch = b;
    setImmediate(() => {
      if (this.batch === b) this.flush();
    });
    return b;
  }

  private inSavepoint<T>(fn: () => T): T {
    this.sql.savepoint.run();
    this.depth++;
    let result: T;
    try {
      result = fn();
    } catch (err) {
      this.depth--;
      this.undo(err);
      throw err;
    }
    this.depth--;
    try {
      this.sql.release.run();
    } catch (err) {
      // cannot happen short of a broken connection; the request's effects can no longer be trusted
      const b = this.batch;
      this.batch = undefined;
      if (b) this.fail(b, err);
      throw err;
    }
    return result;
  }

  /** Rolls back the current request's savepoint only; if SQLite already dropped the whole batch, fails. */
  private undo(cause: unknown): void {
    if (!this.db.inTransaction) {
      const b = this.batch;
      this.batch = undefined;
      if (b) this.fail(b, cause);
      return;
    }
    try {
      this.sql.rollbackTo.run();
      this.sql.release.run();
    } catch (err) {
      const b = this.batch;
      this.batch = undefined;
      if (b) this.fail(b, err);
    }
  }

  private fail(b: Batch, err: unknown): void {
    this.broken = err;
    try {
      if (this.db.inTransaction) this.sql.rollback.run();
    } catch {
      // nothing more to undo
    }
    b.done?.reject(err);
    this.onFailure(err);
  }
}
