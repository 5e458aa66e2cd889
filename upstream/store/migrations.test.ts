import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PullPage } from '../../shared/hall/api.js';
import { applyTicketEvent } from '../../shared/queue/ticket-reducer.js';
import type { TicketEvent } from '../../shared/queue/types.js';
import { authHeaders, requestId, startTestHall } from '../testing.js';
import { MIGRATIONS, runMigrations } from './migrations.js';

describe('hall database migrations', () => {
  it('opens a database made at the first schema version, keeps its tickets and serves them to a pull', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'onewindow-hall-v1-'));
    const old = new Database(path.join(dataDir, 'hall.db'));
    expect(runMigrations(old, 1, MIGRATIONS.slice(0, 1))).toEqual([1]);
    // What the first version wrote for one kiosk ticket.
    const event: TicketEvent = {
      eventId: 's1',
      ticketId: 'old-ticket',
      at: Date.parse('2025-03-03T08:30:00+08:00'),
      actor: { kind: 'kiosk' },
      action: { type: 'issued', office: 'qihe-county', board: 'A', number: 'A001', priority: 'normal', recallLimit: 2, orderKey: 1, businessDate: '2025-03-03' },
    };
    const r = applyTicketEvent(undefined, event);
    if (!r.ok) throw new Error(r.reason);
    old.prepare('INSERT INTO ticket_event (seq, event_id, ticket_id, office, business_date, type, at, json) VALUES (1, ?, ?, ?, ?, ?, ?, ?)').run(
      event.eventId, event.ticketId, 'qihe-county', '2025-03-03', 'issued', event.at, JSON.stringify(event),
    );
    old.prepare('INSERT INTO ticket (ticket_id, office, business_date, status, last_seq, json) VALUES (?, ?, ?, ?, 1, ?)').run(
      'old-ticket', 'qihe-county', '2025-03-03', 'WAITING', JSON.stringify(r.state),
    );
    old.prepare("INSERT INTO number_counter (office, board, business_date, last) VALUES ('qihe-county', 'A', '2025-03-03', 1)").run();
    old.close();

    const t = await startTestHall({ dataDir });
    try {
      const dev = await t.enroll('qihe-county');
      const issued = await t.request('POST', '/api/kiosk/tickets', { office: 'qihe-county', board: 'A', requestId: requestId() });
      expect(issued.body.number).toBe('A002');
      const res = await t.request('GET', '/api/sync/pull?cursor=0', undefined, authHeaders({ device: dev.deviceToken }));
      const page = PullPage.parse(res.body);
      expect(page.events.map((e) => [e.seq, e.event.ticketId])).toEqual([
        [1, 'old-ticket'],
        [2, issued.body.ticketId],
      ]);
      expect(page.nextCursor).toBe(2);
    } finally {
      await t.stop();
    }
    const after = new Database(path.join(dataDir, 'hall.db'), { readonly: true });
    expect((after.prepare('SELECT id FROM migration ORDER BY id').all() as Array<{ id: number }>).map((m) => m.id)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'ticket_event_office_seq'").get()).toBeDefined();
    after.close();
  });
});
