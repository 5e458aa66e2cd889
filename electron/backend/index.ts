import os from 'node:os';
import path from 'node:path';
import type { EventName, EventPayload } from '../../shared/contract.js';
import { AttachmentStore } from './attachments/attachment-store.js';
import { AttachmentUploader } from './attachments/uploader.js';
import { caseHandlers } from './cases/case-handlers.js';
import { CaseService } from './cases/case-service.js';
import { CaseStore } from './cases/case-store.js';
import { createCaptureHandlers } from './capture/capture-handlers.js';
import type { CaptureHostOptions } from './capture/capture-host.js';
import { caseDocumentHandlers } from './certificates/case-document-handlers.js';
import { CaseDocuments } from './certificates/case-documents.js';
import { CaseNotices } from './certificates/case-notices.js';
import { cupsPrinter, type Printer } from './certificates/printing.js';
import { prefetchOnConnect, workstationDocumentNumbers } from './certificates/number-block-source.js';
import { sealSettingsHandlers } from './certificates/seal-settings-handlers.js';
import { keyFileSecretBox, type SecretBox } from './certificates/seal-settings-secret.js';
import { CatalogProvider, type CatalogDirs } from './catalog/window-catalog.js';
import { DeviceService, EMBEDDED } from './device/device-service.js';
import { createDashboardHandlers, type DashboardCall } from './dashboard/handlers.js';
import { buildHandlers, type Handlers } from './handlers.js';
import { hallRegistrySource } from './checks/hall-registry-source.js';
import { HallConnection } from './hall-client/connection.js';
import { startEmbeddedHall, type EmbeddedHall, type EmbeddedHallOptions } from './embedded-hall.js';
import { AppError } from '../../shared/errors.js';
import { NO_SEAT_MESSAGE } from '../../shared/office/config.js';
import { createLogger } from './log.js';
import { QueueService } from './queue/queue-service.js';
import type { SettingsStore } from './settings/settings-store.js';
import { openDatabase } from './store/database.js';
import { Outbox } from './store/outbox.js';
import { Puller } from './sync/puller.js';
import { Pusher } from './sync/pusher.js';
import { HallRecognition, isUnknownDevice } from './sync/re-enrol-notice.js';
import { hallKnowsDevice } from './sync/re-enrol.js';

export type { Handlers } from './handlers.js';
export type { SettingsStore } from './settings/settings-store.js';

const log = createLogger('workstation');
const PULL_TIMEOUT_MS = 10_000;
/** How long a case write waits for its push before answering with the local result. */
const CASE_PUSH_WAIT_MS = 1500;

export interface WorkstationOptions {
  dataDir: string;
  settings: SettingsStore;
  /** Overrides the hall URL in the settings. */
  hallUrl?: string;
  /** With no hall configured, start one on loopback (dataDir/hall) and enrol with it. */
  embeddedHall?: boolean;
  /** Paths for the embedded hall when not run from the repository (the packaged app). */
  embeddedHallOptions?: EmbeddedHallOptions;
  /** The bundled matter catalog and holiday calendars (used until the hall's are pulled); default resources/. */
  catalogDirs?: CatalogDirs;
  now?: () => number;
  /** Capture (OCR worker, scanners): limits, idle stop, SANE environment; default the shipped settings. */
  capture?: CaptureHostOptions;
  /** How documents are printed (the Electron app passes its own); default CUPS (lp/lpstat). */
  printer?: Printer;
  /** Keeps certificate passwords (Electron: safeStorage); default a 0600 key file in dataDir. */
  sealSecrets?: SecretBox;
}

type Listener<E extends EventName> = (payload: EventPayload<E>) => void;

export interface Workstation {
  handlers: Handlers;
  events: { on<E extends EventName>(name: E, cb: Listener<E>): () => void };
  /** The embedded hall server's URL, when this workstation runs one. */
  embeddedHallUrl: string | null;
  /** Attachments (pages, PDFs) stored by content hash; each new one is uploaded by itself. */
  attachments: { store: AttachmentStore; uploader: AttachmentUploader };
  close(): Promise<void>;
}

/**
 * One workstation's backend: local cache, hall connection, outbox pusher, queue and device
 * services, behind the contract's handler map. Plain Node: never imports 'electron'.
 */
export async function createWorkstation(opts: WorkstationOptions): Promise<Workstation> {
  const now = opts.now ?? Date.now;
  const settings = opts.settings;
  const db = openDatabase(path.join(opts.dataDir, 'workstation.db'));
  const outbox = new Outbox(db, now, { casesSettled: (changes) => caseStore.settled(changes) });
  const catalogs = new CatalogProvider(db, opts.catalogDirs);
  const caseStore = new CaseStore(db, outbox, () => catalogs.timeZone(), now);
  const attachmentStore = new AttachmentStore(db, opts.dataDir, now, {
    onStored: () => {
      attachmentUploader.kick();
      emitState(); // the pending attachments in SyncStatus grew
    },
  });
  const listeners = new Map<EventName, Set<Listener<EventName>>>();

  let embedded: EmbeddedHall | null = null;
  let connection: HallConnection | null = null;
  let closed = false;
  let started = false;
  /** Set when the clerk enrols with a hall at run time: that hall wins over the start options. */
  let enrolledUrl: string | null = null;
  const hallUrl = (): string | null => enrolledUrl ?? opts.hallUrl ?? settings.get().hallUrl ?? embedded?.url ?? null;

  const emitState = () => {
    if (closed) return;
    const set = listeners.get('queue.state');
    if (!set?.size) return;
    const payload = queue.state();
    for (const cb of set) {
      try {
        cb(payload);
      } catch (err) {
        log.error('event listener failed', err);
      }
    }
  };

  // A hall that no longer knows this device (wiped) is told apart and shown; see sync/re-enrol-notice.ts
  const waitingUploads = () => outbox.pendingCount() + attachmentStore.pendingCounts().pendingAttachments;
  const recognition = new HallRecognition(db, {
    waiting: waitingUploads,
    changed: emitState,
    currentToken: () => settings.get().deviceToken,
    probe: (token) => {
      const url = hallUrl();
      return url ? hallKnowsDevice(db, url, token) : Promise.reject(new Error('no hall address'));
    },
  });

  const pusher = new Pusher(outbox, {
    target() {
      const s = settings.get();
      if (!connection || !s.deviceToken || !s.clientId) return null;
      return { http: connection.http, deviceToken: s.deviceToken, clientId: s.clientId };
    },
    onAcked: (entries) => {
      queue.acked(entries);
      void puller.request(); // tickets held for these entries may be pulled now
    },
    // The hall lost this window's progress (restored from a backup): pull its marks, then re-send.
    onProgressLost: () => void puller.request(),
    onChange: emitState,
  });

  const attachmentUploader = new AttachmentUploader(attachmentStore, {
    target() {
      const s = settings.get();
      if (!connection || !s.deviceToken) return null;
      return { baseUrl: connection.hallUrl, deviceToken: s.deviceToken };
    },
    onChange: emitState,
  });

  const puller = new Puller(
    db,
    {
      source() {
        const s = settings.get();
        const http = connection?.http;
        if (!http || !s.deviceToken || !s.clientId) return null;
        const deviceToken = s.deviceToken;
        return { clientId: s.clientId, pull: (input) => recognition.watch(http.call('pull', input, { deviceToken }, PULL_TIMEOUT_MS), deviceToken) };
      },
      onApplied: (r) => {
        if (r.applied > 0 || r.cases.applied > 0) emitState();
      },
      // The hall's database was reset: the outbox and the attachments are re-sent from here.
      onHallReset: () => {
        pusher.kick();
        attachmentUploader.kick();
        emitState();
      },
    },
    now,
  );

  const queue = new QueueService({
    db,
    outbox,
    pusher,
    connection: () => connection,
    deviceToken: () => settings.get().deviceToken,
    rememberWindow: (windowId) => {
      if (settings.get().windowId !== windowId) settings.set({ windowId });
    },
    now,
    changed: emitState,
    pullStatus: () => {
      const p = puller.status();
      return { ...p, hallNotice: recognition.notice(p.hallNotice), unknownToHall: recognition.unknown() };
    },
    attachmentStatus: () => {
      const { pendingAttachments, pendingAttachmentBytes } = attachmentUploader.status();
      return { pendingAttachments, pendingAttachmentBytes };
    },
  });

  /** A case write committed: push it; a decision waits a little for the hall's answer. */
  const caseWritten = async (wait: boolean): Promise<void> => {
    emitState();
    if (!wait || !connection?.online()) {
      pusher.kick();
      return;
    }
    // Wait a little for the hall (its official number, or a refusal), never long: the entry is safe
    // in the outbox and the pusher carries on by itself.
    const pushed = pusher.flush().then(() => void puller.request());
    await Promise.race([pushed, new Promise<void>((r) => setTimeout(r, CASE_PUSH_WAIT_MS).unref())]);
  };
  const caseSession = () => {
    const s = queue.state().session;
    if (s && !s.window) throw new AppError('forbidden', NO_SEAT_MESSAGE, `staff ${s.staff.id} signed in without a window`);
    return s?.window ? { staffId: s.staff.id, windowId: s.window.id } : null;
  };
  const cases = new CaseService({
    db,
    registry: hallRegistrySource({ connection: () => connection, deviceToken: () => settings.get().deviceToken }),
    store: caseStore,
    outbox,
    catalogs,
    attachments: attachmentStore,
    session: caseSession,
    servingTicket: () => {
      const cur = queue.localPanel()?.current;
      return cur && (cur.status === 'SERVING' || cur.status === 'CALLED') ? { ticketId: cur.ticketId, number: cur.number } : null;
    },
    clientId: () => settings.get().clientId,
    now,
    // 秒批: the certificate is issued at once (a failure leaves the case 已批准 for a clerk).
    issueResultDocuments: async (caseId) => void (await documents.issue(caseId)),
    written: caseWritten,
  });

  // 智能制证: the documents of cases (issue, notices, print, revoke).
  // Document numbers from blocks the hall hands this workstation.
  const documentNumbers = workstationDocumentNumbers({ db, connection: () => connection, deviceToken: () => settings.get().deviceToken, now, timeZone: () => catalogs.timeZone() });
  const documentDeps = { db, store: caseStore, outbox, catalogs, attachments: attachmentStore, cases, session: caseSession, hallUrl, now, written: caseWritten, printer: opts.printer ?? cupsPrinter(), numbers: documentNumbers };
  const documents = new CaseDocuments(documentDeps);
  const notices = new CaseNotices(documentDeps);

  // 智能抓取: pages onto materials; the OCR worker starts on first use and stops when idle.
  const capture = createCaptureHandlers({
    cases,
    store: caseStore,
    attachments: attachmentStore,
    session: caseSession,
    audit: { outbox, written: caseWritten, now }, // case.materialPdf audited as an export
    emit: (name, payload) => {
      if (!closed) for (const cb of listeners.get(name) ?? []) cb(payload);
    },
    ...(opts.capture ? { options: opts.capture } : {}),
  });

  const connect = () => {
    connection?.close();
    const url = hallUrl();
    connection = url
      ? new HallConnection(url, settings.get().deviceToken, now, {
          onOpen: () => {
            pusher.reconnected();
            attachmentUploader.reconnected();
            void queue.refresh();
            void puller.request();
            void documentNumbers.refill(prefetchOnConnect(settings.get().office));
          },
          onQueueChanged: (msg) => {
            // A county window also hears of its branches' changes: those concern only the replica.
            const office = settings.get().office;
            if (office === null || msg.office === office) void queue.refresh();
            void puller.request();
          },
          onCasesChanged: () => void puller.request(),
          // A call refused for the device token (revoked, or a wiped hall): the next pull tells
          // whether the hall still knows this device (re-enrol-notice.ts).
          onRefused: (err) => {
            if (isUnknownDevice(err)) void puller.request();
          },
          onStatus: () => {
            emitState();
            recognition.connectionChanged(connection?.online() ?? false);
          },
        })
      : null;
  };

  const device = new DeviceService({
    db,
    settings,
    outbox,
    hallUrl,
    embeddedHall: () => embedded !== null,
    attachmentsWaiting: () => attachmentStore.pendingCounts().pendingAttachments,
    enrolled: (url) => {
      if (!started) return;
      enrolledUrl = url;
      queue.dropSession();
      connect();
      pusher.kick();
      attachmentUploader.kick();
      emitState();
    },
  });

  try {
    if (!opts.hallUrl && !settings.get().hallUrl && opts.embeddedHall) {
      embedded = await startEmbeddedHall(path.join(opts.dataDir, 'hall'), opts.embeddedHallOptions);
      const s = settings.get();
      if (!s.deviceToken || device.enrolledHall() !== EMBEDDED) {
        await device.enroll(
          { hallUrl: embedded.url, code: embedded.createEnrolmentCode('qihe-county'), deviceName: s.deviceName ?? defaultDeviceName() },
          { embedded: true },
        );
      }
    }
    const clientId = settings.get().clientId;
    if (clientId && outbox.clientId() === null) outbox.bindClient(clientId);
  } catch (err) {
    db.close();
    await embedded?.close();
    throw err;
  }
  started = true;
  try {
    puller.cleanUp();
  } catch (err) {
    log.warn('replica clean-up failed', err);
  }
  connect();
  if (outbox.pendingCount() > 0) {
    log.info(`${outbox.pendingCount()} mutation(s) waiting in the outbox from before`);
    pusher.kick();
  }
  if (attachmentStore.pendingCounts().pendingAttachments > 0) attachmentUploader.kick();

  const dashboard = createDashboardHandlers({
    call: () => {
      const c = connection;
      return c ? (((name, input, auth, timeoutMs) => c.http.call(name, input, auth, timeoutMs)) as DashboardCall) : null;
    },
    auth: () => queue.hallAuth(),
    exportsDir: path.join(opts.dataDir, 'exports'),
  });
  const handlers = buildHandlers(
    {
      ...dashboard,
      'device.status': async () => device.status(),
      'device.enroll': (i) => device.enroll(i),
      'session.signIn': (i) => queue.signIn(i),
      'session.signOut': () => queue.signOut(),
      'queue.state': async () => queue.state(),
      'queue.callNext': () => queue.callNext(),
      'queue.recall': () => queue.ticketAction({ type: 'recalled' }),
      'queue.noShow': () => queue.ticketAction({ type: 'no_show' }),
      'queue.recycle': () => queue.ticketAction({ type: 'recycled' }),
      'queue.start': () => queue.ticketAction({ type: 'started' }),
      'queue.hold': (i) => queue.ticketAction({ type: 'held', kind: i.kind, ...(i.note ? { note: i.note } : {}) }),
      'queue.resume': (i) => queue.resume(i.ticketId),
      'queue.transfer': (i) =>
        queue.ticketAction({ type: 'transferred', toBoard: i.toBoard, position: i.position, ...(i.toWindowId ? { toWindowId: i.toWindowId } : {}) }),
      'queue.finish': (i) => queue.ticketAction({ type: 'finished', ...(i.caseNo ? { caseNo: i.caseNo } : {}) }),
      'queue.pause': (i) => queue.pause(i.reason),
      'queue.unpause': () => queue.unpause(),
      'sync.retryParked': async () => {
        const n = outbox.requeueParked();
        log.info(`re-queued ${n} parked mutation(s) as new mutations`);
        attachmentUploader.retryParked();
        emitState();
        if (connection?.online()) await pusher.flush().catch(() => undefined);
        else pusher.kick();
        return queue.state();
      },
      ...caseHandlers(cases),
      ...capture.handlers,
      ...caseDocumentHandlers(documents, notices),
      // 印章设置: admin only, for the office this workstation is enrolled for
      ...sealSettingsHandlers({
        db,
        catalogs,
        now,
        box: opts.sealSecrets ?? keyFileSecretBox(opts.dataDir),
        office: () => settings.get().office,
        staff: () => queue.state().session?.staff ?? null,
        windowId: () => queue.state().session?.window?.id ?? null,
        outbox,
      }),
    },
    () => queue.hasSession(),
  );

  return {
    handlers,
    embeddedHallUrl: embedded?.url ?? null,
    attachments: { store: attachmentStore, uploader: attachmentUploader },
    events: {
      on(name, cb) {
        let set = listeners.get(name);
        if (!set) listeners.set(name, (set = new Set()));
        const l = cb as Listener<EventName>;
        set.add(l);
        return () => set.delete(l);
      },
    },
    async close() {
      if (closed) return;
      closed = true;
      pusher.close();
      attachmentUploader.close();
      puller.close();
      recognition.close();
      connection?.close();
      connection = null;
      listeners.clear();
      await capture.close(); // stops the OCR worker
      db.close();
      await embedded?.close();
    },
  };
}

function defaultDeviceName(): string {
  return `工作站 ${os.hostname()}`.slice(0, 60);
}
