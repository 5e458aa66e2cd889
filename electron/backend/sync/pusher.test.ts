import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Mutation } from '../../../shared/hall/api.js';
import { AppError } from '../../../shared/errors.js';
import { HallHttpError, OFFLINE_MESSAGE, type HallHttp } from '../hall-client/http.js';
import { openDatabase } from '../store/database.js';
import { Outbox, type OutboxEntry } from '../store/outbox.js';
import { tempDir } from '../test-helpers.js';
import { HALL_PROGRESS_LOST_MESSAGE } from './hall-reset.js';
import { recoverLostProgress } from './lost-progress.js';
import { fitBatch, Pusher } from './pusher.js';

type PushFn = (mutations: Mutation[]) => Promise<{ acks: Array<{ mutationId: number; status: 'applied' | 'duplicate' | 'failed'; reason?: string }>; lastApplied: number }>;

function setup(push: PushFn) {
  const db = openDatabase(path.join(tempDir('pusher'), 'workstation.db'));
  const outbox = new Outbox(db, Date.now);
  outbox.bindClient('c1');
  const http = { call: (_name: string, input: { mutations: Mutation[] }) => push(input.mutations) } as unknown as HallHttp;
  const acked: OutboxEntry[] = [];
  const pusher = new Pusher(outbox, { target: () => ({ http, deviceToken: 't', clientId: 'c1' }), onAcked: (e) => acked.push(...e), onChange: () => undefined });
  const add = (ticketId: string) =>
    outbox.append({ kind: 'ticket_action', ticketId, windowId: 'qihe-county/1', staffId: '1001', at: 1, action: { type: 'started' } }, ticketId);
  return { outbox, pusher, add, acked };
}

const appliedAll: PushFn = async (ms) => ({ acks: ms.map((m) => ({ mutationId: m.mutationId, status: 'applied' as const })), lastApplied: ms.at(-1)!.mutationId });

describe('pusher', () => {
  it('pushes in mutation order and deletes only after the ack', async () => {
    const seen: number[][] = [];
    const { outbox, pusher, add, acked } = setup(async (ms) => {
      seen.push(ms.map((m) => m.mutationId));
      return appliedAll(ms);
    });
    add('t1');
    add('t2');
    await pusher.flush();
    expect(seen).toEqual([[1, 2]]);
    expect(outbox.pendingCount()).toBe(0);
    expect(acked.map((e) => (e.body.kind === 'ticket_action' ? e.body.ticketId : e.body.kind))).toEqual(['t1', 't2']);
    pusher.close();
  });

  it('keeps everything and backs off on network errors and 5xx, then succeeds on reconnect', async () => {
    let fail: Error | null = new AppError('offline', OFFLINE_MESSAGE);
    const { outbox, pusher, add } = setup(async (ms) => {
      if (fail) throw fail;
      return appliedAll(ms);
    });
    add('t1');
    await expect(pusher.flush()).rejects.toThrow(OFFLINE_MESSAGE);
    expect(outbox.pendingCount()).toBe(1);
    expect(pusher.lastError).toBe(OFFLINE_MESSAGE);
    fail = new HallHttpError(503, 'internal', '大厅服务器暂时出错，请稍后重试。');
    await expect(pusher.flush()).rejects.toThrow('大厅服务器暂时出错');
    expect(outbox.pendingCount()).toBe(1);
    expect(outbox.status().parked).toEqual([]);
    fail = null;
    pusher.reconnected();
    await new Promise((r) => setTimeout(r, 50));
    expect(outbox.pendingCount()).toBe(0);
    expect(pusher.lastError).toBeNull();
    pusher.close();
  });

  it('isolates a 4xx-refused entry, parks it, and lets the later ones through in order', async () => {
    const applied: number[] = [];
    let lastApplied = 0;
    const { outbox, pusher, add } = setup(async (ms) => {
      if (ms[0]!.mutationId !== lastApplied + 1) throw new HallHttpError(409, 'out_of_order', '同步顺序有误');
      if (ms.some((m) => m.kind === 'ticket_action' && m.ticketId === 'bad')) throw new HallHttpError(400, 'bad_request', '请求参数有误');
      for (const m of ms) applied.push(m.mutationId);
      lastApplied = ms.at(-1)!.mutationId;
      return appliedAll(ms);
    });
    add('t1');
    add('bad');
    add('t3');
    // t1 goes alone first (the batch is split to find the culprit); then t1 is acked.
    await pusher.flush();
    expect(applied).toEqual([1, 2]);
    expect(outbox.pendingCount()).toBe(0);
    expect(outbox.status().parked).toMatchObject([{ summary: 'bad', reason: '请求参数有误' }]);
    pusher.close();
  });

  it('does not park on out_of_order or an unauthorised device', async () => {
    let err: Error = new HallHttpError(409, 'out_of_order', '同步顺序有误');
    const { outbox, pusher, add } = setup(async () => {
      throw err;
    });
    add('t1');
    await expect(pusher.flush()).rejects.toThrow();
    err = new HallHttpError(401, 'unauthorized', '设备未登记');
    await expect(pusher.flush()).rejects.toThrow();
    expect(outbox.pendingCount()).toBe(1);
    expect(outbox.status().parked).toEqual([]);
    pusher.close();
  });

  it('a hall that lost acknowledged mutations: the status says so, the puller is asked, and pushing goes on once they are put back', async () => {
    const db = openDatabase(path.join(tempDir('pusher'), 'workstation.db'));
    const outbox = new Outbox(db, Date.now);
    outbox.bindClient('c1');
    // The hall as restored from a backup: it holds nothing of c1 (lastApplied 0) and takes ids in order.
    let hallLast = 0;
    const onHall: string[] = [];
    const http = {
      call: async (_name: string, input: { mutations: Mutation[] }) => {
        const first = input.mutations[0]!.mutationId;
        if (first > hallLast + 1) throw new HallHttpError(409, 'out_of_order', '同步顺序有误', `POST /api/sync/push: lastApplied=${hallLast}; expected mutationId ${hallLast + 1}, got ${first}`);
        for (const m of input.mutations) if (m.kind === 'ticket_action' && m.mutationId > hallLast) onHall.push(m.ticketId);
        hallLast = input.mutations.at(-1)!.mutationId;
        return { acks: input.mutations.map((m) => ({ mutationId: m.mutationId, status: 'applied' as const })), lastApplied: hallLast };
      },
    } as unknown as HallHttp;
    const told: Array<number | null> = [];
    const pusher = new Pusher(outbox, {
      target: () => ({ http, deviceToken: 't', clientId: 'c1' }),
      onAcked: () => undefined,
      onChange: () => undefined,
      onProgressLost: (last) => told.push(last),
    });
    const add = (ticketId: string) => outbox.append({ kind: 'ticket_action', ticketId, windowId: 'qihe-county/1', staffId: '1001', at: 1, action: { type: 'started' } }, ticketId);
    add('t1');
    add('t2');
    outbox.applyAcks([1, 2].map((mutationId) => ({ mutationId, status: 'applied' as const }))); // acknowledged by the hall before its reset
    add('t3'); // id 3: out of order for the restored hall, forever

    await expect(pusher.flush()).rejects.toThrow(HALL_PROGRESS_LOST_MESSAGE);
    expect(pusher.lastError).toBe(HALL_PROGRESS_LOST_MESSAGE);
    expect(told).toEqual([0]);
    expect(outbox.pendingCount()).toBe(1);
    expect(outbox.status().parked).toEqual([]);

    expect(recoverLostProgress(db, 'c1', 0, 2, 'Asia/Shanghai')).toMatchObject({ resent: 2, renumbered: 1 });
    await pusher.flush();
    expect(onHall).toEqual(['t1', 't2', 't3']);
    expect(pusher.lastError).toBeNull();
    pusher.close();
    db.close();
  });

  it('keeps each push body under the hall’s size limit, and never sends an empty batch', () => {
    const entry = (n: number, bytes: number): OutboxEntry => ({
      mutationId: n,
      createdAt: 0,
      summary: '',
      attempts: 0,
      body: { kind: 'case_action', caseId: 'c-abcdef-1', key: `key-${n}-xxxxxx`, windowId: 'qihe-county/1', staffId: '1001', at: 1, action: { type: 'form_saved', values: { 'x.y': 'x'.repeat(bytes) } } },
    });
    const batch = Array.from({ length: 10 }, (_, i) => entry(i + 1, 60 * 1024));
    expect(fitBatch(batch).map((e) => e.mutationId)).toEqual([1, 2, 3]);
    expect(fitBatch([entry(1, 400 * 1024), entry(2, 10)]).map((e) => e.mutationId)).toEqual([1]);
    expect(fitBatch(batch.slice(0, 2), 10 * 1024 * 1024)).toHaveLength(2);
  });
});
