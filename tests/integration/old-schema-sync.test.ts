/**
 * A workstation database made by the first schema version (outbox entry and panel cache written the
 * way that version wrote them) is opened by the current code — every later migration runs — and
 * syncs with a real hall server: the old entry is pushed exactly once and the pull fills the replica.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HallHttp } from '../../electron/backend/hall-client/http.js';
import { createWorkstation, type Workstation } from '../../electron/backend/index.js';
import { memorySettingsStore } from '../../electron/backend/settings/settings-store.js';
import { openDatabase } from '../../electron/backend/store/database.js';
import { MIGRATIONS } from '../../electron/backend/store/migrations.js';
import { issueTicket, startTestHall, state, tempDir, waitFor } from '../../electron/backend/test-helpers.js';
import type { HallServer } from '../../upstream/server.js';

const W1 = 'qihe-county/1';
let hall: HallServer | undefined;
let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  await hall?.close();
  ws = hall = undefined;
});

describe('a workstation database of schema version 1', () => {
  it('is migrated additively, pushes its old outbox entry and pulls the replica', async () => {
    hall = await startTestHall(tempDir('hall'));
    const http = new HallHttp(hall.url);
    const enrolment = await http.call('enroll', { code: hall.createEnrolmentCode('qihe-county'), deviceName: '旧版工作站' });
    const deviceToken = enrolment.deviceToken;
    const first = await issueTicket(hall.url);
    const second = await issueTicket(hall.url);
    const signedIn = await http.call('signIn', { staffId: '1001', pin: '123456', windowId: W1 }, { deviceToken });
    const call = await http.call('callNext', { requestId: 'old-version-call-1' }, { deviceToken, sessionToken: signedIn.sessionToken });
    expect(call.ticket?.ticketId).toBe(first.ticketId);

    // The old version: schema 1 only; the clerk started the called ticket while offline.
    const dataDir = tempDir('old-ws');
    const file = path.join(dataDir, 'workstation.db');
    const old = openDatabase(file, { migrations: MIGRATIONS.slice(0, 1) });
    const body = { kind: 'ticket_action', ticketId: first.ticketId, windowId: W1, staffId: '1001', at: Date.now(), action: { type: 'started' } };
    old.prepare("INSERT INTO meta (key, value) VALUES ('outbox.client_id', ?), ('outbox.last_mutation_id', '1')").run(enrolment.clientId);
    const ev = old
      .prepare('INSERT INTO ticket_event (mutation_id, client_id, ticket_id, window_id, staff_id, at, action) VALUES (1, ?, ?, ?, ?, ?, ?)')
      .run(enrolment.clientId, first.ticketId, W1, '1001', body.at, JSON.stringify(body.action));
    old.prepare('INSERT INTO outbox (mutation_id, created_at, json, summary, event_id) VALUES (1, ?, ?, ?, ?)').run(
      body.at, JSON.stringify(body), `${first.number} 开始办理`, Number(ev.lastInsertRowid),
    );
    old.prepare('INSERT INTO panel_cache (window_id, fetched_at, json) VALUES (?, ?, ?)').run(W1, body.at, JSON.stringify(call.panel));
    expect(old.prepare("SELECT name FROM sqlite_master WHERE name = 'replica_ticket'").get()).toBeUndefined();
    old.close();

    const settings = memorySettingsStore({
      hallUrl: hall.url,
      deviceToken,
      deviceId: enrolment.deviceId,
      clientId: enrolment.clientId,
      office: enrolment.office,
      officeName: enrolment.officeName,
      deviceName: '旧版工作站',
    });
    ws = await createWorkstation({ dataDir, settings, hallUrl: hall.url });
    const synced = await waitFor('old entry pushed and replica pulled', async () => {
      const s = await state(ws!);
      return s.sync.pending === 0 && (s.sync.pullCursor ?? 0) >= 4 ? s : null;
    });
    expect(synced.sync.parked).toEqual([]);
    expect(synced.sync.lastPullAt).not.toBeNull();

    const db = new Database(file, { readonly: true });
    try {
      expect((db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>).map((r) => r.version)).toEqual(
        MIGRATIONS.map((m) => m.version),
      );
      const rows = db.prepare('SELECT ticket_id, status, last_seq FROM replica_ticket ORDER BY last_seq').all();
      expect(rows).toEqual([
        { ticket_id: second.ticketId, status: 'WAITING', last_seq: 2 },
        { ticket_id: first.ticketId, status: 'SERVING', last_seq: 4 },
      ]);
      expect(db.prepare('SELECT outcome FROM ticket_event WHERE mutation_id = 1').get()).toEqual({ outcome: 'applied' });
      expect(db.prepare('SELECT window_id FROM panel_cache').all()).toEqual([{ window_id: W1 }]);
      expect(db.prepare("SELECT value FROM meta WHERE key = 'pull.reference_json'").get()).toBeDefined();
    } finally {
      db.close();
    }

    // On the hall: applied exactly once, under the old (client id, mutation id).
    const page = await http.call('pull', { cursor: 0 }, { deviceToken });
    const mine = page.events.filter((e) => e.event.eventId === `${enrolment.clientId}:1`);
    expect(mine.map((e) => e.event.action.type)).toEqual(['started']);
  });
});
