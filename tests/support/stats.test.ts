import { describe, expect, it } from 'vitest';
import { percentile } from './stats.js';

describe('nearest-rank percentile', () => {
  it('picks the smallest value with at least p % of the list at or below it', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([3, 7, 9], 50)).toBe(7);
    expect(percentile([3, 7, 9], 99)).toBe(9);
    expect(percentile([5], 1)).toBe(5);
    expect(percentile([], 50)).toBeNaN();
  });
});
