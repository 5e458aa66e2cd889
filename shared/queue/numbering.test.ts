import { describe, expect, it } from 'vitest';
import { announcementText, businessDate, formatTicketNumber } from './numbering.js';
import { TicketAction } from './types.js';

describe('ticket numbers', () => {
  it('are prefix + board + three digits', () => {
    expect(formatTicketNumber('', 'A', 1)).toBe('A001');
    expect(formatTicketNumber('', 'G', 42)).toBe('G042');
    expect(formatTicketNumber('K', 'A', 12)).toBe('KA012');
    expect(formatTicketNumber('', 'B', 999)).toBe('B999');
  });

  it('grow to four digits past 999 instead of wrapping', () => {
    expect(formatTicketNumber('', 'B', 1000)).toBe('B1000');
    expect(formatTicketNumber('K', 'C', 2345)).toBe('KC2345');
  });

  it('a branch prefix keeps its numbers apart from the hall’s', () => {
    const hall = new Set(Array.from({ length: 50 }, (_, i) => formatTicketNumber('', 'A', i + 1)));
    const branch = Array.from({ length: 50 }, (_, i) => formatTicketNumber('K', 'A', i + 1));
    expect(branch.some((n) => hall.has(n))).toBe(false);
  });

  it('are accepted by the issued event schema', () => {
    for (const number of [formatTicketNumber('', 'A', 1), formatTicketNumber('K', 'G', 1234)]) {
      const r = TicketAction.safeParse({ type: 'issued', office: 'qihe-county', board: 'A', number, priority: 'normal', recallLimit: 2, orderKey: 1, businessDate: '2025-03-03' });
      expect(r.success).toBe(true);
    }
  });
});

describe('business date', () => {
  it('is the day in the hall’s time zone, not UTC', () => {
    // 2025-03-02 16:30 UTC is 2025-03-03 00:30 in Beijing
    expect(businessDate(Date.UTC(2025, 2, 2, 16, 30))).toBe('2025-03-03');
    expect(businessDate(Date.UTC(2025, 2, 2, 15, 59))).toBe('2025-03-02');
    expect(businessDate(Date.UTC(2025, 2, 2, 16, 30), 'UTC')).toBe('2025-03-02');
  });
});

describe('announcements', () => {
  it('shows and says the number and window, reading digits one by one', () => {
    expect(announcementText('A012', 3)).toEqual({ display: '请 A012 号到 3 号窗口办理', speech: '请 A 零一二 号，到 3 号窗口办理' });
    expect(announcementText('KA100', 12)).toEqual({ display: '请 KA100 号到 12 号窗口办理', speech: '请 K A 一零零 号，到 12 号窗口办理' });
  });
});
