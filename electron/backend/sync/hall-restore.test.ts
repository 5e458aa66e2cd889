/**
 * The hall's database restored from an older backup while a window works with it: the window must
 * not keep a replica of a log the hall no longer has, nor push ids the hall refuses as out of order
 * forever. By itself (no new local write), it pulls again from 0 and puts back the mutations the hall
 * had acknowledged and lost, which the hall then applies once.
 */
import { copyFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { HallServer } from '../../../upstream/server.js';
import { enrolledWorkstation, servingTicket, startTestHall, state, tempDir, value, waitFor } from '../test-helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function readHall<T>(dir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(dir, 'hall.db'), { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe('a hall restored from an older backup', () => {
  it('the window re-pulls from 0 and sends again what the hall lost, once, by itself', async () => {
    const dir = tempDir('hall');
    let hall: HallServer = await startTestHall(dir);
    cleanups.push(() => hall.close());
    const station = await enrolledWorkstation(hall);
    cleanups.push(() => station.ws.close());
    const clientId = station.settings.get().clientId!;
    const t = await servingTicket(station.ws, hall.url); // issued, called, started (mutation 1)

    // The administrator's backup, taken now.
    const saved = path.join(tempDir('backup'), 'hall.db');
    const live = new Database(path.join(dir, 'hall.db'), { readonly: true });
    await live.backup(saved).finally(() => live.close());

    const finished = value(await station.ws.handlers['queue.finish']({})); // mutation 2, acknowledged
    expect(finished.sync.pending).toBe(0);
    await waitFor('the replica caught up with the finish', async () => ((await state(station.ws)).sync.pullCursor ?? 0) >= 4);

    // The hall goes down and comes back from the backup: it knows the ticket as being served, and
    // has applied mutation 1 of this window only.
    const port = hall.port;
    await hall.close();
    for (const f of ['hall.db-wal', 'hall.db-shm']) rmSync(path.join(dir, f), { force: true });
    copyFileSync(saved, path.join(dir, 'hall.db'));
    expect(readHall(dir, (db) => db.prepare('SELECT last_applied FROM client_progress WHERE client_id = ?').get(clientId))).toEqual({ last_applied: 1 });
    hall = await startTestHall(dir, port);

    const finishOnHall = () =>
      readHall(dir, (db) => db.prepare("SELECT event_id FROM ticket_event WHERE ticket_id = ? AND type = 'finished'").all(t.ticketId) as Array<{ event_id: string }>);
    await waitFor('the lost finish applied again on the hall', () => finishOnHall().length === 1, 15_000);
    expect(finishOnHall()).toEqual([{ event_id: `${clientId}:2` }]);
    expect(readHall(dir, (db) => db.prepare('SELECT status FROM ticket WHERE ticket_id = ?').get(t.ticketId))).toEqual({ status: 'DONE' });
    expect(readHall(dir, (db) => db.prepare('SELECT last_applied FROM client_progress WHERE client_id = ?').get(clientId))).toEqual({ last_applied: 2 });

    // The window's replica is the restored hall's log again, the finish included; nothing waits or is parked.
    const replica = await waitFor('replica re-pulled', () => {
      const db = new Database(path.join(station.dataDir, 'workstation.db'), { readonly: true });
      try {
        const r = db.prepare('SELECT status, last_seq FROM replica_ticket WHERE ticket_id = ?').get(t.ticketId) as { status: string; last_seq: number } | undefined;
        return r?.status === 'DONE' ? r : null;
      } finally {
        db.close();
      }
    });
    expect(replica.last_seq).toBe(4);
    const s = await state(station.ws);
    expect(s.sync).toMatchObject({ pending: 0, parked: [] });
    expect(s.connection.lastError).toBeNull();
  });
});
