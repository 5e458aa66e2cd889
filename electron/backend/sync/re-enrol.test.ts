/**
 * A hall whose database was WIPED (a fresh, empty one on the same address) while a window held
 * offline work: the hall no longer knows the window's device token (401). The window says so, offers
 * the enrol form again without dropping anything, and once enrolled again (same office, new code)
 * carries its pending work over to the new client id: everything arrives on the new hall exactly
 * once. Enrolling with another office's code while work waits is refused and changes nothing.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { HallServer } from '../../../upstream/server.js';
import type { MutationBody } from '../store/outbox.js';
import { openDatabase, setMeta } from '../store/database.js';
import { Outbox } from '../store/outbox.js';
import { closedAfterEach, enrolledWorkstation, partitionProxy, servingTicket, signIn, state, tempDir, value, waitFor } from '../test-helpers.js';
import { hallForgotDevice, setHallForgotDevice, unknownDeviceMessage } from './re-enrol-notice.js';
import { carryOverPendingWork } from './re-enrol.js';
import { PULL_CURSOR, pullCursor } from './replica.js';

const { cleanups, hallAt } = closedAfterEach();
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(2048)]);

function readDb<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function outboxRows(dataDir: string) {
  return readDb(path.join(dataDir, 'workstation.db'), (db) => db.prepare('SELECT mutation_id, kind, parked_reason FROM outbox ORDER BY mutation_id').all());
}

describe('re-enrolment after the hall was wiped', () => {
  it('keeps the pending work, refuses another office, and after enrolling again pushes it exactly once', async () => {
    const hallDir = tempDir('hall');
    let hall: HallServer = await hallAt(hallDir);
    const station = await enrolledWorkstation(hall);
    const { ws, settings, dataDir } = station;
    cleanups.push(() => ws.close());
    const oldClientId = settings.get().clientId!;
    const ticket = await servingTicket(ws, hall.url);

    // The hall goes down; the clerk works on: finishes the ticket, opens a case with an attachment.
    const port = hall.port;
    await hall.close();
    await waitFor('offline', async () => !(await state(ws)).connection.online);
    value(await ws.handlers['queue.finish']({}));
    const opened = value(await ws.handlers['case.open']({ subject: { kind: 'matter', code: '37142500-XZSP-007' } }));
    const caseId = opened.summary.caseId;
    expect(opened.summary.official).toBe(false);
    const materialId = opened.materials[0]!.id;
    const attached = value(await ws.handlers['case.attach']({ caseId, materialId, name: '身份证.png', mime: 'image/png', dataBase64: PNG.toString('base64') }));
    expect(attached.summary.pendingSync).toBeGreaterThan(0);
    const before = await state(ws);
    const pendingRecords = before.sync.pending;
    expect(pendingRecords).toBeGreaterThanOrEqual(3); // the finish, the opening, the attachment's action
    expect(before.sync.pendingAttachments).toBe(1);
    const pendingBefore = outboxRows(dataDir);

    // The administrator wipes the hall's data folder and starts a fresh hall on the same address.
    rmSync(hallDir, { recursive: true, force: true });
    hall = await hallAt(hallDir, port);

    // The window tells the clerk, keeps everything, and offers the enrol form again.
    const waiting = pendingRecords + 1;
    await waitFor('the unknown-device notice', async () => (await state(ws)).sync.hallNotice === unknownDeviceMessage(waiting), 15_000);
    expect(unknownDeviceMessage(waiting)).toContain(`本机未上传的 ${waiting} 条记录和附件会保留`);
    expect(value(await ws.handlers['device.status']({}))).toMatchObject({ enrolled: false, office: 'qihe-county', deviceName: '测试工作站' });
    expect((await state(ws)).sync).toMatchObject({ pending: pendingRecords, pendingAttachments: 1 });

    // Another office's code: refused, clearly; nothing changes here.
    const refused = await ws.handlers['device.enroll']({ hallUrl: hall.url, code: hall.createEnrolmentCode('qihe-edz'), deviceName: '测试工作站' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/还有 \d+ 条记录和附件未上传.*不能登记到/) } });
    expect(settings.get()).toMatchObject({ clientId: oldClientId, office: 'qihe-county' });
    expect(outboxRows(dataDir)).toEqual(pendingBefore);
    expect(value(await ws.handlers['device.status']({})).enrolled).toBe(false);

    // The clerk enrols again with a new code of the same office.
    const status = value(await ws.handlers['device.enroll']({ hallUrl: hall.url, code: hall.createEnrolmentCode('qihe-county'), deviceName: '测试工作站' }));
    expect(status).toMatchObject({ enrolled: true, office: 'qihe-county' });
    const newClientId = settings.get().clientId!;
    expect(newClientId).not.toBe(oldClientId);
    // The window's own records now name the new client id, numbered from 1 in the same order.
    const carried = readDb(path.join(dataDir, 'workstation.db'), (db) =>
      db
        .prepare(
          `SELECT mutation_id, 'ticket_action' AS kind FROM ticket_event WHERE client_id = ?
           UNION ALL SELECT mutation_id, 'case_action' FROM case_action_local WHERE client_id = ? ORDER BY mutation_id`,
        )
        .all(newClientId, newClientId),
    ) as Array<{ mutation_id: number; kind: string }>;
    expect(carried.map((r) => r.kind)).toEqual((pendingBefore as Array<{ kind: string }>).map((r) => r.kind));
    expect(carried.map((r) => r.mutation_id)).toEqual(carried.map((_, i) => i + 1));

    // Everything reaches the new hall: nothing pending, the attachment uploaded, the case numbered officially.
    await waitFor('outbox and attachments drained', async () => {
      const s = await state(ws);
      return s.sync.pending === 0 && s.sync.pendingAttachments === 0 ? s : null;
    }, 15_000);
    value(await signIn(ws));
    const numbered = await waitFor('official number', async () => {
      const v = value(await ws.handlers['case.get']({ caseId }));
      return v.summary.official && v.summary.pendingSync === 0 ? v : null;
    }, 15_000);
    expect(numbered.summary.caseNo).toMatch(/^QIHE-\d{4}-\d{6}$/);
    const s = await state(ws);
    expect(s.sync.hallNotice ?? null).toBeNull();
    // The finish is about a ticket the wiped hall never issued: refused by the hall, parked with its reason, visible.
    expect(s.sync.parked).toHaveLength(1);
    expect(s.sync.parked[0]!.reason).toMatch(/没有找到该号码/);

    // On the hall: each carried mutation once (ids 1…n of the new client), the case once, the attachment present.
    const hallDb = path.join(hallDir, 'hall.db');
    readDb(hallDb, (db) => {
      expect(db.prepare('SELECT last_applied FROM client_progress WHERE client_id = ?').get(newClientId)).toEqual({ last_applied: pendingBefore.length });
      expect(db.prepare('SELECT COUNT(*) AS n FROM client_progress WHERE client_id = ?').get(oldClientId)).toEqual({ n: 0 });
      // The finish (the first carried mutation) refused once; the case actions (the rest) applied once each.
      expect(db.prepare('SELECT mutation_id, status FROM mutation_result WHERE client_id = ?').all(newClientId)).toEqual([{ mutation_id: 1, status: 'failed' }]);
      const events = db.prepare('SELECT key, type, event_id FROM case_event WHERE case_id = ? ORDER BY seq').all(caseId) as Array<{ key: string; type: string; event_id: string }>;
      expect(new Set(events.map((e) => e.key)).size).toBe(events.length);
      const fromWindow = events.filter((e) => e.event_id.startsWith(`${newClientId}:`)).map((e) => Number(e.event_id.split(':')[1]));
      expect(fromWindow).toEqual(pendingBefore.slice(1).map((_, i) => i + 2));
      expect(events.filter((e) => e.type === 'opened')).toHaveLength(1);
      expect(db.prepare('SELECT case_no FROM "case" WHERE case_id = ?').get(caseId)).toEqual({ case_no: numbered.summary.caseNo });
      expect(db.prepare('SELECT COUNT(*) AS n FROM attachment').get()).toEqual({ n: 1 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM ticket WHERE ticket_id = ?').get(ticket.ticketId)).toEqual({ n: 0 });
    });
  }, 60_000);
});

describe('carrying the outbox over to a new client id', () => {
  const ticketAction = (ticketId: string): MutationBody => ({ kind: 'ticket_action', ticketId, windowId: 'qihe-county/1', staffId: '1001', at: 1_000, action: { type: 'started' } });

  it('numbers pending entries from 1 in order, keeps refused ones parked, resets the replica, in one go', () => {
    const db = openDatabase(path.join(tempDir('carry'), 'workstation.db'));
    cleanups.push(() => void db.close());
    const outbox = new Outbox(db, () => 5_000);
    outbox.bindClient('client-old');
    for (const t of ['t1', 't2', 't3', 't4']) outbox.append(ticketAction(t), t);
    // The old hall acknowledged 1, refused 2 (parked, consumed), never saw 3 and 4.
    outbox.applyAcks([
      { mutationId: 1, status: 'applied' },
      { mutationId: 2, status: 'failed', reason: '没有找到该号码' },
    ]);
    setMeta(db, PULL_CURSOR, '42');
    setHallForgotDevice(db, true);

    expect(carryOverPendingWork(db, outbox, 'client-new')).toEqual({ mutations: 2, attachments: 0 });
    expect(outbox.clientId()).toBe('client-new');
    expect(outbox.pending().map((e) => [e.mutationId, (e.body as { ticketId: string }).ticketId])).toEqual([
      [1, 't3'],
      [2, 't4'],
    ]);
    expect(outbox.status().parked).toMatchObject([{ summary: 't2', reason: '没有找到该号码' }]);
    expect(outbox.status().parked[0]!.mutationId).toBeLessThan(0);
    const records = db.prepare('SELECT ticket_id, client_id, mutation_id FROM ticket_event ORDER BY id').all();
    expect(records).toEqual([
      { ticket_id: 't1', client_id: 'client-old', mutation_id: 1 },
      { ticket_id: 't2', client_id: 'client-old', mutation_id: 2 },
      { ticket_id: 't3', client_id: 'client-new', mutation_id: 1 },
      { ticket_id: 't4', client_id: 'client-new', mutation_id: 2 },
    ]);
    expect(pullCursor(db)).toBe(0);
    expect(hallForgotDevice(db)).toBe(false);
    // The next write follows the carried ones.
    expect(outbox.append(ticketAction('t5'), 't5')).toBe(3);
  });
});

describe('re-enrolment while the hall still knows the device', () => {
  it('is refused while work waits (it belongs to that enrolment), and nothing changes', async () => {
    const hall = await hallAt(tempDir('hall'));
    const proxy = await partitionProxy(hall.url);
    cleanups.push(() => proxy.close());
    const { ws, settings, dataDir } = await enrolledWorkstation(hall, tempDir('ws'), undefined, proxy.url);
    cleanups.push(() => ws.close());
    await servingTicket(ws, proxy.url);
    proxy.block();
    await waitFor('offline', async () => !(await state(ws)).connection.online);
    value(await ws.handlers['queue.finish']({}));
    const clientId = settings.get().clientId;
    const pending = outboxRows(dataDir);
    expect(pending).toHaveLength(1);

    const refused = await ws.handlers['device.enroll']({ hallUrl: hall.url, code: hall.createEnrolmentCode('qihe-county'), deviceName: '测试工作站' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/还有 1 条办理记录未上传，请先恢复与原大厅服务器的连接/) } });
    expect(settings.get().clientId).toBe(clientId);
    expect(outboxRows(dataDir)).toEqual(pending);
    // Merely offline is not "unknown to the hall": no re-enrolment notice, still enrolled.
    expect((await state(ws)).sync.hallNotice ?? null).toBeNull();
    expect(value(await ws.handlers['device.status']({})).enrolled).toBe(true);
  });
});
