/**
 * Percentiles by the nearest-rank method, the one every dashboard figure uses: the p-th percentile
 * of n values is the value of rank ⌈p/100 · n⌉ (1-based) in ascending order. The median is the 50th
 * percentile, so for an even n it is the lower of the two middle values (no averaging: a figure is
 * always one real ticket's time, which its drill-down can show).
 */
export function nearestRank(n: number, p: number): number {
  return Math.min(n, Math.max(1, Math.ceil((p / 100) * n - 1e-9)));
}

/** A sorted run of values: a[from..to), ascending. */
export interface SortedRun {
  a: Int32Array;
  from: number;
  to: number;
}

const BIN_SHIFT = 15; // bins of 32.768 s: every non-negative 32-bit value has one of 65,536 bins
const LOW_MASK = (1 << BIN_SHIFT) - 1;
const hist = new Int32Array(1 << 16);
const fine = new Int32Array(1 << BIN_SHIFT);

/**
 * Nearest-rank percentiles of the union of sorted runs (n values in all), exact and without
 * sorting: a histogram of the values' high bits finds the bin holding each rank; a histogram of
 * the low bits of that bin's values (found in each run by binary search) gives the value itself.
 * O(n) with a small constant, whatever the number of runs.
 */
export function percentilesOfRuns(runs: readonly SortedRun[], n: number, ps: readonly number[]): Array<number | null> {
  if (n <= 0) return ps.map(() => null);
  if (n <= 4096) return bySorting(runs, n, ps);
  hist.fill(0);
  for (const r of runs) {
    const a = r.a;
    for (let i = r.from, end = r.to; i < end; i++) hist[a[i]! >>> BIN_SHIFT]! += 1;
  }
  return ps.map((p) => {
    let rank = nearestRank(n, p);
    let b = 0;
    while (rank > hist[b]!) rank -= hist[b++]!;
    const lo = b * 2 ** BIN_SHIFT;
    const hi = lo + LOW_MASK;
    fine.fill(0);
    for (const r of runs) {
      const a = r.a;
      const end = r.from + countBelow(a, r.from, r.to, hi + 1);
      for (let i = r.from + countBelow(a, r.from, r.to, lo); i < end; i++) fine[a[i]! & LOW_MASK]! += 1;
    }
    let v = 0;
    while (rank > fine[v]!) rank -= fine[v++]!;
    return lo + v;
  });
}

/** Small sets: concatenated and sorted (cheaper than clearing the histograms). */
function bySorting(runs: readonly SortedRun[], n: number, ps: readonly number[]): number[] {
  const all = new Int32Array(n);
  let at = 0;
  for (const r of runs) {
    all.set(r.a.subarray(r.from, r.to), at);
    at += r.to - r.from;
  }
  all.sort();
  return ps.map((p) => all[nearestRank(n, p) - 1]!);
}

/** How many of the sorted a[from..to) are < x. */
function countBelow(a: Int32Array, from: number, to: number, x: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo - from;
}
