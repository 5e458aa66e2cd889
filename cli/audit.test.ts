import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHallStore } from '../upstream/store/hall-store.js';
import { AuditUsageError, auditCommand, readAudit } from './audit.js';

const AT = Date.UTC(2026, 4, 11, 1, 0); // 2026-05-11 09:00 in Qihe
const actor = { staffId: '1001', windowId: 'qihe-county/1', office: 'qihe-county' };

/** A hall database holding one case: opened, form saved (personal data), accepted with an overridden warning, viewed at another window. */
function hallWithOneCase(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'onewindow-audit-'));
  const store = openHallStore(dir);
  const event = (seq: number, type: string, action: Record<string, unknown>, at: number, staff = actor) =>
    store.db
      .prepare('INSERT INTO case_event (seq, event_id, case_id, office, key, type, at, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(seq, `c1:${seq}`, 'case-a', 'qihe-county', `key-000${seq}`, type, at, JSON.stringify({ eventId: `c1:${seq}`, caseId: 'case-a', key: `key-000${seq}`, at, actor: staff, action: { type, ...action } }));
  event(1, 'opened', { subject: { kind: 'matter', code: '37142500-XZSP-001' } }, AT);
  event(2, 'form_saved', { values: { 'legalRep.name': '张伟', 'legalRep.idNumber': '371425199003070018' } }, AT + 60_000);
  event(3, 'accepted', { matters: ['37142500-XZSP-001'], overrides: [{ ruleId: 'format:legalRep.phone', reason: '申请人仅有单位座机，已电话核实' }], rulesVersion: 'abc123' }, AT + 120_000);
  store.db
    .prepare('INSERT INTO "case" (case_id, office, status, last_seq, json, case_no, opened_date, staff_id, window_id, ticket_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run('case-a', 'qihe-county', 'ACCEPTED', 3, '{}', 'QIHE-2026-000007', '2026-05-11', '1001', 'qihe-county/1', null);
  store.db
    .prepare('INSERT INTO audit (at, staff_id, case_id, office, window_id, device_id, what, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(AT + 86_400_000, '1002', 'case-a', 'qihe-county', 'qihe-county/2', 'dev-2', 'case.viewed', 'c2:1');
  store.close();
  return dir;
}

describe('onewindow hall audit', () => {
  it('lists who changed and who read a case, oldest first, with the reasons of overridden checks and no form values', () => {
    const dir = hallWithOneCase();
    const lines = readAudit(dir, { caseRef: 'QIHE-2026-000007' });
    expect(lines.map((l) => [l.what, l.staff, l.window])).toEqual([
      ['case.opened', '1001', 'qihe-county/1'],
      ['case.form_saved', '1001', 'qihe-county/1'],
      ['case.accepted', '1001', 'qihe-county/1'],
      ['case.viewed', '1002', 'qihe-county/2'],
    ]);
    expect(lines[2]).toMatchObject({ caseNo: 'QIHE-2026-000007', at: '2026-05-11T01:02:00.000Z', detail: { overrides: [{ ruleId: 'format:legalRep.phone', reason: '申请人仅有单位座机，已电话核实' }], rulesVersion: 'abc123' } });
    expect(lines[3]).toMatchObject({ source: 'dev-2' });
    // Personal data stays in the case: the audit listing names the change, not the values.
    expect(JSON.stringify(lines)).not.toContain('371425199003070018');
    expect(lines[1]!.detail).toBeUndefined();
  });

  it('filters by staff and by day (China Standard Time), and prints one JSON object per line', () => {
    const dir = hallWithOneCase();
    expect(readAudit(dir, { staff: '1002' }).map((l) => l.what)).toEqual(['case.viewed']);
    expect(readAudit(dir, { since: '2026-05-12' }).map((l) => l.what)).toEqual(['case.viewed']);
    expect(readAudit(dir, { until: '2026-05-11' }).map((l) => l.what)).toEqual(['case.opened', 'case.form_saved', 'case.accepted']);
    expect(readAudit(dir, { caseRef: 'no-such-case' })).toEqual([]);
    let out = '';
    expect(auditCommand(['--data', dir, '--case', 'case-a'], (s) => (out += s))).toBe(0);
    expect(out.trim().split('\n').map((l) => (JSON.parse(l) as { what: string }).what)).toHaveLength(4);
  });

  it('refuses a missing --data, a bad date and a folder without a hall database', () => {
    expect(() => auditCommand([], () => {})).toThrow(AuditUsageError);
    expect(() => readAudit(hallWithOneCase(), { since: '11/05/2026' })).toThrow(/--since must be a date YYYY-MM-DD/);
    expect(() => readAudit(mkdtempSync(path.join(tmpdir(), 'onewindow-empty-')), {})).toThrow(/no hall database/);
  });
});
