import { describe, expect, it } from 'vitest';
import type { CaseState } from '../../../shared/case/types.js';
import { applicantOf, maskName } from './case-view.js';

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
