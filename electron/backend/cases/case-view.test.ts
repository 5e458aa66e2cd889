import { describe, expect, it } from 'vitest';
import type { CaseState } from '../../../shared/case/types.js';
import type { Finding } from '../../../shared/checks/index.js';
import { applicantOf, findingView, maskName } from './case-view.js';

const withForm = (form: Record<string, string>) => ({ form }) as unknown as CaseState;

describe('the applicant in case lists', () => {
  it('masks the names of people (张*三) and keeps those of enterprises', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张小三')).toBe('张*三');
    expect(maskName('欧阳小明')).toBe('欧**明');
    expect(maskName('李')).toBe('李');
    expect(applicantOf(withForm({ 'applicant.name': '张小三' }))).toBe('张*三');
    expect(applicantOf(withForm({ 'legalRep.name': '王小红', 'enterprise.name': '齐河县好味道餐饮有限公司' }))).toBe('齐河县好味道餐饮有限公司');
    expect(applicantOf(withForm({ 'mother.name': '赵丽丽' }))).toBe('赵*丽');
    expect(applicantOf(withForm({}))).toBe('');
  });
});

describe('a finding in the view', () => {
  const base: Finding = {
    ruleId: 'format:legalRep.phone',
    severity: 'warning',
    message: '法定代表人联系电话：手机号码应为11位，当前为5位',
    values: [{ value: '12345', label: '申请表·法定代表人联系电话', source: { kind: 'form', key: 'legalRep.phone', origin: 'typed' } }],
    fieldKey: 'legalRep.phone',
    matters: ['37142500-XZSP-001'],
    overridable: true,
  };
  it('carries the reason a warning was overridden with, and never marks a blocking finding overridden', () => {
    const overrides = [{ ruleId: 'format:legalRep.phone', reason: '座机' }];
    expect(findingView(base, overrides)).toEqual({ ...base, overridden: { reason: '座机' } });
    expect(findingView(base, [])).toEqual(base);
    expect(findingView({ ...base, severity: 'blocking', overridable: false }, overrides).overridden).toBeUndefined();
  });
  it('copies the page region of a value read from a page', () => {
    const region = [1, 2, 3, 4] as const;
    const page: Finding = {
      ...base,
      values: [{ value: '张伟', label: '身份证·姓名', source: { kind: 'page', sha256: 'a'.repeat(64), region, docType: 'id_card', field: 'name', materialId: 'legalRep.idCard', confidence: 0.9 } }],
    };
    const v = findingView(page, []);
    expect(v.values[0]!.source).toEqual({ kind: 'page', sha256: 'a'.repeat(64), region: [1, 2, 3, 4], docType: 'id_card', field: 'name', materialId: 'legalRep.idCard', confidence: 0.9 });
    expect((v.values[0]!.source as { region: unknown }).region).not.toBe(region);
  });
});
