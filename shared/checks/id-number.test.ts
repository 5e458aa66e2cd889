import { describe, expect, it } from 'vitest';
import { checkIdNumber, idCheckChar, repairIdNumber } from './id-number.js';

// Vectors computed with an independent implementation of GB 11643 (weights 7 9 10 5 8 4 2 1 6 3
// 7 9 10 5 8 4 2, check `10X98765432`[sum mod 11]), not taken from memory.
describe('checkIdNumber', () => {
  it('accepts a Qihe number and reads birth date, sex and region', () => {
    expect(checkIdNumber('371425199003070018', { on: '2026-05-01' })).toEqual({
      valid: true, reason: null, normalized: '371425199003070018',
      birthDate: '1990-03-07', sex: 'M', region: '山东省德州市齐河县', regionCode: '371425', age: 36,
    });
  });

  it('normalises a lower-case x check character to X', () => {
    const r = checkIdNumber('11010519491231002x');
    expect(r.valid).toBe(true);
    expect(r.normalized).toBe('11010519491231002X');
    expect(r.sex).toBe('F');
    expect(r.region).toBe('北京市');
  });

  it('normalises full-width digits and spaces', () => {
    const r = checkIdNumber(' ３７１４２５ １９９００３０７ ００１８ ');
    expect(r).toMatchObject({ valid: true, normalized: '371425199003070018' });
  });

  it('refuses 19990230 as a birth date even with a correct check character', () => {
    expect(idCheckChar('37142519990230002')).toBe('4');
    const r = checkIdNumber('371425199902300024');
    expect(r.valid).toBe(false);
    expect(r.reason).toContain('19990230');
    expect(r.birthDate).toBeUndefined();
  });

  it('knows leap years: 19760229 is real, 19990229 and 19000229 are not', () => {
    expect(checkIdNumber('371425197602290048').valid).toBe(true);
    expect(checkIdNumber('371425199902290014').reason).toContain('19990229');
    expect(checkIdNumber('371425190002290018').reason).toContain('19000229');
  });

  it('refuses a wrong check character', () => {
    const r = checkIdNumber('371425199003070019');
    expect(r.valid).toBe(false);
    expect(r.reason).toContain('校验码不符');
    expect(r.birthDate).toBe('1990-03-07');
  });

  it('refuses region codes that do not exist, naming the code', () => {
    expect(checkIdNumber('991425199003070013').reason).toBe('地区代码991425不存在');
    expect(checkIdNumber('371499199003070012').reason).toBe('地区代码371499不存在');
    expect(checkIdNumber('379901199003070011').reason).toBe('地区代码379901不存在');
  });

  it('accepts numbers issued under the former 德州地区 code (372425…), which holders keep for life', () => {
    expect(checkIdNumber('372425196508120030')).toMatchObject({ valid: true, region: '山东省德州地区（旧区划代码）', sex: 'M' });
    expect(checkIdNumber('379925196508120034').reason).toBe('地区代码379925不存在');
  });

  it('refuses a birth before 1900 or after the reference date', () => {
    expect(checkIdNumber('371425189912310016').valid).toBe(false);
    expect(checkIdNumber('371425203001010010', { on: '2026-05-01' }).reason).toContain('晚于2026-05-01');
  });

  it('computes age on a date, turning 18 on the birthday', () => {
    expect(checkIdNumber('371425200808151232', { on: '2026-08-14' }).age).toBe(17);
    expect(checkIdNumber('371425200808151232', { on: '2026-08-15' }).age).toBe(18);
  });

  it('explains wrong length, letters and 15-digit numbers in Chinese', () => {
    expect(checkIdNumber('').reason).toBe('未填写身份证号码');
    expect(checkIdNumber('37142519900307001').reason).toBe('身份证号码应为18位，当前为17位');
    expect(checkIdNumber('3714251990O3070018').reason).toContain('第11位“O”不是数字');
    expect(checkIdNumber('371425900307001').reason).toContain('15位');
    expect(checkIdNumber('37142519900307001Y').reason).toContain('第18位');
  });
});

describe('repairIdNumber', () => {
  it('repairs a single OCR confusion that makes the number valid', () => {
    expect(repairIdNumber('3714251990O3070018')).toBe('371425199003070018');
    expect(repairIdNumber('37142519900307001B')).toBe('371425199003070018');
    expect(repairIdNumber('3714Z5199003070018')).toBe('371425199003070018');
    expect(repairIdNumber('371425l99003070018')).toBe('371425199003070018');
  });

  it('refuses when two substitutions would each make it valid', () => {
    // 9→8 at the end and 0→8 at position 16 both give valid numbers.
    expect(checkIdNumber('371425199003070819').valid).toBe(true);
    expect(repairIdNumber('371425199003070019')).toBeNull();
  });

  it('refuses when the confusion does not make the checksum valid, or two characters are wrong', () => {
    expect(repairIdNumber('3714251990O3070019')).toBeNull();
    expect(repairIdNumber('3714251990O3O70018')).toBeNull();
  });

  it('returns null for a valid number and for wrong lengths', () => {
    expect(repairIdNumber('371425199003070018')).toBeNull();
    expect(repairIdNumber('37142519900307001')).toBeNull();
  });
});
