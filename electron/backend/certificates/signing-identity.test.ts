import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { renderDocument } from './render.js';
import { sampleFields } from './sample-fields.js';
import { createSelfSignedCertificate } from './self-signed.js';
import { loadSigningIdentity } from './signing-identity.js';
import { getTemplate } from './templates.js';
import { makeP12, poppler, testOffice } from './test-support.js';
import { verifyPdf } from './verify.js';
import { refusal as refusalOf } from '../../../tests/support/refusal.js';

const office = testOffice();
const DAY = 24 * 3600_000;

/** Refused as bad input. */
async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await refusalOf(p);
  expect(err.code).toBe('bad_request');
  return err;
}

describe('office signing certificates', () => {
  for (const keyType of ['ec', 'rsa'] as const) {
    it(`signs with an OpenSSL PKCS#12 (${keyType}) whose names are Chinese, and pdfsig says valid`, async () => {
      const { p12 } = await makeP12({ commonName: '齐河县行政审批服务局电子签章', organization: '齐河县行政审批服务局', keyType, password: '齐河2026!' });
      const seal = { officeId: office.officeId, officeName: office.officeName, p12, p12Password: '齐河2026!' };
      const t = getTemplate('approval_decision');
      const doc = await renderDocument({ template: t, fields: sampleFields(t), office, seal, number: '齐审批许〔2026〕8号', issuedAt: new Date(), hallUrl: 'http://127.0.0.1:7300' });
      const sig = poppler('pdfsig', doc.pdf);
      expect(sig).toContain('Signature is Valid');
      expect(sig).toContain('Signer Certificate Common Name: 齐河县行政审批服务局电子签章');
      expect(sig).toContain('ETSI.CAdES.detached');
      const v = await verifyPdf(doc.pdf);
      expect(v.signer).toMatchObject({ subject: '齐河县行政审批服务局电子签章', issuer: '齐河县行政审批服务局电子签章' });
      expect(v.signature).toBe('valid');
    });
  }

  it('reads a PEM key and certificate as well', async () => {
    const g = await createSelfSignedCertificate({ commonName: '开发区分中心审批专用' });
    const id = await loadSigningIdentity({ officeId: 'qihe-edz', officeName: '齐河经济开发区政务服务分中心', keyPem: g.keyPem, certPem: g.certPem }, new Date());
    expect(id).toMatchObject({ subject: '开发区分中心审批专用', specimen: false, hash: 'SHA-256' });
  });

  it('refuses a wrong certificate password with a clear message', async () => {
    const { p12 } = await makeP12({ commonName: '测试', password: 'right' });
    const err = await refusal(loadSigningIdentity({ officeId: 'a', officeName: '测试单位', p12, p12Password: 'wrong' }, new Date()));
    expect(err.message).toContain('证书密码错误');
  });

  it('refuses an expired certificate, naming the day it expired, and one not yet valid', async () => {
    const now = Date.now();
    const old = await makeP12({ commonName: '过期证书', password: 'pw', notBefore: new Date(now - 800 * DAY), notAfter: new Date(Date.UTC(2025, 2, 1, 4)) });
    const err = await refusal(loadSigningIdentity({ officeId: 'a', officeName: '测试单位', p12: old.p12, p12Password: 'pw' }, new Date()));
    expect(err.message).toContain('已于 2025年3月1日 过期');
    const future = await makeP12({ commonName: '未生效证书', password: 'pw', notBefore: new Date(now + 10 * DAY), notAfter: new Date(now + 400 * DAY) });
    const err2 = await refusal(loadSigningIdentity({ officeId: 'a', officeName: '测试单位', p12: future.p12, p12Password: 'pw' }, new Date()));
    expect(err2.message).toContain('起才生效');
  });

  it('refuses the legacy RC2/3DES PKCS#12 with instructions to re-export', async () => {
    const { p12 } = await makeP12({ commonName: '旧格式', password: 'pw', legacy: true });
    const err = await refusal(loadSigningIdentity({ officeId: 'a', officeName: '测试单位', p12, p12Password: 'pw' }, new Date()));
    expect(err.message).toContain('旧式加密');
    expect(err.message).toContain('openssl pkcs12 -export');
  });

  it('refuses a file that is not PKCS#12, a key that does not match the certificate, and an SM2 key', async () => {
    const junk = await refusal(loadSigningIdentity({ officeId: 'a', officeName: '测试单位', p12: new Uint8Array([1, 2, 3, 4]), p12Password: 'x' }, new Date()));
    expect(junk.message).toContain('不是有效的 PKCS#12');
    const a = await createSelfSignedCertificate({ commonName: '甲' });
    const b = await createSelfSignedCertificate({ commonName: '乙' });
    const mismatch = await refusal(loadSigningIdentity({ officeId: 'a', officeName: '测试单位', keyPem: a.keyPem, certPem: b.certPem }, new Date()));
    expect(mismatch.message).toContain('不匹配');
    const dir = mkdtempSync(path.join(tmpdir(), 'ow-sm2-'));
    try {
      execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', path.join(dir, 'k.pem')]);
      const sm2 = await refusal(loadSigningIdentity({ officeId: 'a', officeName: '测试单位', keyPem: readFileSync(path.join(dir, 'k.pem'), 'utf8'), certPem: a.certPem }, new Date()));
      expect(sm2.message).toContain('SM2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('issues nothing when the certificate is refused', async () => {
    const { p12 } = await makeP12({ commonName: '测试', password: 'right' });
    const t = getTemplate('acceptance_notice');
    const seal = { officeId: office.officeId, officeName: office.officeName, p12, p12Password: 'nope' };
    await refusal(renderDocument({ template: t, fields: sampleFields(t), office, seal, number: '齐审批受〔2026〕1号', issuedAt: new Date(), hallUrl: 'http://127.0.0.1:7300' }));
  });
});
