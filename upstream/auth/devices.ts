import type Database from 'better-sqlite3';
import { AppError } from '../../shared/errors.js';

/**
 * The enrolled workstations of a hall, for its administrator (`onewindow hall device list|revoke`).
 * Revoking a device (a stolen or retired computer) refuses its token on every request from then on —
 * the hall reads the device row on each one (access.ts) — and ends its open sessions; the window says
 * the hall no longer knows it and keeps its unsent work (electron/backend/sync/re-enrol-notice.ts).
 * When and why it was revoked is kept with the device row. A hall process running meanwhile learns
 * of it within seconds (http/ws.ts REVOCATION_CHECK_MS): it closes the device's socket and the
 * windows its sessions held (Access.settleRevoked).
 */
export const DEVICE_REVOCATION_MIGRATION = {
  id: 10,
  name: 'when and why a device was revoked',
  sql: `
    ALTER TABLE device ADD COLUMN revoked_at INTEGER;
    ALTER TABLE device ADD COLUMN revoked_reason TEXT;
  `,
};

export interface DeviceListing {
  id: string;
  office: string;
  name: string;
  enrolledAt: string;
  revoked: boolean;
  revokedAt: string | null;
  revokedReason: string | null;
  /** The last mutation id the hall applied from it (how much it has synced). */
  lastApplied: number;
  /** Staff signed in on it now, with their window (null: 值班登录 without a window). */
  sessions: Array<{ staffId: string; windowId: string | null; since: string }>;
}

type DeviceSql = { id: string; office: string; name: string; client_id: string; enrolled_at: number; revoked: number; revoked_at: number | null; revoked_reason: string | null };

const iso = (ms: number) => new Date(ms).toISOString();

/** The devices of `office` (all when null), oldest enrolment first. */
export function listDevices(db: Database.Database, office: string | null): DeviceListing[] {
  const rows = db
    .prepare('SELECT id, office, name, client_id, enrolled_at, revoked, revoked_at, revoked_reason FROM device WHERE ? IS NULL OR office = ? ORDER BY enrolled_at, id')
    .all(office, office) as DeviceSql[];
  const progress = db.prepare('SELECT last_applied FROM client_progress WHERE client_id = ?').pluck();
  const sessions = db.prepare('SELECT staff_id, window_id, created_at FROM session WHERE device_id = ? AND ended_at IS NULL ORDER BY created_at');
  return rows.map((r) => ({
    id: r.id,
    office: r.office,
    name: r.name,
    enrolledAt: iso(r.enrolled_at),
    revoked: r.revoked !== 0,
    revokedAt: r.revoked_at === null ? null : iso(r.revoked_at),
    revokedReason: r.revoked_reason,
    lastApplied: (progress.get(r.client_id) as number | undefined) ?? 0,
    sessions: (sessions.all(r.id) as Array<{ staff_id: string; window_id: string; created_at: number }>).map((s) => ({
      staffId: s.staff_id,
      windowId: s.window_id === '' ? null : s.window_id,
      since: iso(s.created_at),
    })),
  }));
}

/**
 * Devices revoked (as far as this hall process knows, `settled` holds those already handled) and,
 * for each, the windows its ended sessions held: `onewindow hall device revoke` runs in another
 * process, so the running hall learns of it from the database.
 */
export function revokedDevices(db: Database.Database, settled: ReadonlySet<string>): Array<{ id: string; windows: Array<{ windowId: string; staffId: string }> }> {
  const rows = db.prepare('SELECT id FROM device WHERE revoked = 1').pluck().all() as string[];
  const windows = db.prepare("SELECT DISTINCT window_id, staff_id FROM session WHERE device_id = ? AND ended_at IS NOT NULL AND window_id != ''");
  return rows
    .filter((id) => !settled.has(id))
    .map((id) => ({ id, windows: (windows.all(id) as Array<{ window_id: string; staff_id: string }>).map((w) => ({ windowId: w.window_id, staffId: w.staff_id })) }));
}

/** Revokes a device and ends its open sessions, in one transaction. Revoking a revoked device changes nothing. */
export function revokeDevice(db: Database.Database, id: string, reason: string, at: number): { device: DeviceListing; sessionsEnded: number; alreadyRevoked: boolean } {
  const text = reason.trim();
  if (text === '' || text.length > 200) throw new AppError('bad_request', '请填写停用原因（200 字以内）。', 'revoke: reason must be 1..200 characters');
  return db.transaction(() => {
    const row = db.prepare('SELECT office, revoked FROM device WHERE id = ?').get(id) as { office: string; revoked: number } | undefined;
    if (!row) throw new AppError('not_found', '没有找到该工作站。', `unknown device ${id}`);
    const alreadyRevoked = row.revoked !== 0;
    let sessionsEnded = 0;
    if (!alreadyRevoked) {
      db.prepare('UPDATE device SET revoked = 1, revoked_at = ?, revoked_reason = ? WHERE id = ?').run(at, text, id);
      sessionsEnded = db.prepare('UPDATE session SET ended_at = ? WHERE device_id = ? AND ended_at IS NULL').run(at, id).changes;
    }
    const device = listDevices(db, row.office).find((d) => d.id === id)!;
    return { device, sessionsEnded, alreadyRevoked };
  })();
}
