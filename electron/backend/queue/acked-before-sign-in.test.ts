/**
 * A finish done offline and acknowledged after a restart, before anyone signs in again, must fold
 * into the window's cached panel: otherwise the next sign-in starts from a panel that still shows
 * the ticket 办理中, with no outbox entry left to hide it. (Found by `npm run test:faults`: one
 * entry left after the drain, a second finish on an already-finished ticket.)
 */
import path from 'node:path';
import { expect, it } from 'vitest';
import { createWorkstation } from '../index.js';
import { openDatabase } from '../store/database.js';
import { closedAfterEach, enrolledWorkstation, partitionProxy, servingTicket, state, tempDir, value, waitFor } from '../test-helpers.js';
import { loadPanel } from './panel-cache.js';

const { cleanups, hallAt } = closedAfterEach();

it('folds an action acknowledged before sign-in into the cached panel of its window', async () => {
  const hall = await hallAt(tempDir('hall'));
  const proxy = await partitionProxy(hall.url);
  cleanups.push(() => proxy.close());
  const { ws, settings, dataDir } = await enrolledWorkstation(hall, tempDir('ws'), undefined, proxy.url);
  const t = await servingTicket(ws, hall.url);

  proxy.block();
  await waitFor('offline', async () => !(await state(ws)).connection.online);
  const finished = value(await ws.handlers['queue.finish']({}));
  expect(finished.panel?.current).toBeNull();
  expect(finished.sync.pending).toBe(1);
  await ws.close();

  // The cached panel still holds the ticket being served; only the outbox entry hides it.
  const before = openDatabase(path.join(dataDir, 'workstation.db'));
  expect(loadPanel(before, 'qihe-county/1')?.current?.ticketId).toBe(t.ticketId);
  before.close();

  // Restart with the hall back: the finish is pushed and acknowledged before anyone signs in.
  proxy.unblock();
  const ws2 = await createWorkstation({ dataDir, settings, hallUrl: proxy.url });
  await waitFor('pushed before sign-in', async () => (await state(ws2)).sync.pending === 0);
  expect((await state(ws2)).session).toBeNull();
  await ws2.close();

  const after = openDatabase(path.join(dataDir, 'workstation.db'));
  expect(loadPanel(after, 'qihe-county/1')?.current ?? null).toBeNull();
  after.close();
});
