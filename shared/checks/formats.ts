import { toHalfWidth } from './normalize-chars.js';
import { realIsoDate } from './calendar-date.js';

/**
 * Field formats other than the two identifiers: phone numbers, dates, amounts, areas, counts.
 * Each check returns `{ valid, reason, normalized }` like checkIdNumber.
 */
export interface FormatResult {
  valid: boolean;
  reason: string | null;
  normalized: string;
}

const ok = (normalized: string): FormatResult => ({ valid: true, reason: null, normalized });
const no = (reason: string, normalized: string): FormatResult => ({ valid: false, reason, normalized });

/**
 * Mainland mobile (1[3-9] + 9 digits, +86 allowed) or landline with its area code
 * (0534-1234567, 010-12345678, extension after 转/-/#), or a 400/800 service number.
 */
export function checkPhone(raw: string): FormatResult & { kind?: 'mobile' | 'landline' | 'service' } {
  const s = toHalfWidth(raw).replace(/[\s()（）]/g, '').replace(/^(\+|00)86-?/, '');
  const digits = s.replace(/-/g, '');
  if (s === '') return no('未填写联系电话', s);
  if (/^1\d{10}$/.test(digits)) {
    return /^1[3-9]/.test(digits) ? { ...ok(digits), kind: 'mobile' } : no(`手机号码${digits}的号段不存在`, digits);
  }
  if (/^[48]00\d{7}$/.test(digits)) return { ...ok(digits), kind: 'service' };
  // Area codes: 010, 02x, then 0[3-9]xx (0534 德州); local numbers do not start with 0 or 1.
  const land = /^(010|02\d|0[3-9]\d{2})-?([2-9]\d{6,7})(?:(?:转|-|#|ext)(\d{1,6}))?$/i.exec(s);
  if (land) return { ...ok(`${land[1]}-${land[2]}${land[3] ? `-${land[3]}` : ''}`), kind: 'landline' };
  if (/^\d{7,8}$/.test(digits)) return no('固定电话请加区号，如0534-2123456', digits);
  if (/^1\d*$/.test(digits)) return no(`手机号码应为11位，当前为${digits.length}位`, digits);
  return no('不是有效的手机号码或固定电话（固定电话须含区号）', s);
}

/** Dates as written on forms and documents: 2024-03-07, 2024.3.7, 2024/03/07, 2024年3月7日, 20240307. */
export function parseDate(raw: string): string | null {
  const s = toHalfWidth(raw).trim();
  const m = /^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  return realIsoDate(`${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`);
}

/** The words documents use for "no expiry". */
export function isIndefinite(raw: string): boolean {
  return /^(长期|長期|永久|长期有效|无固定期限|不约定期限)$/.test(toHalfWidth(raw).replace(/\s/g, ''));
}

export function checkDate(raw: string): FormatResult {
  const s = raw.trim();
  if (s === '') return no('未填写日期', s);
  const iso = parseDate(s);
  if (iso) return ok(iso);
  return /^\d{4}\D+\d{1,2}\D+\d{1,2}/.test(toHalfWidth(s)) ? no(`${s}不是真实的日期`, s) : no(`无法识别日期“${s}”，请按2024-03-07的格式填写`, s);
}

/** A decimal number from 1,234.50 / １２３４ / 12.5万 (万 and 亿 multiply); null when it is not one. */
export function parseAmount(raw: string): number | null {
  const s = toHalfWidth(raw).replace(/[\s,，]/g, '').replace(/(元|人民币|RMB|¥|￥|整)/gi, '');
  const m = /^(-?\d+(?:\.\d+)?)(万|亿)?$/.exec(s);
  if (!m) return null;
  const n = Number(m[1]) * (m[2] === '万' ? 1e4 : m[2] === '亿' ? 1e8 : 1);
  return Number.isFinite(n) ? Math.round(n * 100) / 100 : null;
}

/** Money in yuan: not negative, at most two decimals (分). */
export function checkMoney(raw: string): FormatResult {
  const s = toHalfWidth(raw).replace(/[\s,，]/g, '');
  const n = parseAmount(s);
  if (n === null) return no(`金额“${raw.trim()}”不是有效数字`, s);
  if (n < 0) return no('金额不能为负数', String(n));
  if (!/(万|亿)/.test(s) && /\.\d{3,}/.test(s)) return no('金额最多保留两位小数（分）', s);
  return ok(String(n));
}

/** Area in square metres (㎡, m², 平方米 allowed): positive, at most 10 km². */
export function checkArea(raw: string): FormatResult {
  const s = toHalfWidth(raw).replace(/\s/g, '').replace(/(平方米|平米|㎡|m²|m2)$/i, '');
  if (s === '') return no('未填写面积', s);
  if (!/^\d+(\.\d{1,4})?$/.test(s)) return no(`面积“${raw.trim()}”不是有效数字`, s);
  const n = Number(s);
  if (n <= 0) return no('面积应大于0', s);
  if (n > 1e7) return no(`面积${n}平方米超出合理范围`, s);
  return ok(String(n));
}

/** A count or percentage: a non-negative number. */
export function checkNumber(raw: string): FormatResult {
  const s = toHalfWidth(raw).replace(/[\s,，%％]/g, '');
  if (!/^\d+(\.\d+)?$/.test(s)) return no(`“${raw.trim()}”不是有效数字`, s);
  return ok(String(Number(s)));
}

