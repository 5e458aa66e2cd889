import { describe, expect, it } from 'vitest';
import { formatAgo, formatClock, formatDate, formatElapsed, formatMegabytes, formatMinutes, maskName } from './format.js';
import { newRequestId } from './request-id.js';

describe('formatElapsed', () => {
  it('shows minutes and seconds under an hour', () => {
    expect(formatElapsed(0)).toBe('0:00');
    expect(formatElapsed(7_900)).toBe('0:07');
    expect(formatElapsed(12 * 60_000 + 5_000)).toBe('12:05');
  });
  it('adds hours past sixty minutes', () => {
    expect(formatElapsed(3_600_000 + 2 * 60_000 + 9_000)).toBe('1:02:09');
  });
  it('never shows a negative time when clocks disagree', () => {
    expect(formatElapsed(-5_000)).toBe('0:00');
  });
});

describe('formatMinutes', () => {
  it('rounds down to whole minutes and names hours', () => {
    expect(formatMinutes(30_000)).toBe('不到 1 分钟');
    expect(formatMinutes(12 * 60_000 + 59_000)).toBe('12 分钟');
    expect(formatMinutes(65 * 60_000)).toBe('1 小时 5 分钟');
    expect(formatMinutes(120 * 60_000)).toBe('2 小时');
  });
});

describe('formatAgo', () => {
  it('counts seconds from the first second, then minutes, hours and days, rounded down', () => {
    expect(formatAgo(0)).toBe('1 秒前');
    expect(formatAgo(999)).toBe('1 秒前');
    expect(formatAgo(25_400)).toBe('25 秒前');
    expect(formatAgo(59_999)).toBe('59 秒前');
    expect(formatAgo(60_000)).toBe('1 分钟前');
    expect(formatAgo(3 * 60_000 + 59_000)).toBe('3 分钟前');
    expect(formatAgo(2 * 3_600_000 + 59 * 60_000)).toBe('2 小时前');
    expect(formatAgo(3 * 86_400_000 + 5 * 3_600_000)).toBe('3 天前');
  });
  it('never shows a negative or zero age when the clocks disagree', () => {
    expect(formatAgo(-30_000)).toBe('1 秒前');
  });
});

describe('formatMegabytes', () => {
  it('shows one decimal below 100 MB and never rounds something down to nothing', () => {
    expect(formatMegabytes(0)).toBe('0 MB');
    expect(formatMegabytes(1_000)).toBe('0.1 MB');
    expect(formatMegabytes(200 * 1024)).toBe('0.2 MB');
    expect(formatMegabytes(3.44 * 1024 * 1024)).toBe('3.4 MB');
    expect(formatMegabytes(250 * 1024 * 1024)).toBe('250 MB');
  });
});

describe('formatClock and formatDate', () => {
  it('uses the hall time zone (Asia/Shanghai)', () => {
    const t = Date.UTC(2025, 2, 4, 1, 5, 9); // 09:05:09 in Beijing, a Tuesday
    expect(formatClock(t)).toBe('09:05');
    expect(formatClock(t, true)).toBe('09:05:09');
    expect(formatDate(t)).toBe('2025年3月4日 星期二');
  });
  it('shows midnight as 00:00', () => {
    expect(formatClock(Date.UTC(2025, 2, 3, 16, 0, 0))).toBe('00:00');
  });
});

describe('maskName', () => {
  it('hides the middle of a name for public screens', () => {
    expect(maskName('张三丰')).toBe('张*丰');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('王丽')).toBe('王*');
    expect(maskName('李')).toBe('*');
    expect(maskName('  ')).toBe('');
  });
});

describe('newRequestId', () => {
  it('matches the hall API request id pattern and differs every time', () => {
    const a = newRequestId();
    const b = newRequestId();
    expect(a).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(a).not.toBe(b);
  });
});
