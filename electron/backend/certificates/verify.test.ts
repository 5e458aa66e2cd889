import { createPrivateKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signPdf } from './cms-signer.js';
import { generateSm2KeyPair } from './record.js';
import { renderDocument, type RenderedDocument } from './render.js';
import { sampleFields } from './sample-fields.js';
import { createSelfSignedCertificate } from './self-signed.js';
import { loadSigningIdentity } from './signing-identity.js';
import { getTemplate } from './templates.js';
import { specimenSeal, testOffice } from './test-support.js';
import { verifyPdf, type VerificationTrust } from './verify.js';

const office = testOffice();
const trust: VerificationTrust = { officeKeys: { [office.officeId]: [office.sm2.publicKey] } };
let doc: RenderedDocument;

beforeAll(async () => {
  const t = getTemplate('acceptance_notice');
  doc = await renderDocument({
    template: t,
    fields: sampleFields(t),
    office,
    seal: specimenSeal(office),
    number: '齐审批受〔2026〕7号',
    issuedAt: '2026-05-06T10:00:00+08:00',
    hallUrl: 'https://zwfw.qihe.gov.cn',
  });
});

function changed(pdf: Uint8Array, at: number): Uint8Array {
  const copy = new Uint8Array(pdf);
  copy[at] = (copy[at] as number) ^ 0x01;
  return copy;
}

const text = (pdf: Uint8Array) => Buffer.from(pdf).toString('latin1');

describe('verifyPdf', () => {
  it('accepts the document as issued and reports office, number and hash', async () => {
    const v = await verifyPdf(doc.pdf, trust);
    expect(v).toMatchObject({ ok: true, signature: 'valid', qr_record: 'valid', hash_match: true, revoked: null, office: '齐河县行政审批服务局', number: '齐审批受〔2026〕7号', id: doc.id });
    expect(v.record?.hash.value).toBe(doc.sha256);
    expect(v.signer?.subject).toBe('齐河县行政审批服务局（样本证书）');
    expect(v.problems).toEqual([]);
  });

  it('fails when any one byte is changed: in the page, the record, the signature, its padding or the byte range', async () => {
    const t = text(doc.pdf);
    const recordAt = t.indexOf('/Type /OneWindowRecord');
    const contentsAt = t.lastIndexOf('/Contents <') + '/Contents <'.length;
    const byteRangeAt = t.lastIndexOf('/ByteRange [') + '/ByteRange [0 '.length;
    const positions = {
      page: Math.floor(doc.record.record.hash.length / 2),
      record: recordAt + 120,
      signature: contentsAt + 40,
      padding: t.indexOf('>', contentsAt) - 3,
      byteRange: byteRangeAt,
      last: doc.pdf.length - 1,
    };
    for (const [where, at] of Object.entries(positions)) {
      const v = await verifyPdf(changed(doc.pdf, at), trust);
      expect(v.ok, `one byte changed in ${where}`).toBe(false);
      expect(v.signature, where).not.toBe('valid');
    }
  });

  it('fails for one byte changed at 16 spread positions, and for one byte appended', async () => {
    for (let i = 0; i < 16; i++) {
      const at = Math.floor(((i + 0.5) / 16) * doc.pdf.length);
      expect((await verifyPdf(changed(doc.pdf, at), trust)).ok, `byte ${at}`).toBe(false);
    }
    const appended = new Uint8Array([...doc.pdf, 0x0a]);
    const v = await verifyPdf(appended, trust);
    expect(v.ok).toBe(false);
    expect(v.problems.join(' ')).toMatch(/after the signed range/);
  });

  it('rejects an upper-cased hex digit in the signature (same bytes, different file)', async () => {
    const t = text(doc.pdf);
    const start = t.lastIndexOf('/Contents <') + '/Contents <'.length;
    const hexLetter = t.slice(start, start + 200).search(/[a-f]/);
    const copy = new Uint8Array(doc.pdf);
    copy[start + hexLetter] = (copy[start + hexLetter] as number) - 32;
    expect((await verifyPdf(copy, trust)).signature).toBe('invalid');
  });

  it('reports a revoked document', async () => {
    const v = await verifyPdf(doc.pdf, { ...trust, revocation: (id) => (id === doc.id ? { id, reason: '申请人以欺骗手段取得', revokedAt: '2026-06-01T09:00:00+08:00' } : undefined) });
    expect(v).toMatchObject({ revoked: true, ok: false, revocation: { reason: '申请人以欺骗手段取得' } });
    const other = await verifyPdf(doc.pdf, { ...trust, revocation: () => undefined });
    expect(other).toMatchObject({ revoked: false, ok: true });
  });

  it('does not trust a record whose key is not the office key', async () => {
    const v = await verifyPdf(doc.pdf, { officeKeys: { [office.officeId]: [generateSm2KeyPair().publicKey] } });
    expect(v).toMatchObject({ qr_record: 'valid', recordTrusted: false });
    expect((await verifyPdf(doc.pdf)).recordTrusted).toBe(false);
  });

  it('catches content changed and re-signed by someone else: signature valid but untrusted, hash mismatch', async () => {
    const t = text(doc.pdf);
    const sigUpdate = t.indexOf('%%EOF', doc.record.record.hash.length + 1) + '%%EOF'.length;
    const unsigned = new Uint8Array(doc.pdf.subarray(0, sigUpdate));
    const title = t.indexOf('/Title');
    unsigned[title + 12] = (unsigned[title + 12] as number) ^ 0x01;
    const forger = await createSelfSignedCertificate({ commonName: '伪造者' });
    const identity = await loadSigningIdentity(
      { officeId: 'x', officeName: 'x', keyPem: forger.keyPem, certPem: forger.certPem },
      new Date(),
    );
    expect(createPrivateKey(forger.keyPem).asymmetricKeyType).toBe('ec');
    const forged = await signPdf(unsigned, identity, { reason: 'x', location: 'x', name: 'x', signingTime: new Date() });
    const v = await verifyPdf(forged, { ...trust, certificates: [] });
    expect(v).toMatchObject({ signature: 'valid', signatureTrusted: false, qr_record: 'valid', hash_match: false, ok: false });
  });

  it('reports a PDF without signature or record', async () => {
    const plain = doc.pdf.subarray(0, doc.record.record.hash.length);
    const v = await verifyPdf(plain, trust);
    expect(v).toMatchObject({ signature: 'missing', qr_record: 'missing', ok: false, office: null, number: null });
  });
});
