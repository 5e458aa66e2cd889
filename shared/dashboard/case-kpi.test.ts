import { describe, expect, it } from 'vitest';
import type { CaseAction, CaseEvent } from '../case/types.js';
import { caseCubeOf, summariseCases } from './case-cube.js';
import { caseFacts, catalogBoards, isOverdue, type CaseFact } from './case-facts.js';
import type { KpiLabels } from './kpi-history.js';

/**
 * A hand-made few days of cases (times +08:00), every figure worked out by hand below. Queried for
 * 2025-03-03 … 2025-03-05 on 2025-03-05.
 *
 *  case | window (clerk)   | board | what happens
 *  c1   | county/1 (1001)  | A     | 03-03 accepted (promised 03-05); 03-05 approved at county/3 (1003) → on time
 *  c2   | county/1 (1001)  | G     | 03-03 accepted (promised 03-03) and approved by the rules (秒批) → on time
 *  c3   | county/2 (1002)  | B     | 03-03 one-time notice; escalated, resolved; 03-04 escalated again, still open
 *  c4   | county/2 (1002)  | —     | 03-03 not accepted (a matter the catalog does not know)
 *  c5   | county/1 (1001)  | A     | 03-03 accepted for 济南 (跨域), forwarded; promised 03-04, undecided → overdue
 *  c6   | county/1 (1001)  | A     | 03-03 accepted, promised 03-06, undecided → not overdue yet
 *  c7   | edz/1 (2001)     | G     | 03-03 accepted (promised 03-03); 03-04 refused → decided late
 *  c8   | county/2 (1002)  | A     | draft discarded → nothing
 *  c1's acceptance is pushed twice with the same key: counted once.
 */
const boardOf = catalogBoards({
  matters: [
    { code: '37142500-SW-001', board: 'G' },
    { code: '37142500-XZSP-002', board: 'A' },
  ],
  bundles: [
    { id: 'enterprise-opening', board: 'A' },
    { id: 'newborn', board: 'B' },
  ],
});
const ctx = { timeZone: 'Asia/Shanghai', boardOf };
const T = (day: string, hhmm: string) => Date.parse(`2025-03-${day}T${hhmm}:00+08:00`);
const COUNTY = 'qihe-county';
const EDZ = 'qihe-edz';

class CaseLog {
  readonly events: CaseEvent[] = [];
  constructor(
    readonly caseId: string,
    private readonly office: string,
    private readonly windowNo: number,
    private readonly staffId: string,
  ) {}
  do(action: CaseAction, at: number, o: { key?: string; windowNo?: number; staffId?: string } = {}): this {
    const n = this.events.length + 1;
    this.events.push({
      eventId: `${this.caseId}:${n}`,
      caseId: this.caseId,
      key: o.key ?? `${this.caseId}-key-${n}`,
      at,
      actor: { office: this.office, windowId: `${this.office}/${o.windowNo ?? this.windowNo}`, staffId: o.staffId ?? this.staffId },
      action,
    });
    return this;
  }
}

const opened = (kind: 'matter' | 'bundle', code: string, extra: Partial<Extract<CaseAction, { type: 'opened' }>> = {}): CaseAction => ({
  type: 'opened',
  subject: { kind, code },
  title: code,
  provisionalNo: '临-1',
  catalogVersion: null,
  ...extra,
});
const accepted = (promisedDate: string): CaseAction => ({ type: 'accepted', matters: ['37142500-XZSP-002'], promisedDate, overrides: [] });
const numbered = (caseNo: string): CaseAction => ({ type: 'numbered', caseNo });

function handMadeCases(): CaseEvent[][] {
  return [
    new CaseLog('c-hand-01', COUNTY, 1, '1001')
      .do(opened('bundle', 'enterprise-opening'), T('03', '09:00')).do(numbered('齐审-2025-0001'), T('03', '09:00'))
      .do(accepted('2025-03-05'), T('03', '09:10'), { key: 'c1-accept' }).do(accepted('2025-03-05'), T('03', '09:11'), { key: 'c1-accept' })
      .do({ type: 'approved' }, T('05', '10:00'), { windowNo: 3, staffId: '1003' }),
    new CaseLog('c-hand-02', COUNTY, 1, '1001')
      .do(opened('matter', '37142500-SW-001'), T('03', '09:20')).do(accepted('2025-03-03'), T('03', '09:30'))
      .do({ type: 'approved', automated: { rulesVersion: 'r1' } }, T('03', '09:30')),
    new CaseLog('c-hand-03', COUNTY, 2, '1002')
      .do(opened('bundle', 'newborn'), T('03', '09:50'))
      .do({ type: 'notice_issued', items: [{ materialId: 'applicant.idCard', problem: 'missing', detail: '缺少身份证原件' }] }, T('03', '10:00'))
      .do({ type: 'escalated', reason: '反映多次往返', owner: '办不成事窗口' }, T('03', '10:05'))
      .do({ type: 'escalation_resolved', resolution: '已协调' }, T('03', '11:00'))
      .do({ type: 'escalated', reason: '再次反映', owner: '办不成事窗口' }, T('04', '09:00')),
    new CaseLog('c-hand-04', COUNTY, 2, '1002').do(opened('matter', '37142500-ZZ-999'), T('03', '10:20')).do({ type: 'not_accepted', reason: '不属本厅' }, T('03', '10:30')),
    new CaseLog('c-hand-05', COUNTY, 1, '1001')
      .do(opened('bundle', 'enterprise-opening', { onBehalfOf: { jurisdiction: '济南市历下区', scope: '全省通办' } }), T('03', '10:50'))
      .do(accepted('2025-03-04'), T('03', '11:00')).do({ type: 'forwarded', target: '历下区行政审批服务局' }, T('03', '11:05')),
    new CaseLog('c-hand-06', COUNTY, 1, '1001').do(opened('bundle', 'enterprise-opening'), T('03', '13:50')).do(accepted('2025-03-06'), T('03', '14:00')),
    new CaseLog('c-hand-07', EDZ, 1, '2001')
      .do(opened('matter', '37142500-SW-001'), T('03', '14:50')).do(accepted('2025-03-03'), T('03', '15:00'))
      .do({ type: 'refused', reason: '不符合条件' }, T('04', '09:00')),
    new CaseLog('c-hand-08', COUNTY, 2, '1002').do(opened('bundle', 'enterprise-opening'), T('03', '16:00')).do({ type: 'discarded', reason: '暂不办理' }, T('03', '16:05')),
  ].map((l) => l.events);
}

const labels: KpiLabels = {
  officeName: (id) => (id === COUNTY ? '县大厅' : '开发区'),
  boardName: (c) => `板块${c}`,
  windowName: (o, no) => `${o === COUNTY ? '县' : '区'}${no}号窗口`,
  staffName: (id) => `工号${id}`,
  targetMs: () => 600_000,
};

function summary(from = '2025-03-03', to = '2025-03-05', today = '2025-03-05') {
  const facts = handMadeCases().flatMap((l) => caseFacts(l, ctx)).filter((f) => f.day >= from && f.day <= to);
  const days = new Map<string, CaseFact[]>();
  for (const f of facts) days.set(`${f.day}|${f.office}`, [...(days.get(`${f.day}|${f.office}`) ?? []), f]);
  const cubes = [...days.values()].map((l) => caseCubeOf(l[0]!.office, l[0]!.day, l));
  return summariseCases({ cubes, overdue: facts.filter((f) => isOverdue(f, today)), bucket: 'day', labels, offices: [COUNTY, EDZ] });
}

const zero = { accepted: 0, oneTimeNotices: 0, notAccepted: 0, instantApprovals: 0, crossRegion: 0, forwarded: 0, escalations: 0, escalationsOpen: 0, decided: 0, decidedOnTime: 0, overdue: 0 };

describe('case figures of a hand-made few days', () => {
  it('totals: accepted, notices, 秒批, 跨域, escalations open and resolved, decisions against the promise, overdue', () => {
    expect(summary().totals).toEqual({
      key: 'total',
      label: '合计',
      accepted: 5, // c1 (its retry not counted), c2, c5, c6, c7
      oneTimeNotices: 1,
      notAccepted: 1,
      instantApprovals: 1,
      crossRegion: 1,
      forwarded: 1,
      escalations: 2, // c3 twice
      escalationsOpen: 1,
      decided: 3, // c1 and c2 on time, c7 a day late
      decidedOnTime: 2,
      overdue: 1, // c5: promised 03-04, undecided on 03-05; c6's promise (03-06) has not passed
    });
  });

  it('each figure on the day its event happened; overdue on the day the case was accepted', () => {
    const s = summary().series;
    expect(s.map((r) => r.key)).toEqual(['2025-03-03', '2025-03-04', '2025-03-05']);
    expect(s[0]).toEqual({ ...zero, key: '2025-03-03', label: s[0]!.label, accepted: 5, oneTimeNotices: 1, notAccepted: 1, instantApprovals: 1, crossRegion: 1, forwarded: 1, escalations: 1, decided: 1, decidedOnTime: 1, overdue: 1 });
    expect(s[1]).toEqual({ ...zero, key: '2025-03-04', label: s[1]!.label, escalations: 1, escalationsOpen: 1, decided: 1 });
    expect(s[2]).toEqual({ ...zero, key: '2025-03-05', label: s[2]!.label, decided: 1, decidedOnTime: 1 });
    // On 03-04 nothing is overdue yet (c5's promise is that very day).
    expect(summary('2025-03-03', '2025-03-04', '2025-03-04').totals.overdue).toBe(0);
  });

  it('by window and clerk who acted, by board from the catalog, by office in the order given', () => {
    const s = summary();
    const row = (rows: typeof s.byWindow, key: string) => {
      const { key: _k, label: _l, ...rest } = rows.find((r) => r.key === key)!;
      return rest;
    };
    expect(s.byWindow.map((r) => [r.key, r.label])).toEqual([
      ['qihe-county/1', '县1号窗口'],
      ['qihe-county/2', '县2号窗口'],
      ['qihe-county/3', '县3号窗口'],
      ['qihe-edz/1', '区1号窗口'],
    ]);
    expect(row(s.byWindow, 'qihe-county/1')).toEqual({ ...zero, accepted: 4, instantApprovals: 1, crossRegion: 1, forwarded: 1, decided: 1, decidedOnTime: 1, overdue: 1 });
    expect(row(s.byWindow, 'qihe-county/2')).toEqual({ ...zero, oneTimeNotices: 1, notAccepted: 1, escalations: 2, escalationsOpen: 1 });
    // The approval of c1 is credited to the clerk at window 3 who recorded it, not to the one who accepted.
    expect(row(s.byStaff, '1003')).toEqual({ ...zero, decided: 1, decidedOnTime: 1 });
    expect(row(s.byWindow, 'qihe-edz/1')).toEqual({ ...zero, accepted: 1, decided: 1 });
    expect(s.byBoard.map((r) => [r.key, r.label])).toEqual([
      ['', '未归属板块'],
      ['A', '板块A'],
      ['B', '板块B'],
      ['G', '板块G'],
    ]);
    expect(row(s.byBoard, '')).toEqual({ ...zero, notAccepted: 1 });
    expect(row(s.byBoard, 'A')).toEqual({ ...zero, accepted: 3, crossRegion: 1, forwarded: 1, decided: 1, decidedOnTime: 1, overdue: 1 });
    expect(row(s.byBoard, 'G')).toEqual({ ...zero, accepted: 2, instantApprovals: 1, decided: 2, decidedOnTime: 1 });
    expect(s.byOffice.map((r) => [r.key, r.accepted])).toEqual([
      [COUNTY, 4],
      [EDZ, 1],
    ]);
  });

  it('the facts carry the official number; a log the reducer would refuse counts no further', () => {
    const c1 = caseFacts(handMadeCases()[0]!, ctx);
    expect(c1.map((f) => [f.figure, f.day, f.caseNo])).toEqual([
      ['accepted', '2025-03-03', '齐审-2025-0001'],
      ['decidedOnTime', '2025-03-05', '齐审-2025-0001'],
    ]);
    const bad = new CaseLog('c-hand-09', COUNTY, 1, '1001')
      .do(opened('bundle', 'enterprise-opening'), T('03', '09:00'))
      .do({ type: 'approved' }, T('03', '09:05')) // not accepted yet: refused
      .do(accepted('2025-03-05'), T('03', '09:10'));
    expect(caseFacts(bad.events, ctx)).toEqual([]);
  });
});
