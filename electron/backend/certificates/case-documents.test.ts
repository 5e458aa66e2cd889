import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaseView, FieldView } from '../../../shared/case/view.js';
import type { InvokeResult } from '../../../shared/contract.js';
import { createWorkstation, type Workstation } from '../index.js';
import { memorySettingsStore } from '../settings/settings-store.js';
import { closedAfterEach, signIn, state, tempDir, value, waitFor } from '../test-helpers.js';
import { poppler } from './test-support.js';
import type { Printer } from './printing.js';
import { verifyPdf } from './verify.js';
import type { HallServer } from '../../../upstream/server.js';
import { BLOCK_SIZE } from './document-serials.js';
import { idCheckChar } from '../../../shared/checks/index.js';
import { validValueFor } from '../../../tests/support/form-values.js';

/**
 * 智能制证 wired into the case at the window, against a real hall: 秒批 issues the certificate at
 * once, the verification record reaches the hall's /verify page, issuing again changes nothing,
 * printing is recorded with its copies, revocation shows in the case and on the hall, notices are
 * rendered for the case's state, a document the case lacks fields for is refused with the fields
 * named and nothing issued.
 */

const { cleanups, hallAt } = closedAfterEach();
const REMOTE_CARE = '37142500-YB-003'; // 异地就医备案: 秒批, result 异地就医备案回执 (generic_filing_receipt)
const FOOD_SALES = '37142500-XZSP-008'; // 食品经营许可（食品销售经营者）
const COMPANY = '37142500-XZSP-002'; // 有限责任公司设立登记: the 营业执照 prints the 统一社会信用代码 the approval gives (decision field)
const SOLE = '37142500-XZSP-003'; // 个体工商户设立登记: 秒批, with the same decision field
const CODE = '91371425MA3C8K7P1B';

interface PrintJob {
  printer: string;
  copies: number;
  title: string;
  bytes: number;
}

async function setup(shared?: { hall: HallServer; windowNo: number; staffId: string }) {
  const hall = shared?.hall ?? (await hallAt(tempDir('hall')));
  const jobs: PrintJob[] = [];
  const printer: Printer = {
    list: async () => [
      { name: '受理区激光打印机', isDefault: true },
      { name: '证照打印机', isDefault: false },
    ],
    print: async (pdf, o) => void jobs.push({ printer: o.printer, copies: o.copies, title: o.title, bytes: pdf.length }),
  };
  const dataDir = tempDir('ws');
  const ws = await createWorkstation({ dataDir, settings: memorySettingsStore(), hallUrl: hall.url, printer });
  cleanups.push(() => ws.close());
  value(await ws.handlers['device.enroll']({ hallUrl: hall.url, code: hall.createEnrolmentCode('qihe-county'), deviceName: '制证测试工作站' }));
  await waitFor('online', async () => (await state(ws)).connection.online);
  value(await (shared ? signIn(ws, shared.windowNo, shared.staffId) : signIn(ws)));
  return { hall, ws, jobs, dataDir };
}

function fill(fields: FieldView[]): Record<string, string> {
  const named: Record<string, string> = { 'applicant.name': '𠮷祥', 'enterprise.name': '齐河县鲁齐商贸有限公司', 'legalRep.name': '张伟' };
  return Object.fromEntries(fields.map((f) => [f.key, named[f.key] ?? validValueFor(f)]));
}

/** A case of one matter with its form filled and every required material received. */
async function ready(ws: Workstation, code: string): Promise<CaseView> {
  const h = ws.handlers;
  let v = value(await h['case.open']({ subject: { kind: 'matter', code } }));
  const caseId = v.summary.caseId;
  if (v.situations.length > 0) v = value(await h['case.answer']({ caseId, answers: Object.fromEntries(v.situations.map((q) => [q.id, q.answers[q.answers.length - 1]!.id])) }));
  v = value(await h['case.saveForm']({ caseId, values: fill(v.fields) }));
  for (const m of v.materials) {
    if (m.requirement === 'required' && m.producedBy === null && m.status !== 'present') v = value(await h['case.markMaterial']({ caseId, materialId: m.id, status: 'present' }));
  }
  return v;
}

function failed<T>(r: InvokeResult<T>): { code: string; message: string } {
  if (r.ok) throw new Error('expected a refusal');
  return r.error;
}

async function synced(ws: Workstation, caseId: string): Promise<CaseView> {
  return waitFor('case synced', async () => {
    const v = value(await ws.handlers['case.get']({ caseId }));
    return v.summary.pendingSync === 0 && v.summary.official ? v : null;
  }, 15_000);
}

async function verifyJson(hallUrl: string, id: string) {
  const res = await fetch(`${hallUrl}/verify/${id}?format=json`);
  return (await res.json()) as { found: boolean; signatureValid?: boolean; keyRegistered?: boolean; revoked?: boolean; revocation?: { reason: string } | null; record?: { record: { number: string; title: string; officeId: string; holder: string } } };
}

const year = () => new Date().getFullYear();

describe('documents of a case at the window', () => {
  it('秒批 issues the certificate at once; its record reaches the hall; issuing again issues nothing; the PDF verifies and matches the case', async () => {
    const { hall, ws, dataDir } = await setup();
    const v = await ready(ws, REMOTE_CARE);
    const done = value(await ws.handlers['case.accept']({ caseId: v.summary.caseId }));
    const caseId = done.summary.caseId;
    expect(done.summary.status).toBe('CERTIFIED');
    expect(done.automated).not.toBeNull();
    expect(done.certificates).toEqual([
      expect.objectContaining({ template: 'generic_filing_receipt', title: '异地就医备案回执', documentNo: `齐审批备〔${year()}〕1号`, prints: 0, verifyId: expect.stringMatching(/^[A-Z2-7]{26}$/) }),
    ]);
    expect(done.history.map((h) => h.label).slice(-3)).toEqual(['受理', '批准', '制证']);
    const cert = done.certificates[0]!;

    const again = value(await ws.handlers['case.issueDocuments']({ caseId }));
    expect(again.certificates).toEqual(done.certificates);
    expect(localActionTypes(dataDir, caseId).filter((t) => t === 'certificate_issued')).toHaveLength(1);

    const doc = value(await ws.handlers['case.document']({ caseId, documentNo: cert.documentNo }));
    const pdf = new Uint8Array(Buffer.from(doc.pdfBase64, 'base64'));
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(cert.sha256);
    expect(doc.fileName).toBe(`异地就医备案回执-齐审批备〔${year()}〕1号.pdf`);
    const text = poppler('pdftotext', pdf).replace(/\s+/g, '');
    for (const s of ['异地就医备案回执', '𠮷祥', '齐河县行政审批服务局', `齐审批备〔${year()}〕1号`, '371425199003070018']) expect(text).toContain(s);

    const official = await synced(ws, caseId);
    const onHall = await verifyJson(hall.url, cert.verifyId!);
    expect(onHall).toMatchObject({ found: true, signatureValid: true, keyRegistered: true, revoked: false });
    expect(onHall.record!.record).toMatchObject({ number: cert.documentNo, title: '异地就医备案回执', officeId: 'qihe-county' });
    const keys = { 'qihe-county': [(onHall.record!.record as unknown as { publicKey: string }).publicKey] };
    const checked = await verifyPdf(pdf, { officeKeys: keys });
    expect(checked).toMatchObject({ signature: 'valid', qr_record: 'valid', hash_match: true, number: cert.documentNo, specimen: true });
    // The official case number arrived after the document was issued: the document keeps the one it was issued with.
    expect(official.summary.caseNo).toMatch(/^QIHE-/);
    // Reading the document out of the case is in the audit trail.
    expect(auditOf(dataDir, caseId)).toContain('case.exported');
  });

  it('prints with the count recorded (补打 is another print), revokes with a reason shown in the case and on the hall, then refuses printing it', async () => {
    const { hall, ws, jobs } = await setup();
    const v = await ready(ws, REMOTE_CARE);
    const caseId = value(await ws.handlers['case.accept']({ caseId: v.summary.caseId })).summary.caseId;
    const printers = value(await ws.handlers['case.printers']({}));
    expect(printers.printers.find((p) => p.isDefault)?.name).toBe('受理区激光打印机');
    const documentNo = `齐审批备〔${year()}〕1号`;
    let p = value(await ws.handlers['case.print']({ caseId, documentNo, copies: 2, printer: '证照打印机' }));
    p = value(await ws.handlers['case.print']({ caseId, documentNo, copies: 1, printer: '受理区激光打印机' }));
    expect(p.certificates[0]!.prints).toBe(3);
    expect(jobs.map((j) => [j.printer, j.copies])).toEqual([
      ['证照打印机', 2],
      ['受理区激光打印机', 1],
    ]);
    expect(jobs[0]!.bytes).toBeGreaterThan(10_000);
    expect(p.history.filter((h) => h.label === '打印').map((h) => h.detail)).toEqual([`${documentNo} × 2`, `${documentNo} × 1`]);
    expect(p.certificates).toHaveLength(1);
    expect(failed(await ws.handlers['case.print']({ caseId, documentNo, copies: 21, printer: '证照打印机' })).code).toBe('bad_request');

    const revoked = value(await ws.handlers['case.revokeDocument']({ caseId, documentNo, reason: '证载信息有误，收回重出' }));
    expect(revoked.certificates[0]!.revoked).toMatchObject({ reason: '证载信息有误，收回重出' });
    expect(revoked.history.at(-1)).toMatchObject({ label: '撤销证照', detail: `${documentNo}：证载信息有误，收回重出` });
    await synced(ws, caseId);
    const onHall = await verifyJson(hall.url, revoked.certificates[0]!.verifyId!);
    expect(onHall).toMatchObject({ found: true, revoked: true, revocation: { reason: '证载信息有误，收回重出' } });
    const html = await (await fetch(`${hall.url}/verify/${revoked.certificates[0]!.verifyId}`)).text();
    expect(html).toContain('撤销');
    expect(html).toContain('证载信息有误，收回重出');
    const refused = failed(await ws.handlers['case.print']({ caseId, documentNo, copies: 1, printer: '证照打印机' }));
    expect(refused.message).toBe(`文书 ${documentNo} 已撤销，不能打印。`);
    expect(jobs).toHaveLength(2);
    // Revoked, the document may be issued anew: a new number, the old one stays revoked.
    const reissued = value(await ws.handlers['case.issueDocuments']({ caseId }));
    expect(reissued.certificates.map((c) => [c.documentNo, !!c.revoked])).toEqual([
      [documentNo, true],
      [`齐审批备〔${year()}〕2号`, false],
    ]);
  });

  // decision fields: the 统一社会信用代码 a 设立登记 assigns is given with the approval (it was a pinned gap before).
  it('a 设立登记 asks its credit code at the approval: refused without it or with a wrong check character; approved with it, the 营业执照 prints it', async () => {
    const { ws, dataDir } = await setup();
    const v = await ready(ws, COMPANY);
    const caseId = v.summary.caseId;
    expect(v.fields.map((f) => f.key)).not.toContain('enterprise.uscc'); // not asked at 受理
    const accepted = value(await ws.handlers['case.accept']({ caseId }));
    expect(accepted.decision?.fields).toEqual([{ key: 'enterprise.uscc', label: '统一社会信用代码', type: 'uscc', required: true, value: '' }]);
    const none = failed(await ws.handlers['case.approve']({ caseId }));
    expect(none.code).toBe('bad_request');
    expect(none.message).toBe('不能批准：批准前须填写：统一社会信用代码（作出决定时确定，受理时不填写）。');
    const wrong = failed(await ws.handlers['case.approve']({ caseId, decision: { 'enterprise.uscc': `${CODE.slice(0, 17)}${CODE[17] === '0' ? '1' : '0'}` } }));
    expect(wrong.message).toContain('校验码不符');
    expect(value(await ws.handlers['case.get']({ caseId })).summary.status).toBe('ACCEPTED');
    expect(localActionTypes(dataDir, caseId)).not.toContain('approved');
    // As typed (lower case, spaces): stored as the code.
    const approved = value(await ws.handlers['case.approve']({ caseId, decision: { 'enterprise.uscc': `${CODE.slice(0, 9).toLowerCase()} ${CODE.slice(9)}` } }));
    expect(approved.summary.status).toBe('APPROVED');
    expect(approved.decision?.fields[0]?.value).toBe(CODE);
    const issued = value(await ws.handlers['case.issueDocuments']({ caseId }));
    expect(issued.certificates.map((c) => c.title)).toEqual(['营业执照']);
    const doc = value(await ws.handlers['case.document']({ caseId, documentNo: issued.certificates[0]!.documentNo }));
    const text = poppler('pdftotext', new Uint8Array(Buffer.from(doc.pdfBase64, 'base64'))).replace(/\s+/g, '');
    for (const s of [CODE, '齐河县鲁齐商贸有限公司', '张伟']) expect(text).toContain(s);
  });

  it('秒批 of 个体工商户设立登记 waits for a clerk while its credit code is unknown, saying why; the clerk approves with the code', async () => {
    const { ws } = await setup();
    const v = await ready(ws, SOLE);
    const caseId = v.summary.caseId;
    const accepted = value(await ws.handlers['case.accept']({ caseId }));
    expect(accepted.summary.status).toBe('ACCEPTED');
    expect(accepted.automated).toBeNull();
    expect(accepted.certificates).toEqual([]);
    expect(accepted.decision?.instantWithheld).toContain('“个体工商户设立登记”的统一社会信用代码在作出决定时才确定，须由窗口人员批准时填写');
    expect(accepted.history.map((h) => h.label)).not.toContain('批准');
    const approved = value(await ws.handlers['case.approve']({ caseId, decision: { 'enterprise.uscc': CODE } }));
    expect(approved.summary.status).toBe('APPROVED');
    expect(approved.automated).toBeNull(); // a person decided
    const issued = value(await ws.handlers['case.issueDocuments']({ caseId }));
    const doc = value(await ws.handlers['case.document']({ caseId, documentNo: issued.certificates[0]!.documentNo }));
    expect(poppler('pdftotext', new Uint8Array(Buffer.from(doc.pdfBase64, 'base64'))).replace(/\s+/g, '')).toContain(CODE);
  });

  it('two windows of one office issue interleaved: each numbers from its own block of the hall, never the other’s numbers', async () => {
    const { hall, ws: one, dataDir } = await setup();
    const { ws: two } = await setup({ hall, windowNo: 2, staffId: '1002' });
    // Connected, a window reserves its notices' series ahead (受理通知书 …), to number them offline too.
    const held = (series: string) => readDb(dataDir, (db) => db.prepare('SELECT value FROM meta WHERE key = ?').get(`certificates.blocks.qihe-county.${year()}.${series}`));
    await waitFor('notice numbers reserved ahead', () => held('w:受'));
    expect(held('w:备')).toBeUndefined(); // a result series: reserved when first needed
    const numbers: string[] = [];
    for (const [i, ws] of [one, two, one, two].entries()) {
      const v = await ready(ws, REMOTE_CARE);
      // Another applicant each time (the same person twice would be asked to confirm a repeat application).
      const id17 = `37142519900307${String(100 + i)}`;
      value(await ws.handlers['case.saveForm']({ caseId: v.summary.caseId, values: { 'applicant.idNumber': `${id17}${idCheckChar(id17)}` } }));
      const done = value(await ws.handlers['case.accept']({ caseId: v.summary.caseId }));
      numbers.push(...done.certificates.map((c) => c.documentNo));
    }
    const serial = (n: number) => `齐审批备〔${year()}〕${n}号`;
    expect(numbers).toEqual([serial(1), serial(BLOCK_SIZE + 1), serial(2), serial(BLOCK_SIZE + 2)]);
  });

  it('renders the notices the case has for its state, once each (recorded, published on the hall); refuses one it has not', async () => {
    const { ws, hall } = await setup();
    const v = await ready(ws, FOOD_SALES);
    const caseId = v.summary.caseId;
    expect(failed(await ws.handlers['case.noticeDocument']({ caseId, kind: 'acceptance_notice' })).message).toContain('尚未受理');
    const accepted = value(await ws.handlers['case.accept']({ caseId }));
    const first = value(await ws.handlers['case.noticeDocument']({ caseId, kind: 'acceptance_notice' }));
    const second = value(await ws.handlers['case.noticeDocument']({ caseId, kind: 'acceptance_notice' }));
    expect(first.fileName).toBe(`受理通知书-齐审批受〔${year()}〕1号.pdf`);
    expect(second.fileName).toBe(first.fileName);
    const text = poppler('pdftotext', new Uint8Array(Buffer.from(first.pdfBase64, 'base64'))).replace(/\s+/g, '');
    for (const s of ['受理通知书', '食品经营许可（食品销售经营者）', accepted.summary.caseNo, '1号综合受理窗口']) expect(text).toContain(s);
    expect(failed(await ws.handlers['case.noticeDocument']({ caseId, kind: 'rejection_notice' })).message).toContain('没有不予受理通知书');
    // Made once: recorded in the case log, its verification record published by the hall.
    expect(second.pdfBase64).toBe(first.pdfBase64);
    const synced1 = await synced(ws, caseId);
    expect(synced1.history.filter((h) => h.label === '出具通知书').map((h) => h.detail)).toEqual([`齐审批受〔${year()}〕1号`]);
    const noticeId = /(?:\/verify\/|OneWindow \w+ )([A-Z2-7]{26})/.exec(Buffer.from(first.pdfBase64, 'base64').toString('latin1'))?.[1];
    expect(await verifyJson(hall.url, noticeId!)).toMatchObject({ found: true, signatureValid: true, record: { record: { number: `齐审批受〔${year()}〕1号`, title: '受理通知书' } } });

    // A one-time notice: the missing material named in the 一次性告知书.
    const other = value(await ws.handlers['case.open']({ subject: { kind: 'matter', code: REMOTE_CARE } }));
    value(await ws.handlers['case.saveForm']({ caseId: other.summary.caseId, values: { 'applicant.name': '王芳' } }));
    value(await ws.handlers['case.notice']({ caseId: other.summary.caseId }));
    const notice = value(await ws.handlers['case.noticeDocument']({ caseId: other.summary.caseId, kind: 'one_time_notice' }));
    const noticeText = poppler('pdftotext', new Uint8Array(Buffer.from(notice.pdfBase64, 'base64'))).replace(/\s+/g, '');
    expect(noticeText).toContain('一次性告知书');
    expect(noticeText).toContain('王芳');
    expect(noticeText).toContain('身份证');
  });
});

/** Reads the workstation's database beside it (read-only). */
function readDb<T>(dataDir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir, 'workstation.db'), { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function localActionTypes(dataDir: string, caseId: string): string[] {
  return readDb(dataDir, (db) => (db.prepare('SELECT json FROM case_action_local WHERE case_id = ? ORDER BY id').all(caseId) as Array<{ json: string }>).map((r) => (JSON.parse(r.json) as { type: string }).type));
}

function auditOf(dataDir: string, caseId: string): string[] {
  return readDb(dataDir, (db) => (db.prepare('SELECT what FROM audit_local WHERE case_id = ?').all(caseId) as Array<{ what: string }>).map((r) => r.what));
}
