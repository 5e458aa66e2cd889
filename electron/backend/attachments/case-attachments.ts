import type { Db } from '../store/database.js';

/**
 * Where a case's attachments stand as this window knows it (for the case's sync line: "2 页待上传").
 * The attachments the case references are read from the case's state (its materials, as folded from
 * the hall's events and the window's own actions: attachment_added less attachment_removed), then
 * looked up in the window's attachment table:
 *  - pending: stored here, not yet confirmed by the hall (uploaded_at NULL) — the case is not
 *    complete upstream until they are;
 *  - elsewhere: not stored at this window (added by another window): this window cannot tell; the
 *    hall's own answer is `CaseTables.attachments` (upstream/cases/case-store.ts).
 * Pure query, read-only. Undefined for a case the window does not have.
 */
export interface CaseAttachmentSync {
  /** Distinct attachments (by sha256) the case references. */
  referenced: number;
  /** Stored here and not yet confirmed by the hall, sorted. */
  pending: string[];
  /** Referenced but not stored at this window, sorted. */
  elsewhere: string[];
  /** Bytes still to upload for `pending`. */
  pendingBytes: number;
}

export function caseAttachmentSync(db: Db, caseId: string): CaseAttachmentSync | undefined {
  if (!db.prepare('SELECT 1 FROM case_local WHERE case_id = ?').get(caseId)) return undefined;
  const rows = db
    .prepare(
      `SELECT r.sha256, x.uploaded_at IS NOT NULL AS uploaded, x.sha256 IS NOT NULL AS here, COALESCE(x.size, 0) AS size
       FROM (SELECT DISTINCT json_extract(a.value, '$.sha256') AS sha256
             FROM case_local c, json_each(c.state_json, '$.materials') m, json_each(m.value, '$.attachments') a
             WHERE c.case_id = ?) r
       LEFT JOIN attachment x ON x.sha256 = r.sha256
       ORDER BY r.sha256`,
    )
    .all(caseId) as Array<{ sha256: string; uploaded: number; here: number; size: number }>;
  const pending = rows.filter((r) => r.here === 1 && r.uploaded === 0);
  return {
    referenced: rows.length,
    pending: pending.map((r) => r.sha256),
    elsewhere: rows.filter((r) => r.here === 0).map((r) => r.sha256),
    pendingBytes: pending.reduce((n, r) => n + r.size, 0),
  };
}
