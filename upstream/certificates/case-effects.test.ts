import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseState } from '../../shared/case/types.js';
import { AppError } from '../../shared/errors.js';
import type { CaseMutation } from '../../shared/hall/api.js';
import { renderDocument, type RenderedDocument } from '../../electron/backend/certificates/render.js';
import { sampleFields } from '../../electron/backend/certificates/sample-fields.js';
import { getTemplate } from '../../electron/backend/certificates/templates.js';
import { specimenSeal, testOffice } from '../../electron/backend/certificates/test-support.js';
import { applyCertificateEffects } from './case-effects.js';
import { CERTIFICATE_MIGRATION } from './migration.js';
import { createCertificateStore } from './store.js';

/**
 * The hall's side of certificate actions: a record published only by a device of its office, for a
 * case of that office, matching the action; anything else refused (nothing stored); revocation
 * marks the record.
 */

const office = testOffice('齐河县行政审批服务局', 'qihe-county');
const NUMBER = '齐审批许〔2026〕7号';
let doc: RenderedDocument;

beforeAll(async () => {
  const t = getTemplate('generic_licence');
  doc = await renderDocument({ template: t, fields: sampleFields(t), office, seal: specimenSeal(office), number: NUMBER, issuedAt: '2026-05-06T10:00:00+08:00', hallUrl: 'http://127.0.0.1:7300' });
});

function fresh() {
  const db = new Database(':memory:');
  db.exec(CERTIFICATE_MIGRATION.sql);
  return createCertificateStore(db);
}

function issued(over: Partial<Extract<CaseMutation['action'], { type: 'certificate_issued' }>> = {}): CaseMutation {
  return {
    kind: 'case_action',
    mutationId: 1,
    windowId: 'qihe-county/1',
    staffId: '1001',
    at: 1,
    caseId: 'c-test-000001',
    key: 'key-00000001',
    action: { type: 'certificate_issued', template: 'generic_licence', documentNo: NUMBER, sha256: 'a'.repeat(64), verification: { id: doc.id, signed: doc.record }, ...over },
  };
}

const state = (office: string, verifyId?: string) => ({ office, certificates: [{ documentNo: NUMBER, verifyId }] }) as unknown as CaseState;

function refusal(fn: () => void): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('not refused');
}

describe('certificate actions applied by the hall', () => {
  it('publishes the record and registers the office key for a device of the office; revocation marks it', () => {
    const store = fresh();
    applyCertificateEffects(store, { office: 'qihe-county' }, issued(), state('qihe-county'), 1000);
    expect(store.getRecord(doc.id)?.signed.record.number).toBe(NUMBER);
    expect(store.officeKeys('qihe-county')).toEqual([office.sm2.publicKey]);
    const revoke: CaseMutation = { ...issued(), action: { type: 'certificate_revoked', documentNo: NUMBER, reason: '证载信息有误' } };
    applyCertificateEffects(store, { office: 'qihe-county' }, revoke, state('qihe-county', doc.id), 2000);
    expect(store.getRecord(doc.id)?.revocation).toMatchObject({ reason: '证载信息有误', revokedBy: '1001', revokedAt: 2000 });
  });

  it('refuses a record from a device of another office, a malformed one, one of another number or id; nothing is stored', () => {
    const store = fresh();
    expect(refusal(() => applyCertificateEffects(store, { office: 'qihe-edz' }, issued(), state('qihe-edz'), 1)).code).toBe('forbidden');
    const bad = refusal(() => applyCertificateEffects(store, { office: 'qihe-county' }, issued({ verification: { id: doc.id, signed: { record: { id: doc.id } } } }), state('qihe-county'), 1));
    expect(bad.message).toBe('核验记录格式有误，不予接收。');
    expect(refusal(() => applyCertificateEffects(store, { office: 'qihe-county' }, issued({ documentNo: '齐审批许〔2026〕8号' }), state('qihe-county'), 1)).message).toBe('核验记录的文号与证照不一致，不予接收。');
    expect(refusal(() => applyCertificateEffects(store, { office: 'qihe-county' }, issued({ verification: { id: 'A'.repeat(26), signed: doc.record } }), state('qihe-county'), 1)).message).toBe('核验记录与证照不对应，不予接收。');
    // A record whose signature does not match its content.
    const forged = { ...doc.record, record: { ...doc.record.record, holder: '他人' } };
    expect(refusal(() => applyCertificateEffects(store, { office: 'qihe-county' }, issued({ verification: { id: doc.id, signed: forged } }), state('qihe-county'), 1)).message).toBe('核验记录签名无效，不予接收。');
    expect(store.getRecord(doc.id)).toBeUndefined();
  });
});
