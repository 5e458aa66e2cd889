import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HallConfig, type HallConfig as HallConfigType } from '../../shared/office/config.js';
import type { TicketEvent } from '../../shared/queue/types.js';
import { loadHallConfig } from '../config.js';
import { QueueEngine } from '../queue/engine.js';
import { openHallStore, type HallStore } from '../store/hall-store.js';
import { testClock, type TestClock } from '../testing.js';
import { DashboardService } from './service.js';

/**
 * Test support: a real hall store and queue engine in a temporary folder writing real ticket and
 * window logs, and the dashboard on its own connection to the same database (until the hall hands
 * the dashboard its connection, see the glue in the report). `settle()` commits the hall's open
 * batch so the dashboard reads what the hall wrote and never waits on its lock.
 */
export interface DashboardEnv {
  dir: string;
  clock: TestClock;
  config: HallConfigType;
  store: HallStore;
  queue: QueueEngine;
  db: Database.Database;
  dashboard: DashboardService;
  settle(): void;
  /** A ticket from the kiosk (or the appointment desk) of `office`. */
  issue(board: string, office?: string): string;
  /** A window's clerk: sign-in, calls and ticket actions through the engine, as the routes do. */
  clerk(windowId: string, staffId: string): Clerk;
  /** Every ticket event of the log, in log order (for re-deriving figures from scratch). */
  allEvents(): TicketEvent[];
  close(): void;
}

export interface Clerk {
  signIn(): void;
  signOut(): void;
  pause(reason?: string): void;
  unpause(): void;
  callNext(): string | null;
  act(ticketId: string, action: Record<string, unknown> & { type: string }): void;
  rate(level: number, reason?: string): void;
}

let requestSeq = 0;
const requestId = () => `req${String(++requestSeq).padStart(8, '0')}`;

export function startDashboardEnv(opts: { config?: HallConfigType; start?: number } = {}): DashboardEnv {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'onewindow-dash-'));
  const clock = testClock(opts.start ?? Date.parse('2025-03-03T08:30:00+08:00'));
  const config = HallConfig.parse(opts.config ?? loadHallConfig());
  const store = openHallStore(dir, clock.now, { onFailure: (err) => { throw err; } });
  const queue = new QueueEngine(store, config, clock.now);
  const db = new Database(path.join(dir, 'hall.db'));
  db.pragma('busy_timeout = 100');
  const dashboard = new DashboardService({
    db,
    transaction: (fn) => db.transaction(fn)(),
    config,
    now: clock.now,
    windows: (office) => queue.officeWindows(office),
    presence: () => store.lastPresenceEvents(),
  });
  const mutationIds = new Map<string, number>();
  
  const env: DashboardEnv = {
    dir,
    clock,
    config,
    store,
    queue,
    db,
    dashboard,
    settle: () => store.flush(),
    issue: (board, office = 'qihe-county') => queue.issue({ office, board, priority: 'normal', requestId: requestId() }).ticketId,
    clerk(windowId, staffId) {
      const actor = { windowId, staffId };
      const office = queue.windowOffice(windowId);
      const clientId = `c-test-${office}`;
      return {
        signIn: () => store.transaction(() => queue.signedIn(windowId, staffId)),
        signOut: () => store.transaction(() => queue.signedOut(windowId, staffId)),
        pause: (reason = '临时离开') => void queue.pause(actor, reason),
        unpause: () => void queue.unpause(actor),
        callNext: () => queue.callNext(actor, requestId()).ticket?.ticketId ?? null,
        act(ticketId, action) {
          const mutationId = (mutationIds.get(clientId) ?? 0) + 1;
          mutationIds.set(clientId, mutationId);
          const r = queue.push({ id: 'dashboard-test-device', office }, clientId, [{ mutationId, kind: 'ticket_action', ticketId, windowId, staffId, at: clock.now(), action } as never]);
          if (r.acks[0]?.status !== 'applied') throw new Error(`${action.type} refused: ${r.acks[0]?.reason}`);
        },
        rate(level, reason) {
          const pending = queue.evaluatorPending(windowId);
          if (!pending) throw new Error(`nothing to rate at ${windowId}`);
          queue.rate({ ticketId: pending.ticketId, ratingToken: pending.ratingToken, level, reason });
        },
      };
    },
    allEvents() {
      store.flush();
      return (db.prepare('SELECT json FROM ticket_event ORDER BY seq').all() as Array<{ json: string }>).map((r) => JSON.parse(r.json) as TicketEvent);
    },
    close() {
      db.close();
      store.close();
    },
  };
  return env;
}
