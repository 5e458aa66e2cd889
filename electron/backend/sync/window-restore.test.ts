/**
 * A window's disk restored from an older image (the hall kept everything): the window has forgotten
 * the mutation ids it used after the image was taken and gives them to new work. The hall holds those
 * ids with other content and says so; the window numbers the new work after the hall's progress and
 * it arrives, once — instead of being acknowledged as a duplicate and lost.
 */
import { copyFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createWorkstation } from '../index.js';
import { closedAfterEach, enrolledWorkstation, issueTicket, servingTicket, signIn, state, tempDir, value, waitFor } from '../test-helpers.js';

const { cleanups, hallAt } = closedAfterEach();

function read<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe('a window restored from an older disk image', () => {
  it('numbers its new work after the hall’s progress: nothing acknowledged as a duplicate and lost, nothing applied twice', async () => {
    const hallDir = tempDir('hall');
    const hall = await hallAt(hallDir);
    const station = await enrolledWorkstation(hall);
    let ws = station.ws;
    cleanups.push(() => ws.close());
    const clientId = station.settings.get().clientId!;
    const dbFile = path.join(station.dataDir, 'workstation.db');
    const hallDb = path.join(hallDir, 'hall.db');

    const first = await servingTicket(ws, hall.url); // started: mutation 1
    // The disk image, taken now.
    const image = path.join(tempDir('image'), 'workstation.db');
    const live = new Database(dbFile, { readonly: true });
    await live.backup(image).finally(() => live.close());

    expect(value(await ws.handlers['queue.finish']({})).sync.pending).toBe(0); // mutation 2
    await issueTicket(hall.url);
    value(await ws.handlers['queue.callNext']({}));
    expect(value(await ws.handlers['queue.start']({})).sync.pending).toBe(0); // mutation 3
    expect(value(await ws.handlers['queue.finish']({})).sync.pending).toBe(0); // mutation 4
    const progress = () => read(hallDb, (db) => db.prepare('SELECT last_applied FROM client_progress WHERE client_id = ?').pluck().get(clientId));
    expect(progress()).toBe(4);

    // The window's disk is restored from the image (same enrolment: the settings are as they were).
    await ws.close();
    for (const f of ['-wal', '-shm']) rmSync(dbFile + f, { force: true });
    copyFileSync(image, dbFile);
    ws = await createWorkstation({ dataDir: station.dataDir, settings: station.settings, hallUrl: hall.url });
    await waitFor('online', async () => (await state(ws)).connection.online);
    value(await signIn(ws));

    // New work: a third ticket started. The restored window gives it id 2 — an id the hall applied (the first finish).
    const third = await issueTicket(hall.url);
    const called = value(await ws.handlers['queue.callNext']({}));
    expect(called.panel?.current?.ticketId).toBe(third.ticketId);
    value(await ws.handlers['queue.start']({}));

    const ticketStatus = (id: string) => read(hallDb, (db) => db.prepare('SELECT status FROM ticket WHERE ticket_id = ?').pluck().get(id));
    await waitFor('the start reached the hall', () => ticketStatus(third.ticketId) === 'SERVING', 10_000);
    const startedEvents = read(hallDb, (db) => db.prepare("SELECT event_id FROM ticket_event WHERE ticket_id = ? AND type = 'started'").pluck().all(third.ticketId));
    expect(startedEvents).toEqual([`${clientId}:5`]); // numbered after the hall's progress (4)
    expect(progress()).toBe(5);
    expect(ticketStatus(first.ticketId)).toBe('DONE'); // applied once, untouched

    const s = await state(ws);
    expect(s.sync).toMatchObject({ pending: 0, parked: [] });
    // Later work goes on from there.
    value(await ws.handlers['queue.finish']({}));
    await waitFor('the finish reached the hall', () => ticketStatus(third.ticketId) === 'DONE', 10_000);
    expect(progress()).toBe(6);
  });
});
