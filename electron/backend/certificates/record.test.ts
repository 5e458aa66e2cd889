import smCrypto from 'sm-crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { publicKeyOf, sm2Sign } from './sm2-sign.js';
import { canonicalJson, generateSm2KeyPair, newVerificationId, signRecord, verifyRecordSignature, VERIFY_ID, type VerificationRecord } from './record.js';

const key = generateSm2KeyPair();
const record: VerificationRecord = {
  v: 1,
  id: newVerificationId(),
  url: 'https://zwfw.qihe.gov.cn/verify/X',
  templateId: 'food_business_licence',
  title: '食品经营许可证',
  number: 'JY13714250000123',
  holder: '齐河县𠮷祥餐饮有限公司',
  officeId: 'qihe-county',
  officeName: '齐河县行政审批服务局',
  issuedAt: '2026-05-06T02:00:00.000Z',
  fields: [['统一社会信用代码', '91371425MA3C4X7L2K']],
  specimen: false,
  hash: { alg: 'sha256', scope: 'revision1', length: 1234, value: 'a'.repeat(64) },
  publicKey: key.publicKey,
};

describe('verification records', () => {
  it('writes canonical JSON with sorted keys and no white space', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 'x', c: null }], e: undefined })).toBe('{"a":[{"c":null,"d":"x"}],"b":1}');
  });

  it('makes unguessable 26-character base32 ids', () => {
    const ids = new Set(Array.from({ length: 200 }, newVerificationId));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(VERIFY_ID);
  });

  it('signs with SM2 and detects any change to the record or a foreign key', () => {
    const signed = signRecord(record, key);
    expect(signed.signature).toMatch(/^[0-9a-f]{128}$/);
    expect(verifyRecordSignature(signed)).toBe(true);
    expect(verifyRecordSignature({ ...signed, record: { ...record, holder: '齐河县吉祥餐饮有限公司' } })).toBe(false);
    expect(verifyRecordSignature(signed, generateSm2KeyPair().publicKey)).toBe(false);
  });

  it('refuses a private key that does not belong to the public key', () => {
    const other = generateSm2KeyPair();
    expect(() => signRecord(record, { privateKey: other.privateKey, publicKey: key.publicKey })).toThrow(AppError);
  });
});

describe('fast SM2 signing', () => {
  it('derives the same public key as sm-crypto and signs what sm-crypto verifies, for many keys and messages', () => {
    for (let i = 0; i < 8; i++) {
      const k = generateSm2KeyPair();
      expect(publicKeyOf(k.privateKey)).toBe(k.publicKey);
      const msg = `齐河𠮷${'x'.repeat(i * 37)}${i}`;
      const sig = sm2Sign(msg, k.privateKey, k.publicKey);
      expect(smCrypto.sm2.doVerifySignature(msg, sig, k.publicKey, { hash: true }), `key ${i}`).toBe(true);
      expect(smCrypto.sm2.doVerifySignature(`${msg}.`, sig, k.publicKey, { hash: true })).toBe(false);
    }
  });
});
