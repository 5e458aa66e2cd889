import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HallConfig } from '../shared/office/config.js';
import { AttachmentReceiver } from './attachments/receiver.js';
import { createAttachmentHandler } from './attachments/routes.js';
import { Access } from './auth/access.js';
import { defaultWebDir, loadHallConfig } from './config.js';
import { createCertificateStore } from './certificates/store.js';
import { createDocumentNumberBlocks } from './certificates/number-blocks.js';
import { catalogBoards } from '../shared/dashboard/case-facts.js';
import { HallCaseKpis } from './dashboard/case-kpi.js';
import { DashboardService } from './dashboard/service.js';
import { createHallHandler } from './http/app.js';
import { HallSockets } from './http/ws.js';
import { QueueEngine } from './queue/engine.js';
import { HallRegistry } from './registry/hall-registry.js';
import { loadRegistryData } from './registry/registry-data.js';
import { openHallStore } from './store/hall-store.js';
import { loadHallReferenceData } from './sync/reference-data.js';

/** The hall server: ticket authority, sync endpoint and the kiosk / display / evaluator pages. */
export interface HallServer {
  url: string;
  port: number;
  close(): Promise<void>;
  /** A one-time enrolment code (`ABCD-1234`) for a new workstation of `office`; stored hashed. */
  createEnrolmentCode(office: string, ttlMs?: number): string;
}

export interface HallServerOptions {
  host?: string;
  port?: number;
  dataDir: string;
  config?: HallConfig;
  now?: () => number;
  webDir?: string;
  /** The matter catalog to validate and distribute (default resources/catalog). Invalid: the hall does not start. */
  catalogDir?: string;
  /** The holiday calendars `<year>.json` to distribute (default resources/calendar). */
  calendarDir?: string;
  /** Registry data for the checks' look-ups (default resources/registry). Invalid: the hall does not start. */
  registryDir?: string;
  log?: (line: string) => void;
  /**
   * Called if a group commit fails (memory would be ahead of the disk). Default: log to stderr and
   * exit(1), so the supervisor restarts the hall from what is on disk. Tests may override it.
   */
  onCommitFailure?: (err: unknown) => void;
}

export async function startHallServer(opts: HallServerOptions): Promise<HallServer> {
  const host = opts.host ?? '127.0.0.1';
  const now = opts.now ?? Date.now;
  const config = opts.config ? HallConfig.parse(opts.config) : loadHallConfig();
  // Before the store opens: a bad catalog or calendar refuses the start with every error listed.
  const referenceData = loadHallReferenceData({ catalogDir: opts.catalogDir, calendarDir: opts.calendarDir });
  const registryData = loadRegistryData(opts.registryDir);
  const store = openHallStore(opts.dataDir, now, { onFailure: opts.onCommitFailure });
  let queue: QueueEngine;
  try {
    queue = new QueueEngine(store, config, now, referenceData);
  } catch (err) {
    store.close();
    throw err;
  }
  const access = new Access(store, queue, now);
  const dashboard = new DashboardService({
    db: store.db,
    transaction: (fn) => store.transaction(fn),
    config,
    now,
    windows: (office) => queue.officeWindows(office),
    presence: () => store.lastPresenceEvents(),
    cases: new HallCaseKpis({ db: store.db, transaction: (fn) => store.transaction(fn), now, timeZone: config.timeZone, boardOf: catalogBoards(referenceData.catalog.data) }),
  });
  const sockets = new HallSockets(queue, access);
  const log = opts.log ?? ((line: string) => console.error(line));
  const receiver = new AttachmentReceiver(opts.dataDir, store, now, log);
  const attachments = createAttachmentHandler({ receiver, committed: () => store.whenCommitted(), log });
  const registry = new HallRegistry({ db: store.db, timeZone: config.timeZone, now, data: registryData });
  const numberBlocks = createDocumentNumberBlocks({ db: store.db, transaction: (fn) => store.transaction(fn), now, timeZone: config.timeZone });
  const handler = createHallHandler({ queue, access, dashboard, registry, numberBlocks, certificates: createCertificateStore(store.db), webDir: opts.webDir ?? defaultWebDir(), committed: () => store.whenCommitted(), log: opts.log, attachments });
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 15_000 }, handler);
  server.keepAliveTimeout = 5_000;
  server.on('upgrade', (req, socket, head) => sockets.handleUpgrade(req, socket, head));
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    sockets.close();
    receiver.close();
    store.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    createEnrolmentCode: (office, ttlMs) => access.createEnrolmentCode(office, ttlMs),
    close() {
      closing ??= new Promise<void>((resolve) => {
        sockets.close();
        receiver.close();
        server.close(() => {
          store.close();
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
