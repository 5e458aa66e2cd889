import { describe, expect, it } from 'vitest';
import { runChecks } from './engine.js';
import { applicantKeys } from './eval-cases.js';
import { allPresent, doc, enterpriseInput, form, GOOD_DOCUMENTS, GOOD_FORM, matterResolution } from './test-fixtures.js';
import type { CheckInput, EnterpriseRecord, Finding, OpenCase, RegistryAnswer } from './types.js';

const byRule = (fs: Finding[], id: string) => fs.find((f) => f.ruleId === id);

describe('duplicates: an open case for the same applicant and matter', () => {
  const keys = applicantKeys(GOOD_FORM);
  const open = (over: Partial<OpenCase>): OpenCase => ({ caseId: 'c-win2-000042', caseNo: '齐审2026-0042', matters: ['37142500-XZSP-002'], applicantKeys: keys, openedOn: '2026-05-08', ...over });

  it('derives applicant keys from codes and names, normalised', () => {
    expect(applicantKeys({ 'enterprise.name': '齊河縣魯齊商貿有限公司', 'applicant.idNumber': '11010519491231002x', 'enterprise.uscc': 'bad' })).toEqual([
      'id:11010519491231002X',
      'name:齐河县鲁齐商贸有限公司',
    ]);
  });

  it('warns about an open case of the same matter for the same applicant, naming it', () => {
    const fs = runChecks(enterpriseInput({ openCases: [open({})] }));
    const f = byRule(fs, 'duplicate:37142500-XZSP-002');
    expect(f).toMatchObject({ severity: 'warning', overridable: true, matters: ['37142500-XZSP-002'] });
    expect(f?.message).toBe('申请人（齐河县鲁齐商贸有限公司）已有未办结的“有限责任公司设立登记”办件（齐审2026-0042，2026-05-08受理），请确认不是重复申请');
  });

  it('ignores other matters, other applicants and the case itself', () => {
    expect(runChecks(enterpriseInput({ openCases: [open({ matters: ['37142500-SW-002'] })] }))).toEqual([]);
    expect(runChecks(enterpriseInput({ openCases: [open({ applicantKeys: ['name:另一家公司'] })] }))).toEqual([]);
    expect(runChecks(enterpriseInput({ caseId: 'c-win2-000042', openCases: [open({})] }))).toEqual([]);
  });
});

describe('registry look-ups (cached answers, stale when offline)', () => {
  const USCC = '91371425MA3C8K7P1B';
  const record: EnterpriseRecord = { uscc: USCC, name: '齐河县鲁齐商贸有限公司', legalRep: '张伟', status: '存续（在营、开业、在册）' };
  const taxpayer = (registry: RegistryAnswer[]): CheckInput => {
    const resolution = matterResolution('37142500-SW-001');
    return {
      resolution,
      form: form({ ...GOOD_FORM, 'enterprise.uscc': USCC }),
      documents: [GOOD_DOCUMENTS[0]!, GOOD_DOCUMENTS[1]!, doc('enterprise.businessLicence', 'business_licence', { name: record.name, uscc: USCC, legalRepresentative: '张伟', validUntil: '长期' }, 9)],
      materials: allPresent(resolution),
      acceptanceDate: '2026-05-11',
      registry,
    };
  };
  const answer = (rec: EnterpriseRecord | null, stale = false): RegistryAnswer => ({ registry: 'enterprise', key: USCC, stale, fetchedAt: '2026-05-11T08:30:00+08:00', record: rec });

  it('passes when the registry agrees', () => {
    expect(runChecks(taxpayer([answer(record)]))).toEqual([]);
  });

  it('notes (info) a code not yet verified with the registry', () => {
    expect(byRule(runChecks(taxpayer([])), 'registry:enterprise:unverified')).toMatchObject({ severity: 'info', fieldKey: 'enterprise.uscc' });
  });

  it('blocks a name that differs from the registry, with the registry as a source', () => {
    const f = byRule(runChecks(taxpayer([answer({ ...record, name: '齐河县鲁齐贸易有限公司' })])), 'registry:enterprise:enterprise.name');
    expect(f).toMatchObject({ severity: 'blocking', message: '名称与登记信息不一致：申请表为“齐河县鲁齐商贸有限公司”，登记为“齐河县鲁齐贸易有限公司”' });
    expect(f?.values[1]).toEqual({ value: '齐河县鲁齐贸易有限公司', label: '企业登记信息·名称', source: { kind: 'registry', name: 'enterprise', stale: false, fetchedAt: '2026-05-11T08:30:00+08:00' } });
  });

  it('blocks a deregistered enterprise and a code the registry does not know', () => {
    expect(byRule(runChecks(taxpayer([answer({ ...record, status: '注销' })])), 'registry:enterprise:status')?.message).toBe('齐河县鲁齐商贸有限公司的登记状态为“注销”，不能办理');
    expect(byRule(runChecks(taxpayer([answer(null)])), 'registry:enterprise:found')?.severity).toBe('blocking');
  });

  it('only warns on a stale (offline) answer, and says it is stale', () => {
    const f = byRule(runChecks(taxpayer([answer({ ...record, status: '吊销' }, true)])), 'registry:enterprise:status');
    expect(f).toMatchObject({ severity: 'warning', overridable: true });
    expect(f?.message).toContain('离线缓存');
    expect(f?.values[1]?.source).toMatchObject({ kind: 'registry', stale: true });
  });

  it('warns when the applicant already holds a valid certificate this matter issues, not an expired or revoked one', () => {
    const cert = { template: 'tax_registration_receipt', name: '税务登记信息确认回执', documentNo: 'SW-2025-0001', holder: USCC, issuedOn: '2025-01-02' };
    const certs = (list: object[]): RegistryAnswer => ({ registry: 'certificates', key: USCC, stale: false, fetchedAt: '2026-05-11T08:30:00+08:00', certificates: list as never });
    const f = byRule(runChecks(taxpayer([answer(record), certs([cert])])), 'registry:certificates:37142500-SW-001');
    expect(f?.severity).toBe('warning');
    expect(f?.message).toContain('编号SW-2025-0001');
    expect(runChecks(taxpayer([answer(record), certs([{ ...cert, revoked: true }, { ...cert, validUntil: '2026-01-01' }, { ...cert, template: 'business_licence' }])]))).toEqual([]);
  });
});
