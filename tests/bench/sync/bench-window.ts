import path from 'node:path';
import { CASE_ACTION_LABEL } from '../../../shared/case/case-reducer.js';
import { formatProvisionalCaseNo } from '../../../shared/case/numbers.js';
import type { CaseActor } from '../../../shared/case/types.js';
import { parseWindowId } from '../../../shared/office/config.js';
import { businessDate } from '../../../shared/queue/numbering.js';
import { AttachmentHttp } from '../../../electron/backend/attachments/attachment-client.js';
import { AttachmentStore } from '../../../electron/backend/attachments/attachment-store.js';
import { AttachmentUploader } from '../../../electron/backend/attachments/uploader.js';
import { CaseStore, type WindowCaseAction } from '../../../electron/backend/cases/case-store.js';
import { HallHttp } from '../../../electron/backend/hall-client/http.js';
import { openDatabase, type Db } from '../../../electron/backend/store/database.js';
import { Outbox } from '../../../electron/backend/store/outbox.js';
import { Puller } from '../../../electron/backend/sync/puller.js';
import { Pusher } from '../../../electron/backend/sync/pusher.js';
import type { CasePlan } from './case-plan.js';
import { Timings } from './timings.js';

const TIME_ZONE = 'Asia/Shanghai';
let attachmentHttpTimed = false;
const PULL_TIMEOUT_MS = 8000;

export interface Enrolment {
  deviceToken: string;
  clientId: string;
  office: string;
}

/**
 * One window's local side as the workstation backend wires it (electron/backend/index.ts), without
 * the UI and the ticket queue: its SQLite cache, the outbox with the case store's settlement hook,
 * the attachment store, and — once `startSync` is called — the real sync agents (Pusher,
 * AttachmentUploader, Puller) against a hall URL.
 */
export class BenchWindow {
  readonly db: Db;
  readonly outbox: Outbox;
  readonly cases: CaseStore;
  readonly attachments: AttachmentStore;
  pusher: Pusher | null = null;
  uploader: AttachmentUploader | null = null;
  puller: Puller | null = null;
  /** Where the sync agents spend their time (filled once `startSync` ran). */
  readonly timings = new Timings();
  /** Pages stored by this window: index → sha256 and size. */
  readonly pages = new Map<number, { sha256: string; size: number }>();

  constructor(
    readonly dir: string,
    readonly enrolment: Enrolment,
    readonly actor: CaseActor,
  ) {
    this.db = openDatabase(path.join(dir, 'workstation.db'));
    // eslint-disable-next-line prefer-const
    let cases: CaseStore;
    this.outbox = new Outbox(this.db, Date.now, { casesSettled: (changes) => cases.settled(changes) });
    this.outbox.bindClient(enrolment.clientId);
    cases = new CaseStore(this.db, this.outbox, () => TIME_ZONE, Date.now);
    this.cases = cases;
    this.attachments = new AttachmentStore(this.db, dir);
  }

  /** Stores a scanned page (as CaseService.attach does before writing `attachment_added`). */
  async storePage(index: number, bytes: Uint8Array): Promise<void> {
    const r = await this.attachments.put(bytes, { mime: 'image/jpeg' });
    this.pages.set(index, { sha256: r.sha256, size: r.size });
  }

  /**
   * Writes one case as a clerk would through CaseService: every action is its own local
   * transaction (checked by the shared reducer, with its outbox entry and the case's new row),
   * the opening takes the window's provisional number in the same transaction.
   */
  writeCase(plan: CasePlan): string {
    const caseId = this.cases.newCaseId(this.enrolment.clientId);
    const today = businessDate(Date.now(), TIME_ZONE);
    this.cases.write(
      caseId,
      this.actor,
      () => {
        const provisionalNo = formatProvisionalCaseNo({
          officePrefix: this.actor.office === 'qihe-edz' ? 'K' : '',
          windowNo: parseWindowId(this.actor.windowId).no,
          businessDate: today,
          counter: this.cases.nextCounter(this.actor.windowId, today),
        });
        const action: WindowCaseAction = { type: 'opened', subject: plan.subject, title: plan.title, provisionalNo, catalogVersion: null };
        return [{ action, summary: `办件 ${provisionalNo} ${CASE_ACTION_LABEL.opened}` }];
      },
      today,
    );
    for (const step of plan.steps) {
      if (step.kind === 'audit') {
        this.cases.audit(caseId, this.actor, `查阅办件 ${caseId}`);
        continue;
      }
      let action: WindowCaseAction;
      if (step.kind === 'attach') {
        const page = this.pages.get(step.page);
        if (!page) throw new Error(`page ${step.page} not stored at ${this.actor.windowId}`);
        action = { type: 'attachment_added', materialId: step.materialId, attachment: { sha256: page.sha256, name: `扫描件-${step.page + 1}.jpg`, mime: 'image/jpeg', size: page.size } };
      } else {
        action = step.action;
      }
      this.cases.write(caseId, this.actor, () => [{ action, summary: `办件 ${caseId} ${CASE_ACTION_LABEL[action.type]}` }]);
    }
    return caseId;
  }

  /**
   * The pull a window makes as soon as it is enrolled (reference data, the catalog it needs to open
   * cases, and the replica bound to its enrolment), before its day of work.
   */
  async firstPull(hallUrl: string): Promise<void> {
    const http = new HallHttp(hallUrl);
    const { deviceToken, clientId } = this.enrolment;
    const puller = new Puller(this.db, { source: () => ({ clientId, pull: (input) => http.call('pull', input, { deviceToken }, PULL_TIMEOUT_MS) }) });
    await puller.request();
    puller.close();
    if (puller.lastError) throw new Error(`first pull failed: ${puller.lastError}`);
  }

  /** The real sync agents against `hallUrl`, wired as electron/backend/index.ts wires them. */
  startSync(hallUrl: string, o: { pull: boolean }): void {
    const http = new HallHttp(hallUrl);
    const { deviceToken, clientId } = this.enrolment;
    this.instrument(http);
    this.pusher = new Pusher(this.outbox, {
      target: () => ({ http, deviceToken, clientId }),
      onAcked: () => {
        if (o.pull) void this.puller?.request();
      },
      onChange: () => {},
    });
    this.uploader = new AttachmentUploader(this.attachments, { target: () => ({ baseUrl: hallUrl, deviceToken }), onChange: () => {} });
    if (o.pull) {
      this.puller = new Puller(this.db, {
        source: () => ({ clientId, pull: (input) => http.call('pull', input, { deviceToken }, PULL_TIMEOUT_MS) }),
      });
    }
  }

  /** Times the calls the sync agents make (the objects stay the real ones). */
  private instrument(http: HallHttp): void {
    const t = this.timings;
    const count = (args: unknown[]) => {
      const input = args[1] as { mutations?: unknown[] };
      return input.mutations?.length;
    };
    t.wrap(http, 'call', (args) => `hall ${String(args[0])}`, (args, out) => count(args) ?? (out as { caseEvents?: unknown[] }).caseEvents?.length);
    t.wrap(this.outbox, 'pending', 'outbox.pending');
    t.wrap(this.outbox, 'markAttempt', 'outbox.markAttempt');
    t.wrap(this.outbox, 'applyAcks', 'outbox.applyAcks', (args) => (args[0] as unknown[]).length);
    t.wrap(this.cases, 'settled', '  cases.settled (in applyAcks)', (args) => (args[0] as unknown[]).length);
    t.wrap(this.attachments, 'markUploaded', 'attachments.markUploaded');
    // The uploader makes its attachment client per run: timed on the prototype, once per process.
    if (!attachmentHttpTimed) {
      attachmentHttpTimed = true;
      t.wrap(AttachmentHttp.prototype, 'head', 'hall HEAD attachment');
      t.wrap(AttachmentHttp.prototype, 'putChunk', 'hall PUT attachment');
    }
  }

  /** Pushes and uploads until the outbox is empty and every page is confirmed; returns the failed runs. */
  async drain(): Promise<number> {
    const [p, u] = await Promise.all([this.drainPush(), this.drainUploads()]);
    return p + u;
  }

  drainPush(): Promise<number> {
    return untilDone(() => this.pusher!.flush(), () => this.outbox.pendingCount() === 0);
  }

  drainUploads(): Promise<number> {
    return untilDone(() => this.uploader!.flush(), () => this.attachments.pendingCounts().pendingAttachments === 0);
  }

  stopSync(): void {
    this.pusher?.close();
    this.uploader?.close();
    this.puller?.close();
  }

  close(): void {
    this.stopSync();
    this.db.close();
  }
}

/**
 * Waits until `isDone()`, flushing again after a failed run (the agents retry by themselves with
 * backoff; `flush` rejects with the failure of the run it waited for). Returns how many runs failed.
 */
export async function untilDone(flush: () => Promise<void>, isDone: () => boolean, o: { timeoutMs?: number } = {}): Promise<number> {
  const deadline = Date.now() + (o.timeoutMs ?? 300_000);
  let failures = 0;
  let lastError: unknown;
  while (!isDone()) {
    if (Date.now() > deadline) throw new Error(`not done after ${o.timeoutMs ?? 300_000} ms (${failures} failed runs; last: ${String(lastError)})`);
    try {
      await flush();
    } catch (err) {
      failures++;
      lastError = err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return failures;
}
