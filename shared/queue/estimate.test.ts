import { describe, expect, it } from 'vitest';
import { EWMA_ALPHA, describeEstimate, effectiveWindows, estimateWaitMinutes, updateServiceAverage, type WindowPresence } from './estimate.js';

const open = (...boards: string[]): WindowPresence => ({ serving: true, boards });

describe('effective windows', () => {
  it('a window serving k boards counts 1/k for each', () => {
    const windows = [open('A'), open('A', 'B'), open('A', 'B', 'C')];
    expect(effectiveWindows('A', windows)).toBeCloseTo(1 + 1 / 2 + 1 / 3, 12);
    expect(effectiveWindows('B', windows)).toBeCloseTo(1 / 2 + 1 / 3, 12);
    expect(effectiveWindows('C', windows)).toBeCloseTo(1 / 3, 12);
    expect(effectiveWindows('D', windows)).toBe(0);
  });

  it('paused or closed windows, and windows without boards, do not count', () => {
    const windows = [open('A'), { serving: false, boards: ['A'] }, { serving: false, boards: ['A', 'B'] }, open()];
    expect(effectiveWindows('A', windows)).toBe(1);
    expect(effectiveWindows('B', windows)).toBe(0);
  });

  it('accepts any iterable', () => {
    function* gen() {
      yield open('A', 'B');
      yield open('A', 'B');
    }
    expect(effectiveWindows('A', gen())).toBe(1);
  });
});

describe('service-time average (EWMA)', () => {
  it('moves a quarter of the way towards each new sample', () => {
    expect(EWMA_ALPHA).toBe(0.25);
    // seeded at 10 min = 600 s; a 4-minute service: 600 + 0.25 × (240 − 600) = 510 s
    const a1 = updateServiceAverage(600_000, 240_000);
    expect(a1).toBe(510_000);
    // then a 20-minute service: 510 + 0.25 × (1200 − 510) = 682.5 s
    const a2 = updateServiceAverage(a1, 1_200_000);
    expect(a2).toBe(682_500);
    // then 682.5 s again: unchanged
    expect(updateServiceAverage(a2, 682_500)).toBe(682_500);
  });

  it('takes another alpha when given', () => {
    // 100 + 0.5 × (300 − 100) = 200
    expect(updateServiceAverage(100, 300, 0.5)).toBe(200);
  });

  it('converges to a steady service time', () => {
    let avg = 600_000;
    for (let i = 0; i < 100; i++) avg = updateServiceAverage(avg, 300_000);
    expect(avg).toBeCloseTo(300_000, 3);
  });
});

describe('wait estimate in whole minutes', () => {
  it('people ahead ÷ effective windows × average, rounded up', () => {
    // 5 ahead, 2 windows, 6 min each: 5/2 × 6 = 15 min exactly
    expect(estimateWaitMinutes(5, 2, 360_000)).toBe(15);
    // 7 ahead, 2 windows, 5 min: 17.5 → 18
    expect(estimateWaitMinutes(7, 2, 300_000)).toBe(18);
    // 1 ahead, 1 window, 61 s: 1.0167 → 2
    expect(estimateWaitMinutes(1, 1, 61_000)).toBe(2);
    // 1 ahead, 3 windows, 1 min: 0.33 → 1
    expect(estimateWaitMinutes(1, 3, 60_000)).toBe(1);
  });

  it('with the 1/k windows of the example: 11 ahead, c = 1 + 1/2 + 1/3, 8 min average', () => {
    const c = effectiveWindows('A', [open('A'), open('A', 'B'), open('A', 'B', 'C')]); // 11/6
    // 11 ÷ 11/6 = 6 services × 8 min = 48 min; floating error must not push it to 49
    expect(estimateWaitMinutes(11, c, 480_000)).toBe(48);
  });

  it('is 0 when nobody is ahead and a window serves the board', () => {
    expect(estimateWaitMinutes(0, 2, 300_000)).toBe(0);
  });

  it('is null when no window serves the board now, however short the line: nobody would call them', () => {
    expect(estimateWaitMinutes(3, 0, 300_000)).toBeNull();
    expect(estimateWaitMinutes(0, 0, 300_000)).toBeNull();
  });

  it('says it in Chinese', () => {
    expect(describeEstimate(null)).toBe('暂无窗口办理');
    expect(describeEstimate(0)).toBe('即将叫号');
    expect(describeEstimate(12)).toBe('约 12 分钟');
  });

  it('says a board with nobody waiting needs no wait, unless no window serves it now', () => {
    expect(describeEstimate(0, 0)).toBe('无需等候');
    expect(describeEstimate(null, 0)).toBe('暂无窗口办理');
    expect(describeEstimate(null, 3)).toBe('暂无窗口办理');
    expect(describeEstimate(6, 3)).toBe('约 6 分钟');
  });
});
