import type { PullHall } from '../../../shared/hall/api.js';
import { getMeta, setMeta, type Db } from '../store/database.js';

/**
 * A hall whose database was reset under the window: wiped (a new, empty database), replaced by
 * another one, or restored from an older backup. The window must not keep a replica of a log the
 * hall no longer has, nor go on pushing mutation ids the hall will refuse as out of order forever.
 *
 * What the window checks, on every pull page from a hall that describes itself (`page.hall`, see
 * upstream/sync/hall-identity.ts), against what it stored with its cursors:
 *  - `epoch`: the random id of the hall's database. Another epoch than the stored one → reset.
 *  - each log's latest seq: below the window's cursor → the hall has lost events the window pulled.
 *  - each log's mark at the window's cursor (hash of the seq, id and content of the last event at or before
 *    it): another mark than the one stored with the cursor → the hall's log up to the cursor is not
 *    the one pulled (a restored database that has taken new events since the restore).
 * Any of these → the replica (tickets, cases pulled from the hall, reference data, cursors) is
 * dropped in the page's transaction and pulled again from 0 (replica.ts `applyPullPage`, puller.ts).
 * The window's own records and its outbox are kept; the pending-write rule keeps its pending work
 * on top of the fresh replica. Attachments are asked about again (the hall may have lost them too).
 *
 * The hall may also have lost mutations it had acknowledged to this window (its progress for the
 * client, `hall.lastApplied`, is below the window's own): see lost-progress.ts, which puts them
 * back in the outbox from the window's own log so they are pushed again.
 *
 * A hall that does not describe itself (older versions) is not checked; marks are then forgotten,
 * since they would no longer belong to the stored cursor.
 */
export const HALL_EPOCH = 'pull.hall_epoch';
export const CURSOR_MARK = 'pull.cursor_mark';
export const CASE_CURSOR_MARK = 'pull.case_cursor_mark';
/** Dropped with the rest of the replica when the enrolment changes (replica.ts PULL_META). */
export const HALL_META = [HALL_EPOCH, CURSOR_MARK, CASE_CURSOR_MARK] as const;

export type HallResetReason = 'epoch' | 'tickets_behind' | 'cases_behind' | 'tickets_diverged' | 'cases_diverged' | 'progress_lost';

export const HALL_RESET_REASON: Record<HallResetReason, string> = {
  epoch: 'the hall has another database (another epoch)',
  tickets_behind: "the hall's ticket log ends before the window's cursor",
  cases_behind: "the hall's case log ends before the window's case cursor",
  tickets_diverged: "the hall's ticket log at the window's cursor is not the one pulled",
  cases_diverged: "the hall's case log at the window's case cursor is not the one pulled",
  progress_lost: 'the hall has lost mutations it acknowledged to this window',
};

/** For the clerk (sync status): the hall lost acknowledged work; the window is re-sending it. */
export const HALL_RESET_MESSAGE = '大厅服务器数据已重置（可能从备份恢复），本机正在重新同步并补传大厅丢失的记录；如有记录被拒，请联系管理员。';
/** For the clerk: the hall refuses the window's records as out of order and nothing here can mend it yet. */
export const HALL_PROGRESS_LOST_MESSAGE = '大厅服务器数据已重置（缺少本机已上传的记录），上传暂停，正在自动恢复；如长时间未恢复，请联系管理员。';

/** The window's cursors as they were when the page was asked for. */
export interface AskedCursors {
  cursor: number;
  caseCursor: number;
}

/** Why the hall described in a page is not the one the replica was pulled from; null when it is (or cannot be told). */
export function hallMismatch(db: Db, hall: PullHall | undefined, asked: AskedCursors): HallResetReason | null {
  if (hall === undefined) return null;
  const epoch = getMeta(db, HALL_EPOCH);
  if (epoch !== null && epoch !== hall.epoch) return 'epoch';
  if (hall.tickets.lastSeq < asked.cursor) return 'tickets_behind';
  if (hall.cases.lastSeq < asked.caseCursor) return 'cases_behind';
  const mark = getMeta(db, CURSOR_MARK);
  if (asked.cursor > 0 && mark !== null && mark !== hall.tickets.atCursor) return 'tickets_diverged';
  const caseMark = getMeta(db, CASE_CURSOR_MARK);
  if (asked.caseCursor > 0 && caseMark !== null && caseMark !== hall.cases.atCursor) return 'cases_diverged';
  return null;
}

/** One log's cursor after a page: where it was asked from, where it is now, where the page said it could go. */
export interface CursorMove {
  asked: number;
  now: number;
  next: number;
}

/**
 * Stores the hall's epoch and the mark of each new cursor (inside the page's transaction). A cursor
 * that stopped short of the page's end (held back by a pending write) has no known mark: none is
 * stored, and the next page's `atCursor` gives it.
 */
export function rememberHall(db: Db, hall: PullHall | undefined, tickets: CursorMove, cases: CursorMove): void {
  if (hall !== undefined) setMeta(db, HALL_EPOCH, hall.epoch);
  storeMark(db, CURSOR_MARK, hall === undefined ? null : markAfter(hall.tickets, tickets));
  storeMark(db, CASE_CURSOR_MARK, hall === undefined ? null : markAfter(hall.cases, cases));
}

function markAfter(check: PullHall['tickets'], m: CursorMove): string | null {
  if (m.now === m.next) return check.atNext;
  if (m.now === m.asked) return check.atCursor;
  return null;
}

function storeMark(db: Db, key: string, mark: string | null): void {
  if (mark === null) db.prepare('DELETE FROM meta WHERE key = ?').run(key);
  else setMeta(db, key, mark);
}

/** True once the window has seen a hall that describes itself (it may then name its client id in pulls). */
export function knowsHallEpoch(db: Db): boolean {
  return getMeta(db, HALL_EPOCH) !== null;
}
