import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HallHttp } from '../hall-client/http.js';
import { createWorkstation } from '../index.js';
import { memorySettingsStore } from '../settings/settings-store.js';
import { openDatabase } from '../store/database.js';
import { Outbox } from '../store/outbox.js';
import { closedAfterEach, enrolDevice, enrolledWorkstation, partitionProxy, servingTicket, state, tempDir, value, waitFor } from '../test-helpers.js';

const { cleanups, hallAt } = closedAfterEach();

/** The window's time of the mutation it sent as `mutationId` (its own ticket log keeps it): a retry sends the same. */
function sentAt(dataDir: string, mutationId: number): number {
  const db = new Database(path.join(dataDir, 'workstation.db'), { readonly: true });
  try {
    return (db.prepare('SELECT at FROM ticket_event WHERE mutation_id = ?').get(mutationId) as { at: number }).at;
  } finally {
    db.close();
  }
}

describe('outbox: offline work reaches the hall exactly once', () => {
  it('finishes offline, keeps it pending, pushes it when the hall is back, and a duplicate push has no effect', async () => {
    const hallDir = tempDir('hall');
    let hall = await hallAt(hallDir);
    const { ws, settings, dataDir } = await enrolledWorkstation(hall);
    cleanups.push(() => ws.close());
    const t = await servingTicket(ws, hall.url);

    await hall.close();
    await waitFor('offline', async () => !(await state(ws)).connection.online);
    const offline = await state(ws);
    expect(offline.canCallNext).toBe(false);
    expect(offline.callBlockedReason).toBe('大厅服务器连接中断，暂不能叫号');
    const callRefused = await ws.handlers['queue.callNext']({});
    expect(callRefused).toMatchObject({ ok: false, error: { code: 'offline' } });

    const finished = value(await ws.handlers['queue.finish']({ caseNo: 'QH-2025-0001' }));
    expect(finished.panel?.current).toBeNull();
    expect(finished.sync.pending).toBe(1);
    expect(finished.sync.oldestPendingAt).not.toBeNull();

    const port = Number(new URL(hall.url).port);
    hall = await hallAt(hallDir, port);
    await waitFor('outbox drained', async () => (await state(ws)).sync.pending === 0);
    const after = await state(ws);
    expect(after.connection.online).toBe(true);
    expect(after.sync.parked).toEqual([]);
    expect(after.sync.lastSuccessAt).not.toBeNull();

    // The hall has the ticket finished: its evaluator asks for the rating of exactly this ticket.
    const http = new HallHttp(hall.url);
    const pending = await http.call('evaluatorPending', { windowId: 'qihe-county/1' });
    expect(pending.request?.ticketId).toBe(t.ticketId);

    // Sending the same mutation again (e.g. the ack was lost) is acknowledged without effect.
    const s = settings.get();
    const again = await http.call(
      'push',
      {
        clientId: s.clientId!,
        mutations: [
          { mutationId: 2, kind: 'ticket_action', ticketId: t.ticketId, windowId: 'qihe-county/1', staffId: '1001', at: sentAt(dataDir, 2), action: { type: 'finished' } },
        ],
      },
      { deviceToken: s.deviceToken! },
    );
    expect(again.acks).toEqual([{ mutationId: 2, status: 'duplicate' }]);
    expect(again.lastApplied).toBe(2);
    const still = await http.call('evaluatorPending', { windowId: 'qihe-county/1' });
    expect(still.request?.ticketId).toBe(t.ticketId);
  });

  it('keeps an outbox entry written just before a crash and pushes it after reopening', async () => {
    const hallDir = tempDir('hall');
    const hall = await hallAt(hallDir);
    const { ws, settings, dataDir } = await enrolledWorkstation(hall);
    const t = await servingTicket(ws, hall.url);
    await ws.close();

    // Simulate the crash window: the local event and its outbox entry committed, nothing pushed.
    const db = openDatabase(path.join(dataDir, 'workstation.db'));
    const outbox = new Outbox(db, Date.now);
    outbox.append({ kind: 'ticket_action', ticketId: t.ticketId, windowId: 'qihe-county/1', staffId: '1001', at: Date.now(), action: { type: 'finished' } }, `${t.number} 办结`);
    db.close();

    const reopened = openDatabase(path.join(dataDir, 'workstation.db'));
    expect(new Outbox(reopened, Date.now).pendingCount()).toBe(1);
    reopened.close();

    const ws2 = await createWorkstation({ dataDir, settings, hallUrl: hall.url });
    cleanups.push(() => ws2.close());
    await waitFor('pushed after restart', async () => (await state(ws2)).sync.pending === 0);
    const pending = await new HallHttp(hall.url).call('evaluatorPending', { windowId: 'qihe-county/1' });
    expect(pending.request?.ticketId).toBe(t.ticketId);
  });

  it('parks a mutation the hall refuses, shows why, and re-queues it as a new mutation on retry', async () => {
    const hall = await hallAt(tempDir('hall'));
    const proxy = await partitionProxy(hall.url);
    cleanups.push(() => proxy.close());
    const settings = memorySettingsStore();
    const dataDir = tempDir('ws');
    const ws = await createWorkstation({ dataDir, settings, hallUrl: proxy.url });
    cleanups.push(() => ws.close());
    value(await ws.handlers['device.enroll']({ hallUrl: proxy.url, code: hall.createEnrolmentCode('qihe-county'), deviceName: '测试工作站' }));
    await waitFor('online', async () => (await state(ws)).connection.online);
    const t = await servingTicket(ws, hall.url);

    proxy.block();
    await waitFor('offline', async () => !(await state(ws)).connection.online);
    value(await ws.handlers['queue.finish']({}));
    // Meanwhile another device finishes the same ticket at the hall: the window's finish will fail there.
    const other = await enrolDevice(hall);
    const direct = new HallHttp(hall.url);
    const res = await direct.call(
      'push',
      { clientId: other.clientId, mutations: [{ mutationId: 1, kind: 'ticket_action', ticketId: t.ticketId, windowId: 'qihe-county/1', staffId: '1001', at: Date.now(), action: { type: 'finished' } }] },
      { deviceToken: other.deviceToken },
    );
    expect(res.acks[0]?.status).toBe('applied');

    proxy.unblock();
    const parked = await waitFor('parked', async () => {
      const st = await state(ws);
      return st.sync.parked.length === 1 && st.sync.pending === 0 ? st : null;
    });
    expect(parked.sync.parked[0]).toMatchObject({ mutationId: 2, summary: `${t.number} 办结` });
    expect(parked.sync.parked[0]!.reason).toMatch(/不能办结/);

    // Retry re-queues it under a NEW id (3): id 2 is consumed at the hall. It fails again, visibly.
    await waitFor('online again', async () => (await state(ws)).connection.online);
    const retried = value(await ws.handlers['sync.retryParked']({}));
    expect(retried.sync.pending).toBe(0);
    expect(retried.sync.parked.map((p) => p.mutationId)).toEqual([3]);
    const s = settings.get();
    const dup = await direct.call(
      'push',
      { clientId: s.clientId!, mutations: [{ mutationId: 3, kind: 'ticket_action', ticketId: t.ticketId, windowId: 'qihe-county/1', staffId: '1001', at: sentAt(dataDir, 3), action: { type: 'finished' } }] },
      { deviceToken: s.deviceToken! },
    );
    expect(dup.lastApplied).toBe(3);
    expect(dup.acks[0]).toMatchObject({ mutationId: 3, status: 'duplicate' });
  });

  it('uploads by itself after a network partition heals, without a new local write', async () => {
    const hall = await hallAt(tempDir('hall'));
    const proxy = await partitionProxy(hall.url);
    cleanups.push(() => proxy.close());
    const ws = await createWorkstation({ dataDir: tempDir('ws'), settings: memorySettingsStore(), hallUrl: proxy.url });
    cleanups.push(() => ws.close());
    value(await ws.handlers['device.enroll']({ hallUrl: proxy.url, code: hall.createEnrolmentCode('qihe-county'), deviceName: '测试工作站' }));
    await waitFor('online', async () => (await state(ws)).connection.online);
    const t = await servingTicket(ws, hall.url);
    const events: boolean[] = [];
    ws.events.on('queue.state', (s) => events.push(s.connection.online));

    proxy.block();
    await waitFor('offline', async () => !(await state(ws)).connection.online);
    value(await ws.handlers['queue.hold']({ kind: 'waiting', note: '等待补充材料' }));
    const offline = await state(ws);
    expect(offline.sync.pending).toBe(1);
    expect(offline.panel?.resumable.map((r) => r.ticketId)).toContain(t.ticketId);
    expect(offline.connection.lastError).toBeTruthy();
    // Offline, a recall (it needs the call display) and calling are refused plainly.
    expect(await ws.handlers['queue.recall']({})).toMatchObject({ ok: false, error: { code: 'offline' } });

    proxy.unblock();
    await waitFor('drained', async () => {
      const st = await state(ws);
      return st.connection.online && st.sync.pending === 0;
    });
    expect(events).toContain(false);
    expect(events.at(-1)).toBe(true);
    const panel = await waitFor('hall shows the held ticket', async () => {
      const st = await state(ws);
      return st.panel?.resumable.find((r) => r.ticketId === t.ticketId && r.status === 'HELD');
    });
    expect(panel.hold?.kind).toBe('waiting');
  });

  it('syncs correctly from a workstation whose clock is a day off, and warns about the clock', async () => {
    const hallDir = tempDir('hall');
    let hall = await hallAt(hallDir);
    const dayAhead = () => Date.now() + 24 * 3600_000;
    const settings = memorySettingsStore();
    const ws = await createWorkstation({ dataDir: tempDir('ws'), settings, hallUrl: hall.url, now: dayAhead });
    cleanups.push(() => ws.close());
    value(await ws.handlers['device.enroll']({ hallUrl: hall.url, code: hall.createEnrolmentCode('qihe-county'), deviceName: '时钟不准的工作站' }));
    const online = await waitFor('online with offset', async () => {
      const st = await state(ws);
      return st.connection.online && st.connection.clockOffsetMs !== null ? st : null;
    });
    expect(online.connection.clockOffsetMs).toBeLessThan(-23 * 3600_000);
    expect(online.connection.lastError).toMatch(/本机时钟与大厅服务器相差约 \d+ 分钟/);
    const t = await servingTicket(ws, hall.url);
    await hall.close();
    await waitFor('offline', async () => !(await state(ws)).connection.online);
    value(await ws.handlers['queue.finish']({}));
    hall = await hallAt(hallDir, Number(new URL(hall.url).port));
    await waitFor('drained', async () => (await state(ws)).sync.pending === 0);
    expect((await state(ws)).sync.parked).toEqual([]);
    const pending = await new HallHttp(hall.url).call('evaluatorPending', { windowId: 'qihe-county/1' });
    expect(pending.request?.ticketId).toBe(t.ticketId);
    // The hall clamped the window's clock: the finish is not stamped a day in the future.
    expect(pending.request!.finishedAt).toBeLessThanOrEqual(Date.now());
  });
});
