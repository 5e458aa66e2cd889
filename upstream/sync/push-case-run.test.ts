import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { foldCase } from '../../shared/case/case-reducer.js';
import type { CaseMutation, Mutation, TicketMutation } from '../../shared/hall/api.js';
import { CaseService } from '../cases/case-service.js';
import { newCaseId, newKey, openAction } from '../cases/test-support.js';
import { loadHallConfig } from '../config.js';
import { openHallStore, type HallStore } from '../store/hall-store.js';
import { testClock } from '../testing.js';
import { PushService, type TicketApplier } from './push.js';

/**
 * A push's case actions run in one savepoint that writes each touched case's row once, at its end
 * (cases/case-work.ts): what commits must be exactly what writing the row per action committed.
 */
const opened: Array<{ dir: string; store: HallStore }> = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const o of opened.splice(0)) {
    o.store.close();
    rmSync(o.dir, { recursive: true, force: true });
  }
});

const DEVICE = { id: 'd1', office: 'qihe-county', enrolledAt: Date.parse('2025-03-01T09:00:00+08:00') };
const CLIENT = 'c-test-client';
const WINDOW = 'qihe-county/1';
const STAFF = '1001';

function hall(tickets: TicketApplier = () => {
  throw new Error('no ticket mutations here');
}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'onewindow-push-run-'));
  const store = openHallStore(dir);
  opened.push({ dir, store });
  const clock = testClock();
  const config = loadHallConfig();
  return { store, push: new PushService(store, config, clock.now, tickets, new CaseService(store, config, clock.now)), clock };
}

let nextId = 1;
function act(caseId: string, action: CaseMutation['action']): Mutation {
  return { mutationId: nextId++, kind: 'case_action', caseId, key: newKey(), windowId: WINDOW, staffId: STAFF, at: 0, action };
}
function audit(caseId: string): Mutation {
  return { mutationId: nextId++, kind: 'audit', caseId, what: 'case.viewed', windowId: WINDOW, staffId: STAFF, at: 0 };
}
function ticket(): Mutation {
  const m: TicketMutation = { mutationId: nextId++, kind: 'ticket_action', ticketId: 't-1', windowId: WINDOW, staffId: STAFF, at: 0, action: { type: 'finished' } };
  return m;
}

describe('push: a run of case actions', () => {
  it('writes each touched case row once, at the end; rows equal the fold of the log, acks carry the number, a refusal leaves no trace', async () => {
    nextId = 1;
    const { store, push } = hall();
    const a = newCaseId();
    const b = newCaseId();
    const puts = vi.spyOn(store.cases, 'putCase');
    const opening = act(a, openAction());
    const res = push.push(DEVICE, CLIENT, [
      opening,
      act(b, openAction({ provisionalNo: '临03-20250303-002' })),
      act(a, { type: 'form_saved', values: { 'enterprise.name': '齐河某某商贸有限公司' } }),
      act(a, openAction()), // refused: the case exists already
      act(b, { type: 'situations_answered', answers: { place: 'rented' } }),
      audit(a),
      act(a, { type: 'situations_answered', answers: { place: 'owned' } }),
    ]);
    await store.whenCommitted();
    expect(res.lastApplied).toBe(7);
    expect(store.lastApplied(CLIENT)).toBe(7);
    expect(res.acks.map((k) => k.status)).toEqual(['applied', 'applied', 'applied', 'failed', 'applied', 'applied', 'applied']);
    expect(res.acks[3]!.reason).toMatch(/不能重复新建/);
    // the number given inside the run is in every ack of the case, before its row was written
    expect(res.acks[0]!.caseNo).toBe('QIHE-2025-000001');
    expect(res.acks[1]!.caseNo).toBe('QIHE-2025-000002');
    for (const i of [2, 3, 6]) expect(res.acks[i]!.caseNo).toBe('QIHE-2025-000001');
    expect(res.acks[5]!.caseNo).toBeUndefined(); // an audit's ack names no case number
    expect(res.acks[4]!.caseNo).toBe('QIHE-2025-000002');

    expect(puts).toHaveBeenCalledTimes(2);
    for (const caseId of [a, b]) {
      const row = store.cases.get(caseId)!;
      const events = store.cases.events(caseId);
      const folded = foldCase(events);
      expect(folded.ok && folded.state).toEqual(row.state);
      expect(store.cases.numberOf(caseId)?.caseNo).toBe(row.state.caseNo);
    }
    expect(store.cases.get(a)!.state.answers).toEqual({ place: 'owned' });
    expect(store.cases.events(a).map((e) => e.action.type)).toEqual(['opened', 'numbered', 'form_saved', 'situations_answered']);
    expect(store.mutationResult(CLIENT, 4)?.reason).toMatch(/不能重复新建/);
    expect(store.cases.audits(a)).toHaveLength(1);

    // the same push again: all duplicates, nothing written, the same numbers
    puts.mockClear();
    const again = push.push(DEVICE, CLIENT, [opening]);
    expect(again.acks).toEqual([{ mutationId: 1, status: 'duplicate', caseNo: 'QIHE-2025-000001' }]);
    expect(puts).not.toHaveBeenCalled();
  });

  it('another kind of mutation between case actions sees the rows of the actions before it', () => {
    nextId = 1;
    const seen: Array<string | undefined> = [];
    let store!: HallStore;
    const h = hall((_office, _eventId, _m, progress) => {
      seen.push(JSON.stringify(store.cases.get(a)?.state.answers));
      store.transaction(progress);
    });
    store = h.store;
    const a = newCaseId();
    const res = h.push.push(DEVICE, CLIENT, [act(a, openAction()), act(a, { type: 'situations_answered', answers: { place: 'rented' } }), ticket(), act(a, { type: 'situations_answered', answers: { place: 'owned' } })]);
    expect(res.acks.map((k) => k.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(seen).toEqual([JSON.stringify({ place: 'rented' })]);
    expect(store.cases.get(a)!.state.answers).toEqual({ place: 'owned' });
  });

  it('an unexpected error stops the push: what came before it is kept with its rows, the rest is not applied', async () => {
    nextId = 1;
    const { store, push } = hall();
    const a = newCaseId();
    const b = newCaseId();
    const real = store.setLastApplied.bind(store);
    vi.spyOn(store, 'setLastApplied').mockImplementation((clientId, id) => {
      if (id === 3) throw new Error('disk trouble');
      real(clientId, id);
    });
    expect(() =>
      push.push(DEVICE, CLIENT, [act(a, openAction()), act(a, { type: 'situations_answered', answers: { place: 'rented' } }), act(b, openAction()), act(a, { type: 'situations_answered', answers: { place: 'owned' } })]),
    ).toThrow('disk trouble');
    await store.whenCommitted();
    expect(store.lastApplied(CLIENT)).toBe(2);
    expect(store.cases.get(a)!.state.answers).toEqual({ place: 'rented' });
    expect(foldCase(store.cases.events(a))).toMatchObject({ ok: true, state: store.cases.get(a)!.state });
    // the case opened by the action that failed is gone with it: no row, no event, its number unused
    expect(store.cases.get(b)).toBeUndefined();
    expect(store.cases.events(b)).toEqual([]);
    vi.restoreAllMocks();
    const retry = push.push(DEVICE, CLIENT, [act(b, openAction())].map((m) => ({ ...m, mutationId: 3 })));
    expect(retry.acks[0]).toEqual({ mutationId: 3, status: 'applied', caseNo: 'QIHE-2025-000002' });
  });
});
