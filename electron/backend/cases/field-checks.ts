import type { EnumOption, FieldType } from '../../../shared/catalog/fields.js';
import { checkCreditCode } from '../../../shared/checks/credit-code.js';
import { checkArea, checkDate, checkMoney, checkNumber, checkPhone } from '../../../shared/checks/formats.js';
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


/** What is stored for a value as typed: half-width, trimmed; identity numbers compacted and upper-cased. */
export function normalizeFieldValue(spec: FieldSpec, raw: string): string {
  const v = toHalfWidth(raw).trim();
  switch (spec.type) {
    case 'date': {
      // 2026/3/2, 2026年3月2日, 20260302 are stored as 2026-03-02 when they name a real day.
      const r = checkDate(v);
      return r.valid ? r.normalized : v;
    }
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
    case 'date':
      return checkDate(value).reason;
    case 'phone':
      return checkPhone(value).reason;
    case 'number':
      return checkNumber(value).reason;
    case 'money':
      return checkMoney(value).reason;
    case 'area':
      return checkArea(value).reason;
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
