import { describe, expect, it } from 'vitest';
import { runChecks } from './engine.js';
import { enterpriseInput, withForm } from './test-fixtures.js';
import type { Finding } from './types.js';

const byRule = (fs: Finding[], id: string) => fs.find((f) => f.ruleId === id);

describe('field validity rules (derived from field types)', () => {
  it('passes a clean 企业开办 form', () => {
    expect(runChecks(enterpriseInput())).toEqual([]);
  });

  it('blocks an empty required field, naming it', () => {
    const f = byRule(runChecks(withForm({ 'enterprise.businessScope': '  ' })), 'required:enterprise.businessScope');
    expect(f).toMatchObject({ severity: 'blocking', message: '未填写经营范围', fieldKey: 'enterprise.businessScope', overridable: false });
  });

  it('does not ask for the credit code the bundle itself will issue', () => {
    const fs = runChecks(enterpriseInput());
    expect(fs.some((f) => f.fieldKey === 'enterprise.uscc')).toBe(false);
    expect(enterpriseInput().form['enterprise.uscc']).toBeUndefined();
  });

  it('blocks an ID number with a birth date that does not exist, with the form value as evidence', () => {
    const f = byRule(runChecks(withForm({ 'legalRep.idNumber': '371425199902300024' })), 'format:legalRep.idNumber');
    expect(f?.severity).toBe('blocking');
    expect(f?.message).toBe('法定代表人公民身份号码：出生日期19990230不是真实的日期');
    expect(f?.values).toEqual([{ value: '371425199902300024', label: '申请表·法定代表人公民身份号码', source: { kind: 'form', key: 'legalRep.idNumber', origin: 'typed' } }]);
  });

  it('accepts a lower-case x in an ID number', () => {
    const input = withForm({ 'legalRep.idNumber': '11010519491231002x' });
    expect(byRule(runChecks(input), 'format:legalRep.idNumber')).toBeUndefined();
  });

  it('warns (overridably) about a phone number that is not one', () => {
    const f = byRule(runChecks(withForm({ 'enterprise.accountantPhone': '5321234' })), 'format:enterprise.accountantPhone');
    expect(f).toMatchObject({ severity: 'warning', overridable: true });
    expect(f?.message).toContain('区号');
  });

  it('blocks amounts, counts and enum values that are not valid', () => {
    const fs = runChecks(withForm({ 'enterprise.registeredCapital': '一百万', 'socialInsurance.insuredCount': '五人', 'enterprise.type': 'company' }));
    expect(byRule(fs, 'format:enterprise.registeredCapital')?.severity).toBe('blocking');
    expect(byRule(fs, 'format:socialInsurance.insuredCount')?.severity).toBe('blocking');
    expect(byRule(fs, 'format:enterprise.type')?.message).toContain('不是可选项');
  });

  it('blocks a date that does not exist', () => {
    const f = byRule(runChecks(withForm({ 'legalRep.idValidUntil': '2035-02-30' })), 'format:legalRep.idValidUntil');
    expect(f?.message).toBe('法定代表人身份证件有效期至：2035-02-30不是真实的日期');
  });
});

describe('age rule (legal representative at least 18 on the acceptance date)', () => {
  // 371425200808151232: born 2008-08-15.
  const minor = { 'legalRep.idNumber': '371425200808151232' };
  const docsFor = (input: ReturnType<typeof withForm>) => ({ ...input, documents: [] });

  it('blocks a legal representative who is 17 on the acceptance date', () => {
    const f = byRule(runChecks(docsFor(withForm(minor, { acceptanceDate: '2026-08-14' }))), 'legal-rep-adult');
    expect(f).toMatchObject({ severity: 'blocking', fieldKey: 'legalRep.idNumber', message: '法定代表人在受理日（2026-08-14）为17周岁，应年满18周岁' });
    expect(f?.matters).toEqual(['37142500-XZSP-001', '37142500-XZSP-002']);
  });

  it('allows the same person on the 18th birthday', () => {
    expect(byRule(runChecks(docsFor(withForm(minor, { acceptanceDate: '2026-08-15' }))), 'legal-rep-adult')).toBeUndefined();
  });
});

describe('range rule (declared)', () => {
  it('warns about a housing fund rate above 12 %, with the catalog message', () => {
    const f = byRule(runChecks(withForm({ 'housingFund.depositRate': '15' })), 'housing-fund-deposit-rate');
    expect(f).toMatchObject({ severity: 'warning', overridable: true, matters: ['37142500-GJJ-001'] });
    expect(f?.message).toBe('住房公积金缴存比例应在5%至12%之间：缴存比例（%）为15，超过上限12');
  });

  it('accepts 5 and 12', () => {
    for (const v of ['5', '12']) expect(byRule(runChecks(withForm({ 'housingFund.depositRate': v })), 'housing-fund-deposit-rate')).toBeUndefined();
  });
});
