import { compactCode } from './normalize-chars.js';
import { realIsoDate, ageOn } from './calendar-date.js';
import { lookupRegion } from './regions.js';

/**
 * Resident ID numbers (公民身份号码, GB 11643-1999): six digits of region, eight of birth date,
 * three of sequence (odd for men, even for women) and a check character.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

export interface IdNumberResult {
  valid: boolean;
  /** Why it is invalid, in Chinese; null when valid. */
  reason: string | null;
  /** Half-width, upper-case, without spaces: what should be stored. */
  normalized: string;
  /** ISO date, present whenever the date part is a real day. */
  birthDate?: string;
  sex?: 'M' | 'F';
  /** Region name as far as known (山东省德州市齐河县, or 江苏省), with regionCode beside it. */
  region?: string;
  regionCode?: string;
  /** Whole years on `opts.on` (defaults to nothing: no clock is read). */
  age?: number;
}

/** The check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export function checkIdNumber(raw: string, opts: { on?: string } = {}): IdNumberResult {
  const normalized = compactCode(raw);
  const invalid = (reason: string, extra: Partial<IdNumberResult> = {}): IdNumberResult => ({ valid: false, reason, normalized, ...extra });
  if (normalized === '') return invalid('未填写身份证号码');
  if (/^\d{15}$/.test(normalized)) return invalid('这是15位旧身份证号码，请使用18位公民身份号码');
  if (normalized.length !== 18) return invalid(`身份证号码应为18位，当前为${normalized.length}位`);
  const bad = /[^\d]/.exec(normalized.slice(0, 17));
  if (bad) return invalid(`身份证号码第${bad.index + 1}位“${bad[0]}”不是数字，前17位只能是数字`);
  if (!/^[\dX]$/.test(normalized[17]!)) return invalid(`身份证号码第18位“${normalized[17]}”无效，只能是数字或X`);

  const regionCode = normalized.slice(0, 6);
  const region = lookupRegion(regionCode);
  const sex: 'M' | 'F' = Number(normalized[16]) % 2 === 1 ? 'M' : 'F';
  const dateDigits = normalized.slice(6, 14);
  const birthDate = realIsoDate(dateDigits);
  const known: Partial<IdNumberResult> = { sex, regionCode, ...(region.name ? { region: region.name } : {}) };
  if (!birthDate) return invalid(`出生日期${dateDigits}不是真实的日期`, known);
  known.birthDate = birthDate;
  if (birthDate < '1900-01-01') return invalid(`出生日期${dateDigits}早于1900年，不合理`, known);
  if (opts.on) {
    if (birthDate > opts.on) return invalid(`出生日期${dateDigits}晚于${opts.on}，不合理`, known);
    known.age = ageOn(birthDate, opts.on);
  }
  if (!region.plausible) return invalid(`地区代码${regionCode}不存在`, known);
  if (idCheckChar(normalized) !== normalized[17]) {
    return invalid('校验码不符：号码中有输错或识别错的字符，请与证件逐位核对', known);
  }
  return { valid: true, reason: null, normalized, ...known };
}

/** Characters OCR mistakes for a digit, and digits that look alike. */
const TO_DIGIT: Readonly<Record<string, string>> = {
  O: '0', D: '0', Q: '0', U: '0', I: '1', L: '1', T: '7', Z: '2', S: '5', B: '8', G: '6', A: '4', J: '1',
  '|': '1', '!': '1',
};
const DIGIT_LOOKALIKES: Readonly<Record<string, string>> = {
  '0': '8', '1': '7', '3': '8', '5': '6', '6': '58', '7': '1', '8': '036', '9': '8',
};

function candidatesAt(ch: string, position: number): string {
  if (position === 17) {
    if (ch === 'X') return '';
    if (TO_DIGIT[ch]) return TO_DIGIT[ch]!;
    if (/[KΧ×Y%]/.test(ch)) return 'X';
    return DIGIT_LOOKALIKES[ch] ?? '';
  }
  return TO_DIGIT[ch] ?? DIGIT_LOOKALIKES[ch] ?? '';
}

/**
 * A repaired ID number when exactly one single-character OCR confusion (O→0, I→1, Z→2, S→5,
 * B→8, 8↔3 …) makes the whole number valid and no other such substitution does; otherwise null
 * (also null when the number is already valid or cannot be 18 characters).
 */
export function repairIdNumber(raw: string): string | null {
  const normalized = compactCode(raw);
  if (normalized.length !== 18 || checkIdNumber(normalized).valid) return null;
  const nonDigits = [...normalized.slice(0, 17)].filter((c) => !/\d/.test(c)).length + (/[\dX]/.test(normalized[17]!) ? 0 : 1);
  if (nonDigits > 1) return null;
  const found = new Set<string>();
  for (let i = 0; i < 18; i++) {
    const ch = normalized[i]!;
    const isValidChar = i === 17 ? /[\dX]/.test(ch) : /\d/.test(ch);
    // With one impossible character, only that one may change.
    if (nonDigits === 1 && isValidChar) continue;
    for (const to of candidatesAt(ch, i)) {
      const candidate = normalized.slice(0, i) + to + normalized.slice(i + 1);
      if (checkIdNumber(candidate).valid) found.add(candidate);
    }
  }
  return found.size === 1 ? [...found][0]! : null;
}
