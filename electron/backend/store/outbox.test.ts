import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MutationBody } from './outbox.js';
import { openDatabase } from './database.js';
import { Outbox } from './outbox.js';
import { tempDir } from '../test-helpers.js';

function body(ticketId: string): MutationBody {
  return { kind: 'ticket_action', ticketId, windowId: 'qihe-county/1', staffId: '1001', at: 1_000, action: { type: 'started' } };
}

/** The ticket an entry is about (these tests write ticket actions only). */
function ticketOf(b: MutationBody): string {
  return b.kind === 'ticket_action' ? b.ticketId : `(${b.kind})`;
}

function fresh() {
  const db = openDatabase(path.join(tempDir('outbox'), 'workstation.db'));
  const outbox = new Outbox(db, () => 5_000);
  outbox.bindClient('client-a');
  return { db, outbox };
}

describe('outbox', () => {
  it('gives rising mutation ids and writes the local ticket event in the same transaction', () => {
    const { db, outbox } = fresh();
    expect(outbox.append(body('t1'), 'A001 开始办理')).toBe(1);
    expect(outbox.append(body('t2'), 'A002 开始办理')).toBe(2);
    expect(outbox.pending().map((e) => e.mutationId)).toEqual([1, 2]);
    const events = db.prepare('SELECT mutation_id, ticket_id FROM ticket_event ORDER BY id').all();
    expect(events).toEqual([
      { mutation_id: 1, ticket_id: 't1' },
      { mutation_id: 2, ticket_id: 't2' },
    ]);
  });

  it('rolls back the outbox entry when the write in the same transaction fails', () => {
    const { outbox } = fresh();
    expect(() =>
      outbox.append(body('t1'), 'A001', () => {
        throw new Error('local write failed');
      }),
    ).toThrow('local write failed');
    expect(outbox.pendingCount()).toBe(0);
    expect(outbox.append(body('t1'), 'A001')).toBe(1);
  });

  it('deletes only acknowledged entries and parks failed ones with their reason', () => {
    const { outbox } = fresh();
    for (const t of ['t1', 't2', 't3']) outbox.append(body(t), t);
    const r = outbox.applyAcks([
      { mutationId: 1, status: 'applied' },
      { mutationId: 2, status: 'failed', reason: '号码已办结' },
    ]);
    expect(r).toEqual({ done: 1, parked: 1 });
    const st = outbox.status();
    expect(st.pending).toBe(1);
    expect(st.parked).toEqual([{ mutationId: 2, summary: 't2', reason: '号码已办结', at: 5_000 }]);
    expect(st.lastSuccessAt).toBe(5_000);
    // A duplicate that carries a reason failed the first time: parked, not taken for done.
    outbox.applyAcks([{ mutationId: 3, status: 'duplicate', reason: '号码已办结' }]);
    expect(outbox.status().parked.map((p) => p.mutationId)).toEqual([2, 3]);
  });

  it('sets aside an unconsumed refused entry and closes the gap so later ones stay in order', () => {
    const { db, outbox } = fresh();
    for (const t of ['t1', 't2', 't3', 't4']) outbox.append(body(t), t);
    outbox.applyAcks([{ mutationId: 1, status: 'applied' }]);
    outbox.parkUnconsumed(2, '请求参数有误');
    expect(outbox.pending().map((e) => [e.mutationId, ticketOf(e.body)])).toEqual([
      [2, 't3'],
      [3, 't4'],
    ]);
    expect(outbox.status().parked).toMatchObject([{ summary: 't2', reason: '请求参数有误' }]);
    expect(outbox.status().parked[0]!.mutationId).toBeLessThan(0);
    expect(outbox.append(body('t5'), 't5')).toBe(4);
    const ev = db.prepare('SELECT mutation_id FROM ticket_event WHERE ticket_id = ?').get('t4');
    expect(ev).toEqual({ mutation_id: 3 });
  });

  it('re-queues parked entries under new, higher ids', () => {
    const { outbox } = fresh();
    for (const t of ['t1', 't2']) outbox.append(body(t), t);
    outbox.applyAcks([{ mutationId: 1, status: 'failed', reason: 'x' }]);
    expect(outbox.requeueParked()).toBe(1);
    expect(outbox.pending().map((e) => [e.mutationId, ticketOf(e.body)])).toEqual([
      [2, 't2'],
      [3, 't1'],
    ]);
    expect(outbox.status().parked).toEqual([]);
  });

  it('re-queues parked entries of an earlier client under the new client without key clashes', () => {
    let t = 5_000;
    const db = openDatabase(path.join(tempDir('outbox'), 'workstation.db'));
    const outbox = new Outbox(db, () => t);
    outbox.bindClient('client-a');
    for (const id of ['t1', 't2']) outbox.append(body(id), id);
    outbox.applyAcks([{ mutationId: 2, status: 'failed', reason: 'b' }]);
    t = 6_000;
    outbox.applyAcks([{ mutationId: 1, status: 'failed', reason: 'a' }]);
    outbox.bindClient('client-b');
    expect(outbox.requeueParked()).toBe(2);
    expect(outbox.pending().map((e) => [e.mutationId, ticketOf(e.body)])).toEqual([
      [1, 't2'],
      [2, 't1'],
    ]);
    expect(db.prepare('SELECT ticket_id, client_id, mutation_id FROM ticket_event ORDER BY mutation_id').all()).toEqual([
      { ticket_id: 't2', client_id: 'client-b', mutation_id: 1 },
      { ticket_id: 't1', client_id: 'client-b', mutation_id: 2 },
    ]);
  });

  it('refuses a new client id while mutations of the old one wait', () => {
    const { outbox } = fresh();
    outbox.append(body('t1'), 't1');
    expect(() => outbox.bindClient('client-b')).toThrow(/client-a/);
    outbox.applyAcks([{ mutationId: 1, status: 'applied' }]);
    outbox.bindClient('client-b');
    expect(outbox.append(body('t2'), 't2')).toBe(1);
  });
});

describe('local database', () => {
  it('runs numbered migrations once, in WAL with synchronous=FULL, and keeps data across reopen', async () => {
    const file = path.join(tempDir('db'), 'workstation.db');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    new Outbox(db, Date.now).bindClient('c');
    new Outbox(db, Date.now).append(body('t1'), 't1');
    db.close();
    const shipped = (await import('./migrations.js')).MIGRATIONS;
    const again = openDatabase(file, {
      migrations: [...shipped, { version: 999, name: 'test: an additive column', sql: 'ALTER TABLE outbox ADD COLUMN note TEXT' }],
    });
    expect(again.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual([...shipped.map((m) => ({ version: m.version })), { version: 999 }]);
    expect(new Outbox(again, Date.now).pendingCount()).toBe(1);
    again.close();
  });
});
