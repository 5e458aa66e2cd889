import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCaseEvent } from '../../../shared/case/case-reducer.js';
import type { CaseEvent, CaseState } from '../../../shared/case/types.js';
import type { PullPage, PulledCaseEvent } from '../../../shared/hall/api.js';
import { openDatabase } from '../store/database.js';
import { Outbox } from '../store/outbox.js';
import { applyPullPage, bindReplica, caseCursor, cleanReplica } from '../sync/replica.js';
import { tempDir } from '../test-helpers.js';
import { CaseStore, deriveCase, type WindowCaseAction } from './case-store.js';

const actor = { staffId: '1001', windowId: 'qihe-county/1', office: 'qihe-county' };
const other = { staffId: '1002', windowId: 'qihe-county/2', office: 'qihe-county' };
const CLIENT = 'c-11111111-2222-3333-4444-555555555555';

function fresh() {
  const db = openDatabase(path.join(tempDir('cases'), 'workstation.db'));
  let now = 1_772_400_000_000; // 2026-03-02 (Asia/Shanghai)
  let store: CaseStore;
  const outbox = new Outbox(db, () => now, { casesSettled: (c) => store.settled(c) });
  outbox.bindClient(CLIENT);
  store = new CaseStore(db, outbox, () => 'Asia/Shanghai', () => now);
  const open = (caseId = store.newCaseId(CLIENT), provisionalNo = '临01-20260302-001') => {
    store.write(caseId, actor, () => [{ action: opened(provisionalNo), summary: `办件 ${provisionalNo} 新建办件` }], '2026-03-02');
    return caseId;
  };
  const act = (caseId: string, action: WindowCaseAction, who = actor) => store.write(caseId, who, () => [{ action, summary: `办件 ${caseId} ${action.type}` }]);
  const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { db, outbox, store, open, act, count, tick: (ms = 1000) => (now += ms) };
}

function opened(provisionalNo: string): WindowCaseAction {
  return { type: 'opened', subject: { kind: 'matter', code: '37142500-XZSP-007' }, title: '食品经营许可（餐饮服务经营者）', provisionalNo, catalogVersion: null };
}

function page(caseEvents: PulledCaseEvent[], nextCaseCursor = caseEvents.at(-1)?.seq ?? 0): PullPage {
  return {
    events: [],
    nextCursor: 0,
    hasMore: false,
    referenceVersion: 'aaaaaaaa',
    reference: null,
    catalogVersion: null,
    catalog: null,
    calendarVersion: null,
    calendars: null,
    caseEvents,
    nextCaseCursor,
    caseHasMore: false,
    serverNow: 0,
  };
}

/** The hall's log of a case as the hall writes it: the window's actions by key, then its own `numbered`. */
function hallEvents(db: ReturnType<typeof fresh>['db'], caseId: string, firstSeq: number, caseNo: string): PulledCaseEvent[] {
  const rows = db.prepare('SELECT key, mutation_id, client_id, window_id, staff_id, at, json FROM case_action_local WHERE case_id = ? ORDER BY id').all(caseId) as Array<{
    key: string;
    mutation_id: number;
    client_id: string;
    window_id: string;
    staff_id: string;
    at: number;
    json: string;
  }>;
  const out: PulledCaseEvent[] = [];
  let seq = firstSeq;
  for (const r of rows) {
    const event: CaseEvent = {
      eventId: `${r.client_id}:${r.mutation_id}`,
      caseId,
      key: r.key,
      at: r.at + 5, // the hall keeps its own clock
      actor: { staffId: r.staff_id, windowId: r.window_id, office: 'qihe-county' },
      action: JSON.parse(r.json) as CaseEvent['action'],
    };
    out.push({ seq: seq++, office: 'qihe-county', event });
    if (event.action.type === 'opened') {
      out.push({ seq, office: 'qihe-county', event: { ...event, eventId: `s${seq}`, key: `hall-numbered-s${seq}`, action: { type: 'numbered', caseNo } } });
      seq++;
    }
  }
  return out;
}

function fold(events: PulledCaseEvent[]): CaseState {
  let s: CaseState | undefined;
  for (const { event } of events) {
    const r = applyCaseEvent(s, event);
    if (!r.ok) throw new Error(r.reason);
    s = r.state;
  }
  return s!;
}

describe('the window’s cases in its local cache', () => {
  it('writes each case action with its local log row, its outbox entry and the case row in one transaction', () => {
    const { store, outbox, open, act, count } = fresh();
    const caseId = open();
    act(caseId, { type: 'form_saved', values: { 'enterprise.name': '好味道' } });
    expect(count('case_action_local')).toBe(2);
    expect(outbox.pending().map((e) => [e.mutationId, e.body.kind, e.summary])).toEqual([
      [1, 'case_action', '办件 临01-20260302-001 新建办件'],
      [2, 'case_action', `办件 ${caseId} form_saved`],
    ]);
    const row = store.get(caseId)!;
    expect(row).toMatchObject({ office: 'qihe-county', windowId: 'qihe-county/1', businessDate: '2026-03-02', provisionalNo: '临01-20260302-001', caseNo: null });
    expect(row.state).toMatchObject({ status: 'DRAFT', form: { 'enterprise.name': '好味道' } });
    expect(outbox.pendingByCase()).toEqual(new Map([[caseId, 2]]));
  });

  it('gives case ids unique without the hall, and a provisional-number counter per window and day', () => {
    const { store, db } = fresh();
    const ids = new Set(Array.from({ length: 50 }, () => store.newCaseId(CLIENT)));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^c-[A-Za-z0-9_-]{6,60}$/);
    const counters = db.transaction(() => [store.nextCounter('qihe-county/1', '2026-03-02'), store.nextCounter('qihe-county/1', '2026-03-02'), store.nextCounter('qihe-county/2', '2026-03-02'), store.nextCounter('qihe-county/1', '2026-03-03')])();
    expect(counters).toEqual([1, 2, 1, 1]);
  });

  it('refuses an action the reducer refuses and writes nothing', () => {
    const { open, act, count, outbox, store } = fresh();
    const caseId = open();
    act(caseId, { type: 'discarded', reason: '申请人放弃' });
    expect(() => act(caseId, { type: 'form_saved', values: { a: 'b' } })).toThrow(/已作废.*不能填写表单/);
    expect(count('case_action_local')).toBe(2);
    expect(outbox.pendingCount()).toBe(2);
    expect(store.get(caseId)!.state.status).toBe('DISCARDED');
  });

  it('leaves the whole action or none of it when the write fails in the middle (after the first inserts)', () => {
    const { db, store, open, count, outbox } = fresh();
    const caseId = open();
    const before = { actions: count('case_action_local'), outbox: outbox.pendingCount(), row: store.get(caseId) };
    // The case row is written last: fail there, after the log row and the outbox entry went in.
    db.exec("CREATE TRIGGER fail_case_write BEFORE UPDATE ON case_local BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
    expect(() =>
      store.write(caseId, actor, () => [
        { action: { type: 'material_marked', materialId: 'food.floorPlan', status: 'present' }, summary: 'a' },
        { action: { type: 'form_saved', values: { 'enterprise.name': '好味道' } }, summary: 'b' },
      ]),
    ).toThrow(/disk I\/O error/);
    expect(count('case_action_local')).toBe(before.actions);
    expect(outbox.pendingCount()).toBe(before.outbox);
    expect(store.get(caseId)).toEqual(before.row);
    // A new case fails whole too: no log row, no outbox entry, no counter step, no case row.
    db.exec("CREATE TRIGGER fail_case_insert BEFORE INSERT ON case_local BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
    const id2 = store.newCaseId(CLIENT);
    expect(() => store.write(id2, actor, () => [{ action: opened(`临01-20260302-00${store.nextCounter('qihe-county/1', '2026-03-02')}`), summary: 'x' }], '2026-03-02')).toThrow(/disk/);
    expect(db.prepare('SELECT last FROM case_counter').all()).toEqual([]);
    expect(store.get(id2)).toBeUndefined();
    db.exec('DROP TRIGGER fail_case_write; DROP TRIGGER fail_case_insert');
    expect(store.write(caseId, actor, () => [{ action: { type: 'form_saved', values: { 'enterprise.name': '好味道' } }, summary: 'b' }]).form['enterprise.name']).toBe('好味道');
    expect(outbox.pending().map((e) => e.mutationId)).toEqual([1, 2]);
  });

  it('takes the official number from the acknowledgement, together with the outbox delete', () => {
    const { db, store, outbox, open } = fresh();
    const caseId = open();
    // If the case row cannot change, the acknowledgement is not taken either (one transaction).
    db.exec("CREATE TRIGGER fail_case_write BEFORE UPDATE ON case_local BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
    expect(() => outbox.applyAcks([{ mutationId: 1, status: 'applied', caseNo: 'QIHE-2026-000001' }])).toThrow(/disk/);
    expect(outbox.pendingCount()).toBe(1);
    expect(store.get(caseId)!.caseNo).toBeNull();
    db.exec('DROP TRIGGER fail_case_write');
    outbox.applyAcks([{ mutationId: 1, status: 'applied', caseNo: 'QIHE-2026-000001' }]);
    expect(outbox.pendingCount()).toBe(0);
    const row = store.get(caseId)!;
    expect(row.caseNo).toBe('QIHE-2026-000001');
    expect(row.state.caseNo).toBe('QIHE-2026-000001');
    expect(db.prepare('SELECT outcome FROM case_action_local').all()).toEqual([{ outcome: 'applied' }]);
  });

  it('parks a case action the hall refuses, shows it in the sync status, leaves it out of the state, and brings it back on retry', () => {
    const { store, outbox, open, act } = fresh();
    const caseId = open();
    act(caseId, { type: 'form_saved', values: { 'enterprise.name': '好味道' } });
    outbox.applyAcks([
      { mutationId: 1, status: 'applied', caseNo: 'QIHE-2026-000002' },
      { mutationId: 2, status: 'failed', reason: '办件当前为“已受理”，不能填写表单。' },
    ]);
    expect(outbox.status().parked).toMatchObject([{ summary: `办件 ${caseId} form_saved`, reason: '办件当前为“已受理”，不能填写表单。' }]);
    expect(store.get(caseId)!.state.form).toEqual({});
    expect(outbox.pendingByCase()).toEqual(new Map());
    expect(outbox.requeueParked()).toBe(1);
    expect(store.get(caseId)!.state.form).toEqual({ 'enterprise.name': '好味道' });
    expect(outbox.pending().map((e) => e.mutationId)).toEqual([3]);
  });

  it('an entry the hall refuses as a whole request is set aside and the case row follows', () => {
    const { store, outbox, open, act } = fresh();
    const caseId = open();
    act(caseId, { type: 'form_saved', values: { 'enterprise.name': '好味道' } });
    act(caseId, { type: 'form_saved', values: { 'enterprise.address': '齐河县晏城街道1号' } });
    outbox.applyAcks([{ mutationId: 1, status: 'applied' }]);
    outbox.parkUnconsumed(2, '请求参数有误');
    expect(outbox.pending().map((e) => e.mutationId)).toEqual([2]);
    expect(store.get(caseId)!.state.form).toEqual({ 'enterprise.address': '齐河县晏城街道1号' });
  });
});

describe('pulling the hall’s case events', () => {
  it('holds a case while its actions are pending, then folds the hall’s log (with its number) exactly as the hall has it', () => {
    const { db, store, outbox, open, act } = fresh();
    const caseId = open();
    act(caseId, { type: 'form_saved', values: { 'enterprise.name': '好味道' } });
    const log = hallEvents(db, caseId, 1, 'QIHE-2026-000007');
    // Another window's case comes in the same page.
    const otherOpened: PulledCaseEvent = {
      seq: 4,
      office: 'qihe-county',
      event: { eventId: 'c-x:1', caseId: 'c-other-window-1', key: 'other-key-0001', at: 1_772_400_000_000, actor: other, action: opened('临02-20260302-001') },
    };
    const held = applyPullPage(db, page([...log, otherOpened]), { cursor: 0, caseCursor: 0 }, 1);
    expect(held.cases).toMatchObject({ applied: 1, held: 3, blocked: true, cursor: 0 });
    expect(store.get('c-other-window-1')!.state).toMatchObject({ status: 'DRAFT', windowId: 'qihe-county/2' });
    expect(store.get(caseId)!.caseNo).toBeNull();

    outbox.applyAcks([
      { mutationId: 1, status: 'applied', caseNo: 'QIHE-2026-000007' },
      { mutationId: 2, status: 'applied', caseNo: 'QIHE-2026-000007' },
    ]);
    const r = applyPullPage(db, page([...log, otherOpened]), { cursor: 0, caseCursor: 0 }, 2);
    expect(r.cases).toMatchObject({ applied: 3, held: 0, blocked: false, cursor: 4 });
    expect(caseCursor(db)).toBe(4);
    const mine = store.get(caseId)!;
    const hall = fold(log);
    expect(mine.state).toEqual(hall);
    expect(deriveCase(db, caseId).lastSeq).toBe(3);

    // The same page again changes nothing; an event of a case never seen is skipped.
    const stray: PulledCaseEvent = { seq: 5, office: 'qihe-county', event: { ...otherOpened.event, caseId: 'c-never-seen-1', key: 'stray-key-0001', action: { type: 'discarded', reason: 'x' } } };
    const again = applyPullPage(db, page([...log, otherOpened, stray]), { cursor: 0, caseCursor: 4 }, 3);
    expect(again.cases).toMatchObject({ applied: 0, refused: 1, cursor: 5 });
    expect(store.get(caseId)!.state).toEqual(hall);
    expect(store.get('c-never-seen-1')).toBeUndefined();
  });

  it('keeps the window’s newer pending action on top of the hall’s events', () => {
    const { db, store, outbox, open, act } = fresh();
    const caseId = open();
    outbox.applyAcks([{ mutationId: 1, status: 'applied', caseNo: 'QIHE-2026-000009' }]);
    const log = hallEvents(db, caseId, 1, 'QIHE-2026-000009');
    applyPullPage(db, page(log), { cursor: 0, caseCursor: 0 }, 1);
    act(caseId, { type: 'form_saved', values: { 'enterprise.name': '好味道' } });
    // A later action of another window of the office (on the hall) arrives while ours is pending: held.
    const theirs: PulledCaseEvent = {
      seq: 3,
      office: 'qihe-county',
      event: { eventId: 'c-y:5', caseId, key: 'theirs-key-0001', at: 1_772_400_009_000, actor: other, action: { type: 'material_marked', materialId: 'food.floorPlan', status: 'present' } },
    };
    expect(applyPullPage(db, page([theirs]), { cursor: 0, caseCursor: 2 }, 2).cases).toMatchObject({ held: 1, cursor: 2 });
    outbox.applyAcks([{ mutationId: 2, status: 'applied' }]);
    applyPullPage(db, page([theirs]), { cursor: 0, caseCursor: 2 }, 3);
    const s = store.get(caseId)!.state;
    expect(s.form).toEqual({ 'enterprise.name': '好味道' });
    expect(s.materials['food.floorPlan']?.status).toBe('present');
    expect(s.caseNo).toBe('QIHE-2026-000009');
  });

  it('cleans up closed cases of other windows after a while, never the window’s own, and drops the pulled ones on re-enrolment', () => {
    const { db, store, outbox, open, act } = fresh();
    bindReplica(db, CLIENT);
    const mine = open();
    act(mine, { type: 'discarded', reason: '申请人放弃' });
    outbox.applyAcks([{ mutationId: 1, status: 'applied' }, { mutationId: 2, status: 'applied' }]);
    const theirs = (seq: number, caseId: string, action: WindowCaseAction, at = 1_700_000_000_000): PulledCaseEvent => ({
      seq,
      office: 'qihe-county',
      event: { eventId: `c-y:${seq}`, caseId, key: `k-${caseId}-${seq}`, at, actor: other, action },
    });
    applyPullPage(
      db,
      page([
        theirs(1, 'c-old-closed-1', opened('临02-20231114-001')),
        theirs(2, 'c-old-closed-1', { type: 'discarded', reason: '重复建件' }),
        theirs(3, 'c-old-draft-01', opened('临02-20231114-002')),
        theirs(4, 'c-recent-closed', opened('临02-20260302-003'), 1_772_400_000_000),
        theirs(5, 'c-recent-closed', { type: 'discarded', reason: '重复建件' }, 1_772_400_000_000),
      ]),
      { cursor: 0, caseCursor: 0 },
      1,
    );
    expect(store.get('c-old-closed-1')?.businessDate).toBe('2023-11-15');
    expect(cleanReplica(db, { today: '2026-03-02', keepDays: 7, caseKeepDays: 30 })).toBe(1);
    expect(store.get('c-old-closed-1')).toBeUndefined();
    expect(db.prepare("SELECT COUNT(*) AS n FROM case_event_remote WHERE case_id = 'c-old-closed-1'").get()).toEqual({ n: 0 });
    expect(store.get('c-old-draft-01')?.state.status).toBe('DRAFT');
    expect(store.get('c-recent-closed')?.state.status).toBe('DISCARDED');
    expect(store.get(mine)?.state.status).toBe('DISCARDED');
    // Enrolled elsewhere: what was pulled goes (cursor back to 0), the window's own cases stay.
    expect(bindReplica(db, 'c-another-enrolment')).toBe(true);
    expect(caseCursor(db)).toBe(0);
    expect(store.get('c-old-draft-01')).toBeUndefined();
    expect(store.get(mine)?.state.status).toBe('DISCARDED');
  });
});
