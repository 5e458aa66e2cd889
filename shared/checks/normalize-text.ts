import { Converter } from 'opencc-js/t2cn';
import { toHalfWidth } from './normalize-chars.js';
import { PROVINCES, regionNamesForStripping } from './regions.js';

/**
 * Normalisation for comparing what the form says with what a document says: half-width,
 * simplified characters (opencc: 號→号, 齊→齐), no spaces or punctuation, and for addresses the
 * leading administrative divisions that people write or leave out (山东省德州市齐河县 … = 齐河县 …).
 */

let toSimplified: ((s: string) => string) | null = null;

/** Traditional to simplified Chinese; the converter is built once, on first use (~10 ms). */
export function simplified(text: string): string {
  toSimplified ??= Converter({ from: 't', to: 'cn' });
  // Pure ASCII needs no dictionary look-up.
  return /^[\x00-\x7f]*$/.test(text) ? text : toSimplified(text);
}

const PUNCT = /[\s,，。.、;；:：'"“”‘’()（）【】\[\]<>《》!！?？_\-—–~～/\\]/g;

/** Personal and organisation names: half-width, simplified, no spaces; the dot of minority names (·•・.) unified. */
export function normalizeName(raw: string): string {
  return simplified(toHalfWidth(raw))
    .replace(/[\s\u3000]/g, '')
    .replace(/[·•・.．‧]/g, '·')
    .replace(/[()]/g, (c) => (c === '(' ? '（' : '）'))
    .toUpperCase();
}

/** Plain text: half-width, simplified, without spaces or punctuation, upper-case. */
export function normalizeText(raw: string): string {
  return simplified(toHalfWidth(raw)).replace(PUNCT, '').toUpperCase();
}

const CN_DIGITS: Readonly<Record<string, number>> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一百零八 → 108, 二十 → 20, 十五 → 15, 三〇一 → 301; null when it is not a numeral. */
function chineseNumeral(s: string): number | null {
  if (/^[零〇一二三四五六七八九]+$/.test(s)) return Number([...s].map((c) => CN_DIGITS[c]).join(''));
  const m = /^(?:([一二三四五六七八九两])千)?(?:([一二三四五六七八九两])百)?零?(?:([一二三四五六七八九])?十)?([一二三四五六七八九])?$/.exec(s);
  if (!m || s === '') return null;
  const d = (c: string | undefined) => (c === undefined ? 0 : CN_DIGITS[c]!);
  const tens = s.includes('十') ? (m[3] === undefined ? 1 : d(m[3])) : 0;
  return d(m[1]) * 1000 + d(m[2]) * 100 + tens * 10 + d(m[4]);
}

/** Leading administrative divisions, full and short (山东省, 山东, 德州市, 德州, 齐河县, 齐河). */
const DIVISION_PREFIXES: readonly string[] = (() => {
  const names = new Set<string>();
  for (const n of [...Object.values(PROVINCES), ...regionNamesForStripping()]) {
    names.add(n);
    const short = n.replace(/(省|市|县|区|特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区)$/, '');
    if (short.length >= 2) names.add(short);
  }
  return [...names].sort((a, b) => b.length - a.length);
})();

/**
 * Addresses: plain-text normalisation, Chinese numerals before 号/栋/幢/楼/层/单元/室 as digits,
 * 号楼→栋, and the leading province / prefecture / county names removed, so that
 * 山东省德州市齐河县晏城街道齐鲁大街88号 and 齐河县晏城街道齐鲁大街八十八号 compare equal.
 */
export function normalizeAddress(raw: string): string {
  let s = normalizeText(raw)
    .replace(/([零〇一二三四五六七八九十百千两]+)(?=号|栋|幢|楼|层|单元|室|组|排)/g, (all, num: string) => String(chineseNumeral(num) ?? all))
    .replace(/号楼/g, '栋')
    .replace(/幢/g, '栋');
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of DIVISION_PREFIXES) {
      // 德州路, 齐河街 are streets, not divisions.
      if (s.startsWith(p) && s.length > p.length && !/^(路|街|大街|大道|巷|胡同)/.test(s.slice(p.length))) {
        s = s.slice(p.length);
        changed = true;
        break;
      }
    }
  }
  return s;
}

/** Builds the traditional→simplified converter now (~15 ms) so that the first check on screen is not the one to pay for it. */
export function prepareChecks(): void {
  simplified('齊');
}
