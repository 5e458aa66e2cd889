/**
 * A black-holed network between the window and the hall: connections are accepted but nothing comes
 * back, and the ones open at the time go silent. The window must notice on its own (WebSocket ping,
 * request timeouts), keep the work in the outbox, and upload it by itself once the link heals —
 * with no new local write — and the hall must hold it exactly once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HallHttp } from '../hall-client/http.js';
import { enrolledWorkstation, partitionProxy, servingTicket, startTestHall, state, tempDir, value, waitFor } from '../test-helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('black-hole partition', () => {
  it('notices the silent link, keeps the finish pending, and uploads it once after healing without a new write', async () => {
    const hall = await startTestHall(tempDir('hall'));
    cleanups.push(() => hall.close());
    const proxy = await partitionProxy(hall.url, 'blackhole');
    cleanups.push(() => proxy.close());
    const { ws, settings } = await enrolledWorkstation(hall, tempDir('ws'), undefined, proxy.url);
    cleanups.push(() => ws.close());
    const t = await servingTicket(ws, hall.url);
    const seen: Array<{ online: boolean; pending: number }> = [];
    ws.events.on('queue.state', (s) => seen.push({ online: s.connection.online, pending: s.sync.pending }));

    proxy.block();
    const cutAt = Date.now();
    // The window does not know yet: the finish is written locally and waits in the outbox.
    const finished = value(await ws.handlers['queue.finish']({}));
    expect(finished.sync.pending).toBe(1);
    expect(finished.sync.parked).toEqual([]);

    const offline = await waitFor('offline noticed', async () => {
      const s = await state(ws);
      return s.connection.online ? null : s;
    }, 12_000);
    expect(Date.now() - cutAt).toBeLessThan(12_000);
    expect(offline.sync.pending).toBe(1);
    expect(offline.sync.oldestPendingAt).not.toBeNull();
    expect(offline.connection.lastError).toBeTruthy();
    expect(offline.panel?.current ?? null).toBeNull(); // the finish shows locally

    const lastSuccessBefore = offline.sync.lastSuccessAt;
    const writesBefore = seen.length;
    proxy.unblock();
    const healedAt = Date.now();
    // No handler is called from here on: only the window's own reconnects and retries.
    const recovered = await waitFor('uploaded and online again', async () => {
      const s = await state(ws);
      return s.connection.online && s.sync.pending === 0 ? s : null;
    }, 15_000);
    expect(recovered.sync.parked).toEqual([]);
    expect(recovered.sync.oldestPendingAt).toBeNull();
    expect(recovered.sync.lastSuccessAt).not.toBeNull();
    expect(recovered.sync.lastSuccessAt!).toBeGreaterThanOrEqual(healedAt);
    expect(recovered.sync.lastSuccessAt).not.toBe(lastSuccessBefore);
    expect(recovered.connection.lastError).toBeNull();
    // The UI was told: offline with 1 pending, then online with 0.
    expect(seen).toContainEqual({ online: false, pending: 1 });
    expect(seen.slice(writesBefore).at(-1)).toEqual({ online: true, pending: 0 });

    // On the hall: the finish, exactly once.
    const page = await new HallHttp(hall.url).call('pull', { cursor: 0 }, { deviceToken: settings.get().deviceToken! });
    const finishes = page.events.filter((e) => e.event.ticketId === t.ticketId && e.event.action.type === 'finished');
    expect(finishes).toHaveLength(1);
    expect(finishes[0]!.event.eventId.startsWith(`${settings.get().clientId}:`)).toBe(true);
  }, 30_000);
});
