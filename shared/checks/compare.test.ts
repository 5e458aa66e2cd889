import { describe, expect, it } from 'vitest';
import { compareValues, parseValidUntil } from './compare.js';
import { normalizeAddress, normalizeName } from './normalize-text.js';

describe('name comparison', () => {
  it('ignores width, spaces and traditional characters', () => {
    expect(compareValues('name', '张伟', '張偉')).toBe('same');
    expect(compareValues('name', '张 伟', '张伟')).toBe('same');
    expect(compareValues('name', '齐河县鲁齐商贸有限公司', '齊河縣魯齊商貿有限公司')).toBe('same');
    expect(compareValues('name', 'ＡＢＣ商贸(齐河)有限公司', 'ABC商贸（齐河）有限公司')).toBe('same');
  });

  it('unifies the separator dot of minority names', () => {
    expect(normalizeName('买买提·艾力')).toBe(normalizeName('买买提.艾力'));
    expect(compareValues('name', '买买提•艾力', '买买提·艾力')).toBe('same');
  });

  it('still tells different people apart', () => {
    expect(compareValues('name', '张伟', '张纬')).toBe('different');
    expect(compareValues('name', '张伟', '张伟伟')).toBe('different');
  });
});

describe('address comparison', () => {
  it('drops the province, prefecture and county people write or leave out', () => {
    expect(normalizeAddress('山东省德州市齐河县晏城街道齐鲁大街88号')).toBe('晏城街道齐鲁大街88号');
    expect(compareValues('address', '山东省德州市齐河县晏城街道齐鲁大街88号', '齐河县晏城街道齐鲁大街88号')).toBe('same');
    expect(compareValues('address', '山东德州齐河晏城街道齐鲁大街88号', '齐河县晏城街道齐鲁大街88号')).toBe('same');
  });

  it('treats 號 and 号, full-width digits and Chinese numerals alike', () => {
    expect(compareValues('address', '齊河縣晏城街道齊魯大街８８號', '齐河县晏城街道齐鲁大街88号')).toBe('same');
    expect(compareValues('address', '齐鲁大街八十八号', '齐鲁大街88号')).toBe('same');
    expect(compareValues('address', '齐鲁大街一百零八号3号楼二单元301室', '齐鲁大街108号3栋2单元301室')).toBe('same');
  });

  it('does not drop a street named after a city', () => {
    expect(normalizeAddress('德州路5号')).toBe('德州路5号');
    expect(compareValues('address', '德州路5号', '路5号')).not.toBe('same');
  });

  it('calls an address given in more detail partial, and another number different', () => {
    expect(compareValues('address', '齐河县晏城街道齐鲁大街88号', '齐鲁大街88号3单元201室')).toBe('partial');
    expect(compareValues('address', '齐河县晏城街道齐鲁大街88号', '齐河县晏城街道齐鲁大街99号')).toBe('different');
  });
});

describe('dates, codes and numbers', () => {
  it('compares dates written differently and reads validity ranges', () => {
    expect(compareValues('date', '2035-03-07', '2015.03.07-2035.03.07')).toBe('same');
    expect(compareValues('date', '2035-03-07', '2035年3月8日')).toBe('different');
    expect(compareValues('date', '不详', '2035-03-07')).toBe('unreadable');
    expect(parseValidUntil('2015.03.07-长期')).toBe('indefinite');
    expect(parseValidUntil('2015年03月07日至2035年03月07日')).toBe('2035-03-07');
  });

  it('compares ID numbers and credit codes after normalisation', () => {
    expect(compareValues('idNumber', '11010519491231002x', '11010519491231002X')).toBe('same');
    expect(compareValues('uscc', '91371425 ma3c8k7p1b', '91371425MA3C8K7P1B')).toBe('same');
  });

  it('compares amounts and areas as numbers', () => {
    expect(compareValues('amount', '100万元', '1,000,000')).toBe('same');
    expect(compareValues('area', '120.50㎡', '120.5')).toBe('same');
    expect(compareValues('area', '120', '121')).toBe('different');
  });
});
