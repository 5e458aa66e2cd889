import { describe, expect, it } from 'vitest';
import { shippedCalendar } from './test-support.js';
import { addWorkingDays, buildCalendar, CalendarYear, isWorkingDay } from './working-days.js';

const cal = shippedCalendar();

describe('addWorkingDays over the 2026 holiday calendar', () => {
  it('counts from the next day: accepted on a Monday with 3 days is due on Thursday', () => {
    expect(addWorkingDays('2026-03-09', 3, cal)).toBe('2026-03-12');
  });

  it('is the same day for 即办 (0 days)', () => {
    expect(addWorkingDays('2026-03-09', 0, cal)).toBe('2026-03-09');
  });

  it('skips an ordinary weekend', () => {
    expect(addWorkingDays('2026-03-13', 1, cal)).toBe('2026-03-16'); // Friday → Monday
  });

  it('skips the National Day holiday and counts the adjusted Saturday 10 October as a working day', () => {
    // Wednesday 30 September: 1 Oct–7 Oct off, Thursday 8 Oct, Friday 9 Oct, Saturday 10 Oct (调休上班).
    expect(addWorkingDays('2026-09-30', 1, cal)).toBe('2026-10-08');
    expect(addWorkingDays('2026-09-30', 3, cal)).toBe('2026-10-10');
    expect(addWorkingDays('2026-09-30', 4, cal)).toBe('2026-10-12');
  });

  it('counts the adjusted Sunday 20 September before National Day', () => {
    expect(isWorkingDay('2026-09-20', cal)).toBe(true);
    expect(addWorkingDays('2026-09-18', 1, cal)).toBe('2026-09-20');
  });

  it('runs through the Spring Festival: the Saturday before is worked, nine days are off', () => {
    expect(isWorkingDay('2026-02-14', cal)).toBe(true);
    expect(isWorkingDay('2026-02-16', cal)).toBe(false);
    // Friday 13 Feb + 1 = Saturday 14 Feb (调休); + 2 = Tuesday 24 Feb, the first day back.
    expect(addWorkingDays('2026-02-13', 1, cal)).toBe('2026-02-14');
    expect(addWorkingDays('2026-02-13', 2, cal)).toBe('2026-02-24');
  });

  it('treats a statutory 20-working-day limit from mid-December as running into the (provisional) 2027 calendar', () => {
    expect(addWorkingDays('2026-12-21', 10, cal)).toBe('2027-01-05'); // 1 Jan 2027 (Friday) is a holiday
    expect(cal.provisionalYears.has(2027)).toBe(true);
  });

  it('refuses a date outside the calendar, a negative count and a date that does not exist', () => {
    expect(() => addWorkingDays('2025-06-01', 1, cal)).toThrow(/2025年节假日/);
    expect(() => addWorkingDays('2026-06-01', -1, cal)).toThrow();
    expect(() => addWorkingDays('2026-02-30', 1, cal)).toThrow(/日期/);
  });
});

describe('CalendarYear', () => {
  it('refuses an adjusted working day that is not a weekend and a holiday outside its year', () => {
    const r = CalendarYear.safeParse({
      year: 2026,
      status: 'official',
      source: 'test',
      holidays: [{ name: '元旦', days: ['2025-12-31'], adjustedWorkdays: ['2026-01-05'] }],
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message).join('\n')).toMatch(/not in 2026[\s\S]*not a weekend/);
  });

  it('builds a calendar that knows which years it covers', () => {
    const c = buildCalendar([{ year: 2030, status: 'provisional', source: 't', holidays: [{ name: 'x', days: ['2030-01-01'], adjustedWorkdays: [] }] }]);
    expect(isWorkingDay('2030-01-01', c)).toBe(false);
    expect(isWorkingDay('2030-01-02', c)).toBe(true);
  });
});
