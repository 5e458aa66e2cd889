import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { foldCase } from '../../shared/case/case-reducer.js';
import type { CaseEvent } from '../../shared/case/types.js';
import { authHeaders, requestId, startTestHall, type TestHall } from '../testing.js';
import { caseWindow, newCaseId, newKey, openAction, type CaseWindow } from './test-support.js';

const COUNTY = 'qihe-county';
const BRANCH = 'qihe-edz';

let t: TestHall;
beforeEach(async () => {
  t = await startTestHall();
});
afterEach(async () => {
  await t.stop();
});

/** What the hall has durably stored (replies wait for the commit). */
function db<T>(fn: (d: Database.Database) => T): T {
  const d = new Database(path.join(t.dataDir, 'hall.db'), { readonly: true });
  try {
    return fn(d);
  } finally {
    d.close();
  }
}
const eventsOf = (caseId: string) =>
  db((d) => (d.prepare('SELECT json FROM case_event WHERE case_id = ? ORDER BY seq').all(caseId) as Array<{ json: string }>).map((r) => JSON.parse(r.json) as CaseEvent));
const counters = () => db((d) => d.prepare('SELECT office, year, last FROM case_number_counter ORDER BY office, year').all());

async function issue(office = COUNTY): Promise<{ ticketId: string; number: string }> {
  const r = await t.request('POST', '/api/kiosk/tickets', { office, board: 'A', requestId: requestId() });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

const county = () => caseWindow(t, COUNTY, 'qihe-county/3', '1001');
const branch = () => caseWindow(t, BRANCH, 'qihe-edz/1', '2001');

describe('push: case actions', () => {
  it('an opening linked to a ticket is applied and numbered by the hall; every later ack carries the number', async () => {
    const ticket = await issue();
    const w = await county();
    const { caseId, ack } = await w.open(undefined, { ticketId: ticket.ticketId, ticketNumber: ticket.number });
    expect(ack).toEqual({ mutationId: 1, status: 'applied', caseNo: 'QIHE-2025-000001' });
    const saved = await w.act(caseId, { type: 'form_saved', values: { 'enterprise.name': '齐河某某商贸有限公司' } });
    expect(saved).toEqual({ mutationId: 2, status: 'applied', caseNo: 'QIHE-2025-000001' });

    const log = eventsOf(caseId);
    expect(log.map((e) => [e.eventId, e.action.type])).toEqual([
      [`${w.clientId}:1`, 'opened'],
      [expect.stringMatching(/^s\d+$/), 'numbered'],
      [`${w.clientId}:2`, 'form_saved'],
    ]);
    expect(log[1]!.actor).toEqual({ staffId: '1001', windowId: 'qihe-county/3', office: COUNTY });
    const folded = foldCase(log);
    expect(folded.ok && folded.state).toMatchObject({ caseNo: 'QIHE-2025-000001', ticketId: ticket.ticketId, office: COUNTY, status: 'DRAFT' });
    const row = db((d) => d.prepare('SELECT office, status, case_no, opened_date, staff_id, window_id, ticket_id, last_seq FROM "case" WHERE case_id = ?').get(caseId));
    expect(row).toEqual({
      office: COUNTY,
      status: 'DRAFT',
      case_no: 'QIHE-2025-000001',
      opened_date: '2025-03-03',
      staff_id: '1001',
      window_id: 'qihe-county/3',
      ticket_id: ticket.ticketId,
      last_seq: 3,
    });
    // The next case of the office takes the next number.
    expect((await w.open()).ack.caseNo).toBe('QIHE-2025-000002');
  });

  it('a retried push is acknowledged again with the same number and writes nothing', async () => {
    const w = await county();
    const caseId = newCaseId();
    const batch = [w.body(caseId, openAction(), { mutationId: 1 }), w.body(caseId, { type: 'situations_answered', answers: { place: 'rented' } }, { mutationId: 2 })];
    const first = await w.pushRaw(batch);
    expect(first.body).toEqual({
      acks: [
        { mutationId: 1, status: 'applied', caseNo: 'QIHE-2025-000001' },
        { mutationId: 2, status: 'applied', caseNo: 'QIHE-2025-000001' },
      ],
      lastApplied: 2,
    });
    const again = await w.pushRaw(batch);
    expect(again.body).toEqual({
      acks: [
        { mutationId: 1, status: 'duplicate', caseNo: 'QIHE-2025-000001' },
        { mutationId: 2, status: 'duplicate', caseNo: 'QIHE-2025-000001' },
      ],
      lastApplied: 2,
    });
    expect(eventsOf(caseId)).toHaveLength(3);
    expect(counters()).toEqual([{ office: COUNTY, year: 2025, last: 1 }]);
  });

  it('the same action under a new mutation id (same idempotency key) is a duplicate with no effect', async () => {
    const w = await county();
    const { caseId } = await w.open();
    const key = newKey();
    expect(await w.act(caseId, { type: 'material_marked', materialId: 'm1', status: 'present' }, { key })).toMatchObject({ status: 'applied' });
    const dup = await w.act(caseId, { type: 'material_marked', materialId: 'm1', status: 'missing' }, { key });
    expect(dup).toEqual({ mutationId: 3, status: 'duplicate', caseNo: 'QIHE-2025-000001' });
    const log = eventsOf(caseId);
    expect(log).toHaveLength(3);
    const folded = foldCase(log);
    expect(folded.ok && folded.state.materials.m1?.status).toBe('present');
  });

  it('a gap refuses the whole batch and writes nothing', async () => {
    const w = await county();
    const caseId = newCaseId();
    const r = await w.pushRaw([w.body(caseId, openAction(), { mutationId: 1 }), w.body(caseId, { type: 'discarded', reason: '误建' }, { mutationId: 3 })]);
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'out_of_order', message: '同步顺序有误：缺少前面的记录，请按顺序重新同步。' });
    expect(eventsOf(caseId)).toEqual([]);
    expect(counters()).toEqual([]);
  });

  it('a refused action is recorded failed with its Chinese reason, does not block the next one, and is answered the same on a retry', async () => {
    const w = await county();
    const caseId = newCaseId();
    const batch = [
      w.body(caseId, openAction(), { mutationId: 1 }),
      w.body(caseId, { type: 'approved' }, { mutationId: 2 }),
      w.body(caseId, { type: 'delivered', method: 'mail' }, { mutationId: 3 }),
      w.body(caseId, { type: 'discarded', reason: '申请人放弃' }, { mutationId: 4 }),
    ];
    const first = await w.pushRaw(batch);
    expect(first.body.acks).toEqual([
      { mutationId: 1, status: 'applied', caseNo: 'QIHE-2025-000001' },
      { mutationId: 2, status: 'failed', reason: '办件当前为“草稿”，不能批准。', caseNo: 'QIHE-2025-000001' },
      { mutationId: 3, status: 'failed', reason: '办件当前为“草稿”，不能送达。', caseNo: 'QIHE-2025-000001' },
      { mutationId: 4, status: 'applied', caseNo: 'QIHE-2025-000001' },
    ]);
    expect(first.body.lastApplied).toBe(4);
    const again = await w.pushRaw(batch.slice(1, 3));
    expect(again.body.acks).toEqual([
      { mutationId: 2, status: 'duplicate', reason: '办件当前为“草稿”，不能批准。', caseNo: 'QIHE-2025-000001' },
      { mutationId: 3, status: 'duplicate', reason: '办件当前为“草稿”，不能送达。', caseNo: 'QIHE-2025-000001' },
    ]);
    expect(eventsOf(caseId).map((e) => e.action.type)).toEqual(['opened', 'numbered', 'discarded']);
    // An action on a case the hall does not know is refused the same way.
    w.nextId = 5;
    expect(await w.act(newCaseId(), { type: 'approved' })).toEqual({ mutationId: 5, status: 'failed', reason: '没有找到该办件，不能批准。' });
  });

  it('refuses a window or a clerk of another office, and a case of another office', async () => {
    const w = await county();
    const b = await branch();
    const bad = await w.pushRaw([
      { ...w.body(newCaseId(), openAction(), { mutationId: 1 }), windowId: 'qihe-edz/1' },
      { ...w.body(newCaseId(), openAction(), { mutationId: 2 }), staffId: '2001' },
    ]);
    expect(bad.body.acks).toEqual([
      { mutationId: 1, status: 'failed', reason: '该窗口不属于本工作站所在大厅。' },
      { mutationId: 2, status: 'failed', reason: '该工作人员不属于本大厅。' },
    ]);
    const { caseId, ack } = await b.open();
    expect(ack.caseNo).toBe('QIHE-K-2025-000001');
    w.nextId = 3;
    // The county hall sees the branch's cases (and their numbers) but its windows do not act on them.
    expect(await w.act(caseId, { type: 'discarded', reason: '误建' })).toEqual({
      mutationId: 3,
      status: 'failed',
      reason: '该办件属于其他办理机构，本窗口不能操作。',
      caseNo: 'QIHE-K-2025-000001',
    });
    // A case id already used in another office is refused, not taken over.
    expect(await w.act(caseId, openAction())).toMatchObject({ status: 'failed', reason: '该办件已经建立，不能重复新建。' });
  });

  it('a linked ticket must exist in the office, with the number the window shows', async () => {
    const w = await county();
    const own = await issue(COUNTY);
    const other = await issue(BRANCH);
    expect((await w.open(undefined, { ticketId: 'no-such-ticket' })).ack).toEqual({
      mutationId: 1,
      status: 'failed',
      reason: '没有找到该办件关联的取号记录，不能新建办件。',
    });
    expect((await w.open(undefined, { ticketId: other.ticketId })).ack.reason).toBe('没有找到该办件关联的取号记录，不能新建办件。');
    expect((await w.open(undefined, { ticketId: own.ticketId, ticketNumber: 'Z999' })).ack.reason).toBe(`办件关联的号码 Z999 与取号记录 ${own.number} 不符。`);
    expect((await w.open(undefined, { ticketId: own.ticketId })).ack).toMatchObject({ status: 'applied', caseNo: 'QIHE-2025-000001' });
    expect(counters()).toEqual([{ office: COUNTY, year: 2025, last: 1 }]); // the refused openings took no number
  });

  it('keeps a window’s time within [the case’s last event, the hall’s now]', async () => {
    const ticket = await issue();
    const w = await county();
    const now = t.clock.now();
    const { caseId } = await w.open(undefined, { ticketId: ticket.ticketId });
    t.clock.advance(60_000);
    await w.act(caseId, { type: 'form_saved', values: { a: '1' } }, { at: now + 86_400_000 }); // a day ahead
    await w.act(caseId, { type: 'form_saved', values: { a: '2' } }, { at: 0 }); // far behind
    const log = eventsOf(caseId);
    expect(log.map((e) => e.at)).toEqual([now, now, now + 60_000, now + 60_000]);
    // An opening from a window clock behind its ticket is placed at the ticket's issue.
    const c2 = newCaseId();
    await w.act(c2, openAction({ ticketId: ticket.ticketId }), { at: 5 });
    expect(eventsOf(c2)[0]!.at).toBe(now);
    // Without a ticket, no earlier than the device's enrolment (a clock reset to 1970 still numbers this year).
    const c3 = newCaseId();
    expect((await w.act(c3, openAction(), { at: 0 })).caseNo).toBe('QIHE-2025-000003');
    expect(eventsOf(c3)[0]!.at).toBe(now);
  });

  it('numbers each office on its own series, restarting with the year of the opening', async () => {
    const w = await county();
    const b = await branch();
    expect((await w.open()).ack.caseNo).toBe('QIHE-2025-000001');
    expect((await b.open()).ack.caseNo).toBe('QIHE-K-2025-000001');
    expect((await w.open()).ack.caseNo).toBe('QIHE-2025-000002');
    t.clock.t = Date.parse('2026-01-01T00:00:30+08:00');
    expect((await w.open()).ack.caseNo).toBe('QIHE-2026-000001');
    // opened offline on New Year's Eve and pushed now: numbered in the year it was opened
    expect((await w.act(newCaseId(), openAction(), { at: Date.parse('2025-12-31T17:00:00+08:00') })).caseNo).toBe('QIHE-2025-000003');
    expect((await w.open()).ack.caseNo).toBe('QIHE-2026-000002');
    expect(counters()).toEqual([
      { office: COUNTY, year: 2025, last: 3 },
      { office: COUNTY, year: 2026, last: 2 },
      { office: BRANCH, year: 2025, last: 1 },
    ]);
  });

  it('numbers stay unique and gapless per office when several windows push at once', async () => {
    const windows: CaseWindow[] = [];
    for (let i = 0; i < 4; i++) windows.push(await caseWindow(t, COUNTY, `qihe-county/${i + 1}`, `100${i + 1}`));
    for (let i = 0; i < 2; i++) windows.push(await caseWindow(t, BRANCH, `qihe-edz/${i + 1}`, `200${i + 1}`));
    const PER = 15;
    // every window pushes its openings as separate concurrent requests (each its own batch of 1..3)
    const acks = await Promise.all(
      windows.map(async (w) => {
        const bodies = Array.from({ length: PER }, (_, i) => w.body(newCaseId(), openAction(), { mutationId: i + 1 }));
        const got: Array<{ caseNo?: string; status: string }> = [];
        for (let i = 0; i < PER; i += 3) {
          const r = await w.pushRaw(bodies.slice(i, i + 3));
          expect(r.status, JSON.stringify(r.body)).toBe(200);
          got.push(...r.body.acks);
        }
        return { office: w.windowId.split('/')[0]!, got };
      }),
    );
    for (const office of [COUNTY, BRANCH]) {
      const nos = acks.filter((a) => a.office === office).flatMap((a) => a.got.map((x) => x.caseNo!));
      expect(acks.flatMap((a) => a.got).every((x) => x.status === 'applied')).toBe(true);
      const n = nos.length;
      const prefix = office === COUNTY ? 'QIHE-2025-' : 'QIHE-K-2025-';
      expect([...nos].sort()).toEqual(Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(6, '0')}`));
    }
    const stored = db((d) => d.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT case_no) AS d FROM "case"').get());
    expect(stored).toEqual({ n: 6 * PER, d: 6 * PER });
  });

  it('records who opened a case’s personal data, from which window and device, once per mutation', async () => {
    const w = await county();
    const { caseId } = await w.open();
    const audit = { mutationId: 2, kind: 'audit', caseId, windowId: w.windowId, staffId: w.staffId, at: t.clock.now() + 999_999, what: 'case.viewed' };
    const r = await w.pushRaw([audit, { ...audit, mutationId: 3, what: 'case.printed' }]);
    expect(r.body.acks).toEqual([
      { mutationId: 2, status: 'applied' },
      { mutationId: 3, status: 'applied' },
    ]);
    expect((await w.pushRaw([audit])).body.acks).toEqual([{ mutationId: 2, status: 'duplicate' }]);
    const rows = db((d) => d.prepare('SELECT at, staff_id, case_id, office, window_id, device_id, what, event_id FROM audit ORDER BY seq').all());
    expect(rows).toEqual([
      { at: t.clock.now(), staff_id: '1001', case_id: caseId, office: COUNTY, window_id: 'qihe-county/3', device_id: w.deviceId, what: 'case.viewed', event_id: `${w.clientId}:2` },
      { at: t.clock.now(), staff_id: '1001', case_id: caseId, office: COUNTY, window_id: 'qihe-county/3', device_id: w.deviceId, what: 'case.printed', event_id: `${w.clientId}:3` },
    ]);
    // An audit from a window of another office is refused (and so never recorded under it).
    expect((await w.pushRaw([{ ...audit, mutationId: 4, windowId: 'qihe-edz/1' }])).body.acks[0]).toMatchObject({ status: 'failed' });
  });

  it('代收代办: a case taken for another jurisdiction is accepted, then forwarded to its target, all on record', async () => {
    const w = await county();
    const { caseId } = await w.open(undefined, { onBehalfOf: { jurisdiction: '济南市历下区', scope: '市域通办' } });
    await w.act(caseId, { type: 'material_marked', materialId: 'm1', status: 'present' });
    await w.act(caseId, { type: 'accepted', matters: ['A001'], promisedDate: '2025-03-10', overrides: [] });
    expect(await w.act(caseId, { type: 'forwarded', target: '济南市历下区行政审批服务局', note: '原件已快递' })).toMatchObject({ status: 'applied' });
    expect(await w.act(caseId, { type: 'forwarded', target: '别处' })).toMatchObject({ status: 'failed', reason: '已转报至 济南市历下区行政审批服务局。' });
    const row = db((d) => d.prepare('SELECT status, json FROM "case" WHERE case_id = ?').get(caseId)) as { status: string; json: string };
    expect(row.status).toBe('ACCEPTED');
    expect(JSON.parse(row.json)).toMatchObject({ forwardedTo: '济南市历下区行政审批服务局', onBehalfOf: { jurisdiction: '济南市历下区', scope: '市域通办' } });
    expect(eventsOf(caseId).at(-1)!.action).toEqual({ type: 'forwarded', target: '济南市历下区行政审批服务局', note: '原件已快递' });
  });

  it('refuses a window that tries to number a case itself, with a 400 and nothing written', async () => {
    const w = await county();
    const { caseId } = await w.open();
    const r = await w.pushRaw([w.body(caseId, { type: 'numbered', caseNo: 'QIHE-2025-999999' }, { mutationId: 2 })]);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('bad_request');
    expect(eventsOf(caseId).map((e) => e.action.type)).toEqual(['opened', 'numbered']);
    const pushed = await t.request('POST', '/api/sync/push', { clientId: w.clientId, mutations: [] }, authHeaders({ device: w.deviceToken }));
    expect(pushed.status).toBe(400);
  });
});
