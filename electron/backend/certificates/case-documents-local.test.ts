import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FieldView } from '../../../shared/case/view.js';
import { AppError } from '../../../shared/errors.js';
import { AttachmentStore } from '../attachments/attachment-store.js';
import { CatalogProvider } from '../catalog/window-catalog.js';
import { CaseService } from '../cases/case-service.js';
import { CaseStore } from '../cases/case-store.js';
import { openDatabase, type Db } from '../store/database.js';
import type { PlannedNumber } from './document-serials.js';
import type { Numbering } from './template-schema.js';
import { Outbox } from '../store/outbox.js';
import { tempDir } from '../test-helpers.js';
import { CaseDocuments } from './case-documents.js';
import { CaseNotices } from './case-notices.js';
import { BLOCK_SIZE, DocumentNumbers, OUT_OF_NUMBERS } from './document-serials.js';
import { memoryNumberHall } from './number-blocks-memory.js';
import { caseIssuer } from './issuing-office.js';
import { cupsPrinter, NO_PRINTER, type Printer } from './printing.js';
import { poppler } from './test-support.js';

/**
 * The documents of cases on the window's own database (no hall): document numbers per office and
 * year, 拿地即开工's permits issued together in one transaction, and the CUPS printer adapter.
 */

const MONDAY_9AM = Date.parse('2026-05-11T09:00:00+08:00');
const dbs: Db[] = [];
afterEach(() => {
  while (dbs.length) dbs.pop()!.close();
});

function database(): { db: Db; dir: string } {
  const dir = tempDir('certs');
  const db = openDatabase(path.join(dir, 'workstation.db'));
  dbs.push(db);
  return { db, dir };
}

describe('document numbers', () => {
  // Numbering changed with issue 7: serials come from blocks the hall reserves (document-serials.ts), so
  // `ensure` runs before `plan`, and a licence pattern is one series for the county and its branch.
  it('run per office, per year and per series, consecutively within one issue; taking a number twice is refused', async () => {
    const { db } = database();
    const hall = memoryNumberHall();
    const numbers = new DocumentNumbers({ db, source: hall.source('qihe-county'), year: () => 2026 });
    const edz = new DocumentNumbers({ db: database().db, source: hall.source('qihe-edz'), year: () => 2026 });
    const planNumbers = async (_db: Db, office: string, year: number, abbreviation: string, list: Numbering[]) => {
      const n = office === 'qihe-edz' ? edz : numbers;
      await n.ensure(office, year, list);
      return n.plan(office, year, abbreviation, list);
    };
    const takeNumbers = (_db: Db, planned: PlannedNumber[]) => numbers.take(planned);
    const official = { style: 'official' as const, word: '备' };
    const licence = { style: 'pattern' as const, pattern: 'JY1{division}{serial:7}' };
    const county = caseIssuer(db, 'qihe-county', undefined, '齐河县行政审批服务局');
    const branch = caseIssuer(db, 'qihe-edz', { kind: 'branch', name: '齐河经济开发区政务服务分中心' } as never, '齐河县行政审批服务局');
    expect([county.abbreviation, branch.abbreviation]).toEqual(['齐审批', '齐开审批']);
    expect([county.office.officeName, branch.office.officeName]).toEqual(['齐河县行政审批服务局', '齐河经济开发区政务服务分中心']);
    const a = await planNumbers(db, 'qihe-county', 2026, '齐审批', [official, official, licence]);
    expect(a.map((n) => n.number)).toEqual(['齐审批备〔2026〕1号', '齐审批备〔2026〕2号', 'JY13714250000001']);
    takeNumbers(db, a);
    expect((await planNumbers(db, 'qihe-county', 2026, '齐审批', [official])).map((n) => n.number)).toEqual(['齐审批备〔2026〕3号']);
    expect((await planNumbers(db, 'qihe-county', 2027, '齐审批', [official])).map((n) => n.number)).toEqual(['齐审批备〔2027〕1号']);
    expect((await planNumbers(db, 'qihe-edz', 2026, '齐开审批', [official])).map((n) => n.number)).toEqual(['齐开审批备〔2026〕1号']);
    // The branch prints the same JY1371425…: its block of the pattern comes after the county's.
    const branchLicence = (await planNumbers(db, 'qihe-edz', 2026, '齐开审批', [licence]))[0]!.number;
    expect(branchLicence).toBe(`JY1371425${String(BLOCK_SIZE + 1).padStart(7, '0')}`);
    expect(() => takeNumbers(db, a)).toThrow(/taken meanwhile/);
    // The office's SM2 key is made once and kept.
    expect(caseIssuer(db, 'qihe-county', undefined, undefined).office.sm2).toEqual(county.office.sm2);
    expect(branch.office.sm2.publicKey).not.toBe(county.office.sm2.publicKey);
  });
});

function fill(fields: FieldView[]): Record<string, string> {
  const byType: Record<string, string> = {
    string: '年产5万吨新型建材项目',
    idNumber: '371425199003070018',
    uscc: '91371425MA3C8K7P1B',
    phone: '13853412345',
    date: '2026-05-06',
    address: '齐河县经济开发区创业路18号',
    money: '12000000',
    number: '3',
    area: '26000',
    boolean: 'false',
  };
  return Object.fromEntries(fields.map((f) => [f.key, f.key.endsWith('.name') ? '齐河县鲁齐新材料有限公司' : f.type === 'enum' ? f.options![0]!.value : byType[f.type]!]));
}

/** A window's case service and documents on their own database (window 4 of the county hall). */
function windowDocs(hall = memoryNumberHall(() => MONDAY_9AM)) {
  const { db, dir } = database();
  const clock = () => MONDAY_9AM;
  let store: CaseStore;
  const outbox = new Outbox(db, clock, { casesSettled: (c) => store.settled(c) });
  outbox.bindClient('c-certs-test');
  const catalogs = new CatalogProvider(db);
  store = new CaseStore(db, outbox, () => catalogs.timeZone(), clock);
  const attachments = new AttachmentStore(db, dir, clock);
  const session = () => ({ staffId: '1001', windowId: 'qihe-county/4' });
  const base = { db, store, outbox, catalogs, attachments, session, now: clock, written: async () => undefined };
  const cases = new CaseService({ ...base, servingTicket: () => null, clientId: () => 'c-certs-test', registry: null });
  const numbers = new DocumentNumbers({ db, source: hall.source('qihe-county'), year: () => 2026 });
  const deps = { ...base, cases, hallUrl: () => 'https://hall.qihe.gov.cn', printer: cupsPrinter(), numbers };
  return { db, store, cases, docs: new CaseDocuments(deps), notices: new CaseNotices(deps) };
}

/** An approved 拿地即开工 case (four permits and the deed tax certificate to issue). */
async function approvedLandCase({ store, cases }: Pick<ReturnType<typeof windowDocs>, 'store' | 'cases'>): Promise<string> {
  let v = await cases.open({ subject: { kind: 'bundle', code: 'industrial-land-to-construction' } });
  const caseId = v.summary.caseId;
  v = await cases.answer(caseId, { fire: 'no', sewage: 'no' });
  const actor = { staffId: '1001', windowId: 'qihe-county/4', office: 'qihe-county' };
  // The form as the catalog asks it, plus what the deed and the tax office decide (not on the applicant's form).
  const values = { ...fill(v.fields), 'realEstate.rightType': '国有建设用地使用权', 'tax.amount': '360000' };
  store.write(caseId, actor, () => [
    { action: { type: 'form_saved', values }, summary: 'form' },
    { action: { type: 'accepted', matters: v.matters.map((m) => m.code), promisedDate: '2026-05-20', overrides: [] }, summary: 'accepted' },
    { action: { type: 'approved' }, summary: 'approved' },
  ]);
  return caseId;
}

function issuedRows(db: Db, caseId: string): Array<{ at: number; mutation_id: number }> {
  return db.prepare("SELECT at, mutation_id FROM case_action_local WHERE case_id = ? AND json_extract(json, '$.type') = 'certificate_issued' ORDER BY id").all(caseId) as Array<{ at: number; mutation_id: number }>;
}

describe('拿地即开工', () => {
  it('issues the four permits (and the deed tax certificate) together: one transaction, numbered in their series', async () => {
    const w = windowDocs();
    const { db, docs } = w;
    const caseId = await approvedLandCase(w);
    const done = await docs.issue(caseId);
    expect(done.summary.status).toBe('CERTIFIED');
    expect(done.certificates.map((c) => [c.template, c.documentNo])).toEqual([
      ['tax_payment_certificate', '齐审批契〔2026〕1号'],
      ['real_estate_certificate', '鲁（2026）齐河县不动产权第0000001号'],
      ['land_use_planning_permit', '地字第371425202600001号'],
      ['construction_engineering_planning_permit', '建字第371425202600001号'],
      ['construction_permit', '37142520260001' + '0101'],
    ]);
    const rows = issuedRows(db, caseId);
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => r.at)).size).toBe(1);
    expect(rows.map((r) => r.mutation_id - rows[0]!.mutation_id)).toEqual([0, 1, 2, 3, 4]);
    // Issuing again issues nothing more.
    expect((await docs.issue(caseId)).certificates).toHaveLength(5);
  });

  it('offline with no number block: refused in Chinese, nothing issued; with blocks left: issued offline', async () => {
    const hall = memoryNumberHall(() => MONDAY_9AM);
    hall.offline = true;
    const w = windowDocs(hall);
    const { db, docs, cases } = w;
    const first = await approvedLandCase(w);
    const refused = await docs.issue(first).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).message).toBe(OUT_OF_NUMBERS);
    expect(cases.view(first).summary.status).toBe('APPROVED');
    expect(cases.view(first).certificates).toEqual([]);
    expect(issuedRows(db, first)).toEqual([]);
    expect(db.prepare("SELECT COUNT(*) AS n FROM meta WHERE key LIKE 'certificates.blocks.qihe-county.%'").get()).toEqual({ n: 0 });
    // The hall back: blocks reserved, the documents issued; then offline again, the next case numbers from the blocks.
    hall.offline = false;
    expect((await docs.issue(first)).certificates.map((c) => c.documentNo)[0]).toBe('齐审批契〔2026〕1号');
    hall.offline = true;
    const second = await approvedLandCase(w);
    const offline = await docs.issue(second);
    expect(offline.summary.status).toBe('CERTIFIED');
    expect(offline.certificates.map((c) => c.documentNo)).toEqual([
      '齐审批契〔2026〕2号',
      '鲁（2026）齐河县不动产权第0000002号',
      '地字第371425202600002号',
      '建字第371425202600002号',
      '37142520260002' + '0101',
    ]);
  });
});

describe('notices', () => {
  it('a one-time notice too long for its page (企业开办 with nothing brought) is made compact: materials by form, fields counted', async () => {
    const { cases, notices } = windowDocs();
    let v = await cases.open({ subject: { kind: 'bundle', code: 'enterprise-opening' } });
    const caseId = v.summary.caseId;
    v = await cases.answer(caseId, { premises: 'rented', agent: 'no', seal: 'yes', invoice: 'no', taxpayer: 'small-scale' });
    v = await cases.saveForm(caseId, { 'enterprise.name': '齐河县明达餐饮管理有限公司' });
    const items = (await cases.notice(caseId)).notice!;
    const fields = items.filter((i) => i.fieldKey && !i.materialId).length;
    expect(items.length - fields).toBeGreaterThan(9); // more materials than one page holds one per row
    const pdf = new Uint8Array(Buffer.from((await notices.notice(caseId, 'one_time_notice')).pdfBase64, 'base64'));
    const text = poppler('pdftotext', pdf).replace(/\s+/g, '');
    expect(text).toContain('一次性告知书');
    expect(text).toContain('申请材料（原件）');
    expect(text).toContain('公司章程');
    expect(text).toContain('经营场所租赁合同');
    expect(text).toContain(`共${fields}项未填写或有误`);
  });

  it('a short one-time notice lists each material on its own row and the form’s missing fields by name', async () => {
    const { cases, notices } = windowDocs();
    const v = await cases.open({ subject: { kind: 'matter', code: '37142500-YB-003' } });
    await cases.saveForm(v.summary.caseId, { 'applicant.name': '王芳' });
    await cases.notice(v.summary.caseId);
    const pdf = new Uint8Array(Buffer.from((await notices.notice(v.summary.caseId, 'one_time_notice')).pdfBase64, 'base64'));
    const text = poppler('pdftotext', pdf).replace(/\s+/g, '');
    expect(text).toContain('申请表');
    expect(text).toContain('未填写：');
    expect(text).toContain('公民身份号码');
    expect(text).not.toContain('申请材料（');
  });
});

describe('printing through CUPS', () => {
  const savedPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  /** A folder with fake `lpstat` and `lp` (shell scripts) standing in for CUPS; `lp` copies the job into `jobs/`. */
  function fakeCups(printers: string[]): string {
    const dir = tempDir('cups');
    const jobs = path.join(dir, 'jobs');
    mkdirSync(jobs);
    const lpstat = `#!/bin/sh\nif [ "$1" = "-e" ]; then printf '${printers.map((p) => `${p}\\n`).join('')}'; fi\nif [ "$1" = "-d" ]; then echo "system default destination: ${printers[0] ?? ''}"; fi\n`;
    const lp = `#!/bin/sh\n# lp -d PRINTER -n COPIES -t TITLE -o fit-to-page FILE\ncp "$9" "${jobs}/$2-$4.pdf"\necho "request id is $2-1 (1 file(s))"\n`;
    writeFileSync(path.join(dir, 'lpstat'), lpstat);
    writeFileSync(path.join(dir, 'lp'), lp);
    chmodSync(path.join(dir, 'lpstat'), 0o755);
    chmodSync(path.join(dir, 'lp'), 0o755);
    return dir;
  }

  it('lists the destinations with the default, and hands the PDF to lp with the copies', async () => {
    const dir = fakeCups(['Office_Laser', 'Certificate_Printer']);
    process.env.PATH = `${dir}:${savedPath}`;
    const printer: Printer = cupsPrinter();
    expect(await printer.list()).toEqual([
      { name: 'Office_Laser', isDefault: true },
      { name: 'Certificate_Printer', isDefault: false },
    ]);
    const pdf = new Uint8Array(Buffer.from('%PDF-1.7 test'));
    await printer.print(pdf, { printer: 'Certificate_Printer', copies: 3, title: '异地就医备案回执' });
    expect(readdirSync(path.join(dir, 'jobs'))).toEqual(['Certificate_Printer-3.pdf']);
    expect(readFileSync(path.join(dir, 'jobs', 'Certificate_Printer-3.pdf'), 'latin1')).toBe('%PDF-1.7 test');
    const unknown = await printer.print(pdf, { printer: 'Nope', copies: 1, title: 't' }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(AppError);
    expect((unknown as AppError).message).toBe('没有名为“Nope”的打印机，请重新选择。');
  });

  it('says so in Chinese when the machine has no printer (no CUPS at all)', async () => {
    process.env.PATH = tempDir('empty-path');
    const printer = cupsPrinter();
    expect(await printer.list()).toEqual([]);
    const err = await printer.print(new Uint8Array(4), { printer: 'Office_Laser', copies: 1, title: 't' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toBe(NO_PRINTER);
    expect(NO_PRINTER).toMatch(/^本机没有可用的打印机/);
  });
});
