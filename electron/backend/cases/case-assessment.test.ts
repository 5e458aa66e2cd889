import { describe, expect, it } from 'vitest';
import { applyCaseEvent } from '../../../shared/case/case-reducer.js';
import type { CaseAction, CaseState } from '../../../shared/case/types.js';
import { shippedCatalog } from '../../../shared/catalog/test-support.js';
import { assessCase, mergeNoticeItems } from './case-assessment.js';
import { resolveCase, subjectSituations, type CaseSubject } from './case-resolution.js';

const catalog = shippedCatalog();
const TODAY = '2026-03-02';
const FOOD: CaseSubject = { kind: 'matter', code: '37142500-XZSP-007' };
const ENTERPRISE: CaseSubject = { kind: 'bundle', code: 'enterprise-opening' };
const actor = { staffId: '1001', windowId: 'qihe-county/1', office: 'qihe-county' };

function caseOf(subject: CaseSubject, ...actions: CaseAction[]): CaseState {
  let state: CaseState | undefined;
  const all: CaseAction[] = [{ type: 'opened', subject, title: 't', provisionalNo: '临01-20260302-001', catalogVersion: null }, ...actions];
  all.forEach((action, i) => {
    const r = applyCaseEvent(state, { eventId: `e${i}`, caseId: 'c-test-000001', key: `key-${i}-xxxxxx`, at: 1000 + i, actor, action });
    if (!r.ok) throw new Error(r.reason);
    state = r.state;
  });
  return state!;
}

function assess(subject: CaseSubject, state: CaseState) {
  const bundle = subject.kind === 'bundle' ? catalog.bundles.get(subject.code)! : null;
  return assessCase({
    state,
    resolution: resolveCase(subject, state.answers, catalog),
    bundle,
    situations: subjectSituations(subject, catalog, state.answers),
    today: TODAY,
    openCases: [],
    registry: [],
  });
}

const FOOD_FORM = {
  'enterprise.name': '齐河县好味道餐饮有限公司',
  'enterprise.uscc': '91371425MA3C12345C',
  'enterprise.address': '齐河县晏城街道齐鲁大街1号',
  'legalRep.name': '张小三',
  'legalRep.idNumber': '37142519900307123X',
  'legalRep.phone': '13805341234',
  'premises.address': '齐河县晏城街道齐鲁大街1号',
  'premises.area': '120',
  'food.mainBusiness': 'restaurant',
  'food.operatingItems': '热食类食品制售',
  'food.safetyOfficer': '李四',
};
const FOOD_MATERIALS = ['food.licenceApplication', 'enterprise.businessLicence', 'legalRep.idCard', 'food.floorPlan', 'food.safetyRules'];
const present = (ids: string[]): CaseAction[] => ids.map((materialId) => ({ type: 'material_marked', materialId, status: 'present' }));

describe('what stands between a draft and acceptance (one function for blockers and the notice)', () => {
  it('lets a complete, valid case through', () => {
    const s = caseOf(FOOD, { type: 'situations_answered', answers: { 'agent.idCard': 'no' } }, { type: 'form_saved', values: FOOD_FORM }, ...present(FOOD_MATERIALS));
    expect(assess(FOOD, s)).toMatchObject({ blockers: [], notice: [] });
  });

  it('lists exactly the missing materials, the empty required fields and the invalid values, each once', () => {
    const form: Record<string, string> = { ...FOOD_FORM, 'legalRep.idNumber': '371425199003071230', 'premises.area': '' };
    delete form['food.safetyOfficer'];
    delete form['premises.area'];
    const s = caseOf(
      FOOD,
      { type: 'situations_answered', answers: { 'agent.idCard': 'yes' } },
      { type: 'form_saved', values: form },
      ...present(['food.licenceApplication', 'enterprise.businessLicence', 'legalRep.idCard', 'agent.idCard']),
    );
    const a = assess(FOOD, s);
    // The notice's items come from the checks' findings: materials in the checklist's order, then the form.
    expect(a.notice).toEqual([
      { materialId: 'food.floorPlan', problem: 'missing', detail: '请提交经营场所平面布局图、设备布局图及操作流程图（复印件）' },
      { materialId: 'food.safetyRules', problem: 'missing', detail: expect.stringMatching(/^请提交食品安全自查/) },
      { materialId: 'agent.authorization', problem: 'missing', detail: expect.stringMatching(/^请提交授权委托书/) },
      { fieldKey: 'legalRep.idNumber', problem: 'deficient', detail: expect.stringMatching(/^法定代表人公民身份号码：校验码不符/) },
      { fieldKey: 'premises.area', problem: 'missing', detail: '未填写经营场所面积' },
      { fieldKey: 'food.safetyOfficer', problem: 'missing', detail: '未填写食品安全管理人员姓名' },
    ]);
    expect(a.blockers).toEqual([
      expect.stringMatching(/^“法定代表人公民身份号码”有误：校验码不符/),
      '未填写“经营场所面积”',
      '未填写“食品安全管理人员姓名”',
      '缺少材料“经营场所平面布局图、设备布局图及操作流程图”',
      expect.stringMatching(/^缺少材料“食品安全自查/),
      '缺少材料“授权委托书”',
    ]);
    expect(a.fieldErrors.get('legalRep.idNumber')).toMatch(/^校验码不符/);
    expect(a.findings.filter((f) => f.severity === 'blocking')).toHaveLength(6);
  });

  it('blocks until every situation question is answered', () => {
    const s = caseOf(FOOD, { type: 'form_saved', values: FOOD_FORM }, ...present(FOOD_MATERIALS));
    expect(assess(FOOD, s).blockers).toEqual(['尚未选择情形：委托他人代为办理？']);
    expect(assess(FOOD, s).notice).toEqual([]);
  });

  it('allows 容缺后补 and 告知承诺 only where the catalog allows them for every matter that needs the material', () => {
    const base: CaseAction[] = [{ type: 'situations_answered', answers: { 'agent.idCard': 'no' } }, { type: 'form_saved', values: FOOD_FORM }, ...present(FOOD_MATERIALS)];
    const later = caseOf(FOOD, ...base, { type: 'material_marked', materialId: 'food.safetyRules', status: 'supplement_later', deadline: '2026-03-10' });
    expect(assess(FOOD, later).blockers).toEqual([]);
    const laterNotAllowed = caseOf(FOOD, ...base, { type: 'material_marked', materialId: 'food.floorPlan', status: 'supplement_later', deadline: '2026-03-10' });
    expect(assess(FOOD, laterNotAllowed).blockers).toEqual(['材料“经营场所平面布局图、设备布局图及操作流程图”不适用容缺受理，须当场提交']);
    expect(assess(FOOD, laterNotAllowed).notice.map((i) => i.materialId)).toEqual(['food.floorPlan']);
    const commitment = caseOf(FOOD, ...base, { type: 'material_marked', materialId: 'food.safetyRules', status: 'commitment' });
    expect(assess(FOOD, commitment).blockers).toEqual(['材料“食品安全自查、从业人员健康管理、进货查验记录等食品安全管理制度目录”不适用告知承诺，须提交材料本身']);
    const notNeeded = caseOf(FOOD, ...base, { type: 'material_marked', materialId: 'legalRep.idCard', status: 'not_needed' });
    expect(assess(FOOD, notNeeded).blockers).toEqual(['材料“法定代表人（负责人、经营者）身份证件”是必需材料，不能标记为“无需提供”']);
  });

  it('does not ask a bundle applicant for what the bundle itself produces, and asks a shared material once', () => {
    const s = caseOf(ENTERPRISE, { type: 'situations_answered', answers: { premises: 'rented', agent: 'no', seal: 'yes', invoice: 'yes', taxpayer: 'small-scale' } });
    const a = assess(ENTERPRISE, s);
    const materials = a.notice.flatMap((i) => (i.materialId ? [i.materialId] : []));
    expect(materials).not.toContain('enterprise.businessLicence'); // produced by 有限责任公司设立登记
    expect(new Set(materials).size).toBe(materials.length);
    expect(materials).toContain('legalRep.idCard');
    // Optional materials are never listed.
    expect(materials).not.toContain('socialInsurance.staffList');
    const fields = a.notice.flatMap((i) => (i.fieldKey ? [i.fieldKey] : []));
    expect(new Set(fields).size).toBe(fields.length);
    expect(fields).toContain('legalRep.idNumber');
    expect(fields).not.toContain('enterprise.employeeCount'); // optional
  });

  it('merges the clerk’s own items: a new item is added, one about a listed material adds its words to it', () => {
    const computed = [{ materialId: 'food.floorPlan', problem: 'missing' as const, detail: '缺少平面图（复印件）' }];
    const merged = mergeNoticeItems(computed, [
      { materialId: 'food.floorPlan', problem: 'deficient', detail: '须标明设备位置' },
      { problem: 'deficient', detail: '申请书未签字' },
      { problem: 'deficient', detail: '申请书未签字' },
    ]);
    expect(merged).toEqual([
      { materialId: 'food.floorPlan', problem: 'missing', detail: '缺少平面图（复印件）；须标明设备位置' },
      { problem: 'deficient', detail: '申请书未签字' },
    ]);
  });
});
