import { z } from 'zod';

/**
 * Business days, weeks and months for the dashboard. A business day is a `YYYY-MM-DD` string in the
 * hall's time zone (the ticket's `businessDate`); weeks start on Monday (as the hall plans its rota),
 * months on the 1st. Date arithmetic is done on the calendar date alone (UTC), never on local clocks.
 */
export const DateString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => isValidDate(s), '日期不存在');

export const Bucket = z.enum(['day', 'week', 'month']);
export type Bucket = z.infer<typeof Bucket>;
export const BUCKET_LABEL: Record<Bucket, string> = { day: '按日', week: '按周', month: '按月' };

const DAY_MS = 86_400_000;

function parts(date: string): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

export function isValidDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const [y, m, d] = parts(date);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function toUtc(date: string): number {
  const [y, m, d] = parts(date);
  return Date.UTC(y, m - 1, d);
}

export function addDays(date: string, n: number): string {
  return fromUtc(toUtc(date) + n * DAY_MS);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtc(b) - toUtc(a)) / DAY_MS);
}

/** Every date from `from` to `to`, both included. */
export function eachDay(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = toUtc(from), end = toUtc(to); t <= end; t += DAY_MS) out.push(fromUtc(t));
  return out;
}

/** The Monday of the week holding `date`. */
export function weekStart(date: string): string {
  const dow = new Date(toUtc(date)).getUTCDay(); // 0 = Sunday
  return addDays(date, -((dow + 6) % 7));
}

export function monthStart(date: string): string {
  return `${date.slice(0, 8)}01`;
}

/** The first day of the bucket holding `date`. */
export function bucketStart(date: string, bucket: Bucket): string {
  return bucket === 'day' ? date : bucket === 'week' ? weekStart(date) : monthStart(date);
}

/** "3月4日", "3月3日–3月9日" (a week), "2025年3月" (a month). */
export function bucketLabel(start: string, bucket: Bucket): string {
  const [y, m, d] = parts(start);
  if (bucket === 'month') return `${y}年${m}月`;
  if (bucket === 'day') return `${m}月${d}日`;
  const [, m2, d2] = parts(addDays(start, 6));
  return `${m}月${d}日–${m2}月${d2}日`;
}

// One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one.
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The time zone's offset from UTC at `epochMs` (e.g. +8 h for Asia/Shanghai), in ms. */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  let f = offsetFormats.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormats.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const x of f.formatToParts(new Date(epochMs))) if (x.type !== 'literal') p[x.type] = Number(x.value);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/** The instant a business day begins in the hall's time zone (local midnight). */
export function dayStartMs(date: string, timeZone: string): number {
  const guess = toUtc(date);
  const first = guess - zoneOffsetMs(guess, timeZone);
  return guess - zoneOffsetMs(first, timeZone);
}
