import type { Resolution } from '../catalog/bundle.js';
import { describeMaterial } from './eval-materials.js';
import type { Finding } from './types.js';

/**
 * The content of the one-time notice (一次性告知书): each missing or deficient material once, then
 * each deficient form entry once, in the order of the checklist. Shaped like NoticeItem of
 * shared/case/types.ts, plus a title for printing.
 */
export interface NoticeItemDraft {
  materialId?: string;
  fieldKey?: string;
  problem: 'missing' | 'deficient';
  /** The material's or the field's name. */
  title: string;
  /** Exactly what: 缺少…（原件）/ 身份证已过期 / 姓名与申请表不一致 … (≤ 300 characters). */
  detail: string;
}

const MAX_DETAIL = 300;

function clip(s: string): string {
  return s.length <= MAX_DETAIL ? s : `${s.slice(0, MAX_DETAIL - 1)}…`;
}

/**
 * Blocking findings, and warnings not overridden, that concern a material or a form field.
 * Findings about neither (a possible duplicate case) are for the clerk, not the applicant.
 */
export function oneTimeNoticeItems(findings: readonly Finding[], resolution: Resolution, opts: { overridden?: readonly string[] } = {}): NoticeItemDraft[] {
  const overridden = new Set(opts.overridden ?? []);
  const relevant = findings.filter((f) => f.severity === 'blocking' || (f.severity === 'warning' && !overridden.has(f.ruleId)));
  const byMaterial = new Map<string, Finding[]>();
  const byField = new Map<string, Finding[]>();
  for (const f of relevant) {
    if (f.materialId !== undefined) byMaterial.set(f.materialId, [...(byMaterial.get(f.materialId) ?? []), f]);
    else if (f.fieldKey !== undefined) byField.set(f.fieldKey, [...(byField.get(f.fieldKey) ?? []), f]);
  }
  const items: NoticeItemDraft[] = [];
  for (const m of resolution.materials) {
    const fs = byMaterial.get(m.id);
    if (!fs) continue;
    byMaterial.delete(m.id);
    const completeness = fs.find((f) => f.ruleId === `material:${m.id}` && f.severity === 'blocking');
    if (completeness) {
      items.push({ materialId: m.id, problem: 'missing', title: m.name, detail: clip(completeness.message.startsWith('缺少') ? `请提交${describeMaterial(m)}` : completeness.message) });
    } else {
      items.push({ materialId: m.id, problem: 'deficient', title: m.name, detail: clip([...new Set(fs.map((f) => f.message))].join('；')) });
    }
  }
  // Materials the resolution does not list (a rule on an extra document) still appear, once.
  for (const [id, fs] of byMaterial) items.push({ materialId: id, problem: 'deficient', title: id, detail: clip([...new Set(fs.map((f) => f.message))].join('；')) });
  for (const field of resolution.fields) {
    const fs = byField.get(field.key);
    if (!fs) continue;
    byField.delete(field.key);
    items.push({ fieldKey: field.key, problem: 'deficient', title: field.label, detail: clip([...new Set(fs.map((f) => f.message))].join('；')) });
  }
  for (const [key, fs] of byField) items.push({ fieldKey: key, problem: 'deficient', title: key, detail: clip([...new Set(fs.map((f) => f.message))].join('；')) });
  return items;
}
