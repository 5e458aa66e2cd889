import { describe, expect, it } from 'vitest';
import type { PanelState } from '../../shared/contract.js';
import type { TicketView, WindowPanel } from '../../shared/hall/views.js';
import type { TicketStatus } from '../../shared/queue/types.js';
import { callNextAvailability, clockSkewMinutes, commandEnabled, syncSummary, ticketClock, type TicketCommand } from './actions.js';

function ticket(status: TicketStatus, extra: Partial<TicketView> = {}): TicketView {
  return {
    ticketId: 't1',
    number: 'A012',
    office: 'qihe-county',
    board: 'A',
    boardName: '市场准入',
    status,
    priority: 'normal',
    issuedAt: 1_000,
    queuedAt: 1_000,
    calledAt: 2_000,
    startedAt: null,
    windowId: 'qihe-county/3',
    recallCount: 0,
    recallLimit: 2,
    hold: null,
    holdMs: 0,
    transferTo: null,
    appointmentSlot: null,
    ...extra,
  };
}

function state(over: Partial<PanelState> = {}, panel: Partial<WindowPanel> = {}): PanelState {
  return {
    session: null,
    connection: { online: true, since: 0, hallUrl: 'http://hall', clockOffsetMs: 0, lastError: null },
    sync: { pending: 0, oldestPendingAt: null, lastSuccessAt: null, parked: [] },
    panel: {
      serverNow: 0,
      window: { id: 'qihe-county/3', no: 3, name: '3号窗口', boards: [], status: 'open', pauseReason: null, staffId: null, staffName: null },
      boards: [],
      current: null,
      resumable: [],
      transferTargets: { boards: [], windows: [] },
      nextCallAllowedAt: 0,
      ...panel,
    },
    canCallNext: true,
    callBlockedReason: null,
    ...over,
  };
}

describe('commandEnabled', () => {
  const all: TicketCommand[] = ['recall', 'noShow', 'recycle', 'start', 'hold', 'transfer', 'finish'];
  const enabledFor = (s: TicketStatus) => all.filter((c) => commandEnabled(c, ticket(s), true));

  it('follows the shared reducer for a called ticket', () => {
    expect(enabledFor('CALLED')).toEqual(['recall', 'noShow', 'recycle', 'start', 'transfer']);
  });
  it('allows hold, transfer and finish while serving', () => {
    expect(enabledFor('SERVING')).toEqual(['hold', 'transfer', 'finish']);
  });
  it('allows nothing on a finished, held or absent ticket', () => {
    expect(enabledFor('DONE')).toEqual([]);
    expect(enabledFor('HELD')).toEqual([]);
    expect(all.filter((c) => commandEnabled(c, null, true))).toEqual([]);
  });
  it('offline, keeps only what the window can upload later: no recall, no transfer', () => {
    const offline = (s: TicketStatus) => all.filter((c) => commandEnabled(c, ticket(s), false));
    expect(offline('CALLED')).toEqual(['noShow', 'start']);
    expect(offline('SERVING')).toEqual(['hold', 'finish']);
  });
});

describe('callNextAvailability', () => {
  it('shows the backend reason when calling is blocked (offline, paused, busy)', () => {
    const s = state({ canCallNext: false, callBlockedReason: '大厅服务器连接中断，暂停叫号。' });
    expect(callNextAvailability(s, 0)).toEqual({ enabled: false, reason: '大厅服务器连接中断，暂停叫号。' });
  });
  it('counts down the minimum gap between two calls on the hall clock', () => {
    const s = state({ connection: { online: true, since: 0, hallUrl: null, clockOffsetMs: 1_000, lastError: null } }, { nextCallAllowedAt: 5_000 });
    expect(callNextAvailability(s, 2_500)).toEqual({ enabled: false, reason: '两次叫号间隔过短，请 2 秒后再叫号。' });
    expect(callNextAvailability(s, 4_000)).toEqual({ enabled: true, reason: null });
  });
});

describe('ticketClock', () => {
  it('runs from the call, the start of service or the hold', () => {
    expect(ticketClock(ticket('CALLED'))).toEqual({ label: '已呼叫', since: 2_000 });
    expect(ticketClock(ticket('SERVING', { startedAt: 3_000 }))).toEqual({ label: '已办理', since: 3_000 });
    expect(ticketClock(ticket('HELD', { hold: { kind: 'waiting', since: 4_000, windowId: null, note: null } }))).toEqual({
      label: '已挂起',
      since: 4_000,
    });
    expect(ticketClock(ticket('DONE'))).toBeNull();
  });
});

describe('clockSkewMinutes', () => {
  it('warns from one minute of difference either way', () => {
    expect(clockSkewMinutes(null)).toBeNull();
    expect(clockSkewMinutes(20_000)).toBeNull();
    expect(clockSkewMinutes(-3 * 60_000 - 10_000)).toBe(3);
  });
});

describe('syncSummary', () => {
  const idle = { pending: 0, oldestPendingAt: null, lastSuccessAt: 5_000, parked: [] };
  const now = 10_000_000;
  it('says all is uploaded when neither entries nor attachments wait', () => {
    expect(syncSummary(idle, now)).toEqual({ text: '已全部上传', idle: true, oldestAgeS: null });
    expect(syncSummary({ ...idle, pendingAttachments: 0, pendingAttachmentBytes: 0 }, now).idle).toBe(true);
  });
  it('counts pending entries with the age of the oldest, from the first second', () => {
    expect(syncSummary({ ...idle, pending: 1, oldestPendingAt: now }, now)).toEqual({ text: '待上传 1 条，最早 1 秒前', idle: false, oldestAgeS: 0 });
    expect(syncSummary({ ...idle, pending: 3, oldestPendingAt: now - 25_000 }, now).text).toBe('待上传 3 条，最早 25 秒前');
    expect(syncSummary({ ...idle, pending: 3, oldestPendingAt: now - 200_000 }, now)).toMatchObject({ text: '待上传 3 条，最早 3 分钟前', oldestAgeS: 200 });
    expect(syncSummary({ ...idle, pending: 9, oldestPendingAt: now - 2 * 3_600_000 }, now).text).toBe('待上传 9 条，最早 2 小时前');
  });
  it('adds the attachments still to upload, with their size', () => {
    const s = { ...idle, pending: 2, oldestPendingAt: now - 40_000, pendingAttachments: 4, pendingAttachmentBytes: 800 * 1024 };
    expect(syncSummary(s, now).text).toBe('待上传 2 条，附件 4 个（0.8 MB），最早 40 秒前');
    expect(syncSummary({ ...idle, pendingAttachments: 1, pendingAttachmentBytes: 3 * 1024 * 1024 }, now)).toEqual({
      text: '待上传附件 1 个（3.0 MB）',
      idle: false,
      oldestAgeS: null,
    });
  });
});
