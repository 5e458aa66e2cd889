import type Database from 'better-sqlite3';
import { AppError } from '../../shared/errors.js';
import type { SettingsAuditMutation } from '../../shared/hall/api.js';
import type { StaffConfig } from '../../shared/office/config.js';

/**
 * The hall's record of security-relevant settings changed at a workstation: an office's seal and
 * signing certificate imported or removed (SettingsAuditMutation), who did it, from which device and
 * window, and which certificate (fingerprint, subject) — never the image, the certificate or its
 * password. Listed by `onewindow hall audit` with the case audit.
 */
export const SETTINGS_AUDIT_MIGRATION = {
  id: 11,
  name: 'settings changes at workstations (office seal imported or removed)',
  sql: `
    CREATE TABLE settings_audit (
      seq         INTEGER PRIMARY KEY AUTOINCREMENT,
      at          INTEGER NOT NULL,
      office      TEXT NOT NULL,
      staff_id    TEXT NOT NULL,
      window_id   TEXT,
      device_id   TEXT NOT NULL,
      what        TEXT NOT NULL,
      fingerprint TEXT,
      subject     TEXT,
      event_id    TEXT NOT NULL UNIQUE
    );
    CREATE INDEX settings_audit_at ON settings_audit(at);
  `,
};

export interface SettingsAuditRow {
  at: number;
  office: string;
  staffId: string;
  windowId: string | null;
  deviceId: string;
  what: string;
  fingerprint: string | null;
  subject: string | null;
}

/** Records one change (call inside the transaction that records the mutation's progress). Refuses another office's seal, or staff who are not administrators. */
export function recordSettingsAudit(db: Database.Database, device: { id: string; office: string }, staff: StaffConfig | undefined, eventId: string, m: SettingsAuditMutation, at: number): void {
  if (m.officeId !== device.office) throw new AppError('forbidden', '只能记录本工作站所属机构的印章设置。', `settings audit for ${m.officeId} from a device of ${device.office}`);
  if (!staff?.roles.includes('admin')) throw new AppError('forbidden', '只有系统管理员可以修改印章设置。', `settings audit by ${m.staffId}, not an administrator`);
  db.prepare(
    'INSERT OR IGNORE INTO settings_audit (at, office, staff_id, window_id, device_id, what, fingerprint, subject, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(at, device.office, m.staffId, m.windowId, device.id, m.what, m.fingerprint, m.subject, eventId);
}

/** The changes between `since` (inclusive) and `until` (exclusive), oldest first; none in a database from before the table existed. */
export function readSettingsAudit(db: Database.Database, since: number, until: number): SettingsAuditRow[] {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings_audit'").get();
  if (!exists) return [];
  const rows = db
    .prepare('SELECT at, office, staff_id, window_id, device_id, what, fingerprint, subject FROM settings_audit WHERE at >= ? AND at < ? ORDER BY seq')
    .all(since, until) as Array<{ at: number; office: string; staff_id: string; window_id: string | null; device_id: string; what: string; fingerprint: string | null; subject: string | null }>;
  return rows.map((r) => ({ at: r.at, office: r.office, staffId: r.staff_id, windowId: r.window_id, deviceId: r.device_id, what: r.what, fingerprint: r.fingerprint, subject: r.subject }));
}
