import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDocument, type RenderedDocument } from '../electron/backend/certificates/render.js';
import { sampleFields } from '../electron/backend/certificates/sample-fields.js';
import { getTemplate } from '../electron/backend/certificates/templates.js';
import { specimenSeal, testOffice } from '../electron/backend/certificates/test-support.js';
import { CERTIFICATE_MIGRATION } from '../upstream/certificates/migration.js';
import { createCertificateStore, type CertificateStore } from '../upstream/certificates/store.js';
import { handleVerifyPage } from '../upstream/certificates/verify-page.js';
import { verifyCommand } from './verify.js';

const office = testOffice();
let dir: string;
let file: string;
let doc: RenderedDocument;
let server: Server;
let hall: string;
let store: CertificateStore;

async function run(args: string[]): Promise<{ code: number; json: Record<string, unknown>; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await verifyCommand(args, (s) => (stdout += s), (s) => (stderr += s));
  return { code, json: stdout ? (JSON.parse(stdout) as Record<string, unknown>) : {}, stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ow-verify-'));
  const t = getTemplate('construction_permit');
  doc = await renderDocument({ template: t, fields: sampleFields(t), office, seal: specimenSeal(office), number: '371425202601230101', issuedAt: '2026-05-06T10:00:00+08:00', hallUrl: 'http://127.0.0.1:7300' });
  file = path.join(dir, 'permit.pdf');
  writeFileSync(file, doc.pdf);
  const db = new Database(':memory:');
  db.exec(CERTIFICATE_MIGRATION.sql);
  store = createCertificateStore(db);
  store.addOfficeKey(office.officeId, office.sm2.publicKey, 1);
  store.putRecord(doc.record, 2);
  server = createServer((req, res) => handleVerifyPage(req, res, { store }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hall = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('onewindow verify', () => {
  it('prints the six fields as JSON and exits 0 for an intact PDF', async () => {
    const { code, json } = await run([file]);
    expect(code).toBe(0);
    expect(json).toMatchObject({ signature: 'valid', qr_record: 'valid', hash_match: true, revoked: null, office: '齐河县行政审批服务局', number: '371425202601230101', trusted: false });
  });

  it('fails a PDF changed by one byte', async () => {
    const bytes = new Uint8Array(doc.pdf);
    const at = Math.floor(doc.record.record.hash.length / 3);
    bytes[at] = (bytes[at] as number) ^ 0x20;
    const changed = path.join(dir, 'changed.pdf');
    writeFileSync(changed, bytes);
    const { code, json } = await run([changed]);
    expect(code).toBe(1);
    expect(json).toMatchObject({ signature: 'invalid', hash_match: false });
  });

  it('asks the hall: trusted while valid, revoked after revocation', async () => {
    const ok = await run([file, '--hall', hall]);
    expect(ok.code).toBe(0);
    expect(ok.json).toMatchObject({ revoked: false, trusted: true, hall: 'checked' });
    store.revoke(doc.id, '建设单位申请注销', 'staff:1001', Date.now());
    const revoked = await run([file, '--hall', `${hall}/`]);
    expect(revoked.code).toBe(1);
    expect(revoked.json).toMatchObject({ revoked: true, hall: 'checked' });
  });

  it('reports a hall that cannot be reached and fails', async () => {
    const { code, json } = await run([file, '--hall', 'http://127.0.0.1:9']);
    expect(code).toBe(1);
    expect(json).toMatchObject({ signature: 'valid', hall: 'unreachable', revoked: null });
  });

  it('explains usage errors with exit code 2', async () => {
    expect((await run([])).code).toBe(2);
    const missing = await run([path.join(dir, 'nope.pdf')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.pdf');
    expect((await run([file, '--colour'])).code).toBe(2);
  });
});
