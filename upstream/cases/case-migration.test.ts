import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PullPage } from '../../shared/hall/api.js';
import { MIGRATIONS, runMigrations } from '../store/migrations.js';
import { authHeaders, requestId, startTestHall } from '../testing.js';
import { caseWindow } from './test-support.js';

describe('hall database before the case tables (schema 3)', () => {
  it('is upgraded in place: its tickets stay, a case linked to one of them is numbered and pulled', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'onewindow-hall-v3-'));
    const old = new Database(path.join(dataDir, 'hall.db'));
    expect(runMigrations(old, 1, MIGRATIONS.filter((m) => m.id <= 3))).toEqual([1, 2, 3]);
    old.close();

    let t = await startTestHall({ dataDir });
    const issued = await t.request('POST', '/api/kiosk/tickets', { office: 'qihe-county', board: 'A', requestId: requestId() });
    await t.hall.close();
    // reopen: the ticket of the old schema's tables is still there, the case tables are added
    const db = new Database(path.join(dataDir, 'hall.db'), { readonly: true });
    expect((db.prepare('SELECT id FROM migration ORDER BY id').all() as Array<{ id: number }>).map((m) => m.id)).toContain(4);
    db.close();
    t = await startTestHall({ dataDir });
    try {
      const w = await caseWindow(t, 'qihe-county', 'qihe-county/1', '1001');
      const { caseId, ack } = await w.open(undefined, { ticketId: issued.body.ticketId, ticketNumber: issued.body.number });
      expect(ack).toMatchObject({ status: 'applied', caseNo: 'QIHE-2025-000001' });
      const r = await t.request('GET', '/api/sync/pull?cursor=0&caseCursor=0', undefined, authHeaders({ device: w.deviceToken }));
      const page = PullPage.parse(r.body);
      expect(page.events.map((e) => e.event.ticketId)).toEqual([issued.body.ticketId]);
      expect(page.caseEvents.map((e) => [e.event.caseId, e.event.action.type])).toEqual([
        [caseId, 'opened'],
        [caseId, 'numbered'],
      ]);
    } finally {
      await t.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('migration 4 only adds: it creates tables and indexes and changes nothing that exists', () => {
    const m4 = MIGRATIONS.find((m) => m.id === 4)!;
    const statements = m4.sql
      .split(';')
      .map((x) => x.replace(/--.*$/gm, '').trim())
      .filter(Boolean);
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) expect(s).toMatch(/^CREATE (TABLE|(UNIQUE )?INDEX) /);
  });
});
