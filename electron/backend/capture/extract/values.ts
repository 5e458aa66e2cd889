import { realIsoDate } from '../../../../shared/checks/calendar-date.js';
import { checkCreditCode, repairCreditCode } from '../../../../shared/checks/credit-code.js';
import { checkIdNumber, repairIdNumber } from '../../../../shared/checks/id-number.js';
import { compactCode, toHalfWidth } from '../../../../shared/checks/normalize-chars.js';

/**
 * Normalising what OCR read into what a clerk would type: ISO dates, half-width digits,
 * upper-case X, Chinese punctuation in Chinese text. Identifiers are validated, and repaired only
 * when the checksum proves it: one character that cannot stand where it stands (O among digits,
 * I in a credit code) and exactly one look-alike replacement that makes the check character right.
 */

export interface Normalised {
  value: string;
  valid: boolean;
  /** Why the value is doubtful, in Chinese. */
  problem?: string;
  repairedFrom?: string;
}

const ok = (value: string): Normalised => ({ value, valid: true });
const bad = (value: string, problem: string): Normalised => ({ value, valid: false, problem });

/** Chinese text as printed: no spaces, Chinese punctuation full-width, digits and Latin half-width. */
export function chineseText(raw: string): string {
  const half = toHalfWidth(raw).replace(/\s+/g, '');
  return half
    .replace(/\(/g, '（')
    .replace(/\)/g, '）')
    .replace(/;/g, '；')
    .replace(/:/g, '：')
    .replace(/,(?!\d)/g, '，')
    .replace(/(?<=\D)\.(?=\D|$)/g, '。');
}

/** A person's name: Chinese characters (and the middle dot of minority names) only. */
export function personName(raw: string): Normalised {
  const v = toHalfWidth(raw).replace(/[^\u3400-\u9fff·•]/g, '').replace(/•/g, '·');
  if (v.length < 2) return bad(v, '姓名不完整');
  if (v.length > 15) return bad(v, '姓名过长，可能混入了其他文字');
  return ok(v);
}

export function sex(raw: string): Normalised {
  const m = /[男女]/.exec(raw);
  return m ? ok(m[0]) : bad(raw.trim(), '性别应为“男”或“女”');
}

/** Dates as printed (2000年4月23日, 2000 年 4 月 23 日, 2017.03.02, 2008-04-18) → YYYY-MM-DD. */
export function parseDate(raw: string): string | null {
  const s = toHalfWidth(raw).replace(/\s+/g, '');
  const m = /(\d{4})[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  return realIsoDate(`${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`);
}

export function date(raw: string): Normalised {
  const iso = parseDate(raw);
  return iso ? ok(iso) : bad(toHalfWidth(raw).replace(/\s+/g, ''), '日期无法识别或不是真实的日期');
}

/** 2022年09月13日08时16分 → 2022-09-13T08:16 */
export function dateTime(raw: string): Normalised {
  const s = toHalfWidth(raw).replace(/\s+/g, '');
  const iso = parseDate(s);
  const t = /日(\d{1,2})[时:](\d{1,2})分?/.exec(s);
  if (!iso) return bad(s, '出生时间无法识别');
  if (!t || Number(t[1]) > 23 || Number(t[2]) > 59) return bad(iso, '出生时间的时、分无法识别');
  return ok(`${iso}T${t[1]!.padStart(2, '0')}:${t[2]!.padStart(2, '0')}`);
}

/** The slot of one changed character between two equal-length strings, or -1. */
function changedAt(a: string, b: string): number {
  let at = -1;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) at = at === -1 ? i : -2;
  return at;
}

/** Longer text read together with a code (a title on the same line): keep the 18-character run. */
function eighteen(raw: string, run: RegExp): string {
  const v = compactCode(raw);
  return v.length > 18 ? (run.exec(v)?.[0] ?? v) : v;
}

export function idNumber(raw: string): Normalised {
  const v = eighteen(raw, /[0-9OIZSB]{17}[0-9XKOI]/);
  const r = checkIdNumber(v);
  if (r.valid) return ok(r.normalized);
  const fixed = repairIdNumber(v);
  if (fixed) {
    const at = changedAt(v, fixed);
    const impossible = at >= 0 && !(at === 17 ? /[\dX]/ : /\d/).test(v[at]!);
    if (impossible) return { value: fixed, valid: true, repairedFrom: v };
  }
  return bad(v, r.reason ?? '身份证号码无效');
}

export function creditCode(raw: string): Normalised {
  const v = eighteen(raw, /[0-9A-Z]{2}[0-9OIZS]{6}[0-9A-Z]{10}/);
  const r = checkCreditCode(v);
  if (r.valid) return ok(r.normalized);
  const fixed = repairCreditCode(v);
  if (fixed) {
    const at = changedAt(v, fixed);
    if (at >= 0 && /[IOSVZ]/.test(v[at]!)) return { value: fixed, valid: true, repairedFrom: v };
  }
  return bad(v, r.reason ?? '统一社会信用代码无效');
}

/** 有效期限 2017.03.02-2022.03.02 / 2020.01.01-长期 → [validFrom, validUntil]. */
export function validity(raw: string): [Normalised, Normalised] {
  const s = toHalfWidth(raw).replace(/\s+/g, '');
  const m = /^(.*?\d{1,2})[-—~至](.*)$/.exec(s.replace(/[—–－]/g, '-'));
  if (!m) return [bad(s, '有效期限无法识别'), bad(s, '有效期限无法识别')];
  const from = date(m[1]!);
  const until = /长期/.test(m[2]!) ? ok('长期') : date(m[2]!);
  return [from, until];
}

/** An amount in Chinese capital numerals or digits, in yuan: 壹佰万元整 → 1000000, 100万元 → 1000000. */
export function amountYuan(raw: string): number | null {
  const s = toHalfWidth(raw).replace(/\s|人民币|整|元/g, '');
  const digits = /^(\d+(?:\.\d+)?)(万|亿)?$/.exec(s);
  if (digits) return Math.round(Number(digits[1]) * (digits[2] === '亿' ? 1e8 : digits[2] === '万' ? 1e4 : 1));
  const num: Record<string, number> = { 零: 0, 〇: 0, 壹: 1, 贰: 2, 叁: 3, 肆: 4, 伍: 5, 陆: 6, 柒: 7, 捌: 8, 玖: 9, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
  const unit: Record<string, number> = { 拾: 10, 十: 10, 佰: 100, 百: 100, 仟: 1000, 千: 1000 };
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const ch of s) {
    if (ch in num) digit = num[ch]!;
    else if (ch in unit) {
      section += (digit || 1) * unit[ch]!;
      digit = 0;
    } else if (ch === '万' || ch === '亿') {
      total += (section + digit) * (ch === '万' ? 1e4 : 1e8);
      section = 0;
      digit = 0;
    } else return null;
  }
  const v = total + section + digit;
  return v > 0 ? v : null;
}

/** A number of square metres after a label inside a text: 建筑面积112.51㎡ → 112.51. */
export function areaAfter(text: string, label: RegExp): string | null {
  const s = toHalfWidth(text).replace(/\s+/g, '');
  const m = new RegExp(`${label.source}[:：]?(\\d+(?:\\.\\d+)?)`).exec(s);
  return m ? m[1]! : null;
}

const SCOPE_TAIL = '除依法须经批准的项目外，凭营业执照依法自主开展经营活动';

/**
 * The fixed closing words of a business scope (市场监管总局《经营范围登记规范表述目录》):
 * （除依法须经批准的项目外，凭营业执照依法自主开展经营活动）. Brackets lost in reading around
 * these exact words are put back. Items are separated by ；, and only the headings 一般项目 and
 * 许可项目 are followed by ：, so a ： anywhere else is a misread ；.
 */
export function standardScopeTail(raw: string): string {
  // items are separated by ；, and only the headings 一般项目 / 许可项目 end with ：
  const s = raw.replace(/\s+/g, '').replace(/(?<!一般项目|许可项目)[：:]/g, '；');
  const at = s.indexOf(SCOPE_TAIL);
  if (at < 0) return s;
  const before = s.slice(0, at).replace(/[（(]$/, '');
  const after = s.slice(at + SCOPE_TAIL.length).replace(/^[）)]/, '');
  return `${before}（${SCOPE_TAIL}）${after}`;
}
