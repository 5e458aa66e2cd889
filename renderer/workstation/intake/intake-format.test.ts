import { describe, expect, it } from 'vitest';
import {
  caseNoLabel,
  formatSize,
  isoDatePlus,
  neededByHint,
  normalizeDateInput,
  promisedLabel,
  settleEdits,
  shortDate,
  statusChoices,
  visibleError,
  withSummary,
} from './intake-format.js';

describe('promisedLabel', () => {
  it('names same-day matters 即办 and counts working days otherwise', () => {
    expect(promisedLabel(0)).toBe('即办');
    expect(promisedLabel(5)).toBe('5 个工作日');
    expect(promisedLabel(null)).toBe('—');
  });
});

describe('caseNoLabel', () => {
  it('tells a provisional number waiting for the hall from the official one', () => {
    expect(caseNoLabel({ caseNo: 'W1-0003', official: false })).toEqual({ kind: '临时编号', no: 'W1-0003', waiting: true });
    expect(caseNoLabel({ caseNo: 'QH2025000012', official: true })).toEqual({ kind: '受理编号', no: 'QH2025000012', waiting: false });
  });
});

describe('statusChoices', () => {
  const base = { status: 'missing' as const, requirement: 'required' as const, mayBeSupplementedLater: false, mayBeReplacedByCommitment: false };
  it('offers 容缺后补 and 告知承诺 only where the catalog allows them', () => {
    expect(statusChoices(base)).toEqual(['present', 'missing']);
    expect(statusChoices({ ...base, mayBeSupplementedLater: true })).toEqual(['present', 'missing', 'supplement_later']);
    expect(statusChoices({ ...base, mayBeReplacedByCommitment: true })).toEqual(['present', 'missing', 'commitment']);
  });
  it('offers 无需提供 only for an optional material, but always keeps the current status', () => {
    expect(statusChoices({ ...base, requirement: 'optional' })).toContain('not_needed');
    expect(statusChoices({ ...base, status: 'not_needed' })).toEqual(['present', 'missing', 'not_needed']);
  });
});

describe('neededByHint', () => {
  it('lists the matters a shared field or material serves', () => {
    expect(neededByHint(['名称申报', '设立登记'], 6)).toBe('用于：名称申报、设立登记');
    expect(neededByHint(['a', 'b', 'c', 'd'], 6)).toBe('用于：a、b、c 等 4 个事项');
    expect(neededByHint(['a', 'b', 'c', 'd'], 4)).toBe('用于：全部 4 个事项');
  });
  it('says nothing for a single-matter case', () => {
    expect(neededByHint(['设立登记'], 1)).toBe('');
  });
});

describe('visibleError', () => {
  const field = { error: '请填写', value: '' };
  it('does not paint a fresh form red: an empty required field shows its error after leaving it or trying to accept', () => {
    expect(visibleError(field, '', false, false)).toBeNull();
    expect(visibleError(field, '', true, false)).toBe('请填写');
    expect(visibleError(field, '', false, true)).toBe('请填写');
  });
  it('shows a wrong value at once, but not while a newer value is unsaved', () => {
    const bad = { error: '校验码错误', value: '371425199001011230' };
    expect(visibleError(bad, '371425199001011230', false, false)).toBe('校验码错误');
    expect(visibleError(bad, '371425199001011234', false, false)).toBeNull();
  });
});

describe('settleEdits', () => {
  it('drops the edits a save carried and keeps those typed while it was in flight', () => {
    expect(settleEdits({ a: '1', b: '2' }, { a: '1', b: '2' })).toEqual({});
    expect(settleEdits({ a: '1', b: '22' }, { a: '1', b: '2' })).toEqual({ b: '22' });
    expect(settleEdits({ a: '1', c: '3' }, { a: '1' })).toEqual({ c: '3' });
  });
});

describe('dates and sizes', () => {
  it('counts a default deadline in calendar days in the hall time zone', () => {
    expect(isoDatePlus(Date.UTC(2025, 2, 4, 17, 0, 0), 5)).toBe('2025-03-10'); // 01:00 on 5 March in Beijing
  });
  it('shows dates and sizes briefly', () => {
    expect(shortDate('2025-03-14')).toBe('3月14日');
    expect(shortDate(null)).toBe('—');
    expect(formatSize(820)).toBe('820 B');
    expect(formatSize(12 * 1024 + 100)).toBe('12 KB');
    expect(formatSize(1.44 * 1024 * 1024)).toBe('1.4 MB');
  });
});

describe('withSummary', () => {
  const summary = {
    caseId: 'c-w1-000001',
    caseNo: 'W1-0001',
    official: false,
    title: '企业开办',
    status: 'ACCEPTED' as const,
    statusLabel: '已受理',
    applicant: '张*三',
    ticketNumber: 'A001',
    staffId: '1001',
    windowId: 'qihe-county/1',
    openedAt: 1,
    promisedDate: null,
    pendingSync: 3,
  };
  const ev = (at: number, sync: 'pending' | 'synced' | 'parked') => ({ at, label: 'x', detail: '', staffId: '1001', windowId: 'qihe-county/1', sync });
  const view = { summary, history: [ev(1, 'synced'), ev(2, 'pending'), ev(3, 'parked'), ev(4, 'pending'), ev(5, 'pending')] } as unknown as Parameters<typeof withSummary>[0];

  it('takes the official number and marks the oldest pending actions synced as the outbox drains', () => {
    const next = withSummary(view, { ...summary, caseNo: 'QH2025000001', official: true, pendingSync: 1 });
    expect(next.summary.caseNo).toBe('QH2025000001');
    expect(next.history.map((e) => e.sync)).toEqual(['synced', 'synced', 'parked', 'synced', 'pending']);
  });
  it('returns the same view when nothing changed', () => {
    expect(withSummary(view, { ...summary })).toBe(view);
  });
});

describe('normalizeDateInput', () => {
  it('writes the usual ways of typing a date as YYYY-MM-DD', () => {
    expect(normalizeDateInput('20350630')).toBe('2035-06-30');
    expect(normalizeDateInput('2035/6/3')).toBe('2035-06-03');
    expect(normalizeDateInput(' 2035.06.30 ')).toBe('2035-06-30');
    expect(normalizeDateInput('2035年6月30日')).toBe('2035-06-30');
    expect(normalizeDateInput('２０３５－06－30'.replace(/－/g, '-'))).toBe('2035-06-30');
  });
  it('leaves what is not a date as typed, for the form check to explain', () => {
    expect(normalizeDateInput('明年六月')).toBe('明年六月');
    expect(normalizeDateInput('2035-6')).toBe('2035-6');
  });
});
