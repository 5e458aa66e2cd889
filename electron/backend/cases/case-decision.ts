import { decisionRefusal, type DecisionField } from '../../../shared/case/decision.js';
import type { CaseState } from '../../../shared/case/types.js';
import type { CaseView } from '../../../shared/case/view.js';
import { caseDecisionFields } from '../../../shared/catalog/decision-fields.js';
import type { FieldType } from '../../../shared/catalog/fields.js';
import type { CatalogIndex, Matter } from '../../../shared/catalog/validate.js';
import { AppError } from '../../../shared/errors.js';
import type { WindowCaseAction } from './case-store.js';
import { normalizeFieldValue } from './field-checks.js';

/**
 * Values known only at the decision (catalog `stage: "decision"`, the 统一社会信用代码 a 设立登记
 * assigns): recorded with the acceptance as what the approval needs, asked by the approval dialog,
 * checked (GB 32100 for a credit code) and merged into the case's form by the approval.
 */

const MAX_WITHHELD = 500;

/** What the approval of these matters needs (catalog decision fields), as the case log records it. */
export function decisionFieldsOf(matters: readonly Matter[]): DecisionField[] {
  return caseDecisionFields(matters).map((f) => ({ key: f.key, label: f.label, type: f.type, required: f.required }));
}

/** The decision fields of an accepted case: as its acceptance recorded them, or (older logs) from the catalog. */
export function caseDecisionFieldsOf(state: CaseState, index: CatalogIndex): DecisionField[] {
  if (state.decisionFields) return state.decisionFields;
  const codes = state.acceptedMatters.length > 0 ? state.acceptedMatters : state.subject.kind === 'matter' ? [state.subject.code] : (index.bundles.get(state.subject.code)?.matters ?? []);
  return decisionFieldsOf(codes.flatMap((c) => index.matters.get(c) ?? []));
}

/**
 * The acceptance's actions with what the approval needs recorded on `accepted`, and why 秒批 was
 * withheld (a matter marked for it that the rules did not approve: the clerk sees the reason).
 */
export function withDecisionFields(actions: WindowCaseAction[], matters: readonly Matter[], notInstant: readonly string[]): WindowCaseAction[] {
  const fields = decisionFieldsOf(matters);
  const withheld = notInstant.length > 0 ? `未自动秒批：${notInstant.join('；')}` : '';
  return actions.map((a) =>
    a.type !== 'accepted'
      ? a
      : {
          ...a,
          ...(fields.length > 0 ? { decisionFields: fields } : {}),
          ...(withheld ? { instantWithheld: withheld.length > MAX_WITHHELD ? `${withheld.slice(0, MAX_WITHHELD - 1)}…` : withheld } : {}),
        },
  );
}

/**
 * The approval's values, stored as the form stores them (a credit code compacted, upper-cased), or a
 * refusal naming what is wrong or missing (Chinese).
 */
export function approvalDecision(state: CaseState, index: CatalogIndex, given: Readonly<Record<string, string>> = {}): Record<string, string> {
  const fields = caseDecisionFieldsOf(state, index);
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const values: Record<string, string> = {};
  for (const [key, raw] of Object.entries(given)) {
    const f = byKey.get(key);
    if (!f) throw new AppError('bad_request', `批准时不填写“${index.fields.get(key)?.label ?? key}”，请刷新后重试。`, `approve: ${key} is not a decision field`);
    values[key] = normalizeFieldValue({ type: f.type as FieldType }, raw);
  }
  const refusal = decisionRefusal(fields, state.form, values);
  if (refusal) throw new AppError('bad_request', `不能批准：${refusal}`, `approve refused: ${refusal}`);
  return values;
}

/** The view's decision part: the values the approval needs (with those already on the case), and the 秒批 note. */
export function decisionView(state: CaseState, matters: readonly Matter[]): NonNullable<CaseView['decision']> {
  const fields = state.decisionFields ?? decisionFieldsOf(matters);
  return {
    fields: fields.map((f) => ({ key: f.key, label: f.label, type: f.type, required: f.required, value: state.form[f.key] ?? '' })),
    instantWithheld: state.instantWithheld ?? null,
  };
}
