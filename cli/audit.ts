import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { readSettingsAudit } from '../upstream/sync/settings-audit.js';

export const AUDIT_USAGE = `  onewindow hall audit --data DIR [--case ID|NO] [--staff ID] [--office ID] [--since DATE] [--until DATE]
      who read or changed which case, from where: one JSON object per line, oldest first
      (the case log's actions, with reasons and overridden checks, and every opening of personal data;
      without --case also the office seals imported or removed at workstations)
`;

export class AuditUsageError extends Error {}

/**
 * One line of the audit trail. `what`: "case.<action>" for a change, "case.viewed" etc. for a read,
 * "seal.imported" / "seal.removed" for a workstation's seal settings (no case; window "" for a
 * sign-in without one).
 */
export interface AuditLine {
  at: string;
  staff: string;
  office: string;
  window: string;
  /** The device for reads; the window's sync client ("<clientId>:<mutationId>") for changes. */
  source: string;
  caseId: string | null;
  caseNo: string | null;
  what: string;
  /** Only what explains a decision (reasons, overridden checks, targets); never form values. */
  detail?: Record<string, unknown>;
}

/** Action fields that explain a decision; everything else (form values, readings) stays out of the audit listing. */
const DETAIL_KEYS = ['reason', 'overrides', 'rulesVersion', 'automated', 'target', 'owner', 'documentNo', 'template', 'copies', 'printer', 'method', 'materialId', 'status', 'caseNo'];

function day(text: string, flag: string, endOfDay: boolean): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new AuditUsageError(`${flag} must be a date YYYY-MM-DD, got "${text}"`);
  // Business days are China Standard Time (UTC+8, no daylight saving).
  const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - 8 * 3_600_000;
  return endOfDay ? start + 86_400_000 : start;
}

interface Filters {
  caseIds: string[] | null;
  staff?: string;
  office?: string;
  since: number;
  until: number;
}

function detailOf(action: Record<string, unknown>): Record<string, unknown> | undefined {
  const picked = Object.fromEntries(DETAIL_KEYS.filter((k) => action[k] !== undefined && !(Array.isArray(action[k]) && (action[k] as unknown[]).length === 0)).map((k) => [k, action[k]]));
  return Object.keys(picked).length > 0 ? picked : undefined;
}

export function readAudit(dataDir: string, opts: { caseRef?: string; staff?: string; office?: string; since?: string; until?: string }): AuditLine[] {
  const file = path.join(dataDir, 'hall.db');
  if (!existsSync(file)) throw new AuditUsageError(`no hall database at ${file}`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const f: Filters = {
      caseIds: null,
      ...(opts.staff ? { staff: opts.staff } : {}),
      ...(opts.office ? { office: opts.office } : {}),
      since: opts.since ? day(opts.since, '--since', false) : 0,
      until: opts.until ? day(opts.until, '--until', true) : Number.MAX_SAFE_INTEGER,
    };
    if (opts.caseRef) {
      const rows = db.prepare<[string, string], { case_id: string }>('SELECT case_id FROM "case" WHERE case_id = ? OR case_no = ?').all(opts.caseRef, opts.caseRef);
      f.caseIds = rows.length > 0 ? rows.map((r) => r.case_id) : [opts.caseRef];
    }
    const caseNo = db.prepare<[string], { case_no: string | null }>('SELECT case_no FROM "case" WHERE case_id = ?');
    const numberOf = (id: string) => caseNo.get(id)?.case_no ?? null;
    const inCase = f.caseIds ? `AND case_id IN (${f.caseIds.map(() => '?').join(',')})` : '';
    const params = [f.since, f.until, ...(f.caseIds ?? [])];

    const lines: Array<AuditLine & { order: number }> = [];
    const events = db
      .prepare<unknown[], { seq: number; event_id: string; case_id: string; office: string; type: string; at: number; json: string }>(
        `SELECT seq, event_id, case_id, office, type, at, json FROM case_event WHERE at >= ? AND at < ? ${inCase} ORDER BY seq`,
      )
      .all(...params);
    for (const e of events) {
      const ev = JSON.parse(e.json) as { actor?: { staffId?: string; windowId?: string }; action: Record<string, unknown> & { type: string } };
      const staff = ev.actor?.staffId ?? '';
      if ((f.staff && staff !== f.staff) || (f.office && e.office !== f.office)) continue;
      const detail = detailOf(ev.action);
      lines.push({ order: e.at, at: new Date(e.at).toISOString(), staff, office: e.office, window: ev.actor?.windowId ?? '', source: e.event_id, caseId: e.case_id, caseNo: numberOf(e.case_id), what: `case.${e.type}`, ...(detail ? { detail } : {}) });
    }
    const reads = db
      .prepare<unknown[], { at: number; staff_id: string; case_id: string; office: string; window_id: string; device_id: string; what: string }>(
        `SELECT at, staff_id, case_id, office, window_id, device_id, what FROM audit WHERE at >= ? AND at < ? ${inCase} ORDER BY seq`,
      )
      .all(...params);
    for (const r of reads) {
      if ((f.staff && r.staff_id !== f.staff) || (f.office && r.office !== f.office)) continue;
      lines.push({ order: r.at, at: new Date(r.at).toISOString(), staff: r.staff_id, office: r.office, window: r.window_id, source: r.device_id, caseId: r.case_id, caseNo: numberOf(r.case_id), what: r.what });
    }
    if (!f.caseIds) {
      for (const r of readSettingsAudit(db, f.since, f.until)) {
        if ((f.staff && r.staffId !== f.staff) || (f.office && r.office !== f.office)) continue;
        const detail = { fingerprint: r.fingerprint, subject: r.subject };
        lines.push({ order: r.at, at: new Date(r.at).toISOString(), staff: r.staffId, office: r.office, window: r.windowId ?? '', source: r.deviceId, caseId: null, caseNo: null, what: r.what, detail });
      }
    }
    return lines.sort((a, b) => a.order - b.order).map(({ order: _order, ...line }) => line);
  } finally {
    db.close();
  }
}

/** `onewindow hall audit --data DIR [filters]`: prints the lines as JSON, one per line. */
export function auditCommand(argv: string[], out: (s: string) => void): number {
  const { values } = parseArgs({
    args: argv,
    options: { data: { type: 'string' }, case: { type: 'string' }, staff: { type: 'string' }, office: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' } },
    strict: true,
  });
  if (!values.data) throw new AuditUsageError('--data is required');
  const lines = readAudit(values.data, {
    ...(values.case ? { caseRef: values.case } : {}),
    ...(values.staff ? { staff: values.staff } : {}),
    ...(values.office ? { office: values.office } : {}),
    ...(values.since ? { since: values.since } : {}),
    ...(values.until ? { until: values.until } : {}),
  });
  for (const line of lines) out(`${JSON.stringify(line)}\n`);
  return 0;
}
