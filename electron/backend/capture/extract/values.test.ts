import { describe, expect, it } from 'vitest';
import { amountYuan, chineseText, creditCode, date, dateTime, idNumber, personName, standardScopeTail, validity } from './values.js';

describe('dates as printed become ISO dates', () => {
  it.each([
    ['1985年3月7日', '1985-03-07'],
    ['1985 年 3 月 7 日', '1985-03-07'],
    ['２０１９年０５月２０日', '2019-05-20'],
    ['2017.03.02', '2017-03-02'],
  ])('%s → %s', (raw, iso) => expect(date(raw)).toEqual({ value: iso, valid: true }));

  it('refuses a day that does not exist', () => {
    expect(date('2023年2月29日').valid).toBe(false);
  });

  it('reads a birth time with hours and minutes', () => {
    expect(dateTime('2022年09月13日08时16分').value).toBe('2022-09-13T08:16');
    expect(dateTime('2022年09月13日').valid).toBe(false);
  });

  it('splits a validity period, long-term included', () => {
    expect(validity('2017.03.02-2037.03.02').map((v) => v.value)).toEqual(['2017-03-02', '2037-03-02']);
    expect(validity('2020.01.01-长期').map((v) => v.value)).toEqual(['2020-01-01', '长期']);
  });
});

describe('identifiers are repaired only when the check character proves it', () => {
  it('upper-cases a trailing x and folds full-width digits', () => {
    expect(idNumber('３７１４２５１９８５０３０７００１x')).toEqual({ value: '37142519850307001X', valid: true });
  });

  it('turns a letter O among the digits into 0 when that alone makes the number valid', () => {
    expect(idNumber('371425198503O7001X')).toEqual({ value: '37142519850307001X', valid: true, repairedFrom: '371425198503O7001X' });
  });

  it('leaves a wrong digit alone: a digit-for-digit guess is not proof', () => {
    const r = idNumber('37142519850307002X');
    expect(r.valid).toBe(false);
    expect(r.value).toBe('37142519850307002X');
    expect(r.problem).toMatch(/校验码/);
  });

  it('keeps the 18 characters of a code read together with other text', () => {
    expect(creditCode('91371425MA3C8FRA17营业执照').value).toBe('91371425MA3C8FRA17');
  });

  it('turns an I (never used in credit codes) into 1 when the check character agrees', () => {
    expect(creditCode('9I371425MA3C8FRA17')).toEqual({ value: '91371425MA3C8FRA17', valid: true, repairedFrom: '9I371425MA3C8FRA17' });
    expect(creditCode('91371425MA3C8FRA18').valid).toBe(false);
  });
});

describe('text', () => {
  it('keeps Chinese punctuation full-width and digits half-width, without spaces', () => {
    expect(chineseText('一般项目: 餐饮服务; 食品销售(仅销售预包装食品).')).toBe('一般项目：餐饮服务；食品销售（仅销售预包装食品）。');
    expect(chineseText('齐鲁大道１２３号')).toBe('齐鲁大道123号');
  });

  it('puts back a bracket lost around the standard closing words of a business scope, and ； misread as ：', () => {
    expect(standardScopeTail('一般项目：软件开发。除依法须经批准的项目外，凭营业执照依法自主开展经营活动）')).toBe('一般项目：软件开发。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）');
    expect(standardScopeTail('一般项目：软件开发（除外')).toBe('一般项目：软件开发（除外');
    expect(standardScopeTail('一般项目：软件开发：信息技术咨询服务。许可项目：餐饮服务')).toBe('一般项目：软件开发；信息技术咨询服务。许可项目：餐饮服务');
  });

  it('keeps only the characters of a name', () => {
    expect(personName('张 三丰:').value).toBe('张三丰');
    expect(personName('买买提·艾力').value).toBe('买买提·艾力');
    expect(personName('张').valid).toBe(false);
  });

  it.each([
    ['壹佰万元整', 1_000_000],
    ['人民币伍拾万元整', 500_000],
    ['贰仟伍佰万元', 25_000_000],
    ['100万元', 1_000_000],
    ['12.5万元', 125_000],
  ])('amount %s = %d yuan', (raw, yuan) => expect(amountYuan(raw)).toBe(yuan));
});
