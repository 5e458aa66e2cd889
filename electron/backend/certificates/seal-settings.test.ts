import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SealMethods } from '../../../shared/certificates/seal-contract.js';
import type { StaffView } from '../../../shared/hall/views.js';
import { AttachmentStore } from '../attachments/attachment-store.js';
import { CatalogProvider } from '../catalog/window-catalog.js';
import { CaseService } from '../cases/case-service.js';
import { CaseStore } from '../cases/case-store.js';
import { openDatabase, type Db } from '../store/database.js';
import { Outbox } from '../store/outbox.js';
import { tempDir } from '../test-helpers.js';
import { CaseNotices } from './case-notices.js';
import { verifyPdf } from './index.js';
import { DocumentNumbers } from './document-serials.js';
import { memoryNumberHall } from './number-blocks-memory.js';
import { cupsPrinter } from './printing.js';
import { sealSettingsHandlers, SEAL_ADMIN_ONLY } from './seal-settings-handlers.js';
import { keyFileSecretBox, SEAL_SECRET_LOST } from './seal-settings-secret.js';
import { makeP12 } from './test-support.js';
import { refusal } from '../../../tests/support/refusal.js';

/**
 * 印章设置 end to end on a window's own database: an administrator imports the office's seal image
 * and PKCS#12 certificate, documents issued afterwards carry them (not the specimen 样章); bad
 * files, a wrong password, an expired or legacy certificate and anyone but an administrator are
 * refused in Chinese with nothing stored; removing goes back to the specimen.
 */

const OFFICE = 'qihe-county';
const AUTHORITY = '齐河县行政审批服务局';
const PASSWORD = '齐河2026!seal';
const ADMIN: StaffView = { id: '9999', name: '管理员', office: OFFICE, roles: ['admin'] };
const CLERK: StaffView = { id: '1001', name: '王丽', office: OFFICE, roles: ['clerk'] };
const SUPERVISOR: StaffView = { id: '9001', name: '赵敏', office: OFFICE, roles: ['supervisor'] };

const b64 = (u: Uint8Array | string) => Buffer.from(u).toString('base64');
let sealPng: Uint8Array;
let good: Uint8Array;

beforeAll(async () => {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600"><circle cx="300" cy="300" r="280" fill="none" stroke="#d40000" stroke-width="24"/><circle cx="300" cy="300" r="60" fill="#d40000"/></svg>`;
  sealPng = new Uint8Array(await sharp(Buffer.from(svg)).png().toBuffer());
  good = (await makeP12({ commonName: AUTHORITY, organization: AUTHORITY, keyType: 'rsa', password: PASSWORD })).p12;
}, 60_000);

const dbs: Db[] = [];
const closers: Array<() => void> = [];
afterEach(() => {
  while (dbs.length) dbs.pop()!.close();
  while (closers.length) closers.pop()!();
});

/** Window 4 of the county hall: case service, notices and the seal handlers on one database. */
function workstation() {
  const dir = tempDir('seal');
  const db = openDatabase(path.join(dir, 'workstation.db'));
  dbs.push(db);
  const clock = () => Date.now();
  let store: CaseStore;
  const outbox = new Outbox(db, clock, { casesSettled: (c) => store.settled(c) });
  outbox.bindClient('c-seal-test');
  const catalogs = new CatalogProvider(db);
  store = new CaseStore(db, outbox, () => catalogs.timeZone(), clock);
  const attachments = new AttachmentStore(db, dir, clock);
  const session = () => ({ staffId: '1001', windowId: `${OFFICE}/4` });
  const base = { db, store, outbox, catalogs, attachments, session, now: clock, written: async () => undefined };
  const cases = new CaseService({ ...base, servingTicket: () => null, clientId: () => 'c-seal-test', registry: null });
  const hall = memoryNumberHall(clock);
  closers.push(hall.close);
  const numbers = new DocumentNumbers({ db, source: hall.source(OFFICE), year: () => new Date().getFullYear() });
  const notices = new CaseNotices({ ...base, cases, hallUrl: () => 'https://hall.qihe.gov.cn', printer: cupsPrinter(), numbers });
  let staff: StaffView | null = ADMIN;
  const sealDeps = () => ({ db, catalogs, now: clock, box: keyFileSecretBox(dir), office: () => OFFICE, staff: () => staff, windowId: () => null, outbox });
  const seal = sealSettingsHandlers(sealDeps());
  /** A new case's 一次性告知书, as the window hands it out. */
  const notice = async () => {
    const v = await cases.open({ subject: { kind: 'matter', code: '37142500-YB-003' } });
    await cases.saveForm(v.summary.caseId, { 'applicant.name': '王芳' });
    await cases.notice(v.summary.caseId);
    return new Uint8Array(Buffer.from((await notices.notice(v.summary.caseId, 'one_time_notice')).pdfBase64, 'base64'));
  };
  const signIn = (s: StaffView | null) => void (staff = s);
  /** The seal handlers as after a restart: a new secret box reading the key file again. */
  const restart = () => sealSettingsHandlers(sealDeps());
  return { db, dir, seal, notice, signIn, restart, outbox };
}

const importInput = (over: Partial<{ officeId: string; sealImage: string; p12: string; password: string }> = {}) => ({
  officeId: OFFICE,
  sealImage: b64(sealPng),
  p12: b64(good),
  password: PASSWORD,
  ...over,
});

describe('印章设置', () => {
  it('documents issued after an import carry the office’s seal and certificate, not the specimen; removing goes back to 样章', async () => {
    const w = workstation();
    const before = await w.seal['seal.status']({});
    expect(before.offices).toEqual([expect.objectContaining({ officeId: OFFICE, officeName: AUTHORITY, configured: false, specimen: true, fingerprint: null })]);
    const specimenDoc = await verifyPdf(await w.notice());
    expect(specimenDoc.specimen).toBe(true);
    expect(specimenDoc.signer?.subject).toContain('样本证书');

    const after = await w.seal['seal.import'](importInput());
    const status = after.offices[0]!;
    expect(status).toMatchObject({ configured: true, specimen: false, subject: AUTHORITY, issuer: AUTHORITY, imageKind: 'png', importedBy: { staffId: '9999', name: '管理员' } });
    expect(status.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(status.notAfter!)).toBeGreaterThan(Date.now());
    // No secret comes back, and the password is not in the database in clear.
    const json = JSON.stringify(after);
    expect(json).not.toContain(PASSWORD);
    expect(json).not.toContain(b64(good).slice(0, 40));
    const row = w.db.prepare("SELECT value FROM meta WHERE key = 'certificates.seal.qihe-county'").get() as { value: string };
    expect(row.value).not.toContain(PASSWORD);
    expect(statSync(path.join(w.dir, 'seal-secret.key')).mode & 0o777).toBe(0o600);

    const sealed = await verifyPdf(await w.notice());
    expect(sealed.specimen).toBe(false);
    expect(sealed.signature).toBe('valid');
    expect(sealed.signer?.subject).toBe(AUTHORITY);
    expect(sealed.signer?.fingerprint).toBe(status.fingerprint);

    const removed = await w.seal['seal.remove']({ officeId: OFFICE });
    expect(removed.offices[0]).toMatchObject({ configured: false, specimen: true, subject: null });
    const again = await verifyPdf(await w.notice());
    expect(again.specimen).toBe(true);
    expect(again.signer?.subject).toContain('样本证书');
    // Who did what, newest first.
    expect(removed.history.map((h) => [h.action, h.staffId, h.fingerprint])).toEqual([
      ['removed', '9999', status.fingerprint],
      ['imported', '9999', status.fingerprint],
    ]);
    // Both also wait in the outbox for the hall's audit trail (the certificate named, no secret in them).
    const sent = w.outbox.pending(500).map((e) => e.body).filter((b) => b.kind === 'settings_audit');
    expect(sent).toEqual([
      expect.objectContaining({ what: 'seal.imported', officeId: OFFICE, staffId: '9999', windowId: null, fingerprint: status.fingerprint, subject: AUTHORITY }),
      expect.objectContaining({ what: 'seal.removed', officeId: OFFICE, staffId: '9999', windowId: null, fingerprint: status.fingerprint }),
    ]);
    expect(JSON.stringify(sent)).not.toContain(PASSWORD);
    const nothing = await refusal(w.seal['seal.remove']({ officeId: OFFICE }));
    expect(nothing.message).toContain('正在使用样章');
  }, 120_000);

  it('refuses a wrong password, an expired, legacy or broken certificate and a damaged seal image in Chinese, storing nothing', async () => {
    const w = workstation();
    const expired = await makeP12({ commonName: AUTHORITY, password: PASSWORD, notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2024-12-31T00:00:00Z') });
    const legacy = await makeP12({ commonName: AUTHORITY, password: PASSWORD, legacy: true });
    const damaged = new Uint8Array(sealPng.subarray(0, 400));
    const cases: Array<[string, ReturnType<typeof importInput>, RegExp]> = [
      ['wrong password', importInput({ password: 'wrong' }), /数字证书密码错误/],
      ['expired', importInput({ p12: b64(expired.p12) }), /数字证书已于 2024年12月31日 过期/],
      ['legacy', importInput({ p12: b64(legacy.p12) }), /旧式加密（RC2\/3DES）/],
      ['not a PKCS#12', importInput({ p12: b64('not a certificate at all') }), /数字证书文件无法读取/],
      ['damaged image', importInput({ sealImage: b64(damaged) }), /印章图片已损坏/],
      ['not an image', importInput({ sealImage: b64('%PDF-1.7 hello') }), /印章图片格式不支持/],
    ];
    for (const [what, input, message] of cases) {
      const err = await refusal(w.seal['seal.import'](input));
      expect(err.code, what).toBe('bad_request');
      expect(err.message, what).toMatch(message);
      expect(err.message, what).toMatch(/印章设置未更改。$/);
      expect(err.message, what).not.toContain('未出具任何文书');
    }
    const status = await w.seal['seal.status']({});
    expect(status.offices[0]).toMatchObject({ configured: false, specimen: true });
    expect(status.history).toEqual([]);
    expect(w.db.prepare("SELECT count(*) AS n FROM meta WHERE key LIKE 'certificates.seal.%'").get()).toEqual({ n: 0 });
    expect(w.outbox.pending(500).filter((e) => e.body.kind === 'settings_audit')).toEqual([]); // nothing recorded either

    // A refused re-import leaves the office's working seal as it was.
    const first = (await w.seal['seal.import'](importInput())).offices[0]!;
    await refusal(w.seal['seal.import'](importInput({ p12: b64(expired.p12) })));
    expect((await w.seal['seal.status']({})).offices[0]).toEqual(first);
  }, 120_000);

  it('is an administrator’s only, for the office this workstation serves', async () => {
    const w = workstation();
    for (const who of [CLERK, SUPERVISOR]) {
      w.signIn(who);
      for (const call of [w.seal['seal.status']({}), w.seal['seal.import'](importInput()), w.seal['seal.remove']({ officeId: OFFICE })]) {
        const err = await refusal(call);
        expect(err.code).toBe('forbidden');
        expect(err.message).toBe(SEAL_ADMIN_ONLY);
      }
    }
    w.signIn(null);
    expect((await refusal(w.seal['seal.status']({}))).code).toBe('unauthorized');
    w.signIn(ADMIN);
    const other = await refusal(w.seal['seal.import'](importInput({ officeId: 'qihe-edz' })));
    expect(other.code).toBe('forbidden');
    expect(other.message).toContain('本工作站只能设置其所属办理机构的印章');
    expect((await w.seal['seal.status']({})).offices[0]).toMatchObject({ configured: false });
  }, 60_000);

  it('the contract refuses what is not a file (bad base64, oversize, unknown fields) before any handler runs', () => {
    const input = SealMethods['seal.import'].input;
    expect(input.safeParse(importInput()).success).toBe(true);
    expect(input.safeParse(importInput({ p12: 'not base64!' })).success).toBe(false);
    expect(input.safeParse(importInput({ sealImage: '' })).success).toBe(false);
    expect(input.safeParse(importInput({ p12: 'A'.repeat(400_000) })).success).toBe(false);
    expect(input.safeParse({ ...importInput(), keyPem: 'x' }).success).toBe(false);
  });

  it('an office whose password key was lost issues nothing and says to re-import', async () => {
    const w = workstation();
    await w.seal['seal.import'](importInput());
    expect((await verifyPdf(await w.notice())).specimen).toBe(false);
    rmSync(path.join(w.dir, 'seal-secret.key'));
    // After a restart a new key file is made on first use; it cannot open the stored password.
    w.restart();
    const err = await refusal(w.notice());
    expect(err.message).toBe(SEAL_SECRET_LOST);
  }, 60_000);
});
