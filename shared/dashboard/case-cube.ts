import { CASE_COUNTERS, type CaseCounter, type CaseFact } from './case-facts.js';
import type { CaseFigureRow, CaseSectionData } from './case-source.js';
import type { KpiLabels } from './kpi-history.js';
import { bucketLabel, bucketStart, type Bucket } from './period.js';

/**
 * One office's day of case facts folded by board × window × clerk, like the ticket cube: per
 * combination the count of each counter (case-facts.ts), so a year sums a few dozen combinations a
 * day. Overdue cases are not folded in — whether a case is overdue depends on the day it is asked —
 * and are passed to `summariseCases` one by one (only undecided cases can be overdue: few).
 */
export const CASE_COMBO = { board: 0, windowNo: 1, staff: 2, counters: 3 } as const;
export const CASE_COMBO_WIDTH = 3 + CASE_COUNTERS.length;
const COUNTER_INDEX = new Map<CaseCounter, number>(CASE_COUNTERS.map((c, i) => [c, i]));

export interface CaseDayCube {
  office: string;
  day: string;
  staffIds: string[];
  /** CASE_COMBO_WIDTH integers per combination: board char code (0: none), window no, 1-based staff index (0: none), counters. */
  combos: Int32Array;
}

export type CaseFactKey = Pick<CaseFact, 'figure' | 'board' | 'windowNo' | 'staffId'>;
export type OverdueCase = Pick<CaseFact, 'office' | 'day' | 'board' | 'windowNo' | 'staffId'>;

export function caseCubeOf(office: string, day: string, facts: Iterable<CaseFactKey>): CaseDayCube {
  const staffIds: string[] = [];
  const staffIndex = new Map<string, number>();
  const rows = new Map<number, Int32Array>();
  for (const f of facts) {
    let s = 0;
    if (f.staffId) {
      s = staffIndex.get(f.staffId) ?? 0;
      if (s === 0) staffIndex.set(f.staffId, (s = staffIds.push(f.staffId)));
    }
    const board = f.board ? f.board.charCodeAt(0) : 0;
    const key = (board * 1000 + f.windowNo) * 65536 + s;
    let row = rows.get(key);
    if (!row) {
      rows.set(key, (row = new Int32Array(CASE_COMBO_WIDTH)));
      row[CASE_COMBO.board] = board;
      row[CASE_COMBO.windowNo] = f.windowNo;
      row[CASE_COMBO.staff] = s;
    }
    row[CASE_COMBO.counters + COUNTER_INDEX.get(f.figure)!]! += 1;
  }
  const combos = new Int32Array(rows.size * CASE_COMBO_WIDTH);
  [...rows.keys()].sort((a, b) => a - b).forEach((k, i) => combos.set(rows.get(k)!, i * CASE_COMBO_WIDTH));
  return { office, day, staffIds, combos };
}

class Tally {
  readonly n = new Float64Array(CASE_COUNTERS.length);
  overdue = 0;
  constructor(
    readonly key: string,
    readonly label: string,
  ) {}
  row(): CaseFigureRow {
    const n = (c: CaseCounter) => this.n[COUNTER_INDEX.get(c)!]!;
    return {
      key: this.key,
      label: this.label,
      accepted: n('accepted'),
      oneTimeNotices: n('oneTimeNotices'),
      notAccepted: n('notAccepted'),
      instantApprovals: n('instantApprovals'),
      crossRegion: n('crossRegion'),
      forwarded: n('forwarded'),
      escalations: n('escalationsOpen') + n('escalationsResolved'),
      escalationsOpen: n('escalationsOpen'),
      decided: n('decidedOnTime') + n('decidedLate'),
      decidedOnTime: n('decidedOnTime'),
      overdue: this.overdue,
    };
  }
}

class Tallies {
  private readonly m = new Map<string, Tally>();
  get(key: string, label: () => string): Tally {
    let t = this.m.get(key);
    if (!t) this.m.set(key, (t = new Tally(key, label())));
    return t;
  }
  rows(order: (a: CaseFigureRow, b: CaseFigureRow) => number): CaseFigureRow[] {
    return [...this.m.values()].map((t) => t.row()).sort(order);
  }
}

export interface CaseSummaryInput {
  cubes: readonly CaseDayCube[];
  overdue: readonly OverdueCase[];
  bucket: Bucket;
  labels: KpiLabels;
  /** The offices in view, in the order their rows (and windows) are listed. */
  offices: readonly string[];
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const boardLabel = (labels: KpiLabels, code: string) => (code ? labels.boardName(code) : '未归属板块');

/** Every case figure of a range: totals, per period, board, window, clerk and office. Pure and exact. */
export function summariseCases(input: CaseSummaryInput): CaseSectionData {
  const { labels, bucket } = input;
  const total = new Tally('total', '合计');
  const by = { bucket: new Tallies(), board: new Tallies(), window: new Tallies(), staff: new Tallies(), office: new Tallies() };
  const groupsOf = (office: string, day: string, board: string, windowNo: number, staffId: string): Tally[] => {
    const b = bucketStart(day, bucket);
    const groups = [
      total,
      by.bucket.get(b, () => bucketLabel(b, bucket)),
      by.office.get(office, () => labels.officeName(office)),
      by.board.get(board, () => boardLabel(labels, board)),
    ];
    if (windowNo > 0) groups.push(by.window.get(`${office}/${windowNo}`, () => labels.windowName(office, windowNo)));
    if (staffId) groups.push(by.staff.get(staffId, () => labels.staffName(staffId)));
    return groups;
  };
  for (const d of input.cubes) {
    const c = d.combos;
    for (let o = 0; o < c.length; o += CASE_COMBO_WIDTH) {
      const board = c[o + CASE_COMBO.board]! > 0 ? String.fromCharCode(c[o + CASE_COMBO.board]!) : '';
      const s = c[o + CASE_COMBO.staff]!;
      for (const g of groupsOf(d.office, d.day, board, c[o + CASE_COMBO.windowNo]!, s > 0 ? d.staffIds[s - 1]! : '')) {
        for (let k = 0; k < CASE_COUNTERS.length; k++) g.n[k]! += c[o + CASE_COMBO.counters + k]!;
      }
    }
  }
  for (const x of input.overdue) for (const g of groupsOf(x.office, x.day, x.board, x.windowNo, x.staffId)) g.overdue += 1;

  const officeRank = (id: string) => {
    const i = input.offices.indexOf(id);
    return i < 0 ? input.offices.length : i;
  };
  const windowOrder = (a: CaseFigureRow, b: CaseFigureRow) => {
    const [oa, na] = [a.key.slice(0, a.key.lastIndexOf('/')), Number(a.key.slice(a.key.lastIndexOf('/') + 1))];
    const [ob, nb] = [b.key.slice(0, b.key.lastIndexOf('/')), Number(b.key.slice(b.key.lastIndexOf('/') + 1))];
    return officeRank(oa) - officeRank(ob) || (oa < ob ? -1 : oa > ob ? 1 : na - nb);
  };
  return {
    available: true,
    totals: total.row(),
    series: by.bucket.rows(byKey),
    byBoard: by.board.rows(byKey),
    byWindow: by.window.rows(windowOrder),
    byStaff: by.staff.rows(byKey),
    byOffice: by.office.rows((a, b) => officeRank(a.key) - officeRank(b.key) || byKey(a, b)),
  };
}
