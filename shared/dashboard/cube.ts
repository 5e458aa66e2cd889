import { NONE, OUTCOME, type DayColumns, type LowRating } from './facts.js';
import { quoteTallies } from './quotes.js';

/**
 * A day's figures folded by combination of board × window × clerk: per combination its counts and
 * sums, and its waits and service times each sorted ascending. Every grouping the dashboard shows
 * (total, period, board, window, clerk, office) is a union of combinations, so a year of figures
 * sums ~40 combinations a day instead of reading a million rows, and a percentile is selected from
 * sorted runs. Counts are exact; nothing is rounded or sampled.
 */
export const COMBO = {
  board: 0,
  windowNo: 1,
  /** 1-based index into the day's staffIds; 0 = none. */
  staff: 2,
  issued: 3,
  called: 4,
  done: 5,
  noShow: 6,
  cancelled: 7,
  open: 8,
  rated: 9,
  satisfied: 10,
  low: 11,
  ratingSum: 12,
  /** The combination's waits are waits[waitStart..waitEnd), services likewise. */
  waitStart: 13,
  waitEnd: 14,
  serviceStart: 15,
  serviceEnd: 16,
} as const;
export const COMBO_WIDTH = 17;

export interface DayCube {
  office: string;
  day: string;
  staffIds: string[];
  /** COMBO_WIDTH integers per combination. */
  combos: Int32Array;
  /** Per combination: wait sum, service sum (ms; may exceed 32 bits). */
  sums: Float64Array;
  waits: Int32Array;
  services: Int32Array;
  /** Per hour of taking (0–23): issued, called, wait sum. */
  hours: Float64Array;
  lows: LowRating[];
  /** Quoted against actual wait per board (quotes.ts: QUOTE_WIDTH numbers a board). */
  quotes: Float64Array;
}

/** `quotedMs`: each row's quoted wait in ms (NONE: no quote); omitted: no ticket of the day had one. */
export function cubeOf(c: DayColumns, lows: LowRating[], quotedMs?: Int32Array): DayCube {
  const byCombo = new Map<number, number[]>();
  for (let i = 0; i < c.n; i++) {
    const key = (c.board[i]! * 1000 + c.windowNo[i]!) * 65536 + c.staff[i]!;
    const rows = byCombo.get(key);
    if (rows) rows.push(i);
    else byCombo.set(key, [i]);
  }
  const keys = [...byCombo.keys()].sort((a, b) => a - b);
  const combos = new Int32Array(keys.length * COMBO_WIDTH);
  const sums = new Float64Array(keys.length * 2);
  const waits: number[] = [];
  const services: number[] = [];
  const hours = new Float64Array(72);
  keys.forEach((key, k) => {
    const rows = byCombo.get(key)!;
    const o = k * COMBO_WIDTH;
    const first = rows[0]!;
    combos[o + COMBO.board] = c.board[first]!;
    combos[o + COMBO.windowNo] = c.windowNo[first]!;
    combos[o + COMBO.staff] = c.staff[first]!;
    combos[o + COMBO.waitStart] = waits.length;
    combos[o + COMBO.serviceStart] = services.length;
    const w: number[] = [];
    const s: number[] = [];
    for (const i of rows) {
      combos[o + COMBO.issued]! += 1;
      const out = c.outcome[i]!;
      const field = out === OUTCOME.done ? COMBO.done : out === OUTCOME.noShow ? COMBO.noShow : out === OUTCOME.cancelled ? COMBO.cancelled : COMBO.open;
      combos[o + field]! += 1;
      const h = c.hour[i]! * 3;
      hours[h]! += 1;
      if (c.waitMs[i]! !== NONE) {
        w.push(c.waitMs[i]!);
        sums[k * 2]! += c.waitMs[i]!;
        hours[h + 1]! += 1;
        hours[h + 2]! += c.waitMs[i]!;
      }
      if (c.serviceMs[i]! !== NONE) {
        s.push(c.serviceMs[i]!);
        sums[k * 2 + 1]! += c.serviceMs[i]!;
      }
      const r = c.rating[i]!;
      if (r > 0) {
        combos[o + COMBO.rated]! += 1;
        combos[o + COMBO.ratingSum]! += r;
        combos[o + (r >= 3 ? COMBO.satisfied : COMBO.low)]! += 1;
      }
    }
    combos[o + COMBO.called] = w.length;
    w.sort((a, b) => a - b);
    s.sort((a, b) => a - b);
    for (const v of w) waits.push(v);
    for (const v of s) services.push(v);
    combos[o + COMBO.waitEnd] = waits.length;
    combos[o + COMBO.serviceEnd] = services.length;
  });
  return {
    office: c.office,
    day: c.day,
    staffIds: c.staffIds,
    combos,
    sums,
    waits: Int32Array.from(waits),
    services: Int32Array.from(services),
    hours,
    lows,
    quotes: quoteTallies(c.n, c.board, c.waitMs, quotedMs),
  };
}

/** How many of the sorted a[from..to) are ≤ x. */
export function countAtMost(a: Int32Array, from: number, to: number, x: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - from;
}
