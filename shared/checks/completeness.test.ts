import { describe, expect, it } from 'vitest';
import { runChecks } from './engine.js';
import { oneTimeNoticeItems } from './notice.js';
import { allPresent, enterpriseInput, form, GOOD_DOCUMENTS, GOOD_FORM, idCard, matterResolution } from './test-fixtures.js';
import type { CheckInput, Finding, MaterialState } from './types.js';

const byRule = (fs: Finding[], id: string) => fs.find((f) => f.ruleId === id);
const withStatus = (statuses: Record<string, MaterialState>, over: Partial<CheckInput> = {}): CheckInput => {
  const base = enterpriseInput(over);
  return { ...base, materials: { ...base.materials, ...statuses } };
};

describe('completeness of required materials', () => {
  it('blocks a missing material, saying which and in what form', () => {
    const f = byRule(runChecks(withStatus({ 'enterprise.articles': { status: 'missing' } })), 'material:enterprise.articles');
    expect(f).toMatchObject({ severity: 'blocking', materialId: 'enterprise.articles', message: '缺少材料：公司章程（原件）', matters: ['37142500-XZSP-002'] });
  });

  it('counts a material with no status and no pages as missing, and one with read pages as present', () => {
    const base = enterpriseInput();
    const { 'legalRep.idCard': _id, 'enterprise.articles': _a, ...rest } = base.materials;
    const fs = runChecks({ ...base, materials: rest });
    expect(byRule(fs, 'material:enterprise.articles')?.severity).toBe('blocking');
    expect(byRule(fs, 'material:legalRep.idCard')).toBeUndefined();
  });

  it('does not ask for the licence the bundle issues itself', () => {
    const fs = runChecks(enterpriseInput());
    expect(fs.some((f) => f.materialId === 'enterprise.businessLicence')).toBe(false);
  });

  it('records 告知承诺 as such where the catalog allows it (property certificate of 设立登记)', () => {
    const f = byRule(runChecks(withStatus({ 'premises.propertyCertificate': { status: 'commitment' } })), 'material:premises.propertyCertificate');
    expect(f).toMatchObject({ severity: 'info', message: '经营场所不动产权证书或房屋产权证明以告知承诺书替代（告知承诺）' });
  });

  it('blocks 告知承诺 and 容缺 for a material that allows neither', () => {
    const fs = runChecks(withStatus({ 'premises.leaseContract': { status: 'commitment' }, 'enterprise.articles': { status: 'supplement_later', deadline: '2026-05-20' } }));
    expect(byRule(fs, 'material:premises.leaseContract')).toMatchObject({ severity: 'blocking', message: '经营场所租赁合同不适用告知承诺，须提交材料本身' });
    expect(byRule(fs, 'material:enterprise.articles')).toMatchObject({ severity: 'blocking', message: '公司章程不适用容缺受理，须当场提交' });
  });

  it('blocks a required material marked as not needed', () => {
    expect(byRule(runChecks(withStatus({ 'enterprise.articles': { status: 'not_needed' } })), 'material:enterprise.articles')?.severity).toBe('blocking');
  });

  describe('容缺 (food licence: the food-safety rules may follow later)', () => {
    const food = (state: MaterialState): CheckInput => {
      const resolution = matterResolution('37142500-XZSP-007');
      return { resolution, form: form(GOOD_FORM), documents: [], materials: { ...allPresent(resolution), 'food.safetyRules': state }, acceptanceDate: '2026-05-11' };
    };

    it('records it as info with its deadline', () => {
      expect(byRule(runChecks(food({ status: 'supplement_later', deadline: '2026-06-10' })), 'material:food.safetyRules')).toMatchObject({
        severity: 'info', message: '食品安全自查、从业人员健康管理、进货查验记录等食品安全管理制度目录容缺受理，须于2026-06-10前补交',
      });
    });

    it('warns without a deadline and blocks a deadline in the past', () => {
      expect(byRule(runChecks(food({ status: 'supplement_later' })), 'material:food.safetyRules')?.severity).toBe('warning');
      expect(byRule(runChecks(food({ status: 'supplement_later', deadline: '2026-05-01' })), 'material:food.safetyRules')?.severity).toBe('blocking');
    });
  });
});

describe('one-time notice (一次性告知书) from the findings', () => {
  it('lists each missing or deficient material once, then deficient form entries, in checklist order', () => {
    const input = withStatus(
      { 'enterprise.articles': { status: 'missing' }, 'enterprise.officerAppointment': { status: 'missing' } },
      {
        form: form({ ...GOOD_FORM, 'legalRep.name': '张纬', 'legalRep.phone': '12345' }),
        documents: [idCard('legalRep.idCard', { name: '张伟', idNumber: '371425199003070018' }, 1), idCard('legalRep.idCard', { validUntil: '2006.05.01-2026.05.01' }, 2), ...GOOD_DOCUMENTS.slice(2)],
      },
    );
    const items = oneTimeNoticeItems(runChecks(input), input.resolution);
    expect(items.map((i) => [i.materialId ?? i.fieldKey, i.problem])).toEqual([
      ['legalRep.idCard', 'deficient'],
      ['enterprise.articles', 'missing'],
      ['enterprise.officerAppointment', 'missing'],
      ['legalRep.phone', 'deficient'],
    ]);
    const card = items[0]!;
    expect(card.title).toBe('法定代表人（负责人、经营者）身份证件');
    expect(card.detail).toContain('申请表为“张纬”');
    expect(card.detail).toContain('已过期');
    expect(items[1]!.detail).toBe('请提交公司章程（原件）');
  });

  it('leaves out overridden warnings, info and findings that are for the clerk only', () => {
    const input = withStatus({ 'premises.propertyCertificate': { status: 'commitment' } }, {
      form: form({ ...GOOD_FORM, 'legalRep.phone': '12345' }),
      openCases: [{ caseId: 'c-other-0001', matters: ['37142500-XZSP-002'], applicantKeys: ['name:齐河县鲁齐商贸有限公司'] }],
    });
    const findings = runChecks(input);
    expect(findings.some((f) => f.ruleId === 'duplicate:37142500-XZSP-002')).toBe(true);
    expect(oneTimeNoticeItems(findings, input.resolution, { overridden: ['format:legalRep.phone'] })).toEqual([]);
    expect(oneTimeNoticeItems(findings, input.resolution).map((i) => i.fieldKey)).toEqual(['legalRep.phone']);
  });
});
