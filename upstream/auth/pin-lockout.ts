import type Database from 'better-sqlite3';
import { AppError } from '../../shared/errors.js';

/**
 * Wrong PINs per staff id, kept in the hall's database so a restart does not forget them: five in
 * ten minutes lock the staff id out until the oldest of them is ten minutes old. A correct PIN clears
 * them. Rows older than the window are pruned as new ones are written.
 */
export const PIN_FAILURE_MIGRATION = {
  id: 12,
  name: 'wrong PINs per staff id (sign-in lockout survives a restart)',
  sql: `
    CREATE TABLE pin_failure (
      staff_id TEXT NOT NULL,
      at       INTEGER NOT NULL
    );
    CREATE INDEX pin_failure_staff ON pin_failure(staff_id, at);
  `,
};

export const LOCKOUT_FAILURES = 5;
export const LOCKOUT_WINDOW_MS = 10 * 60_000;
export const LOCKED_OUT_MESSAGE = '密码错误次数过多，请 10 分钟后再试，或联系管理员。';

export class PinLockout {
  private readonly count: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly prune: Database.Statement;
  private readonly clear: Database.Statement;

  constructor(
    db: Database.Database,
    /** The hall store's transaction (group commit). */
    private readonly transaction: <T>(fn: () => T) => T,
    private readonly now: () => number,
  ) {
    this.count = db.prepare('SELECT count(*) FROM pin_failure WHERE staff_id = ? AND at > ?').pluck();
    this.insert = db.prepare('INSERT INTO pin_failure (staff_id, at) VALUES (?, ?)');
    this.prune = db.prepare('DELETE FROM pin_failure WHERE at <= ?');
    this.clear = db.prepare('DELETE FROM pin_failure WHERE staff_id = ?');
  }

  /** Throws too_fast while the staff id is locked out. */
  check(staffId: string): void {
    if ((this.count.get(staffId, this.now() - LOCKOUT_WINDOW_MS) as number) >= LOCKOUT_FAILURES) {
      throw new AppError('too_fast', LOCKED_OUT_MESSAGE, `staff ${staffId} locked out`);
    }
  }

  failed(staffId: string): void {
    const at = this.now();
    this.transaction(() => {
      this.prune.run(at - LOCKOUT_WINDOW_MS);
      this.insert.run(staffId, at);
    });
  }

  succeeded(staffId: string): void {
    this.transaction(() => this.clear.run(staffId));
  }
}
