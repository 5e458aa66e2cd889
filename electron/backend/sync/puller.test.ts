import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HallInput } from '../../../shared/hall/api.js';
import type { HallServer } from '../../../upstream/server.js';
import { HallHttp } from '../hall-client/http.js';
import { openDatabase } from '../store/database.js';
import { enrolledWorkstation, issueTicket, startTestHall, state, tempDir, waitFor, type EnrolledWorkstation } from '../test-helpers.js';
import { Puller } from './puller.js';
import { pullCursor, replicaReference } from './replica.js';

let hall: HallServer | undefined;
let station: EnrolledWorkstation | undefined;
afterEach(async () => {
  await station?.ws.close();
  await hall?.close();
  hall = station = undefined;
});

async function countyDevice(h: HallServer) {
  return new HallHttp(h.url).call('enroll', { code: h.createEnrolmentCode('qihe-county'), deviceName: '测试' });
}

describe('puller', () => {
  it('pages through the hall’s log from its stored cursor, then goes on from there', async () => {
    hall = await startTestHall(tempDir('hall'));
    const dev = await countyDevice(hall);
    for (let i = 0; i < 5; i++) await issueTicket(hall.url);
    const db = openDatabase(path.join(tempDir('ws'), 'workstation.db'));
    const http = new HallHttp(hall.url);
    const asked: number[] = [];
    const puller = new Puller(
      db,
      { source: () => ({ clientId: dev.clientId, pull: (input: HallInput<'pull'>) => (asked.push(Number(input.cursor)), http.call('pull', input, { deviceToken: dev.deviceToken })) }) },
      Date.now,
      2,
    );
    await puller.request();
    expect(asked).toEqual([0, 2, 4]);
    expect(pullCursor(db)).toBe(5);
    expect((db.prepare('SELECT COUNT(*) AS n FROM replica_ticket').get() as { n: number }).n).toBe(5);
    expect(replicaReference(db)?.offices.map((o) => o.id)).toEqual(['qihe-county', 'qihe-edz']);

    await issueTicket(hall.url);
    asked.length = 0;
    await puller.request();
    expect(asked).toEqual([5]);
    expect(puller.status()).toMatchObject({ pullCursor: 6 });
    db.close();
  });

  it('coalesces requests made while a pull runs into one more pull', async () => {
    hall = await startTestHall(tempDir('hall'));
    const dev = await countyDevice(hall);
    const db = openDatabase(path.join(tempDir('ws'), 'workstation.db'));
    const http = new HallHttp(hall.url);
    let pulls = 0;
    const puller = new Puller(db, {
      source: () => ({ clientId: dev.clientId, pull: (input) => (pulls++, http.call('pull', input, { deviceToken: dev.deviceToken })) }),
    });
    await Promise.all([puller.request(), puller.request(), puller.request(), puller.request()]);
    expect(pulls).toBe(2);
    db.close();
  });

  it('a county workstation’s replica follows its branches’ tickets as they are issued', async () => {
    hall = await startTestHall(tempDir('hall'));
    station = await enrolledWorkstation(hall);
    const branchTicket = await new HallHttp(hall.url).call('kioskIssue', { office: 'qihe-edz', board: 'A', requestId: 'branch-ticket-0001' });
    const file = path.join(station.dataDir, 'workstation.db');
    const row = await waitFor('branch ticket in the replica', () => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare('SELECT office, status FROM replica_ticket WHERE ticket_id = ?').get(branchTicket.ticketId) as { office: string; status: string } | undefined;
      } finally {
        db.close();
      }
    });
    expect(row).toEqual({ office: 'qihe-edz', status: 'WAITING' });
    expect((await state(station.ws)).sync.pullCursor).toBeGreaterThanOrEqual(1);
  });
});
