import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type { HallInput, PullHall, PullPage } from '../../../shared/hall/api.js';
import { Outbox } from '../store/outbox.js';
import type { HallResetReport } from './puller.js';
import { pullPage, pulledIssued } from './test-support.js';
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

  it('a pull that failed while the hall blipped is tried again by itself, backing off, until it catches up', async () => {
    hall = await startTestHall(tempDir('hall'));
    const dev = await countyDevice(hall);
    for (let i = 0; i < 3; i++) await issueTicket(hall.url);
    const db = openDatabase(path.join(tempDir('ws'), 'workstation.db'));
    const http = new HallHttp(hall.url);
    let failures = 3;
    const attempts: number[] = [];
    const puller = new Puller(
      db,
      {
        source: () => ({
          clientId: dev.clientId,
          pull: async (input) => {
            attempts.push(Date.now());
            if (failures-- > 0) throw new AppError('offline', '无法连接大厅服务器。');
            return http.call('pull', input, { deviceToken: dev.deviceToken });
          },
        }),
      },
      Date.now,
      500,
      { minMs: 20, maxMs: 200 },
    );
    await puller.request(); // the only trigger
    expect(puller.lastError).toBe('无法连接大厅服务器。');
    expect(puller.retrying).toBe(true);
    await waitFor('caught up without another trigger', () => pullCursor(db) === 3);
    expect(attempts).toHaveLength(4);
    // Each wait at least as long as the one before (20, 40, 80 ms: doubling).
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(15);
    expect(gaps[2]).toBeGreaterThanOrEqual(60);
    expect(puller.lastError).toBeNull();
    expect(puller.retrying).toBe(false);
    db.close();
  });

  it('a closed puller tries nothing more', async () => {
    const db = openDatabase(path.join(tempDir('ws'), 'workstation.db'));
    let pulls = 0;
    const puller = new Puller(
      db,
      { source: () => ({ clientId: 'c-x', pull: async () => (pulls++, Promise.reject(new AppError('offline', '无法连接大厅服务器。'))) }) },
      Date.now,
      500,
      { minMs: 20, maxMs: 20 },
    );
    await puller.request();
    expect(puller.retrying).toBe(true);
    puller.close();
    await new Promise((r) => setTimeout(r, 80));
    expect(pulls).toBe(1);
    expect(puller.retrying).toBe(false);
    db.close();
  });

  it('a reset hall: the replica starts again from 0 in the same request, lost mutations go back in the outbox, the caller is told', async () => {
    const db = openDatabase(path.join(tempDir('ws'), 'workstation.db'));
    const outbox = new Outbox(db, () => 1);
    outbox.bindClient('c-1');
    const W = 'qihe-county/1';
    outbox.append({ kind: 'ticket_action', ticketId: 't1', windowId: W, staffId: '1001', at: 1, action: { type: 'started' } }, 'A001 开始办理');
    outbox.applyAcks([{ mutationId: 1, status: 'applied' }]);
    const hallOf = (epoch: string, lastSeq: number, cursor: number, lastApplied: number | null): PullHall => ({
      epoch,
      tickets: { lastSeq, atCursor: cursor > 0 ? `${epoch}-m${Math.min(cursor, lastSeq)}` : null, atNext: lastSeq > 0 ? `${epoch}-m${lastSeq}` : null },
      cases: { lastSeq: 0, atCursor: null, atNext: null },
      lastApplied,
    });
    const pageOf = (epoch: string, seqs: number[], cursor: number, lastApplied: number | null): PullPage =>
      pullPage({
        events: seqs.filter((q) => q > cursor).map((q) => pulledIssued(q, `${epoch}-t${q}`)),
        nextCursor: Math.max(cursor, seqs.at(-1) ?? 0),
        hall: hallOf(epoch, seqs.at(-1) ?? 0, cursor, lastApplied),
      });
    let hallNow = { epoch: 'aaaaaaaa-old', seqs: [1, 2, 3], lastApplied: 1 };
    const asked: Array<{ cursor: number; clientId?: string }> = [];
    const reports: HallResetReport[] = [];
    const puller = new Puller(db, {
      source: () => ({
        clientId: 'c-1',
        pull: async (input) => {
          asked.push({ cursor: Number(input.cursor), ...(input.clientId ? { clientId: input.clientId } : {}) });
          return pageOf(hallNow.epoch, hallNow.seqs, Number(input.cursor), input.clientId ? hallNow.lastApplied : null);
        },
      }),
      onHallReset: (r) => reports.push(r),
    });
    await puller.request();
    expect(asked).toEqual([{ cursor: 0 }]); // the client id only once the hall has shown it knows it
    expect(pullCursor(db)).toBe(3);

    // Wiped and refilled: another epoch, and it has none of this window's mutations.
    hallNow = { epoch: 'bbbbbbbb-new', seqs: [1, 2], lastApplied: 0 };
    asked.length = 0;
    await puller.request();
    expect(asked).toEqual([
      { cursor: 3, clientId: 'c-1' },
      { cursor: 0, clientId: 'c-1' },
    ]);
    expect(pullCursor(db)).toBe(2);
    expect((db.prepare('SELECT ticket_id FROM replica_ticket ORDER BY ticket_id').all() as Array<{ ticket_id: string }>).map((r) => r.ticket_id)).toEqual([
      'bbbbbbbb-new-t1',
      'bbbbbbbb-new-t2',
    ]);
    expect(outbox.pending().map((e) => [e.mutationId, e.summary])).toEqual([[1, '补传：开始办理']]);
    expect(reports.map((r) => r.reason)).toEqual(['progress_lost', 'epoch']);
    expect(puller.hallReset).toMatchObject({ reason: 'epoch', recovery: { resent: 1 } });

    // Once nothing waits and the replica has caught up, the status forgets the reset.
    outbox.applyAcks([{ mutationId: 1, status: 'applied' }]);
    hallNow.lastApplied = 1;
    await puller.request();
    expect(puller.hallReset).toBeNull();
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
