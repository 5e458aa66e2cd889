import { describe, expect, it } from 'vitest';
import { checkCreditCode, creditCheckChar, repairCreditCode } from './credit-code.js';

// Vectors computed with an independent implementation of GB 32100 (alphabet 0-9A-HJ-NPQRTUWXY,
// weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28, check (31 − sum mod 31) mod 31).
describe('checkCreditCode', () => {
  it('accepts an enterprise code and names authority, type and region', () => {
    expect(checkCreditCode('91371425MA3C8K7P1B')).toEqual({
      valid: true, reason: null, normalized: '91371425MA3C8K7P1B',
      registrationAuthority: '工商（市场监管）', entityType: '企业', region: '山东省德州市齐河县', regionCode: '371425',
    });
  });

  it('accepts other authorities and types', () => {
    expect(checkCreditCode('92371425MA3BRT012G')).toMatchObject({ valid: true, entityType: '个体工商户' });
    expect(checkCreditCode('52371425MAB0123X5R')).toMatchObject({ valid: true, registrationAuthority: '民政', entityType: '民办非企业单位' });
    expect(checkCreditCode('91110000100000000R')).toMatchObject({ valid: true, region: '北京市' });
    expect(checkCreditCode('123714250045601237')).toMatchObject({ valid: true, entityType: '事业单位' });
  });

  it('normalises lower case, full width and spaces', () => {
    expect(checkCreditCode('91371425ma3c8k7p1b').normalized).toBe('91371425MA3C8K7P1B');
    expect(checkCreditCode('９１３７１４２５ＭＡ３Ｃ ８Ｋ７Ｐ１Ｂ').valid).toBe(true);
  });

  it('refuses the letters I, O, S, V and Z, with a hint', () => {
    const o = checkCreditCode('91371425MA3C8K7PO8');
    expect(o.valid).toBe(false);
    expect(o.reason).toBe('统一社会信用代码不使用字母I、O、S、V、Z：第17位是“O”，可能是数字0');
    expect(checkCreditCode('91371425MA3C8K7PIB').reason).toContain('第17位是“I”，可能是数字1');
    for (const letter of 'ISVZ') expect(checkCreditCode(`91371425MA3C8K7P1${letter}`).valid).toBe(false);
  });

  it('refuses a wrong check character', () => {
    expect(creditCheckChar('91371425MA3C8K7P1')).toBe('B');
    const r = checkCreditCode('91371425MA3C8K7P1C');
    expect(r.valid).toBe(false);
    expect(r.reason).toContain('校验码不符');
  });

  it('refuses unknown authorities, entity types, non-digit regions and wrong lengths', () => {
    expect(checkCreditCode('B1371425MA3C8K7P1B').reason).toContain('登记管理部门代码“B”不存在');
    expect(checkCreditCode('94371425MA3C8K7P1B').reason).toContain('机构类别代码“4”');
    expect(checkCreditCode('9137142AMA3C8K7P1B').reason).toContain('行政区划码');
    expect(checkCreditCode('91371425MA3C8K7P1').reason).toBe('统一社会信用代码应为18位，当前为17位');
    expect(checkCreditCode('').reason).toBe('未填写统一社会信用代码');
  });
});

describe('repairCreditCode', () => {
  it('repairs a single letter the alphabet never uses', () => {
    expect(repairCreditCode('91371425MA3C8K7PO8')).toBe('91371425MA3C8K7P08');
    expect(repairCreditCode('91371425MA3C8K7PIB')).toBe('91371425MA3C8K7P1B');
  });

  it('repairs B↔8 within the alphabet when only one such change is valid', () => {
    expect(repairCreditCode('91371425MA3CBK7P1B')).toBe('91371425MA3C8K7P1B');
  });

  it('returns null when nothing or more than one change would help', () => {
    expect(repairCreditCode('91371425MA3C8K7P1B')).toBeNull();
    expect(repairCreditCode('91371425MA3C8K7PO9')).toBeNull();
    expect(repairCreditCode('9I371425MA3C8K7PO8')).toBeNull();
  });
});
