import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  formatOfficialCaseNo,
  formatProvisionalCaseNo,
  hallCaseCode,
  isProvisionalCaseNo,
  officeCaseCode,
  parseOfficialCaseNo,
  parseProvisionalCaseNo,
} from './numbers.js';

const OFFICES = [
  { id: 'qihe-county', prefix: '' },
  { id: 'qihe-edz', prefix: 'K', parent: 'qihe-county' },
  { id: 'qihe-town', prefix: 'T', parent: 'qihe-county' },
];

describe('provisional case numbers (made by a window, also offline)', () => {
  it('read 临 + office prefix + window number, business date, the window’s counter of the day', () => {
    expect(formatProvisionalCaseNo({ officePrefix: '', windowNo: 3, businessDate: '2026-11-28', counter: 7 })).toBe('临03-20261128-007');
    expect(formatProvisionalCaseNo({ officePrefix: 'K', windowNo: 1, businessDate: '2026-11-28', counter: 2 })).toBe('临K01-20261128-002');
    expect(formatProvisionalCaseNo({ officePrefix: '', windowNo: 112, businessDate: '2026-01-05', counter: 1234 })).toBe('临112-20260105-1234');
  });

  it('parse back to their parts, and differ for different windows, offices, days or counters', () => {
    const parts = fc.record({
      officePrefix: fc.constantFrom('', 'K', 'T', 'AB'),
      windowNo: fc.integer({ min: 1, max: 999 }),
      businessDate: fc.date({ min: new Date('2020-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      counter: fc.integer({ min: 1, max: 999_999 }),
    });
    fc.assert(
      fc.property(parts, parts, (a, b) => {
        const na = formatProvisionalCaseNo(a);
        expect(parseProvisionalCaseNo(na)).toEqual(a);
        expect(isProvisionalCaseNo(na)).toBe(true);
        expect(na.length).toBeLessThanOrEqual(40);
        const same = a.officePrefix === b.officePrefix && a.windowNo === b.windowNo && a.businessDate === b.businessDate && a.counter === b.counter;
        expect(na === formatProvisionalCaseNo(b)).toBe(same);
      }),
    );
  });

  it('refuse parts that would make an ambiguous number', () => {
    const ok = { officePrefix: '', windowNo: 3, businessDate: '2026-11-28', counter: 7 };
    expect(() => formatProvisionalCaseNo({ ...ok, windowNo: 0 })).toThrow(RangeError);
    expect(() => formatProvisionalCaseNo({ ...ok, windowNo: 1000 })).toThrow(RangeError);
    expect(() => formatProvisionalCaseNo({ ...ok, counter: 0 })).toThrow(RangeError);
    expect(() => formatProvisionalCaseNo({ ...ok, counter: 1.5 })).toThrow(RangeError);
    expect(() => formatProvisionalCaseNo({ ...ok, businessDate: '20261128' })).toThrow(RangeError);
    expect(() => formatProvisionalCaseNo({ ...ok, officePrefix: 'k' })).toThrow(RangeError);
    expect(parseProvisionalCaseNo('QIHE-2026-000001')).toBeNull();
    expect(parseProvisionalCaseNo('临03-2026112-007')).toBeNull();
  });
});

describe('official case numbers (given by the hall, per office and year)', () => {
  it('the county hall numbers as QIHE-<year>-<6 digits>, a branch with its own prefix', () => {
    expect(hallCaseCode('qihe-county')).toBe('QIHE');
    expect(officeCaseCode(OFFICES, 'qihe-county')).toBe('QIHE');
    expect(officeCaseCode(OFFICES, 'qihe-edz')).toBe('QIHE-K');
    expect(formatOfficialCaseNo('QIHE', 2026, 123)).toBe('QIHE-2026-000123');
    expect(formatOfficialCaseNo('QIHE-K', 2026, 45)).toBe('QIHE-K-2026-000045');
    expect(formatOfficialCaseNo('QIHE', 2026, 1_234_567)).toBe('QIHE-2026-1234567');
  });

  it('every office of a hall has its own series', () => {
    const codes = OFFICES.map((o) => officeCaseCode(OFFICES, o.id));
    expect(new Set(codes).size).toBe(OFFICES.length);
    // A sub-branch takes the hall code of its root office.
    expect(officeCaseCode([...OFFICES, { id: 'x-sub', prefix: 'S', parent: 'qihe-edz' }], 'x-sub')).toBe('QIHE-S');
  });

  it('parse back, never look provisional, and differ whenever office, year or counter differ', () => {
    const arb = fc.record({ office: fc.constantFrom(...OFFICES.map((o) => o.id)), year: fc.integer({ min: 2000, max: 9999 }), n: fc.integer({ min: 1, max: 99_999_999 }) });
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        const na = formatOfficialCaseNo(officeCaseCode(OFFICES, a.office), a.year, a.n);
        expect(parseOfficialCaseNo(na)).toEqual({ code: officeCaseCode(OFFICES, a.office), year: a.year, n: a.n });
        expect(isProvisionalCaseNo(na)).toBe(false);
        expect(parseProvisionalCaseNo(na)).toBeNull();
        expect(na.length).toBeLessThanOrEqual(40);
        const nb = formatOfficialCaseNo(officeCaseCode(OFFICES, b.office), b.year, b.n);
        expect(na === nb).toBe(a.office === b.office && a.year === b.year && a.n === b.n);
      }),
    );
  });

  it('refuses an unknown office, a bad code, year or counter', () => {
    expect(() => officeCaseCode(OFFICES, 'nowhere')).toThrow(RangeError);
    expect(() => formatOfficialCaseNo('qihe', 2026, 1)).toThrow(RangeError);
    expect(() => formatOfficialCaseNo('QIHE', 26, 1)).toThrow(RangeError);
    expect(() => formatOfficialCaseNo('QIHE', 2026, 0)).toThrow(RangeError);
    expect(hallCaseCode('9-x')).toBe('H9');
    expect(parseOfficialCaseNo('临03-20261128-007')).toBeNull();
  });
});
