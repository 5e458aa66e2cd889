import { describe, expect, it } from 'vitest';
import type { CaseView, FindingView } from '../../../shared/case/view.js';
import { acceptOverrides, findingTarget, formatFetchedAt, groupFindings, splitByEvidence, keepCurrentReasons, openWarningsLine, reasonProblem, REASON_MAX, REASON_MIN, sourceLabel, valueDetail } from './findings-format.js';

const SHA = 'a'.repeat(64);
const SHA2 = 'b'.repeat(64);

function finding(ruleId: string, severity: FindingView['severity'], over: Partial<FindingView> = {}): FindingView {
  return { ruleId, severity, message: `${ruleId} 的问题`, values: [], matters: [], overridable: severity === 'warning', ...over };
}

const view: Pick<CaseView, 'fields' | 'materials'> = {
  fields: [{ key: 'legalRep.name', label: '法定代表人姓名', type: 'string', required: true, neededBy: [], value: '张纬', source: null, error: null }],
  materials: [
    {
      id: 'legalRep.idCard',
      name: '法定代表人身份证件',
      docType: 'id_card',
      form: 'original',
      carrier: 'paper',
      copies: 1,
      requirement: 'required',
      mayBeSupplementedLater: false,
      mayBeReplacedByCommitment: false,
      neededBy: [],
      producedBy: null,
      status: 'present',
      deadline: null,
      note: null,
      attachments: [
        { sha256: SHA2, name: '正面.png', mime: 'image/png', size: 10 },
        { sha256: SHA, name: '反面.png', mime: 'image/png', size: 10 },
      ],
    },
  ],
};

describe('groupFindings', () => {
  it('puts blocking first, then warnings, then info, each rule once with all its findings', () => {
    const g = groupFindings([
      finding('w1', 'warning'),
      finding('b1', 'blocking'),
      finding('w1', 'warning', { message: '第二条' }),
      finding('i1', 'info'),
    ]);
    expect(g.blocking.map((x) => x.ruleId)).toEqual(['b1']);
    expect(g.warning.map((x) => [x.ruleId, x.findings.length])).toEqual([['w1', 2]]);
    expect(g.info.map((x) => x.ruleId)).toEqual(['i1']);
  });

  it('carries the reason an accepted case recorded for an overridden warning', () => {
    const g = groupFindings([finding('w1', 'warning', { overridden: { reason: '经核实可联系' } }), finding('w2', 'warning')]);
    expect(g.warning.map((x) => x.overriddenReason)).toEqual(['经核实可联系', null]);
  });
});

describe('splitByEvidence and findingTarget', () => {
  it('keeps comparisons as cards and what is merely missing as brief lines', () => {
    const g = groupFindings([
      finding('material:a', 'blocking', { materialId: 'legalRep.idCard' }),
      finding('form:x', 'blocking', { values: [{ value: '张纬', label: '申请表·姓名', source: { kind: 'form', key: 'legalRep.name' } }] }),
      finding('required:y', 'blocking', { fieldKey: 'legalRep.name' }),
    ]);
    const s = splitByEvidence(g.blocking);
    expect(s.detailed.map((x) => x.ruleId)).toEqual(['form:x']);
    expect(s.brief.map((x) => x.ruleId)).toEqual(['material:a', 'required:y']);
  });

  it('points at the form field when the form has it, else at the material, else nowhere', () => {
    expect(findingTarget({ fieldKey: 'legalRep.name', materialId: 'legalRep.idCard' }, view)).toEqual({ kind: 'field', key: 'legalRep.name' });
    expect(findingTarget({ fieldKey: 'gone', materialId: 'legalRep.idCard' }, view)).toEqual({ kind: 'material', id: 'legalRep.idCard' });
    expect(findingTarget({}, view)).toBeNull();
  });
});

describe('sourceLabel', () => {
  it('names a form field by its label and leads to it', () => {
    expect(sourceLabel({ kind: 'form', key: 'legalRep.name', origin: 'typed' }, view)).toMatchObject({ text: '表单「法定代表人姓名」', target: { kind: 'field', key: 'legalRep.name' } });
    expect(sourceLabel({ kind: 'form', key: 'legalRep.name', origin: 'extracted' }, view).text).toBe('表单「法定代表人姓名」（识别填入）');
  });

  it('has no target for a field not on the form', () => {
    expect(sourceLabel({ kind: 'form', key: 'gone.field' }, view)).toMatchObject({ text: '表单「gone.field」', target: null });
  });

  it('names a page by its material and its place among the material’s pages, with the confidence on hover', () => {
    const s = sourceLabel({ kind: 'page', sha256: SHA, docType: 'id_card', field: 'name', materialId: 'legalRep.idCard', confidence: 0.97 }, view);
    expect(s.text).toBe('法定代表人身份证件 第2页');
    expect(s.title).toContain('反面.png');
    expect(s.title).toContain('97%');
    expect(s.target).toEqual({ kind: 'material', id: 'legalRep.idCard' });
  });

  it('says when a page is no longer attached', () => {
    const s = sourceLabel({ kind: 'page', sha256: 'c'.repeat(64), docType: 'id_card', field: 'name', materialId: 'legalRep.idCard', confidence: 0.5 }, view);
    expect(s.text).toBe('法定代表人身份证件');
    expect(s.title).toContain('已不在');
  });

  it('marks a registry answer cached at the window as possibly stale, with when it was fetched', () => {
    const stale = sourceLabel({ kind: 'registry', name: 'enterprise', stale: true, fetchedAt: '2026-05-11T08:30:00+08:00' }, view);
    expect(stale).toMatchObject({ text: '企业登记信息（大厅，缓存于 5月11日 08:30，可能已过期）', stale: true, target: null });
    const fresh = sourceLabel({ kind: 'registry', name: 'enterprise', stale: false, fetchedAt: '2026-05-11 08:59:00' }, view);
    expect(fresh.text).toBe('企业登记信息（大厅，5月11日 08:59 查询）');
  });
});

describe('valueDetail', () => {
  it('names the field of a page or a registry answer, and nothing for a form value (its source names it)', () => {
    const page = { kind: 'page', sha256: SHA, docType: 'id_card', field: 'name', materialId: 'legalRep.idCard', confidence: 0.9 } as const;
    expect(valueDetail('法定代表人身份证件·姓名', page)).toBe('姓名栏');
    expect(valueDetail('企业登记信息·名称（离线缓存）', { kind: 'registry', name: 'enterprise', stale: true, fetchedAt: '' })).toBe('名称');
    expect(valueDetail('申请表·法定代表人姓名', { kind: 'form', key: 'legalRep.name' })).toBeNull();
    expect(valueDetail('有效期', page)).toBeNull();
  });
});

describe('formatFetchedAt', () => {
  it('reads ISO times in the hall’s zone and leaves anything else as given', () => {
    expect(formatFetchedAt('2026-05-11T00:30:00Z')).toBe('5月11日 08:30');
    expect(formatFetchedAt('昨天')).toBe('昨天');
  });
});

describe('reasons for letting a warning through', () => {
  it(`needs at least ${REASON_MIN} characters and at most ${REASON_MAX}`, () => {
    expect(reasonProblem('   ')).toMatch(/请写明/);
    expect(reasonProblem('核实'.slice(0, 1).repeat(REASON_MIN - 1))).toMatch(/至少/);
    expect(reasonProblem('经核实无误')).toBeNull();
    expect(reasonProblem('字'.repeat(REASON_MAX + 1))).toMatch(/不超过/);
  });

  it('sends one override per current warning with a good reason and reports the others as open', () => {
    const findings = [finding('b1', 'blocking'), finding('w1', 'warning'), finding('w2', 'warning'), finding('w3', 'warning'), finding('i1', 'info')];
    const r = acceptOverrides(findings, { w1: '  经核实可以联系  ', w2: '短', gone: '已修正的提醒' });
    expect(r.overrides).toEqual([{ ruleId: 'w1', reason: '经核实可以联系' }]);
    expect(r.open).toEqual(['w2', 'w3']);
  });

  it('drops reasons for warnings that went away, and keeps the same object when none did', () => {
    const findings = [finding('w1', 'warning')];
    const same = { w1: '经核实可以联系' };
    expect(keepCurrentReasons(findings, same)).toBe(same);
    expect(keepCurrentReasons(findings, { w1: '经核实可以联系', w9: '旧的理由' })).toEqual({ w1: '经核实可以联系' });
  });

  it('words the footer line by the number of open warnings', () => {
    expect(openWarningsLine(0)).toBeNull();
    expect(openWarningsLine(2)).toContain('2 条提醒');
  });
});
