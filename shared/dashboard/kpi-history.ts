import { COMBO, COMBO_WIDTH, countAtMost, type DayCube } from './cube.js';
import { percentilesOfRuns, type SortedRun } from './percentile.js';
import { bucketLabel, bucketStart, type Bucket } from './period.js';
import { QUOTE_WIDTH, QuoteTally, type QuoteSection } from './quotes.js';
import type { HourRow, KpiRow } from './views.js';

/**
 * Every ticket figure of the dashboard, computed from day cubes (cube.ts) and the windows' staffed
 * time. The same function serves a live "today", a year read from the hall's day table and a
 * re-derivation from the raw log, so they cannot disagree. Pure and exact: integer ms sums,
 * nearest-rank percentiles (percentile.ts).
 */
export interface KpiLabels {
  officeName(office: string): string;
  boardName(code: string): string;
  windowName(office: string, no: number): string;
  staffName(staffId: string): string;
  /** The office's wait target (policy.targetWaitMinutes) in ms. */
  targetMs(office: string): number;
}

export interface StaffedRow {
  office: string;
  day: string;
  windowNo: number;
  staffId: string;
  staffedMs: number;
}

export interface SummaryInput {
  cubes: readonly DayCube[];
  staffed: readonly StaffedRow[];
  /** Today's business date: open tickets of earlier days count as left without service. */
  today: string;
  bucket: Bucket;
  labels: KpiLabels;
  /** How many low ratings to list, most recent first (all are counted in the figures). Default 100. */
  lowsLimit?: number;
}

export interface LowRatingFact {
  ticketId: string;
  number: string;
  office: string;
  day: string;
  board: string;
  windowNo: number;
  staffId: string;
  level: number;
  reason: string;
}

export interface Summary {
  totals: KpiRow;
  series: KpiRow[];
  byBoard: KpiRow[];
  byWindow: KpiRow[];
  byStaff: KpiRow[];
  byOffice: KpiRow[];
  hours: HourRow[];
  /** The most recent low ratings (day, then number), at most `lowsLimit`; `totals.low` counts them all. */
  lows: LowRatingFact[];
  /** Quoted against actual wait: the whole range, each period, each board (quotes.ts). */
  quoted: QuoteSection;
}

/** One group's running figures: counts and sums, and the sorted runs its percentiles come from. */
class Group {
  issued = 0;
  called = 0;
  done = 0;
  noShow = 0;
  left = 0;
  open = 0;
  within = 0;
  waitSum = 0;
  waitMax = -1;
  serviceN = 0;
  serviceSum = 0;
  rated = 0;
  satisfied = 0;
  low = 0;
  ratingSum = 0;
  staffed = 0;
  readonly waits: SortedRun[] = [];
  readonly services: SortedRun[] = [];
  constructor(
    readonly key: string,
    readonly label: string,
  ) {}
}

/** The groups of one grouping (boards, windows, ...), created as their keys first appear. */
class Grouping {
  private readonly byKey = new Map<string, Group>();
  constructor(readonly hasStaffedTime: boolean) {}
  get(key: string, label: () => string): Group {
    let g = this.byKey.get(key);
    if (!g) this.byKey.set(key, (g = new Group(key, label())));
    return g;
  }
  rows(order: (a: KpiRow, b: KpiRow) => number): KpiRow[] {
    return [...this.byKey.values()].map((g) => kpiRow(g, this.hasStaffedTime)).sort(order);
  }
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export function summarise(input: SummaryInput): Summary {
  const { labels, today, bucket } = input;
  const cubes = [...input.cubes].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.office < b.office ? -1 : a.office > b.office ? 1 : 0));
  const total = new Grouping(true);
  const dims = { bucket: new Grouping(true), board: new Grouping(false), window: new Grouping(true), staff: new Grouping(true), office: new Grouping(true) };
  const officeOrder: string[] = [];
  const totalGroup = total.get('total', () => '合计');
  const hours = new Float64Array(72);
  const lows: LowRatingFact[] = [];
  const quoteTotal = new QuoteTally('total', '合计');
  const quoteBy = { bucket: new Map<string, QuoteTally>(), board: new Map<string, QuoteTally>() };
  const tally = (m: Map<string, QuoteTally>, key: string, label: () => string) => {
    let t = m.get(key);
    if (!t) m.set(key, (t = new QuoteTally(key, label())));
    return t;
  };

  for (const d of cubes) {
    if (!officeOrder.includes(d.office)) officeOrder.push(d.office);
    const b = bucketStart(d.day, bucket);
    const bucketGroup = dims.bucket.get(b, () => bucketLabel(b, bucket));
    const officeGroup = dims.office.get(d.office, () => labels.officeName(d.office));
    const target = labels.targetMs(d.office);
    const past = d.day < today;
    const c = d.combos;
    for (let o = 0; o < c.length; o += COMBO_WIDTH) {
      const code = String.fromCharCode(c[o + COMBO.board]!);
      const no = c[o + COMBO.windowNo]!;
      const staffId = c[o + COMBO.staff]! > 0 ? d.staffIds[c[o + COMBO.staff]! - 1]! : '';
      const groups = [totalGroup, bucketGroup, officeGroup, dims.board.get(code, () => labels.boardName(code))];
      if (no > 0) groups.push(dims.window.get(`${d.office}/${no}`, () => labels.windowName(d.office, no)));
      if (staffId) groups.push(dims.staff.get(staffId, () => labels.staffName(staffId)));
      const ws = c[o + COMBO.waitStart]!;
      const we = c[o + COMBO.waitEnd]!;
      const ss = c[o + COMBO.serviceStart]!;
      const se = c[o + COMBO.serviceEnd]!;
      const k = (o / COMBO_WIDTH) * 2;
      const within = countAtMost(d.waits, ws, we, target);
      const open = c[o + COMBO.open]!;
      for (const g of groups) {
        g.issued += c[o + COMBO.issued]!;
        g.called += c[o + COMBO.called]!;
        g.done += c[o + COMBO.done]!;
        g.noShow += c[o + COMBO.noShow]!;
        g.left += c[o + COMBO.cancelled]! + (past ? open : 0);
        g.open += past ? 0 : open;
        g.within += within;
        g.waitSum += d.sums[k]!;
        if (we > ws) g.waitMax = Math.max(g.waitMax, d.waits[we - 1]!);
        g.serviceN += se - ss;
        g.serviceSum += d.sums[k + 1]!;
        g.rated += c[o + COMBO.rated]!;
        g.satisfied += c[o + COMBO.satisfied]!;
        g.low += c[o + COMBO.low]!;
        g.ratingSum += c[o + COMBO.ratingSum]!;
        if (we > ws) g.waits.push({ a: d.waits, from: ws, to: we });
        if (se > ss) g.services.push({ a: d.services, from: ss, to: se });
      }
    }
    for (let i = 0; i < 72; i++) hours[i]! += d.hours[i]!;
    const q = d.quotes;
    for (let o = 0; o < q.length; o += QUOTE_WIDTH) {
      const code = String.fromCharCode(q[o]!);
      quoteTotal.add(q, o);
      tally(quoteBy.bucket, b, () => bucketLabel(b, bucket)).add(q, o);
      tally(quoteBy.board, code, () => labels.boardName(code)).add(q, o);
    }
  }
  // The most recent low ratings: days from the last, each day's by number, until the limit.
  const limit = input.lowsLimit ?? 100;
  for (let i = cubes.length - 1; i >= 0 && lows.length < limit; ) {
    const day: LowRatingFact[] = [];
    const date = cubes[i]!.day;
    for (; i >= 0 && cubes[i]!.day === date; i--) for (const l of cubes[i]!.lows) day.push({ ...l, office: cubes[i]!.office, day: date });
    day.sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : a.office < b.office ? -1 : 1));
    lows.push(...day.slice(0, limit - lows.length));
  }

  // Staffed time joins the windows, clerks, offices and periods that have tickets or staffed time.
  for (const r of input.staffed) {
    if (r.staffedMs <= 0) continue;
    const b = bucketStart(r.day, bucket);
    totalGroup.staffed += r.staffedMs;
    dims.bucket.get(b, () => bucketLabel(b, bucket)).staffed += r.staffedMs;
    dims.office.get(r.office, () => labels.officeName(r.office)).staffed += r.staffedMs;
    dims.window.get(`${r.office}/${r.windowNo}`, () => labels.windowName(r.office, r.windowNo)).staffed += r.staffedMs;
    if (r.staffId) dims.staff.get(r.staffId, () => labels.staffName(r.staffId)).staffed += r.staffedMs;
    if (!officeOrder.includes(r.office)) officeOrder.push(r.office);
  }

  const hourRows: HourRow[] = [];
  for (let h = 0; h < 24; h++) {
    const [issued, called, waitSum] = [hours[h * 3]!, hours[h * 3 + 1]!, hours[h * 3 + 2]!];
    if (issued > 0) hourRows.push({ hour: h, issued, called, waitAvgMs: called > 0 ? waitSum / called : null });
  }
  const windowOrder = (a: KpiRow, b: KpiRow) => {
    const [oa, na] = splitWindowKey(a.key);
    const [ob, nb] = splitWindowKey(b.key);
    return oa === ob ? na - nb : officeOrder.indexOf(oa) - officeOrder.indexOf(ob) || (oa < ob ? -1 : 1);
  };
  return {
    totals: kpiRow(totalGroup, true),
    series: dims.bucket.rows(byKey),
    byBoard: dims.board.rows(byKey),
    byWindow: dims.window.rows(windowOrder),
    byStaff: dims.staff.rows(byKey),
    byOffice: dims.office.rows((a, b) => officeOrder.indexOf(a.key) - officeOrder.indexOf(b.key)),
    hours: hourRows,
    lows,
    quoted: {
      totals: quoteTotal.row(),
      series: [...quoteBy.bucket.values()].map((t) => t.row()).sort(byKey),
      byBoard: [...quoteBy.board.values()].map((t) => t.row()).sort(byKey),
    },
  };
}

function splitWindowKey(key: string): [string, number] {
  const i = key.lastIndexOf('/');
  return [key.slice(0, i), Number(key.slice(i + 1))];
}

function kpiRow(g: Group, hasStaffedTime: boolean): KpiRow {
  const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
  const [waitMedianMs, waitP90Ms] = percentilesOfRuns(g.waits, g.called, [50, 90]);
  const [serviceMedianMs, serviceP90Ms] = percentilesOfRuns(g.services, g.serviceN, [50, 90]);
  const staffed = hasStaffedTime ? g.staffed : null;
  return {
    key: g.key,
    label: g.label,
    issued: g.issued,
    called: g.called,
    done: g.done,
    noShow: g.noShow,
    left: g.left,
    open: g.open,
    waitAvgMs: ratio(g.waitSum, g.called),
    waitMedianMs: waitMedianMs ?? null,
    waitP90Ms: waitP90Ms ?? null,
    waitMaxMs: g.waitMax >= 0 ? g.waitMax : null,
    withinTarget: g.within,
    withinTargetShare: ratio(g.within, g.called),
    serviceAvgMs: ratio(g.serviceSum, g.serviceN),
    serviceMedianMs: serviceMedianMs ?? null,
    serviceP90Ms: serviceP90Ms ?? null,
    noShowRate: ratio(g.noShow, g.issued),
    leftRate: ratio(g.left, g.issued),
    rated: g.rated,
    satisfied: g.satisfied,
    low: g.low,
    ratedShare: ratio(g.rated, g.done),
    satisfactionRate: ratio(g.satisfied, g.rated),
    avgRating: ratio(g.ratingSum, g.rated),
    staffedMs: staffed,
    throughputPerHour: staffed ? g.done / (staffed / 3_600_000) : null,
    utilisation: staffed ? g.serviceSum / staffed : null,
  };
}
