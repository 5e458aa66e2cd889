/**
 * Case numbers (办件编号). Pure formatting: the counters belong to the caller.
 *
 * Provisional (临时编号), made by a window when it opens a case, also offline:
 *   临<office prefix><window no, 2 digits>-<business date YYYYMMDD>-<the window's counter of the day, 3 digits>
 *   e.g. 临03-20261128-007 (county hall, window 3) or 临K01-20261128-002 (开发区 branch, prefix K, window 1).
 *   Unique in the hall: window numbers are unique in an office, ticket prefixes unique among offices,
 *   and the counter is per window and business day.
 *
 * Official (正式编号), given by the hall server only, per office and year:
 *   <hall code>[-<office prefix>]-<year>-<the office's counter of the year, 6 digits>
 *   e.g. QIHE-2026-000123 (county hall, no prefix) and QIHE-K-2026-000045 (branch with prefix K).
 *   The hall code is the first segment of the root office's id in capitals ('qihe-county' → QIHE),
 *   the same for every office of the hall; the office part is its ticket prefix, which the hall
 *   configuration keeps unique among offices — so two offices never share a number series. A number
 *   never starts with 临, so the two kinds cannot be confused.
 */

export const PROVISIONAL_MARK = '临';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PREFIX = /^[A-Z]{0,2}$/;

function whole(n: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(n) || n < min || n > max) throw new RangeError(`${what} must be a whole number in [${min}, ${max}], got ${n}`);
}

function prefix(p: string): string {
  if (!PREFIX.test(p)) throw new RangeError(`office prefix must be 0-2 capital letters, got "${p}"`);
  return p;
}

export interface ProvisionalParts {
  officePrefix: string;
  windowNo: number;
  /** YYYY-MM-DD in the hall's time zone. */
  businessDate: string;
  /** The window's n-th case of the business day (1-based). */
  counter: number;
}

export function formatProvisionalCaseNo(p: ProvisionalParts): string {
  whole(p.windowNo, 1, 999, 'window number');
  whole(p.counter, 1, 999_999, 'counter');
  const d = DATE.exec(p.businessDate);
  if (!d) throw new RangeError(`business date must be YYYY-MM-DD, got "${p.businessDate}"`);
  return `${PROVISIONAL_MARK}${prefix(p.officePrefix)}${String(p.windowNo).padStart(2, '0')}-${d[1]}${d[2]}${d[3]}-${String(p.counter).padStart(3, '0')}`;
}

const PROVISIONAL = /^临([A-Z]{0,2})(\d{2,3})-(\d{4})(\d{2})(\d{2})-(\d{3,6})$/;

export function parseProvisionalCaseNo(s: string): ProvisionalParts | null {
  const m = PROVISIONAL.exec(s);
  if (!m) return null;
  return { officePrefix: m[1]!, windowNo: Number(m[2]), businessDate: `${m[3]}-${m[4]}-${m[5]}`, counter: Number(m[6]) };
}

export function isProvisionalCaseNo(s: string): boolean {
  return s.startsWith(PROVISIONAL_MARK);
}

/** The hall part of official numbers: the first segment of the root office's id, in capitals (at most 8). */
export function hallCaseCode(rootOfficeId: string): string {
  const first = (rootOfficeId.split('-')[0] ?? '').replace(/[^a-z0-9]/gi, '').toUpperCase().slice(0, 8);
  return /^[A-Z]/.test(first) ? first : `H${first}`.slice(0, 8);
}

interface OfficeLike {
  id: string;
  prefix: string;
  parent?: string | undefined;
}

/** The series code of an office's official numbers: hall code, then its ticket prefix if it has one. */
export function officeCaseCode(offices: readonly OfficeLike[], officeId: string): string {
  const byId = new Map(offices.map((o) => [o.id, o]));
  const office = byId.get(officeId);
  if (!office) throw new RangeError(`unknown office ${officeId}`);
  let root = office;
  for (let hops = 0; root.parent !== undefined && byId.has(root.parent) && hops < offices.length; hops++) root = byId.get(root.parent)!;
  const p = prefix(office.prefix);
  return p === '' ? hallCaseCode(root.id) : `${hallCaseCode(root.id)}-${p}`;
}

export function formatOfficialCaseNo(code: string, year: number, n: number): string {
  if (!/^[A-Z][A-Z0-9]{0,7}(-[A-Z]{1,2})?$/.test(code)) throw new RangeError(`case number code looks like QIHE or QIHE-K, got "${code}"`);
  whole(year, 2000, 9999, 'year');
  whole(n, 1, 99_999_999, 'number');
  return `${code}-${year}-${String(n).padStart(6, '0')}`;
}

const OFFICIAL = /^([A-Z][A-Z0-9]{0,7}(?:-[A-Z]{1,2})?)-(\d{4})-(\d{6,8})$/;

export function parseOfficialCaseNo(s: string): { code: string; year: number; n: number } | null {
  const m = OFFICIAL.exec(s);
  return m ? { code: m[1]!, year: Number(m[2]), n: Number(m[3]) } : null;
}
