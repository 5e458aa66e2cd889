import type { EnumOption, FieldType } from '../../../shared/catalog/fields.js';
import { realIsoDate } from '../../../shared/checks/calendar-date.js';
import { checkCreditCode } from '../../../shared/checks/credit-code.js';
import { checkIdNumber } from '../../../shared/checks/id-number.js';
import { compactCode, toHalfWidth } from '../../../shared/checks/normalize-chars.js';

/**
 * Form values by field type (the catalog's field dictionary): what is stored for a typed value
 * (`normalizeFieldValue`) and why a stored value cannot be accepted (`fieldProblem`). Identity
 * numbers use the GB 11643 / GB 32100 checks of shared/checks (checksum, region, real birth date).
 */
export interface FieldSpec {
  type: FieldType;
  options?: readonly EnumOption[] | undefined;
}

const NUMBER = /^-?\d+(\.\d+)?$/;
const AMOUNT = /^\d+(\.\d{1,6})?$/;
const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}\d{7,8}$/;

/** What is stored for a value as typed: half-width, trimmed; identity numbers compacted and upper-cased. */
export function normalizeFieldValue(spec: FieldSpec, raw: string): string {
  const v = toHalfWidth(raw).trim();
  switch (spec.type) {
    case 'idNumber':
    case 'uscc':
      return compactCode(v);
    case 'phone':
      return v.replace(/[\s()-]/g, '');
    case 'number':
    case 'money':
    case 'area':
      return v.replace(/[,\s]/g, '');
    default:
      return v;
  }
}

/**
 * Why a (non-empty, stored) value is not acceptable, in Chinese; null when it is. `today` is the
 * business date (a birth date in an ID number may not be after it).
 */
export function fieldProblem(spec: FieldSpec, value: string, today: string): string | null {
  switch (spec.type) {
    case 'idNumber': {
      const r = checkIdNumber(value, { on: today });
      return r.valid ? null : (r.reason ?? '身份证号码无效');
    }
    case 'uscc': {
      const r = checkCreditCode(value);
      return r.valid ? null : (r.reason ?? '统一社会信用代码无效');
    }
    case 'date': {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return '日期应写作“年-月-日”，如 2026-03-02';
      return realIsoDate(value) ? null : `${value} 不是真实的日期`;
    }
    case 'phone':
      return MOBILE.test(value) || LANDLINE.test(value) ? null : '电话号码应为11位手机号码或带区号的固定电话';
    case 'number':
      return NUMBER.test(value) ? null : '应填写数字';
    case 'money':
      return AMOUNT.test(value) ? null : '金额应为不小于0的数字（最多6位小数）';
    case 'area':
      return AMOUNT.test(value) && Number(value) > 0 ? null : '面积应为大于0的数字';
    case 'enum':
      return spec.options?.some((o) => o.value === value) ? null : '不是可选的值，请重新选择';
    case 'boolean':
      return value === 'true' || value === 'false' ? null : '应选择“是”或“否”';
    case 'address':
      return [...value].length >= 5 ? null : '地址过于简略，请填写详细地址';
    case 'string':
      return null;
  }
}
