import { z } from 'zod';
import { AppError } from '../errors.js';

/**
 * The holiday calendar (resources/calendar/<year>.json): the public holidays and the adjusted
 * working days (调休, usually a Saturday or Sunday) of one year, as the State Council's notice
 * sets them. A year not yet announced may be shipped as `provisional` (statutory days only).
 */
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

export const CalendarYear = z
  .strictObject({
    year: z.number().int().min(2000).max(2100),
    status: z.enum(['official', 'provisional']),
    source: z.string().min(1),
    holidays: z
      .array(
        z.strictObject({
          name: z.string().min(1),
          /** Days off, inclusive, weekends within the break included. */
          days: z.array(IsoDate).min(1),
          /** Weekend days worked instead (调休上班). */
          adjustedWorkdays: z.array(IsoDate).default([]),
        }),
      )
      .min(1),
  })
  .superRefine((c, ctx) => {
    c.holidays.forEach((h, i) => {
      for (const [kind, list] of [['days', h.days], ['adjustedWorkdays', h.adjustedWorkdays]] as const) {
        list.forEach((d, j) => {
          if (!isRealDate(d)) ctx.addIssue({ code: 'custom', path: ['holidays', i, kind, j], message: `"${d}" is not a real date` });
          else if (kind === 'days' && Number(d.slice(0, 4)) !== c.year) ctx.addIssue({ code: 'custom', path: ['holidays', i, kind, j], message: `holiday ${d} is not in ${c.year}` });
          else if (kind === 'adjustedWorkdays' && !isWeekend(d)) ctx.addIssue({ code: 'custom', path: ['holidays', i, kind, j], message: `adjusted working day ${d} is not a weekend day` });
        });
      }
    });
  });
export type CalendarYear = z.infer<typeof CalendarYear>;

/** Working-day lookups over one or more calendar years. */
export interface WorkingCalendar {
  holidays: ReadonlySet<string>;
  adjustedWorkdays: ReadonlySet<string>;
  years: ReadonlySet<number>;
  provisionalYears: ReadonlySet<number>;
}

export function buildCalendar(years: readonly CalendarYear[]): WorkingCalendar {
  const holidays = new Set<string>();
  const adjusted = new Set<string>();
  for (const y of years) {
    for (const h of y.holidays) {
      for (const d of h.days) holidays.add(d);
      for (const d of h.adjustedWorkdays) adjusted.add(d);
    }
  }
  return {
    holidays,
    adjustedWorkdays: adjusted,
    years: new Set(years.map((y) => y.year)),
    provisionalYears: new Set(years.filter((y) => y.status === 'provisional').map((y) => y.year)),
  };
}

function toUtc(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function isRealDate(date: string): boolean {
  const d = toUtc(date);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

function isWeekend(date: string): boolean {
  const dow = toUtc(date).getUTCDay();
  return dow === 0 || dow === 6;
}

function nextDay(date: string): string {
  const d = toUtc(date);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function requireYear(date: string, cal: WorkingCalendar): void {
  const year = Number(date.slice(0, 4));
  if (!cal.years.has(year)) {
    throw new AppError('internal', `缺少${year}年节假日安排，无法计算办结时限，请更新节假日日历。`, `no holiday calendar for ${year} (date ${date})`);
  }
}

/** Whether a date (YYYY-MM-DD) is a working day: a weekday that is not a holiday, or an adjusted working day. */
export function isWorkingDay(date: string, cal: WorkingCalendar): boolean {
  if (!isRealDate(date)) throw new AppError('bad_request', '日期格式不正确。', `not a date: ${date}`);
  requireYear(date, cal);
  if (cal.adjustedWorkdays.has(date)) return true;
  if (cal.holidays.has(date)) return false;
  return !isWeekend(date);
}

/**
 * The n-th working day after `date` (the day of acceptance is not counted): a matter accepted on a
 * Friday with a promise of 1 working day is due on the following working Monday. n = 0 (即办) is the
 * date itself. Throws when the count runs into a year the calendar does not cover.
 */
export function addWorkingDays(date: string, n: number, cal: WorkingCalendar): string {
  if (!Number.isInteger(n) || n < 0) throw new AppError('bad_request', '办理时限必须是非负整数个工作日。', `bad working-day count ${n}`);
  if (!isRealDate(date)) throw new AppError('bad_request', '日期格式不正确。', `not a date: ${date}`);
  requireYear(date, cal);
  let d = date;
  let left = n;
  while (left > 0) {
    d = nextDay(d);
    if (isWorkingDay(d, cal)) left -= 1;
  }
  return d;
}
