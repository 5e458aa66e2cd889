import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CaseAction, CaseEvent } from '../../shared/case/types.js';
import { loadCatalogDir } from '../../shared/catalog/node-loader.js';
import type { CaseMutation } from '../../shared/hall/api.js';
import { catalogBoards, type CaseSubject } from '../../shared/dashboard/case-facts.js';
import { HallConfig, type HallConfig as HallConfigType } from '../../shared/office/config.js';
import type { TicketEvent } from '../../shared/queue/types.js';
import { CaseService } from '../cases/case-service.js';
import { defaultCatalogDir, loadHallConfig } from '../config.js';
import { QueueEngine } from '../queue/engine.js';
import { openHallStore, type HallStore } from '../store/hall-store.js';
import { testClock, type TestClock } from '../testing.js';
import { HallCaseKpis } from './case-kpi.js';
import { DashboardService } from './service.js';

/**
 * Test support: a real hall store, queue engine and case service in a temporary folder writing real
 * ticket, window and case logs, and the dashboard (with its case figures, boards from the real
 * catalog) on its own connection to the same database. `settle()` commits the hall's open batch so
 * the dashboard reads what the hall wrote and never waits on its lock.
 */
export interface DashboardEnv {
  dir: string;
  clock: TestClock;
  config: HallConfigType;
  store: HallStore;
  queue: QueueEngine;
  db: Database.Database;
  dashboard: DashboardService;
  /** The case figures' source the dashboard was given. */
  caseKpis: HallCaseKpis;
  /** The matter board of a case's matter or bundle, from the catalog. */
  boardOf(subject: CaseSubject): string;
  settle(): void;
  /** A ticket from the kiosk (or the appointment desk) of `office`. */
  issue(board: string, office?: string): string;
  /** A window's clerk: sign-in, calls and ticket actions through the engine, as the routes do. */
  clerk(windowId: string, staffId: string): Clerk;
  /** A window's clerk acting on cases through the hall's case service, as a push does. Returns the case's official number. */
  caseAct(windowId: string, staffId: string, caseId: string, action: CaseAction): string | undefined;
  /** Every ticket event of the log, in log order (for re-deriving figures from scratch). */
  allEvents(): TicketEvent[];
  /** Every case event of the log, in log order. */
  allCaseEvents(): CaseEvent[];
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
  const cases = new CaseService(store, config, clock.now);
  store.flush();
  const db = new Database(path.join(dir, 'hall.db'));
  db.pragma('busy_timeout = 100');
  const transaction = <T>(fn: () => T): T => db.transaction(fn)();
  const catalog = loadCatalogDir(defaultCatalogDir());
  if (!catalog.ok) throw new Error('the repository catalog does not validate');
  const boardOf = catalogBoards(catalog.catalog);
  const caseKpis = new HallCaseKpis({ db, transaction, now: clock.now, timeZone: config.timeZone, boardOf });
  const dashboard = new DashboardService({
    db,
    transaction,
    config,
    now: clock.now,
    windows: (office) => queue.officeWindows(office),
    presence: () => store.lastPresenceEvents(),
    cases: caseKpis,
  });
  const mutationIds = new Map<string, number>();
  const nextMutation = (clientId: string) => {
    const id = (mutationIds.get(clientId) ?? 0) + 1;
    mutationIds.set(clientId, id);
    return id;
  };

  const env: DashboardEnv = {
    dir,
    clock,
    config,
    store,
    queue,
    db,
    dashboard,
    caseKpis,
    boardOf,
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
          const mutationId = nextMutation(clientId);
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
    caseAct(windowId, staffId, caseId, action) {
      const office = queue.windowOffice(windowId);
      // Its own client id: the ticket pushes' client counts its mutations without gaps.
      const clientId = `c-case-${office}`;
      const mutationId = nextMutation(clientId);
      const key = `${clientId}-${mutationId}`.padEnd(8, '0');
      const m = { mutationId, kind: 'case_action', caseId, key, windowId, staffId, at: clock.now(), action } as CaseMutation;
      return store.transaction(() => cases.apply({ id: 'dashboard-test-device', office, enrolledAt: 0 }, `${clientId}:${mutationId}`, m)).caseNo;
    },
    allCaseEvents() {
      store.flush();
      return (db.prepare('SELECT json FROM case_event ORDER BY seq').all() as Array<{ json: string }>).map((r) => JSON.parse(r.json) as CaseEvent);
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
