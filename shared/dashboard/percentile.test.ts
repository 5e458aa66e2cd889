import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nearestRank, percentilesOfRuns, type SortedRun } from './percentile.js';

/** The definition itself: sort everything, take rank ⌈p·n/100⌉. */
function bySorting(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(1, Math.ceil((p / 100) * s.length)) - 1]!;
}

function runsOf(lists: number[][]): { runs: SortedRun[]; n: number } {
  const runs = lists.map((l) => {
    const a = Int32Array.from([-5, ...[...l].sort((x, y) => x - y), -7]);
    return { a, from: 1, to: a.length - 1 };
  });
  return { runs, n: lists.reduce((s, l) => s + l.length, 0) };
}

describe('nearest-rank percentiles', () => {
  it('rank ⌈p·n/100⌉: median of 6 is the 3rd, p90 of 6 the 6th, p90 of 10 the 9th', () => {
    expect(nearestRank(6, 50)).toBe(3);
    expect(nearestRank(6, 90)).toBe(6);
    expect(nearestRank(10, 90)).toBe(9);
    expect(nearestRank(1, 50)).toBe(1);
  });

  it('of many sorted runs equal sorting everything, small and large, near and far apart', () => {
    const value = fc.oneof(fc.integer({ min: 0, max: 30 * 60_000 }), fc.integer({ min: 0, max: 0x7fffffff }), fc.constantFrom(0, 4095, 4096, 60_000));
    fc.assert(
      fc.property(fc.array(fc.array(value, { maxLength: 400 }), { minLength: 1, maxLength: 40 }), fc.constantFrom(50, 90, 99, 100, 1), (lists, p) => {
        const { runs, n } = runsOf(lists);
        const [got] = percentilesOfRuns(runs, n, [p]);
        if (n === 0) expect(got).toBeNull();
        else expect(got).toBe(bySorting(lists.flat(), p));
      }),
      { numRuns: 300 },
    );
  });

  it('a year-sized set (the histogram path) gives the exact values', () => {
    let s = 12345;
    const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const lists = Array.from({ length: 300 }, () => Array.from({ length: 200 }, () => Math.floor(-Math.log(1 - rand()) * 8 * 60_000)));
    const { runs, n } = runsOf(lists);
    const all = lists.flat();
    expect(percentilesOfRuns(runs, n, [50, 90])).toEqual([bySorting(all, 50), bySorting(all, 90)]);
  });
});
