import { describe, expect, it } from 'vitest';
import { fieldProblem, normalizeFieldValue } from './field-checks.js';

const TODAY = '2026-03-02';
const ok = (type: Parameters<typeof fieldProblem>[0]['type'], v: string) => fieldProblem({ type }, normalizeFieldValue({ type }, v), TODAY);

describe('form values by field type', () => {
  it('checks ID numbers with GB 11643 (check character, real date, region) and stores them compact and upper-case', () => {
    expect(normalizeFieldValue({ type: 'idNumber' }, ' 37142519900307123x ')).toBe('37142519900307123X');
    expect(ok('idNumber', '11010519491231002X')).toBeNull();
    expect(ok('idNumber', '110105194912310021')).toMatch(/校验|末位|第18位/);
    expect(ok('idNumber', '1101051949123100')).toMatch(/18位/);
    expect(ok('idNumber', '110105202712310025')).toMatch(/晚于/);
  });

  it('checks unified social credit codes with GB 32100', () => {
    expect(ok('uscc', '91350100M000100Y43')).toBeNull();
    expect(ok('uscc', '91350100M000100Y44')).not.toBeNull();
    expect(ok('uscc', '9135')).toMatch(/18位/);
  });

  it('takes real days only, written as 2026-02-28, 2026/2/28 or 2026年2月28日 and stored as 2026-02-28', () => {
    expect(ok('date', '2026-02-28')).toBeNull();
    expect(ok('date', '2026-02-29')).toMatch(/不是真实的日期/);
    expect(normalizeFieldValue({ type: 'date' }, '2026年2月28日')).toBe('2026-02-28');
    expect(ok('date', '2026/02/28')).toBeNull();
    expect(ok('date', '28.2.2026')).toMatch(/无法识别日期/);
  });

  it('checks phones, numbers, money, areas, choices, yes/no and addresses', () => {
    expect(ok('phone', '138 0534 1234')).toBeNull();
    expect(ok('phone', '0534-5321234')).toBeNull();
    expect(ok('phone', '12345')).not.toBeNull();
    expect(ok('number', '12')).toBeNull();
    expect(ok('number', '十二')).not.toBeNull();
    expect(ok('money', '1,000.50')).toBeNull();
    expect(ok('money', '-1')).not.toBeNull();
    expect(ok('area', '0')).not.toBeNull();
    expect(ok('area', '85.5')).toBeNull();
    expect(fieldProblem({ type: 'enum', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] }, 'c', TODAY)).toMatch(/可选/);
    expect(fieldProblem({ type: 'enum', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] }, 'a', TODAY)).toBeNull();
    expect(ok('boolean', 'true')).toBeNull();
    expect(ok('boolean', '是')).not.toBeNull();
    expect(ok('address', '齐河县')).toMatch(/详细地址/);
    expect(ok('address', '齐河县晏城街道齐鲁大街1号')).toBeNull();
    expect(ok('string', '任何文字')).toBeNull();
  });
});
