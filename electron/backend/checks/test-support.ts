/**
 * Test helper: a window's case service on its own database, without a hall (the bundled catalog,
 * an outbox that is never pushed), with a registry source the test controls and a spy in place of
 * the certificate issue. For the tests of the checks at the window (electron/backend/checks/*.test.ts).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { CaseView } from '../../../shared/case/view.js';
import type { RegistryAnswer } from '../../../shared/checks/index.js';
import { AttachmentStore } from '../attachments/attachment-store.js';
import { CaseService } from '../cases/case-service.js';
import { CaseStore } from '../cases/case-store.js';
import { CatalogProvider } from '../catalog/window-catalog.js';
import { openDatabase, type Db } from '../store/database.js';
import { Outbox } from '../store/outbox.js';
import { tempDir } from '../test-helpers.js';
import type { RegistryKeys, RegistrySource } from './registry-cache.js';

const CLIENT = 'c-checks-0000-1111-2222-333333333333';

/** A registry the test answers for: `online` switches the link, `answer` fills what the hall would say. */
export class FakeRegistry implements RegistrySource {
  isOnline = true;
  calls: RegistryKeys[] = [];
  readonly enterprises = new Map<string, RegistryAnswer & { registry: 'enterprise' }>();
  readonly holders = new Map<string, RegistryAnswer & { registry: 'certificates' }>();
  online(): boolean {
    return this.isOnline;
  }
  /** The registered enterprise with this code, as the hall would answer (fetched 08:59). */
  enterprise(uscc: string, record: { name: string; legalRep: string; status: string }): void {
    this.enterprises.set(uscc, { registry: 'enterprise', key: uscc, stale: false, fetchedAt: '2026-05-11 08:59:00', record: { uscc, ...record } });
  }
  async lookup(keys: RegistryKeys): Promise<RegistryAnswer[]> {
    this.calls.push(keys);
    if (!this.isOnline) throw new Error('offline');
    return [
      ...keys.enterprises.flatMap((k) => (this.enterprises.has(k) ? [this.enterprises.get(k)!] : [])),
      ...keys.holders.map((k) => this.holders.get(k) ?? { registry: 'certificates' as const, key: k, stale: false, fetchedAt: '2026-05-11 08:30:00', certificates: [] }),
    ];
  }
}

export interface Window {
  service: CaseService;
  db: Db;
  registry: FakeRegistry;
  issued: string[];
  /** Signs in as another clerk at another window of the office. */
  as(staffId: string, windowNo: number): void;
  /** Moves the clock. */
  tick(ms: number): void;
  /** Stores a page and attaches it to a material (as case.attach does). */
  page(caseId: string, materialId: string): Promise<{ sha256: string; view: CaseView }>;
  close(): void;
}

/** 2026-05-11 09:00 in Qihe (a Monday). */
export const MONDAY_9AM = Date.parse('2026-05-11T09:00:00+08:00');

export function windowService(opts: { now?: number; registry?: FakeRegistry | null } = {}): Window {
  const dir = tempDir('checks');
  const db = openDatabase(path.join(dir, 'workstation.db'));
  let now = opts.now ?? MONDAY_9AM;
  const clock = () => now;
  let store: CaseStore;
  const outbox = new Outbox(db, clock, { casesSettled: (c) => store.settled(c) });
  outbox.bindClient(CLIENT);
  const catalogs = new CatalogProvider(db);
  store = new CaseStore(db, outbox, () => catalogs.timeZone(), clock);
  const attachments = new AttachmentStore(db, dir, clock);
  const registry = opts.registry === null ? null : (opts.registry ?? new FakeRegistry());
  let session = { staffId: '1001', windowId: 'qihe-county/1' };
  const issued: string[] = [];
  const service = new CaseService({
    db,
    store,
    outbox,
    catalogs,
    attachments,
    session: () => session,
    servingTicket: () => null,
    clientId: () => CLIENT,
    now: clock,
    written: async () => undefined,
    registry,
    issueResultDocuments: async (caseId) => {
      issued.push(caseId);
    },
  });
  return {
    service,
    db,
    registry: registry ?? new FakeRegistry(),
    issued,
    as(staffId, windowNo) {
      session = { staffId, windowId: `qihe-county/${windowNo}` };
    },
    tick(ms) {
      now += ms;
    },
    async page(caseId, materialId) {
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(512)]);
      const view = await service.attach({ caseId, materialId, name: `${materialId}.png`, dataBase64: png.toString('base64') });
      const m = view.materials.find((x) => x.id === materialId)!;
      return { sha256: m.attachments.at(-1)!.sha256, view };
    },
    close() {
      db.close();
    },
  };
}
