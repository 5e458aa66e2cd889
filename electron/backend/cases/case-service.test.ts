import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaseView, FieldView } from '../../../shared/case/view.js';
import { HallHttp } from '../hall-client/http.js';
import { createWorkstation, type Workstation } from '../index.js';
import { closedAfterEach, enrolledWorkstation, servingTicket, signIn, state, tempDir, value, waitFor } from '../test-helpers.js';

const { cleanups, hallAt } = closedAfterEach();

/** Each workstation's data folder (to start it again on the same data). */
const wsDirs = new Map<Workstation, string>();

async function setup() {
  const hallDir = tempDir('hall');
  const hall = await hallAt(hallDir);
  const { ws, settings, dataDir } = await enrolledWorkstation(hall);
  wsDirs.set(ws, dataDir);
  cleanups.push(async () => {
    // Let an upload in flight finish before the hall closes (the hall logs a PUT cut off by its close).
    await waitFor('uploads done', async () => ((await state(ws)).sync.pendingAttachments ?? 0) === 0, 3000).catch(() => undefined);
    await ws.close();
  });
  const ticket = await servingTicket(ws, hall.url);
  return { hall, hallDir, ws, settings, ticket };
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(2048)]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(1024)]);

/** A valid value for every field of the form (names of this applicant where the key says so). */
function validValues(fields: FieldView[]): Record<string, string> {
  const named: Record<string, string> = {
    'enterprise.name': '齐河县好味道餐饮有限公司',
    'legalRep.name': '张小三',
    'legalRep.idNumber': '37142519900307123X',
    'housingFund.depositRate': '12', // the catalog's range check: 5–12 %
  };
  const byType: Record<string, string> = {
    string: '按章程约定',
    idNumber: '37142519900307123X',
    uscc: '91371425MA3C12345C',
    phone: '13805341234',
    date: '2030-12-31',
    address: '齐河县晏城街道齐鲁大街1号',
    money: '1000000',
    number: '3',
    area: '120',
    boolean: 'true',
  };
  return Object.fromEntries(fields.map((f) => [f.key, named[f.key] ?? (f.type === 'enum' ? f.options![0]!.value : byType[f.type]!)]));
}

async function call<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  return value(await p);
}

/** Opens 企业开办, answers, fills the form, attaches the ID card, marks every other required material received. */
async function completeEnterpriseCase(ws: Workstation): Promise<CaseView> {
  let v = await call(ws.handlers['case.open']({ subject: { kind: 'bundle', code: 'enterprise-opening' } }));
  const caseId = v.summary.caseId;
  v = await call(ws.handlers['case.answer']({ caseId, answers: { premises: 'owned', agent: 'no', seal: 'yes', invoice: 'no', taxpayer: 'small-scale' } }));
  v = await call(ws.handlers['case.saveForm']({ caseId, values: validValues(v.fields) }));
  v = await call(ws.handlers['case.attach']({ caseId, materialId: 'legalRep.idCard', name: '身份证.png', mime: 'image/png', dataBase64: PNG.toString('base64') }));
  for (const m of v.materials) {
    if (m.requirement === 'required' && m.producedBy === null && m.status !== 'present') {
      v = await call(ws.handlers['case.markMaterial']({ caseId, materialId: m.id, status: 'present' }));
    }
  }
  return v;
}

describe('intake at the window (case service, real hall)', () => {
  it('opens, answers, fills, attaches and accepts 企业开办 offline; the official number arrives when the hall is back', async () => {
    const { hall, hallDir, ws, ticket } = await setup();
    const port = Number(new URL(hall.url).port);
    await hall.close();
    await waitFor('offline', async () => !(await state(ws)).connection.online);

    const ready = await completeEnterpriseCase(ws);
    expect(ready.summary).toMatchObject({ official: false, ticketNumber: ticket.number, status: 'DRAFT', applicant: '齐河县好味道餐饮有限公司' });
    expect(ready.summary.caseNo).toMatch(/^临01-\d{8}-001$/);
    expect(ready.blockers).toEqual([]);
    expect(ready.noticePreview).toEqual([]);
    // One material, asked once for every matter that needs it; one field, filled once for all of them.
    const idCard = ready.materials.filter((m) => m.id === 'legalRep.idCard');
    expect(idCard).toHaveLength(1);
    expect(idCard[0]!.neededBy.length).toBeGreaterThan(1);
    expect(idCard[0]!.attachments).toMatchObject([{ name: '身份证.png', mime: 'image/png', size: PNG.length }]);
    expect(ready.materials.find((m) => m.id === 'enterprise.businessLicence')).toMatchObject({ producedBy: '有限责任公司设立登记', status: 'not_needed' });
    expect(ready.promisedDateIfAcceptedToday).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const accepted = await call(ws.handlers['case.accept']({ caseId: ready.summary.caseId }));
    expect(accepted.summary).toMatchObject({ status: 'ACCEPTED', official: false });
    expect(accepted.promisedDate).toBe(ready.promisedDateIfAcceptedToday);
    expect(accepted.summary.pendingSync).toBeGreaterThan(5);
    expect(accepted.history.every((h) => h.sync === 'pending')).toBe(true);
    const offline = await state(ws);
    expect(offline.sync.pending).toBe(accepted.summary.pendingSync);
    expect(offline.sync.parked).toEqual([]);

    // Today's list at this window: the case, linked to the ticket being served.
    const today = await call(ws.handlers['case.today']({ scope: 'window' }));
    expect(today.cases.map((c) => [c.caseId, c.status, c.ticketNumber])).toEqual([[ready.summary.caseId, 'ACCEPTED', ticket.number]]);

    await hallAt(hallDir, port);
    const numbered = await waitFor(
      'official number',
      async () => {
        const v = value(await ws.handlers['case.get']({ caseId: ready.summary.caseId }));
        return v.summary.official && v.summary.pendingSync === 0 ? v : null;
      },
      15_000,
    );
    expect(numbered.summary.caseNo).toMatch(/^QIHE-\d{4}-\d{6}$/);
    expect(numbered.summary.status).toBe('ACCEPTED');
    await waitFor('outbox and attachments drained', async () => {
      const s = await state(ws);
      return s.sync.pending === 0 && s.sync.pendingAttachments === 0;
    });
    const history = await waitFor('history synced', async () => {
      const v = value(await ws.handlers['case.get']({ caseId: ready.summary.caseId }));
      return v.history.some((h) => h.label === '赋正式编号') && v.history.every((h) => h.sync === 'synced') ? v.history : null;
    });
    expect(history.filter((h) => h.label === '受理')).toHaveLength(1);

    // On the hall: the case's log holds each action exactly once, with the ticket link.
    const db = new Database(path.join(hallDir, 'hall.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT key, type FROM case_event WHERE case_id = ? ORDER BY seq').all(ready.summary.caseId) as Array<{ key: string; type: string }>;
      expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
      expect(rows.filter((r) => r.type === 'accepted')).toHaveLength(1);
      expect(rows[0]!.type).toBe('opened');
      const hallCase = db.prepare('SELECT status, case_no, ticket_id FROM "case" WHERE case_id = ?').get(ready.summary.caseId);
      expect(hallCase).toEqual({ status: 'ACCEPTED', case_no: numbered.summary.caseNo, ticket_id: ticket.ticketId });
    } finally {
      db.close();
    }
  }, 40_000);

  it('issues a one-time notice listing exactly what is missing or wrong, each once, plus the clerk’s own item', async () => {
    const { ws } = await setup();
    let v = await call(ws.handlers['case.open']({ subject: { kind: 'matter', code: '37142500-XZSP-007' } }));
    const caseId = v.summary.caseId;
    expect(v.situations.map((s) => s.question)).toEqual(['委托他人代为办理？']);
    v = await call(ws.handlers['case.answer']({ caseId, answers: { 'agent.idCard': 'yes' } }));
    const values = validValues(v.fields);
    delete values['premises.area'];
    values['legalRep.idNumber'] = '371425199003071230';
    v = await call(ws.handlers['case.saveForm']({ caseId, values }));
    for (const id of ['food.licenceApplication', 'enterprise.businessLicence', 'legalRep.idCard', 'agent.idCard']) {
      v = await call(ws.handlers['case.markMaterial']({ caseId, materialId: id, status: 'present' }));
    }
    // From the checks' findings: the materials in the checklist's order, then the form.
    const expected = [
      { materialId: 'food.floorPlan', problem: 'missing' },
      { materialId: 'food.safetyRules', problem: 'missing' },
      { materialId: 'agent.authorization', problem: 'missing' },
      { fieldKey: 'legalRep.idNumber', problem: 'deficient' },
      { fieldKey: 'premises.area', problem: 'missing' },
    ];
    expect(v.noticePreview).toMatchObject(expected);
    expect(v.noticePreview).toHaveLength(5);
    const refused = await ws.handlers['case.accept']({ caseId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_transition' } });
    expect(!refused.ok && refused.error.message).toMatch(/^不能受理：.*法定代表人公民身份号码”有误.*未填写“经营场所面积”.*缺少材料“授权委托书/);

    const issued = await call(
      ws.handlers['case.notice']({
        caseId,
        extra: [
          { problem: 'deficient', detail: '申请书第2页未签字' },
          { materialId: 'food.floorPlan', problem: 'missing', detail: '须标明设备位置' },
        ],
      }),
    );
    expect(issued.summary.status).toBe('NOTICE_ISSUED');
    expect(issued.notice).toMatchObject([...expected, { problem: 'deficient', detail: '申请书第2页未签字' }]);
    expect(issued.notice).toHaveLength(6);
    expect(issued.notice![0]!.detail).toMatch(/；须标明设备位置$/);
    expect(issued.noticePreview).toEqual([]);
    expect(issued.blockers).toEqual([]);
    // A complete case needs no notice.
    const done = await completeEnterpriseCase(ws);
    expect(await ws.handlers['case.notice']({ caseId: done.summary.caseId })).toMatchObject({ ok: false, error: { code: 'invalid_transition', message: expect.stringMatching(/无需出具一次性告知书/) } });
  }, 40_000);

  it('refuses to accept a form with invalid values, says why in Chinese, and writes nothing', async () => {
    const { ws } = await setup();
    const v = await completeEnterpriseCase(ws);
    const caseId = v.summary.caseId;
    const bad = await call(ws.handlers['case.saveForm']({ caseId, values: { 'legalRep.idNumber': '371425199013071234', 'legalRep.phone': '12345', 'legalRep.idValidUntil': '2030-02-30' } }));
    expect(bad.fields.find((f) => f.key === 'legalRep.idNumber')?.error).toMatch(/出生日期/);
    expect(bad.fields.find((f) => f.key === 'legalRep.phone')?.error).toMatch(/手机号码应为11位/);
    expect(bad.fields.find((f) => f.key === 'legalRep.idValidUntil')?.error).toMatch(/不是真实的日期/);
    // The ID number and the date block; a wrong phone number is a warning, to be overridden with a reason.
    expect(bad.blockers).toHaveLength(2);
    expect(bad.findings.find((f) => f.ruleId === 'format:legalRep.phone')).toMatchObject({ severity: 'warning', overridable: true });
    await waitFor('pushed', async () => (await state(ws)).sync.pending === 0);
    const r = await ws.handlers['case.accept']({ caseId });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_transition' } });
    expect(!r.ok && r.error.message).toContain('“法定代表人公民身份号码”有误：出生日期');
    const after = await call(ws.handlers['case.get']({ caseId }));
    expect(after.summary.status).toBe('DRAFT');
    expect(after.history.filter((h) => h.label === '受理')).toEqual([]);
    // Corrected, it is accepted; the promised date is counted in working days.
    const fixed = await call(ws.handlers['case.saveForm']({ caseId, values: { 'legalRep.idNumber': '37142519900307123X', 'legalRep.phone': '0534-5321234', 'legalRep.idValidUntil': '2030-02-28' } }));
    expect(fixed.blockers).toEqual([]);
    expect((await call(ws.handlers['case.accept']({ caseId }))).summary.status).toBe('ACCEPTED');
  }, 40_000);

  it('records a warning overridden with a written reason in the accepted action, on the hall’s case log too', async () => {
    const { ws, hallDir } = await setup();
    const v = await completeEnterpriseCase(ws);
    const caseId = v.summary.caseId;
    const warned = await call(ws.handlers['case.saveForm']({ caseId, values: { 'legalRep.phone': '0534-532123' } }));
    const warning = warned.findings.find((f) => f.severity === 'warning')!;
    expect(warning).toMatchObject({ ruleId: 'format:legalRep.phone', overridable: true, fieldKey: 'legalRep.phone' });
    expect(warned.blockers).toEqual([]);
    const refused = await ws.handlers['case.accept']({ caseId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_transition', message: expect.stringContaining('须逐条说明理由') } });
    const reason = '申请人仅有单位座机，已电话核实';
    const accepted = await call(ws.handlers['case.accept']({ caseId, overrides: [{ ruleId: warning.ruleId, reason }] }));
    expect(accepted.summary.status).toBe('ACCEPTED');
    expect(accepted.findings.find((f) => f.ruleId === warning.ruleId)?.overridden).toEqual({ reason });
    await waitFor('pushed', async () => (await state(ws)).sync.pending === 0);
    const db = new Database(path.join(hallDir, 'hall.db'), { readonly: true });
    try {
      const row = db.prepare("SELECT json FROM case_event WHERE case_id = ? AND type = 'accepted'").get(caseId) as { json: string };
      expect(JSON.parse(row.json).action).toMatchObject({ overrides: [{ ruleId: 'format:legalRep.phone', reason, message: warning.message }], rulesVersion: warned.rulesVersion });
      const hallCase = JSON.parse((db.prepare('SELECT json FROM "case" WHERE case_id = ?').get(caseId) as { json: string }).json);
      expect(hallCase.overrides).toMatchObject([{ ruleId: 'format:legalRep.phone', reason }]);
    } finally {
      db.close();
    }
  }, 40_000);

  it('refuses bad input with clear Chinese messages and leaves the case as it was', async () => {
    const { ws } = await setup();
    const v = await call(ws.handlers['case.open']({ subject: { kind: 'matter', code: '37142500-XZSP-007' } }));
    const caseId = v.summary.caseId;
    const pending = (await state(ws)).sync.pending;
    const refusals: Array<[Promise<{ ok: boolean; error?: { code: string; message: string } }>, string, RegExp]> = [
      [ws.handlers['case.attach']({ caseId, materialId: 'legalRep.idCard', name: 'a.exe', mime: 'image/png', dataBase64: Buffer.from('MZ this is not an image').toString('base64') }), 'bad_request', /只能添加图片.*PDF/],
      [ws.handlers['case.attach']({ caseId, materialId: 'legalRep.idCard', name: 'a.png', mime: 'image/png', dataBase64: '@@@@' }), 'bad_request', /文件数据有误/],
      [ws.handlers['case.attach']({ caseId, materialId: 'nope.material', name: 'a.pdf', mime: 'application/pdf', dataBase64: PDF.toString('base64') }), 'bad_request', /不在本办件的材料清单中/],
      [ws.handlers['case.saveForm']({ caseId, values: { 'mother.name': '王五' } }), 'bad_request', /表单中没有“母亲姓名”/],
      [ws.handlers['case.answer']({ caseId, answers: { 'agent.idCard': 'maybe' } }), 'bad_request', /情形选项已变更/],
      [ws.handlers['case.markMaterial']({ caseId, materialId: 'food.floorPlan', status: 'supplement_later', deadline: '2030-01-01' }), 'invalid_transition', /不允许容缺后补/],
      [ws.handlers['case.markMaterial']({ caseId, materialId: 'food.safetyRules', status: 'supplement_later', deadline: '2001-01-01' }), 'bad_request', /补齐期限不能早于今天/],
      [ws.handlers['case.markMaterial']({ caseId, materialId: 'legalRep.idCard', status: 'not_needed' }), 'invalid_transition', /必交材料/],
      [ws.handlers['case.forward']({ caseId, target: '济南市历下区' }), 'invalid_transition', /不能代收代办转报/],
      [ws.handlers['case.get']({ caseId: 'c-unknown-case-1' }), 'not_found', /没有找到该办件/],
      [ws.handlers['case.open']({ subject: { kind: 'matter', code: '37142500-XZSP-999' } }), 'not_found', /事项目录中没有该事项/],
    ];
    for (const [p, code, message] of refusals) {
      const r = await p;
      expect(r.ok, String(message)).toBe(false);
      expect(r.error?.code, String(message)).toBe(code);
      expect(r.error?.message, String(message)).toMatch(message);
    }
    // Over 20 MB: refused before anything is stored.
    const huge = Buffer.alloc(20 * 1024 * 1024 + 1, 0);
    PNG.copy(huge);
    const tooBig = await ws.handlers['case.attach']({ caseId, materialId: 'legalRep.idCard', name: 'big.png', mime: 'image/png', dataBase64: huge.toString('base64') });
    expect(tooBig).toMatchObject({ ok: false, error: { code: 'payload_too_large', message: expect.stringContaining('20 MB') } });
    const after = await call(ws.handlers['case.get']({ caseId }));
    expect(after.materials.every((m) => m.attachments.length === 0)).toBe(true);
    expect(after.history.map((h) => h.label)).toEqual(['新建办件']);
    expect((await state(ws)).sync.pendingAttachments ?? 0).toBe(0);
    expect((await state(ws)).sync.pending).toBeLessThanOrEqual(pending + 1); // + the audit entry of case.get
    // A PDF by its content is fine whatever the name says.
    const pdf = await call(ws.handlers['case.attach']({ caseId, materialId: 'legalRep.idCard', name: '扫描件', mime: 'image/png', dataBase64: PDF.toString('base64') }));
    expect(pdf.materials.find((m) => m.id === 'legalRep.idCard')).toMatchObject({ status: 'present', attachments: [{ mime: 'application/pdf', name: '扫描件' }] });
    await waitFor('uploaded', async () => (await state(ws)).sync.pendingAttachments === 0);
  }, 40_000);

  it('records every opening of a case’s personal data, through the outbox, on the hall', async () => {
    const { ws, hallDir, settings } = await setup();
    const v = await call(ws.handlers['case.open']({ subject: { kind: 'matter', code: '37142500-XZSP-007' } }));
    await call(ws.handlers['case.get']({ caseId: v.summary.caseId }));
    await call(ws.handlers['case.get']({ caseId: v.summary.caseId }));
    await waitFor('pushed', async () => (await state(ws)).sync.pending === 0);
    const db = new Database(path.join(hallDir, 'hall.db'), { readonly: true });
    try {
      const audits = db.prepare('SELECT staff_id, window_id, what, event_id FROM audit WHERE case_id = ? ORDER BY seq').all(v.summary.caseId) as Array<{ event_id: string }>;
      expect(audits).toMatchObject([
        { staff_id: '1001', window_id: 'qihe-county/1', what: 'case.viewed' },
        { staff_id: '1001', window_id: 'qihe-county/1', what: 'case.viewed' },
      ]);
      expect(audits.every((a) => a.event_id.startsWith(`${settings.get().clientId}:`))).toBe(true);
    } finally {
      db.close();
    }
    const http = new HallHttp((await state(ws)).connection.hallUrl!);
    const page = await http.call('pull', { cursor: 0, caseCursor: 0 }, { deviceToken: settings.get().deviceToken! });
    expect(page.caseEvents.filter((e) => e.event.caseId === v.summary.caseId).map((e) => e.event.action.type)).toEqual(['opened', 'numbered']);
  }, 40_000);

  it('shows another window’s case in the office’s list (pulled from the hall), masked, and not in its own window’s list', async () => {
    const { ws, hall } = await setup();
    let v = await call(ws.handlers['case.open']({ subject: { kind: 'matter', code: '37142500-RS-005' } }));
    v = await call(ws.handlers['case.saveForm']({ caseId: v.summary.caseId, values: { 'applicant.name': '欧阳小明' } }));
    expect(v.summary.applicant).toBe('欧**明');
    await waitFor('pushed', async () => (await state(ws)).sync.pending === 0);
    const { ws: ws2 } = await enrolledWorkstation(hall);
    cleanups.push(() => ws2.close());
    value(await signIn(ws2, 2, '1002'));
    const office = await waitFor('pulled', async () => {
      const l = value(await ws2.handlers['case.today']({ scope: 'office' }));
      return l.cases.some((c) => c.caseId === v.summary.caseId && c.official) ? l : null;
    });
    expect(office.cases.find((c) => c.caseId === v.summary.caseId)).toMatchObject({ applicant: '欧**明', windowId: 'qihe-county/1', status: 'DRAFT' });
    expect(value(await ws2.handlers['case.today']({ scope: 'window' })).cases).toEqual([]);
    // The other window's clerk can open it (audited) and see its form.
    const seen = await call(ws2.handlers['case.get']({ caseId: v.summary.caseId }));
    expect(seen.fields.find((f) => f.key === 'applicant.name')?.value).toBe('欧阳小明');
  }, 40_000);

  it('keeps a draft across a restart of the workstation, resumable from today’s list', async () => {
    const { hall, ws, settings } = await setup();
    let v = await call(ws.handlers['case.open']({ subject: { kind: 'matter', code: '37142500-XZSP-007' } }));
    v = await call(ws.handlers['case.saveForm']({ caseId: v.summary.caseId, values: { 'enterprise.name': '齐河县好味道餐饮有限公司' } }));
    await ws.close();
    const again = await createWorkstation({ dataDir: wsDirs.get(ws)!, settings, hallUrl: hall.url });
    cleanups.push(() => again.close());
    await waitFor('online', async () => (await state(again)).connection.online);
    value(await signIn(again));
    const today = await call(again.handlers['case.today']({ scope: 'window' }));
    expect(today.cases).toMatchObject([{ caseId: v.summary.caseId, status: 'DRAFT', applicant: '齐河县好味道餐饮有限公司' }]);
    const resumed = await call(again.handlers['case.get']({ caseId: v.summary.caseId }));
    expect(resumed.fields.find((f) => f.key === 'enterprise.name')?.value).toBe('齐河县好味道餐饮有限公司');
    expect(resumed.summary.caseNo).toBe(v.summary.caseNo);
  }, 40_000);

  it('lets a branch office search and open only what it may decide, or take the rest as 代收代办', async () => {
    const { hall } = await setup();
    const { ws: branch } = await enrolledWorkstation(hall, undefined, undefined, undefined, 'qihe-edz');
    cleanups.push(() => branch.close());
    value(await signIn(branch, 1, '2001', 'qihe-edz'));
    // The office settings (kind: branch) come with the first pull.
    await waitFor('reference pulled', async () => (await state(branch)).sync.lastPullAt);
    const hits = (await call(branch.handlers['catalog.search']({ query: 'qykb' }))).hits.map((h) => h.name);
    expect(hits).not.toContain('企业开办');
    expect((await call(branch.handlers['catalog.search']({ query: '开饭店' }))).hits[0]?.branchMayDecide).toBe(true);
    const refused = await branch.handlers['case.open']({ subject: { kind: 'bundle', code: 'enterprise-opening' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/本分中心不能受理“企业开办”.*代收代办/) } });
    const onBehalf = await call(branch.handlers['case.open']({ subject: { kind: 'bundle', code: 'enterprise-opening' }, onBehalfOf: { jurisdiction: '齐河县政务服务中心', scope: '代收代办' } }));
    expect(onBehalf.summary.caseNo).toMatch(/^(临K01-\d{8}-001|QIHE-K-\d{4}-\d{6})$/);
    expect(onBehalf.onBehalfOf).toEqual({ jurisdiction: '齐河县政务服务中心', scope: '代收代办' });
    const own = await call(branch.handlers['case.open']({ subject: { kind: 'bundle', code: 'restaurant-opening' } }));
    expect(own.summary.title).toBe('餐饮店开办');
  }, 40_000);
});
