import { ageOn } from './calendar-date.js';
import { formEvidence, formValue, fieldLabel, type CheckContext } from './context.js';
import { checkCreditCode } from './credit-code.js';
import { finding } from './finding.js';
import { checkArea, checkDate, checkMoney, checkNumber, checkPhone, parseAmount, parseDate, type FormatResult } from './formats.js';
import { checkIdNumber } from './id-number.js';
import type { EffectiveRule, Finding } from './types.js';

type Rule<K extends EffectiveRule['kind']> = Extract<EffectiveRule, { kind: K }>;

export function evalRequiredField(ctx: CheckContext, rule: Rule<'required_field'>): Finding | null {
  if (formValue(ctx, rule.field) !== undefined) return null;
  return finding(rule, rule.severity, `未填写${fieldLabel(ctx, rule.field)}`, [], { fieldKey: rule.field });
}

function checkFormat(ctx: CheckContext, rule: Rule<'format'>, value: string): FormatResult {
  switch (rule.type) {
    case 'idNumber':
      return checkIdNumber(value, { on: ctx.input.acceptanceDate });
    case 'uscc':
      return checkCreditCode(value);
    case 'phone':
      return checkPhone(value);
    case 'date':
      return checkDate(value);
    case 'money':
      return checkMoney(value);
    case 'area':
      return checkArea(value);
    case 'number':
      return checkNumber(value);
    case 'boolean':
      return /^(true|false|是|否)$/.test(value) ? { valid: true, reason: null, normalized: value } : { valid: false, reason: `应为“是”或“否”`, normalized: value };
    case 'enum': {
      const options = ctx.fields.get(rule.field)?.options ?? [];
      const ok = options.some((o) => o.value === value || o.label === value);
      return ok ? { valid: true, reason: null, normalized: value } : { valid: false, reason: `“${value}”不是可选项（${options.map((o) => o.label).join('、')}）`, normalized: value };
    }
    default:
      return { valid: true, reason: null, normalized: value };
  }
}

export function evalFormat(ctx: CheckContext, rule: Rule<'format'>): Finding | null {
  const value = formValue(ctx, rule.field);
  if (value === undefined) return null;
  const r = checkFormat(ctx, rule, value);
  if (r.valid) return null;
  return finding(rule, rule.severity, `${fieldLabel(ctx, rule.field)}：${r.reason}`, [formEvidence(ctx, rule.field, value)], { fieldKey: rule.field });
}

export function evalAge(ctx: CheckContext, rule: Rule<'age'>): Finding | null {
  const value = formValue(ctx, rule.field);
  if (value === undefined) return null;
  const on = ctx.input.acceptanceDate;
  const type = ctx.fields.get(rule.field)?.type;
  let birth: string | null;
  if (type === 'idNumber') {
    const id = checkIdNumber(value, { on });
    birth = id.valid ? id.birthDate ?? null : null;
  } else {
    birth = parseDate(value);
  }
  if (birth === null || birth > on) return null; // the format rule reports it
  const age = ageOn(birth, on);
  const label = fieldLabel(ctx, rule.field).replace(/(公民身份号码|身份证号码|出生日期)$/, '') || fieldLabel(ctx, rule.field);
  const evidence = [formEvidence(ctx, rule.field, value)];
  if (rule.min !== undefined && age < rule.min) {
    return finding(rule, rule.severity, `${label}在受理日（${on}）为${age}周岁，应年满${rule.min}周岁`, evidence, { fieldKey: rule.field });
  }
  if (rule.max !== undefined && age > rule.max) {
    return finding(rule, rule.severity, `${label}在受理日（${on}）为${age}周岁，不应超过${rule.max}周岁`, evidence, { fieldKey: rule.field });
  }
  return null;
}

export function evalRange(ctx: CheckContext, rule: Rule<'range'>): Finding | null {
  const value = formValue(ctx, rule.field);
  if (value === undefined) return null;
  const n = parseAmount(value.replace(/[%％]|平方米|㎡/g, ''));
  if (n === null) return null; // the format rule reports it
  const label = fieldLabel(ctx, rule.field);
  const evidence = [formEvidence(ctx, rule.field, value)];
  if (rule.min !== undefined && n < rule.min) return finding(rule, rule.severity, `${label}为${n}，低于下限${rule.min}`, evidence, { fieldKey: rule.field });
  if (rule.max !== undefined && n > rule.max) return finding(rule, rule.severity, `${label}为${n}，超过上限${rule.max}`, evidence, { fieldKey: rule.field });
  return null;
}
