import type { CaseState, NoticeItem } from '../../../shared/case/types.js';
import type { CatalogIndex } from '../../../shared/catalog/validate.js';
import { businessDate } from '../../../shared/queue/numbering.js';
import type { FieldValue, FieldValues } from './fields.js';
import { itemsFromFields } from './index.js';
import type { FieldCompute, Template } from './template-schema.js';
import { getTemplate } from './templates.js';

/**
 * The values a case gives its documents' templates: the case's form (by the catalog's semantic
 * keys, enum values printed as their labels) plus what the case itself knows — the matter's name
 * and time limit, the case number, the dates it was submitted, accepted and decided, the window —
 * and for the generic templates `doc.items` (the matter's own fields, labelled). Templates pick what
 * they declare (`from` chooses the first key present); a field the case has no value for may be
 * computed by a public rule the template declares (`compute`: 有效期至 five years from the
 * decision); anything required and still absent is refused by the engine with every missing field
 * named.
 */

export interface CaseContext {
  state: CaseState;
  index: CatalogIndex;
  timeZone: string;
  /** 1号综合受理窗口. */
  windowName: string;
}

const FORM_LABEL: Record<string, string> = { original: '原件', copy: '复印件', original_and_copy: '原件及复印件' };

/** Units of the form's amounts (the form stores the bare number, as the clerk typed it beside the unit). */
const UNIT: Partial<Record<string, string>> = { money: '元', area: '平方米' };
const BARE_NUMBER = /^\d+(?:\.\d+)?$/;

/** The form as printed: enum values as their labels, yes/no in words, amounts with their unit. */
export function printableForm(state: CaseState, index: CatalogIndex): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(state.form)) {
    const def = index.fields.get(key);
    let v = raw;
    if (def?.type === 'enum') v = def.options?.find((o) => o.value === raw)?.label ?? raw;
    else if (def?.type === 'boolean') v = raw === 'true' ? '是' : raw === 'false' ? '否' : raw;
    else if (def && UNIT[def.type] && BARE_NUMBER.test(raw)) v = `${raw}${UNIT[def.type]}`;
    out[key] = v;
  }
  return out;
}

/** Values every document of the case shares (the matter-specific ones come from `matterFields`). */
export function caseFields(c: CaseContext): FieldValues {
  const s = c.state;
  const form = printableForm(s, c.index);
  return {
    ...form,
    'matter.name': s.title,
    'case.no': s.caseNo ?? s.provisionalNo,
    'case.submittedAt': businessDate(s.openedAt, c.timeZone),
    ...(s.acceptedAt !== undefined ? { 'case.acceptedAt': businessDate(s.acceptedAt, c.timeZone) } : {}),
    // The decision's date: 许可决定作出的日期 (a licence's validity runs from it; a registration's 成立日期).
    ...(s.decidedAt !== undefined ? { 'case.decidedAt': businessDate(s.decidedAt, c.timeZone) } : {}),
    'window.name': c.windowName,
  };
}

/** The values of one matter's result document: its name, time limit, its own fields as `doc.items`, a decision's words. */
export function matterFields(c: CaseContext, matterCode: string, resultName: string): FieldValues {
  const m = c.index.matters.get(matterCode);
  const base = caseFields(c);
  if (!m) return base;
  const form = printableForm(c.state, c.index);
  const labels = Object.fromEntries(m.fields.map((f) => [f.key, f.label]));
  const result = m.results.find((r) => r.name === resultName);
  const values: FieldValues = {
    ...base,
    'matter.name': m.name,
    'matter.promisedDays': String(m.promisedDays),
    'doc.items': itemsFromFields(form, m.fields.map((f) => f.key), labels),
    'decision.content': `经审查，你（单位）申请的“${m.name}”符合规定，予以办理。现出具《${resultName}》。`,
    'decision.licenceName': resultName,
  };
  return result ? computeFields(getTemplate(result.template), values) : values;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The last day of a period of `years` beginning on `start` (YYYY-MM-DD): the same calendar day
 * `years` later, less one day (2026-05-11 + 5 years → 2031-05-10; from 29 February to 28
 * February). Null for a date that is not one.
 */
export function periodEnd(start: string, years: number): string | null {
  const m = ISO_DAY.exec(start);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return null;
  // Date.UTC rolls 29 February of a common year over to 1 March; one day less is 28 February.
  const end = new Date(Date.UTC(y + years, mo - 1, d) - 86_400_000);
  return end.toISOString().slice(0, 10);
}

function present(v: FieldValue | undefined): boolean {
  return v !== undefined && (typeof v === 'string' ? v.trim() !== '' : v.length > 0);
}

function computed(rule: FieldCompute, values: FieldValues): string | null {
  const from = values[rule.from];
  return typeof from === 'string' ? periodEnd(from.trim(), rule.years) : null;
}

/**
 * The values with the template's computed fields filled in where the case gives none (under the
 * field's key or any of its `from` keys): a value the applicant or clerk entered always wins. A
 * rule whose source date is absent computes nothing, and the engine names the field as missing.
 */
export function computeFields(template: Template, values: FieldValues): FieldValues {
  const out: FieldValues = { ...values };
  for (const f of template.fields) {
    if (!f.compute || [f.key, ...(f.from ?? [])].some((k) => present(out[k]))) continue;
    const v = computed(f.compute, out);
    if (v !== null) out[f.key] = v;
  }
  return out;
}

/**
 * Rows of a one-time notice (一次性告知书): each missing or deficient material once, named as the
 * checklist names it (a note only where it says more than the name and form); the form's fields
 * left empty or wrong together in one row for the application form, so the notice stays one page.
 */
export function noticeRows(items: readonly NoticeItem[], index: CatalogIndex): Array<{ name: string; requirement: string; note: string }> {
  const rows: Array<{ name: string; requirement: string; note: string }> = [];
  const empty: string[] = [];
  const wrong: string[] = [];
  for (const it of items) {
    const material = it.materialId ? index.materials.get(it.materialId) : undefined;
    if (!material && it.fieldKey) {
      const label = index.fields.get(it.fieldKey)?.label ?? it.fieldKey;
      if (it.problem === 'missing') empty.push(label);
      else wrong.push(`${label}：${it.detail}`);
      continue;
    }
    const name = material?.name ?? it.materialId ?? '申请材料';
    const form = material ? (FORM_LABEL[material.form] ?? '') : '';
    const requirement = it.problem === 'missing' ? `补充提交${form}` : `更正后提交${form}`;
    rows.push({ name, requirement, note: it.problem === 'missing' && it.detail.startsWith('请提交') ? '' : it.detail });
  }
  if (empty.length > 0 || wrong.length > 0) {
    const note = [empty.length > 0 ? `未填写：${empty.join('、')}` : '', ...wrong].filter((x) => x !== '').join('；');
    rows.push({ name: '申请表', requirement: wrong.length > 0 ? '补充填写并更正' : '补充填写', note });
  }
  return rows;
}

/**
 * The same items, compact, for a notice too long for its page: the materials listed together by
 * the form they are asked in, the form's fields counted. The clerk's screen lists each item.
 */
export function compactNoticeRows(items: readonly NoticeItem[], index: CatalogIndex): Array<{ name: string; requirement: string; note: string }> {
  const byForm = new Map<string, string[]>();
  let fields = 0;
  for (const it of items) {
    const material = it.materialId ? index.materials.get(it.materialId) : undefined;
    if (!material && it.fieldKey) {
      fields += 1;
      continue;
    }
    const key = `${it.problem === 'missing' ? '补充提交' : '更正后提交'}|${material ? (FORM_LABEL[material.form] ?? '') : ''}`;
    byForm.set(key, [...(byForm.get(key) ?? []), material?.name ?? it.materialId ?? '申请材料']);
  }
  const rows = [...byForm].map(([key, names]) => {
    const [requirement = '', form = ''] = key.split('|');
    return { name: form ? `申请材料（${form}）` : '申请材料', requirement, note: names.join('、') };
  });
  if (fields > 0) rows.push({ name: '申请表', requirement: '补充填写', note: `共 ${fields} 项未填写或有误，请按申请表逐项填写` });
  return rows;
}

/** The legal basis of the case's matters (for a 不予受理通知书), as the catalog lists it. */
export function legalBasis(state: CaseState, index: CatalogIndex): string {
  const codes =
    state.acceptedMatters.length > 0
      ? state.acceptedMatters
      : state.subject.kind === 'matter'
        ? [state.subject.code]
        : (index.bundles.get(state.subject.code)?.matters ?? []);
  const basis = [...new Set(codes.flatMap((code) => index.matters.get(code)?.legalBasis ?? []))];
  return basis.length > 0 ? basis.join('、') : '《中华人民共和国行政许可法》第三十二条';
}

/** The largest promised time limit of the case's matters, in working days. */
export function promisedDays(state: CaseState, index: CatalogIndex): string {
  const days = state.acceptedMatters.map((code) => index.matters.get(code)?.promisedDays ?? 0);
  return String(Math.max(0, ...days));
}
