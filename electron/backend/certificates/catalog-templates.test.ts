import { describe, expect, it } from 'vitest';
import { applyCaseEvent } from '../../../shared/case/case-reducer.js';
import type { CaseState } from '../../../shared/case/types.js';
import { PRODUCED_FIELDS, resolveBundle, resolveMatter, type CombinedField, type Resolution, type SituationAnswers } from '../../../shared/catalog/bundle.js';
import { shippedCatalog } from '../../../shared/catalog/test-support.js';
import type { Bundle } from '../../../shared/catalog/schema.js';
import { AppError } from '../../../shared/errors.js';
import { businessDate } from '../../../shared/queue/numbering.js';
import { computeFields, matterFields, periodEnd, type CaseContext } from './case-fields.js';
import { resolveFields, type FieldValues } from './fields.js';
import { Template, type FieldDeclaration, type TemplateInput } from './template-schema.js';
import { allTemplates, getTemplate } from './templates.js';
import { caseDecisionFields } from '../../../shared/catalog/decision-fields.js';
import { decisionFieldsOf } from '../cases/case-decision.js';
import { VALID_BY_TYPE, validValueFor } from '../../../tests/support/form-values.js';

/**
 * Every result document of the shipped catalog can be issued from what its case knows: for each
 * matter on its own and in every bundle (each combination of situation answers) a case with only
 * its required form fields filled (those a bundle's registration produces left out, as the form
 * does not ask them), accepted and approved, gives each of its result templates every required
 * field — from the form, the case's own values (number, dates, window, matter) or a rule the
 * template declares (`compute`) — exactly on the issuing path (matterFields → resolveFields).
 *
 * What is still missing is listed (nothing). The 统一社会信用代码 a 设立登记 produces
 * (PRODUCED_FIELDS) is assigned by the registration system when the enterprise is registered: it is
 * a decision field of the registration (catalog `stage: "decision"`), recorded with the acceptance
 * as what the approval needs and given with the approval (`approved.decision`), which merges it
 * into the form — so the 营业执照 of a new enterprise and, in a bundle, the documents of the other
 * matters that print the new code are issued with it. The case here goes through the reducer's
 * acceptance and approval for that.
 */

const catalog = shippedCatalog();
const TZ = 'Asia/Shanghai';
const OPENED = Date.parse('2026-05-11T09:00:00+08:00');
const ACCEPTED = Date.parse('2026-05-11T09:20:00+08:00');
const DECIDED = Date.parse('2026-05-13T15:00:00+08:00');

/** A valid value per type; a yes/no field answered yes. */
const BY_TYPE: Record<string, string> = { ...VALID_BY_TYPE, boolean: 'true' };

/** What the clerk must fill in: the required fields the form asks (a produced one it does not). */
function requiredForm(fields: readonly CombinedField[]): Record<string, string> {
  return Object.fromEntries(
    fields.filter((f) => f.required && f.producedBy === undefined).map((f) => [f.key, validValueFor(f, BY_TYPE)]),
  );
}

/** The values the approval gives (the decision fields of the case's matters), one per type. */
function decisionValues(matters: Resolution['matters']): Record<string, string> {
  return Object.fromEntries(caseDecisionFields(matters).map((f) => [f.key, BY_TYPE[f.type]!]));
}

/** A case opened with its form, accepted (recording what its approval needs) and approved with `decision`, through the reducer. */
function approvedCase(title: string, subject: CaseState['subject'], form: Record<string, string>, matters: string[], decision: Record<string, string> = {}): CaseState {
  const actor = { staffId: 's1', windowId: 'qihe-county/1', office: 'qihe-county' };
  const step = (state: CaseState | undefined, n: number, at: number, action: unknown): CaseState => {
    const r = applyCaseEvent(state, { eventId: `w1:${n}`, caseId: 'c-catalog-templates', key: `k-step-000${n}`, at, actor, action } as never);
    if (!r.ok) throw new Error(r.reason);
    return r.state;
  };
  const opened = step(undefined, 1, OPENED, { type: 'opened', subject, title, provisionalNo: 'W01-20260511-001', catalogVersion: null });
  const filled = { ...opened, form };
  const decisionFields = decisionFieldsOf(matters.flatMap((c) => catalog.matters.get(c) ?? []));
  const accepted = step(filled, 2, ACCEPTED, { type: 'accepted', matters, promisedDate: '2026-05-20', overrides: [], ...(decisionFields.length > 0 ? { decisionFields } : {}) });
  return step(accepted, 3, DECIDED, { type: 'approved', ...(Object.keys(decision).length > 0 ? { decision } : {}) });
}

function context(state: CaseState): CaseContext {
  return { state, index: catalog, timeZone: TZ, windowName: '1号综合受理窗口' };
}

const BUILTINS = { 'doc.number': '-', 'doc.title': '-', 'doc.issuedAt': '', 'office.name': '齐河县行政审批服务局', 'verify.url': '', 'verify.id': '' };

interface Gap {
  where: string;
  matter: string;
  document: string;
  key: string;
  label: string;
  /** The field's key and its `from` keys. */
  sources: string[];
  /** The registration of this case (its own or another matter's) produces the value. */
  produced: boolean;
}

const has = (values: FieldValues, k: string) => {
  const v = values[k];
  return v !== undefined && (typeof v === 'string' ? v.trim() !== '' : v.length > 0);
};

/** Issues (on paper) every result document of a resolved case, approved with its decision values; returns what is missing. */
function gapsOf(where: string, subject: CaseState['subject'], res: Resolution): Gap[] {
  const codes = res.matters.map((m) => m.code);
  const state = approvedCase(where, subject, requiredForm(res.fields), codes, decisionValues(res.matters));
  const produced = new Set(res.matters.flatMap((m) => m.results.flatMap((r) => PRODUCED_FIELDS[r.template] ?? [])));
  const gaps: Gap[] = [];
  for (const m of res.matters) {
    for (const r of m.results) {
      const template = getTemplate(r.template);
      const values = matterFields(context(state), m.code, r.name);
      const missing = template.fields.filter((f) => f.required && ![f.key, ...(f.from ?? [])].some((k) => has(values, k)));
      for (const f of missing) {
        const sources = [f.key, ...(f.from ?? [])];
        gaps.push({ where, matter: m.code, document: r.name, key: f.key, label: f.label, sources, produced: sources.some((k) => produced.has(k)) });
      }
      // A document with nothing missing is accepted by the engine as it is on the issuing path.
      if (missing.length === 0) expect(() => resolveFields(template, values, BUILTINS), `${where}: 《${r.name}》`).not.toThrow();
      else expect(() => resolveFields(template, values, BUILTINS)).toThrow(AppError);
    }
  }
  return gaps;
}

/** Each combination of one answer per situation (a multiple-choice one answered singly). */
function answerCombinations(b: Bundle): SituationAnswers[] {
  let combos: Array<Record<string, string>> = [{}];
  for (const s of b.situations) combos = combos.flatMap((c) => s.answers.map((a) => ({ ...c, [s.id]: a.id })));
  return combos;
}

const describeGap = (g: Gap) => `${g.where}: ${g.matter}《${g.document}》${g.key}（${g.label}）`;

/** Every gap once (a bundle's answer combinations repeat them). */
function allGaps(): Gap[] {
  const gaps: Gap[] = [];
  for (const m of catalog.data.matters) {
    if (m.results.length === 0) continue;
    gaps.push(...gapsOf(m.code, { kind: 'matter', code: m.code }, resolveMatter(m.code, [], catalog)));
  }
  for (const b of catalog.data.bundles) {
    for (const answers of answerCombinations(b)) {
      gaps.push(...gapsOf(b.id, { kind: 'bundle', code: b.id }, resolveBundle(b, answers, catalog)));
    }
  }
  return [...new Map(gaps.map((g) => [describeGap(g), g])).values()];
}

describe('result documents of the shipped catalog', () => {
  const gaps = allGaps();

  it('get every required field from the form, the case, a declared rule or the values the approval gives — nothing is missing', () => {
    expect(gaps.map(describeGap)).toEqual([]);
  });

  it('the credit code a 设立登记 assigns is a decision field: not asked at 受理, required by the approval, and what a bundle\'s documents print', () => {
    const withDecision = catalog.data.matters.filter((m) => (m.decisionFields ?? []).length > 0);
    expect(withDecision.map((m) => m.code).sort()).toEqual(['37142500-XZSP-002', '37142500-XZSP-003']);
    for (const m of withDecision) {
      expect(m.decisionFields!.map((f) => [f.key, f.required])).toEqual([['enterprise.uscc', true]]);
      expect(resolveMatter(m.code, [], catalog).fields.map((f) => f.key)).not.toContain('enterprise.uscc');
    }
    // 变更登记: the enterprise has its code already; it is asked at 受理.
    expect(resolveMatter('37142500-XZSP-004', [], catalog).fields.find((f) => f.key === 'enterprise.uscc')?.required).toBe(true);
    // In a bundle, every field a registration produces is given by its approval.
    let bundles = 0;
    for (const b of catalog.data.bundles) {
      for (const answers of answerCombinations(b)) {
        const res = resolveBundle(b, answers, catalog);
        const produced = res.fields.filter((f) => f.producedBy !== undefined).map((f) => f.key);
        if (produced.length === 0) continue;
        bundles += 1;
        expect(Object.keys(decisionValues(res.matters)), `${b.id} ${JSON.stringify(answers)}`).toEqual(expect.arrayContaining(produced));
      }
    }
    expect(bundles).toBeGreaterThan(0);
  });

  it('the approval is what fills it: refused without the code, and the 营业执照 prints the code it was given', () => {
    const code = '37142500-XZSP-002';
    const form = requiredForm(resolveMatter(code, [], catalog).fields);
    expect(() => approvedCase(code, { kind: 'matter', code }, form, [code], {})).toThrow('批准前须填写：统一社会信用代码');
    const state = approvedCase(code, { kind: 'matter', code }, form, [code], { 'enterprise.uscc': '91371425MA3C8K7P1B' });
    const values = matterFields(context(state), code, '营业执照');
    expect(resolveFields(getTemplate('business_licence'), values, BUILTINS).text.get('enterprise.uscc')).toBe('91371425MA3C8K7P1B');
  });

  it('each template names only keys of the field dictionary, of the case or of its own fields as its sources', () => {
    const state = approvedCase('t', { kind: 'matter', code: '37142500-XZSP-007' }, {}, ['37142500-XZSP-007']);
    const caseKeys = new Set(Object.keys(matterFields(context(state), '37142500-XZSP-007', '食品经营许可证')));
    const unknown: string[] = [];
    for (const t of allTemplates().values()) {
      for (const f of t.fields) {
        for (const k of f.from ?? []) if (!catalog.fields.has(k) && !caseKeys.has(k)) unknown.push(`${t.id}: ${f.key} ← ${k}`);
        if (f.compute && !caseKeys.has(f.compute.from)) unknown.push(`${t.id}: ${f.key} computed from ${f.compute.from}`);
      }
    }
    expect(unknown).toEqual([]);
    expect(caseKeys.has('case.decidedAt')).toBe(true);
  });
});

describe('values a public rule fixes (template `compute`)', () => {
  it('periodEnd: the last day of a period of whole years; 29 February ends on 28 February; not a date gives null', () => {
    expect(periodEnd('2026-05-11', 5)).toBe('2031-05-10');
    expect(periodEnd('2027-01-01', 1)).toBe('2027-12-31');
    expect(periodEnd('2028-02-29', 5)).toBe('2033-02-28');
    expect(periodEnd('2028-02-29', 4)).toBe('2032-02-28');
    expect(periodEnd('2026-02-30', 5)).toBeNull();
    expect(periodEnd('20260511', 5)).toBeNull();
  });

  const decl = (over: Partial<FieldDeclaration>): TemplateInput['fields'][number] => ({
    key: 'licence.validUntil',
    label: '有效期至',
    kind: 'date',
    compute: { kind: 'periodEnd', from: 'case.decidedAt', years: 5, basis: '规则' },
    ...over,
  });
  const template = (fields: TemplateInput['fields']): Template => {
    const base = getTemplate('generic_licence');
    return Template.parse({ ...base, fields: [...base.fields.filter((f) => f.key !== 'licence.validUntil'), ...fields] });
  };

  it('computes only where the case has no value: an entered value, or one under a `from` key, wins; no source date, no value', () => {
    const t = template([decl({ from: ['permit.validUntil'] })]);
    expect(computeFields(t, { 'case.decidedAt': '2026-05-13' })['licence.validUntil']).toBe('2031-05-12');
    expect(computeFields(t, { 'case.decidedAt': '2026-05-13', 'licence.validUntil': '2029-12-31' })['licence.validUntil']).toBe('2029-12-31');
    const viaFrom = computeFields(t, { 'case.decidedAt': '2026-05-13', 'permit.validUntil': '2028-01-01' });
    expect(viaFrom['licence.validUntil']).toBeUndefined();
    expect(resolveFields(t, { ...viaFrom, 'licence.holder': '甲', 'licence.scope': '乙' }, BUILTINS).text.get('licence.validUntil')).toBe('2028年1月1日');
    expect(computeFields(t, {})).toEqual({});
  });

  it('is declared on date fields only', () => {
    expect(() => template([decl({ key: 'licence.note', kind: 'text' })])).toThrow(/only a date field is computed/);
  });

  it('on the case path: food licences run 5 years and hygiene licences 4 from the decision; a new enterprise is established on it', () => {
    const decided = businessDate(DECIDED, TZ);
    const issue = (code: string, form: Record<string, string> = {}) => {
      const m = catalog.matters.get(code)!;
      return matterFields(context(approvedCase(m.name, { kind: 'matter', code }, form, [code], decisionValues([m]))), code, m.results[0]!.name);
    };
    expect(issue('37142500-XZSP-007')['licence.validUntil']).toBe(periodEnd(decided, 5));
    expect(issue('37142500-XZSP-008')['licence.validUntil']).toBe(periodEnd(decided, 5));
    expect(issue('37142500-XZSP-010')['licence.validUntil']).toBe(periodEnd(decided, 4));
    expect(periodEnd(decided, 5)).toBe('2031-05-12');
    // 营业执照签发日期为成立日期 (设立); a change of registration keeps the date on the enterprise's licence.
    const business = getTemplate('business_licence');
    const established = (values: FieldValues) => resolveFields(business, { ...values, 'enterprise.uscc': '91371425MA3C8K7P1B' }, BUILTINS).text.get('enterprise.establishedAt');
    expect(established(issue('37142500-XZSP-002', requiredForm(resolveMatter('37142500-XZSP-002', [], catalog).fields)))).toBe('2026年5月13日');
    const change = { ...requiredForm(resolveMatter('37142500-XZSP-004', [], catalog).fields), 'enterprise.establishedAt': '2019-08-20' };
    expect(established(issue('37142500-XZSP-004', change))).toBe('2019年8月20日');
  });

  it('prints the form\'s amounts with their unit (元, 平方米), as the form shows them beside the box', () => {
    const code = '37142500-SW-005';
    const form = { ...requiredForm(resolveMatter(code, [], catalog).fields), 'tax.amount': '16500.00', 'property.area': '98.6', 'property.price': '1100000' };
    const values = matterFields(context(approvedCase('契税', { kind: 'matter', code }, form, [code])), code, '契税完税证明');
    const text = resolveFields(getTemplate('tax_payment_certificate'), values, BUILTINS).text;
    expect([text.get('tax.amount'), text.get('tax.area'), text.get('tax.base')]).toEqual(['16500.00元', '98.6平方米', '1100000元']);
    // A value that already carries its unit (an older case) is printed as it is.
    const typed = matterFields(context(approvedCase('契税', { kind: 'matter', code }, { ...form, 'tax.amount': '16500元' }, [code])), code, '契税完税证明');
    expect(typed['tax.amount']).toBe('16500元');
  });
});
