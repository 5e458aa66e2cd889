import { compareValues, comparisonForFieldType, parseValidUntil, type Agreement } from './compare.js';
import { docFieldLabel, documentValue, fieldLabel, formEvidence, formValue, materialName, type CheckContext } from './context.js';
import { atMost, finding } from './finding.js';
import type { EffectiveRule, Finding, Severity } from './types.js';

type Rule<K extends EffectiveRule['kind']> = Extract<EffectiveRule, { kind: K }>;

/** Below this, a reading is not trusted enough to block: the finding becomes a warning. */
export const LOW_CONFIDENCE = 0.85;

function graded(rule: { severity: Severity }, agreement: Agreement, confidences: number[]): { severity: Severity; note: string } {
  let severity = rule.severity;
  let note = '';
  if (agreement === 'partial') {
    severity = atMost(severity, 'warning');
    note = '（一方更详细，请核对）';
  }
  const low = Math.min(...confidences);
  if (low < LOW_CONFIDENCE) {
    severity = atMost(severity, 'warning');
    note += `（识别置信度${Math.round(low * 100)}%，请与原件核对）`;
  }
  return { severity, note };
}

export function evalFormDocument(ctx: CheckContext, rule: Rule<'form_document'>): Finding | null {
  const a = formValue(ctx, rule.field);
  const doc = documentValue(ctx, rule.document.material, rule.document.field);
  if (a === undefined || doc === undefined) return null;
  const kind = rule.compare ?? comparisonForFieldType(ctx.fields.get(rule.field)?.type ?? 'string');
  const agreement = compareValues(kind, a, doc.field.value);
  if (agreement === 'same') return null;
  const where = { fieldKey: rule.field, materialId: rule.document.material };
  const values = [formEvidence(ctx, rule.field, a), doc.evidence];
  const name = materialName(ctx, rule.document.material);
  if (agreement === 'unreadable') {
    return finding(rule, atMost(rule.severity, 'warning'), `无法比对${fieldLabel(ctx, rule.field)}：${name}上的“${doc.evidence.value}”或申请表上的“${a}”无法识别`, values, where);
  }
  const { severity, note } = graded(rule, agreement, [doc.field.confidence]);
  return finding(rule, severity, `${fieldLabel(ctx, rule.field)}与${name}不一致：申请表为“${a}”，${name}为“${doc.evidence.value}”${note}`, values, where);
}

export function evalDocumentDocument(ctx: CheckContext, rule: Rule<'document_document'>): Finding | null {
  const left = documentValue(ctx, rule.left.material, rule.left.field);
  const right = documentValue(ctx, rule.right.material, rule.right.field);
  if (left === undefined || right === undefined) return null;
  const agreement = compareValues(rule.compare, left.field.value, right.field.value);
  if (agreement === 'same') return null;
  const values = [left.evidence, right.evidence];
  const where = { materialId: rule.left.material };
  if (agreement === 'unreadable') {
    return finding(rule, atMost(rule.severity, 'warning'), `无法比对${left.evidence.label}与${right.evidence.label}：无法识别`, values, where);
  }
  const { severity, note } = graded(rule, agreement, [left.field.confidence, right.field.confidence]);
  return finding(rule, severity, `${left.evidence.label}“${left.evidence.value}”与${right.evidence.label}“${right.evidence.value}”不一致${note}`, values, where);
}

/** Whole days from `from` to `to` (ISO dates). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function evalNotExpired(ctx: CheckContext, rule: Rule<'not_expired'>): Finding | null {
  const doc = documentValue(ctx, rule.document.material, rule.document.field);
  if (doc === undefined) return null;
  const name = materialName(ctx, rule.document.material);
  const until = parseValidUntil(doc.field.value);
  const on = ctx.input.acceptanceDate;
  const where = { materialId: rule.document.material };
  if (until === 'indefinite') return null;
  if (until === null) {
    return finding(rule, atMost(rule.severity, 'warning'), `无法识别${name}的${docFieldLabel(ctx, rule.document.material, rule.document.field)}“${doc.evidence.value}”，请人工核对`, [doc.evidence], where);
  }
  if (until < on) {
    const { severity, note } = graded(rule, 'different', [doc.field.confidence]);
    return finding(rule, severity, `${name}已过期：有效期至${until}，受理日为${on}${note}`, [doc.evidence], where);
  }
  if (rule.warnWithinDays !== undefined && daysBetween(on, until) <= rule.warnWithinDays) {
    return finding(rule, 'info', `${name}将于${until}到期（${daysBetween(on, until)}天后），请提醒申请人注意有效期`, [doc.evidence], where);
  }
  return null;
}
