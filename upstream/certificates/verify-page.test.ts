import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { renderDocument, type RenderedDocument } from '../../electron/backend/certificates/render.js';
import { generateSm2KeyPair, signRecord } from '../../electron/backend/certificates/record.js';
import { sampleFields } from '../../electron/backend/certificates/sample-fields.js';
import { getTemplate } from '../../electron/backend/certificates/templates.js';
import { specimenSeal, testOffice } from '../../electron/backend/certificates/test-support.js';
import { CERTIFICATE_MIGRATION } from './migration.js';
import { createCertificateStore, type CertificateStore } from './store.js';
import { handleVerifyPage, maskHolder, maskValue } from './verify-page.js';

const office = testOffice();
let store: CertificateStore;
let doc: RenderedDocument;
let server: Server;
let base: string;

beforeAll(async () => {
  const db = new Database(':memory:');
  db.exec(CERTIFICATE_MIGRATION.sql);
  store = createCertificateStore(db);
  const t = getTemplate('food_business_licence');
  doc = await renderDocument({ template: t, fields: sampleFields(t), office, seal: specimenSeal(office), number: 'JY13714250000123', issuedAt: '2026-05-06T10:00:00+08:00', hallUrl: 'http://127.0.0.1:7300' });
  server = createServer((req, res) => handleVerifyPage(req, res, { store }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function refusal(fn: () => unknown): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('not refused');
}

describe('hall certificate store', () => {
  it('accepts a record only under a registered office key with a valid signature, once', async () => {
    expect((await refusal(() => store.putRecord(doc.record, 1))).code).toBe('forbidden');
    store.addOfficeKey(office.officeId, office.sm2.publicKey, 1);
    const tampered = { ...doc.record, record: { ...doc.record.record, holder: '别人' } };
    expect((await refusal(() => store.putRecord(tampered, 2))).message).toContain('签名无效');
    expect(store.putRecord(doc.record, 3)).toBe('stored');
    expect(store.putRecord(JSON.parse(JSON.stringify(doc.record)), 4)).toBe('duplicate');
    const other = signRecord({ ...doc.record.record, number: 'JY1' }, office.sm2);
    expect((await refusal(() => store.putRecord(other, 5))).code).toBe('conflict');
    const foreign = generateSm2KeyPair();
    const forged = signRecord({ ...doc.record.record, id: 'A'.repeat(26), publicKey: foreign.publicKey }, foreign);
    expect((await refusal(() => store.putRecord(forged, 6))).code).toBe('forbidden');
  });
});

describe('GET /verify/:id', () => {
  it('shows the record with its verdict, masked ID numbers, and the same as JSON', async () => {
    const res = await fetch(`${base}/verify/${doc.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('JY13714250000123');
    expect(html).toContain('食品经营许可证');
    expect(html).toContain('样本文书');
    expect(html).toContain(doc.sha256);
    const json = (await (await fetch(`${base}/verify/${doc.id}?format=json`)).json()) as Record<string, unknown>;
    expect(json).toMatchObject({ found: true, signatureValid: true, keyRegistered: true, revoked: false, revocation: null, officeKeys: [office.sm2.publicKey] });
  });

  it('shows a revocation with its reason', async () => {
    const r = store.revoke(doc.id, '以欺骗手段取得许可', 'staff:1001', Date.parse('2026-06-01T09:00:00+08:00'));
    expect(store.revoke(doc.id, '再次撤销', 'staff:1002', Date.now())).toEqual(r);
    const html = await (await fetch(`${base}/verify/${doc.id}`)).text();
    expect(html).toContain('该文书已于2026年6月1日撤销');
    expect(html).toContain('以欺骗手段取得许可');
    const json = (await (await fetch(`${base}/verify/${doc.id}?format=json`)).json()) as Record<string, unknown>;
    expect(json).toMatchObject({ revoked: true, revocation: { reason: '以欺骗手段取得许可' } });
    expect(store.revocationsSince(0).map((x) => x.id)).toEqual([doc.id]);
    expect(store.revocationsSince(r.seq)).toEqual([]);
  });

  it('answers 404 for an unknown or malformed id, escaping what it echoes', async () => {
    const unknown = await fetch(`${base}/verify/${'B'.repeat(26)}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('未查询到该文书的核验记录');
    const bad = await fetch(`${base}/verify/${encodeURIComponent('<script>x</script>')}`);
    expect(bad.status).toBe(404);
    expect(await bad.text()).not.toContain('<script>x');
    expect((await fetch(`${base}/verify/${doc.id}`, { method: 'POST' })).status).toBe(405);
  });

  it('masks ID numbers and short personal names', () => {
    expect(maskValue('371425198805126021')).toBe('371425********6021');
    expect(maskHolder('王丽娟')).toBe('王*娟');
    expect(maskHolder('齐河县黄河人家餐饮管理有限公司')).toBe('齐河县黄河人家餐饮管理有限公司');
  });
});
