import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaseStore, localActions } from '../cases/case-store.js';
import { getMeta, openDatabase } from '../store/database.js';
import { Outbox } from '../store/outbox.js';
import { tempDir } from '../test-helpers.js';
import { nextMutationId, progressLost, recoverLostProgress } from './lost-progress.js';

const W1 = 'qihe-county/1';
const CLIENT = 'c-11111111-2222-3333-4444-555555555555';
const actor = { staffId: '1001', windowId: W1, office: 'qihe-county' };

function fresh() {
  const db = openDatabase(path.join(tempDir('lost-progress'), 'workstation.db'));
  let cases: CaseStore;
  const outbox = new Outbox(db, () => 5_000, { casesSettled: (c) => cases.settled(c) });
  outbox.bindClient(CLIENT);
  cases = new CaseStore(db, outbox, () => 'Asia/Shanghai', () => 5_000);
  const ticket = (ticketId: string, type: 'started' | 'finished') =>
    outbox.append({ kind: 'ticket_action', ticketId, windowId: W1, staffId: '1001', at: 1_000, action: { type } }, `${ticketId} ${type}`);
  const recover = (lastApplied: number) => recoverLostProgress(db, CLIENT, lastApplied, 9_000, 'Asia/Shanghai');
  const pending = () => outbox.pending().map((e) => ({ id: e.mutationId, what: e.body.kind === 'ticket_action' ? `${e.body.ticketId} ${e.body.action.type}` : e.body.kind }));
  const localTickets = () =>
    db.prepare('SELECT ticket_id, action, mutation_id, outcome FROM ticket_event ORDER BY id').all() as Array<{ ticket_id: string; action: string; mutation_id: number | null; outcome: string | null }>;
  return { db, outbox, cases, ticket, recover, pending, localTickets };
}

describe('a hall that lost mutations it acknowledged to this window', () => {
  it('is told from the id the window pushes next: below it minus one means lost', () => {
    const { db, outbox, ticket } = fresh();
    expect(nextMutationId(db)).toBe(1);
    ticket('t1', 'started');
    ticket('t1', 'finished');
    expect(nextMutationId(db)).toBe(1);
    outbox.applyAcks([{ mutationId: 1, status: 'applied' }]);
    expect(nextMutationId(db)).toBe(2);
    outbox.applyAcks([{ mutationId: 2, status: 'applied' }]);
    expect(nextMutationId(db)).toBe(3); // nothing pending: the one after the last
    expect(progressLost(2, 3)).toBe(false);
    expect(progressLost(5, 3)).toBe(false); // acknowledged, crashed before the delete: ahead is fine
    expect(progressLost(1, 3)).toBe(true);
  });

  it('puts the lost ones back from the window’s own log and numbers them and the pending ones from the hall’s progress', () => {
    const { db, outbox, ticket, recover, pending, localTickets } = fresh();
    ticket('t1', 'started'); // 1
    ticket('t1', 'finished'); // 2 — refused by the hall (parked)
    ticket('t2', 'started'); // 3
    ticket('t2', 'finished'); // 4
    outbox.applyAcks([
      { mutationId: 1, status: 'applied' },
      { mutationId: 2, status: 'failed', reason: '号码已办结' },
      { mutationId: 3, status: 'applied' },
      { mutationId: 4, status: 'applied' },
    ]);
    ticket('t3', 'started'); // 5, pending
    ticket('t3', 'finished'); // 6, pending

    // The hall comes back from a backup that holds only mutation 1.
    const r = recover(1);
    expect(r).toEqual({ lastApplied: 1, resent: 2, renumbered: 2, setAside: 1, missing: 0 });
    expect(pending()).toEqual([
      { id: 2, what: 't2 started' },
      { id: 3, what: 't2 finished' },
      { id: 4, what: 't3 started' },
      { id: 5, what: 't3 finished' },
    ]);
    expect(getMeta(db, 'outbox.last_mutation_id')).toBe('5');
    // The window's own log follows: pending again under the new ids; the refused one keeps its answer.
    expect(localTickets().map((e) => [e.ticket_id, JSON.parse(e.action).type, e.mutation_id, e.outcome])).toEqual([
      ['t1', 'started', 1, 'applied'],
      ['t1', 'finished', null, 'failed: 号码已办结'],
      ['t2', 'started', 2, null],
      ['t2', 'finished', 3, null],
      ['t3', 'started', 4, null],
      ['t3', 'finished', 5, null],
    ]);
    const parked = outbox.status().parked;
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ reason: '号码已办结' });
    expect(parked[0]!.mutationId).toBeLessThan(0);
    // Mended: asking again changes nothing.
    expect(recover(1)).toBeNull();
    // The clerk may still retry the refused one: it goes after the others.
    expect(outbox.requeueParked()).toBe(1);
    expect(pending().map((p) => p.id)).toEqual([2, 3, 4, 5, 6]);
  });

  it('with nothing pending, the lost ones go back in line by themselves (cases, audits and seal changes too)', () => {
    const { db, outbox, cases, ticket, recover, pending } = fresh();
    const caseId = cases.newCaseId(CLIENT);
    cases.write(caseId, actor, () => [
      { action: { type: 'opened', subject: { kind: 'bundle', code: 'qykb' }, title: '企业开办', provisionalNo: '临01-20260302-001', catalogVersion: null }, summary: '新建' },
    ], '2026-03-02'); // 1
    cases.audit(caseId, actor, '查看'); // 2
    ticket('t1', 'started'); // 3
    const sealChange = { kind: 'settings_audit' as const, what: 'seal.imported' as const, officeId: 'qihe-county', fingerprint: 'ab'.repeat(32), subject: '齐河县行政审批服务局', windowId: null, staffId: '9999', at: 1_500 };
    outbox.append(sealChange, '印章设置：导入印章'); // 4
    outbox.applyAcks([1, 2, 3, 4].map((mutationId) => ({ mutationId, status: 'applied' as const, ...(mutationId === 1 ? { caseNo: '齐政-2026-000001' } : {}) })));
    expect(outbox.pendingCount()).toBe(0);

    const r = recover(0);
    expect(r).toMatchObject({ resent: 4, renumbered: 0, missing: 0 });
    expect(pending()).toEqual([
      { id: 1, what: 'case_action' },
      { id: 2, what: 'audit' },
      { id: 3, what: 't1 started' },
      { id: 4, what: 'settings_audit' },
    ]);
    expect(outbox.pending()[3]!.body).toEqual(sealChange); // rebuilt whole from the window's own record
    expect(outbox.pending()[0]!.summary).toContain('补传');
    expect(localActions(db, caseId).map((a) => [a.mutation_id, a.outcome])).toEqual([[1, null]]);
    // The case is pending again (its action waits for the hall), its number stays until the hall gives one.
    expect(outbox.pendingByCase([caseId]).get(caseId)).toBe(1);
    expect(cases.get(caseId)?.caseNo).toBe('齐政-2026-000001');
  });

  it('does nothing for another client id or a hall that is not behind', () => {
    const { outbox, ticket, recover, db } = fresh();
    ticket('t1', 'started');
    outbox.applyAcks([{ mutationId: 1, status: 'applied' }]);
    expect(recover(1)).toBeNull();
    expect(recoverLostProgress(db, 'c-someone-else', 0, 1, 'Asia/Shanghai')).toBeNull();
    expect(outbox.pendingCount()).toBe(0);
  });
});
