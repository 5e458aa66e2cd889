import { z } from 'zod';
import { checkCreditCode } from '../checks/credit-code.js';
import { checkArea, checkDate, checkMoney, checkNumber, checkPhone } from '../checks/formats.js';
import { checkIdNumber } from '../checks/id-number.js';

/**
 * Values known only when a matter is decided (catalog `stage: "decision"`): the 统一社会信用代码 a
 * 设立登记 assigns is printed on the 营业执照 and, in 企业开办, on the other matters' documents. The
 * acceptance records which the approval needs (`accepted.decisionFields`, decided by the caller from
 * the catalog); the approval carries them (`approved.decision`) and the reducer merges them into the
 * case's form, so the documents see them. Pure: used by the reducer, the window and the renderer.
 */

/** One value the approval needs: its key, its label and type as the catalog gives them. */
export const DecisionField = z.object({
  key: z.string().regex(/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/).max(80),
  label: z.string().trim().min(1).max(60),
  /** The field dictionary's type (uscc, date, string …): decides how the value is checked. */
  type: z.string().min(1).max(20),
  /** Must be given at the approval (an optional one may be left out). */
  required: z.boolean(),
});
export type DecisionField = z.infer<typeof DecisionField>;

/** The values an approval gives, by field key. */
export const DecisionValues = z.record(z.string().max(80), z.string().trim().min(1).max(200)).refine((v) => Object.keys(v).length <= 20, 'at most 20 values');
export type DecisionValues = z.infer<typeof DecisionValues>;

/** Why a value of this type is not acceptable (Chinese), or null. Identity codes by GB 32100 / GB 11643. */
export function decisionValueProblem(type: string, value: string): string | null {
  const v = value.trim();
  if (v === '') return '未填写';
  switch (type) {
    case 'uscc':
      return checkCreditCode(v).reason;
    case 'idNumber':
      return checkIdNumber(v).reason;
    case 'date':
      return checkDate(v).reason;
    case 'phone':
      return checkPhone(v).reason;
    case 'number':
      return checkNumber(v).reason;
    case 'money':
      return checkMoney(v).reason;
    case 'area':
      return checkArea(v).reason;
    default:
      return null;
  }
}

/**
 * Why an approval with these values cannot be recorded (Chinese), or null: a value for a field the
 * approval does not take, a value that fails its format, a required field neither given nor already
 * on the case's form.
 */
export function decisionRefusal(fields: readonly DecisionField[], form: Readonly<Record<string, string>>, given: Readonly<Record<string, string>>): string | null {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  for (const [key, value] of Object.entries(given)) {
    const f = byKey.get(key);
    if (!f) return `“${key}”不是本办件批准时填写的事项。`;
    const problem = decisionValueProblem(f.type, value);
    if (problem) return `${f.label}：${problem}。`;
  }
  const missing = fields.filter((f) => f.required && !given[f.key]?.trim() && !form[f.key]?.trim());
  if (missing.length > 0) return `批准前须填写：${missing.map((f) => f.label).join('、')}（作出决定时确定，受理时不填写）。`;
  return null;
}
