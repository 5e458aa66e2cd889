import { describe, expect, it } from 'vitest';
import { checkArea, checkDate, checkMoney, checkNumber, checkPhone, parseAmount, parseDate } from './formats.js';

describe('checkPhone', () => {
  it('accepts mainland mobiles, with +86, spaces and full-width digits', () => {
    expect(checkPhone('13853412345')).toMatchObject({ valid: true, normalized: '13853412345', kind: 'mobile' });
    expect(checkPhone('+86 138 5341 2345')).toMatchObject({ valid: true, normalized: '13853412345' });
    expect(checkPhone('１３８５３４１２３４５')).toMatchObject({ valid: true, normalized: '13853412345' });
  });

  it('accepts landlines with an area code, and an extension', () => {
    expect(checkPhone('0534-5321234')).toMatchObject({ valid: true, normalized: '0534-5321234', kind: 'landline' });
    expect(checkPhone('010-62345678')).toMatchObject({ valid: true, normalized: '010-62345678' });
    expect(checkPhone('(0534)5321234转8001')).toMatchObject({ valid: true, normalized: '0534-5321234-8001' });
    expect(checkPhone('4008123123')).toMatchObject({ valid: true, kind: 'service' });
  });

  it('refuses short mobiles, unknown prefixes and landlines without an area code', () => {
    expect(checkPhone('1385341234').reason).toBe('手机号码应为11位，当前为10位');
    expect(checkPhone('12853412345').reason).toContain('号段不存在');
    expect(checkPhone('5321234').reason).toContain('区号');
    expect(checkPhone('abc').valid).toBe(false);
    expect(checkPhone('').reason).toBe('未填写联系电话');
  });
});

describe('dates', () => {
  it('reads the ways dates are written', () => {
    for (const s of ['2024-03-07', '2024.3.7', '2024/03/07', '2024年3月7日', '20240307', '２０２４年３月７日']) expect(parseDate(s)).toBe('2024-03-07');
  });

  it('refuses days that do not exist and text that is not a date', () => {
    expect(checkDate('2023-02-29').reason).toBe('2023-02-29不是真实的日期');
    expect(checkDate('2024-02-29').valid).toBe(true);
    expect(checkDate('下周一').reason).toContain('无法识别日期');
  });
});

describe('amounts, areas and counts', () => {
  it('reads amounts with separators, 元 and 万', () => {
    expect(parseAmount('1,000,000.00元')).toBe(1_000_000);
    expect(parseAmount('12.5万')).toBe(125_000);
    expect(parseAmount('￥３００')).toBe(300);
    expect(parseAmount('一百元')).toBeNull();
  });

  it('refuses negative amounts and fractions of a fen', () => {
    expect(checkMoney('-5').reason).toBe('金额不能为负数');
    expect(checkMoney('10.123').reason).toContain('两位小数');
    expect(checkMoney('10.12').valid).toBe(true);
    expect(checkMoney('十万').valid).toBe(false);
  });

  it('accepts areas with units and refuses zero, text and the implausible', () => {
    expect(checkArea('120.5㎡')).toMatchObject({ valid: true, normalized: '120.5' });
    expect(checkArea('80 平方米').valid).toBe(true);
    expect(checkArea('0').reason).toBe('面积应大于0');
    expect(checkArea('约100').valid).toBe(false);
    expect(checkArea('99999999').reason).toContain('超出合理范围');
  });

  it('accepts counts and percentages', () => {
    expect(checkNumber('12%').normalized).toBe('12');
    expect(checkNumber('五').valid).toBe(false);
  });
});
