import { AppError } from '../../shared/errors.js';
import type { Mutation, MutationAck, TicketMutation } from '../../shared/hall/api.js';
import { windowId as makeWindowId, type HallConfig, type StaffConfig } from '../../shared/office/config.js';
import type { CaseDevice, CaseService } from '../cases/case-service.js';
import type { CaseWork } from '../cases/case-work.js';
import { applyCertificateEffects } from '../certificates/case-effects.js';
import { createCertificateStore, type CertificateStore } from '../certificates/store.js';
import type { HallStore } from '../store/hall-store.js';
import { createMutationDigests, type MutationDigests } from './mutation-digest.js';
import { idsReusedDetail, outOfOrderDetail } from './progress.js';
import { recordSettingsAudit } from './settings-audit.js';

/**
 * The hall's side of a window's push: mutations of one client applied exactly once, in
 * mutationId order. Each is applied in the same transaction as the client's new progress
 * (`lastApplied`), so a kill -9 leaves either both or neither:
 *  - an id already applied is acknowledged again without effect (`duplicate`, with the reason if it
 *    had failed, and for a case action the case's official number);
 *  - a gap (an id beyond lastApplied + 1) refuses the whole batch before anything is written, naming
 *    lastApplied in the error's detail (progress.ts) so the window can tell the hall lost its work;
 *  - an id already applied with another identity (a window restored from an older disk image hands
 *    out ids again, mutation-digest.ts) refuses the whole batch the same way, naming the first
 *    reused id, so the window numbers its new work after lastApplied instead of losing it;
 *  - a business refusal is recorded as `failed` with its Chinese reason and does not block the
 *    mutations after it.
 * Every mutation names a window and a clerk; both must belong to the pushing device's office.
 * Consecutive case actions and audits run in one enclosing savepoint that writes each touched
 * case's row once, at its end (pushCaseRun, cases/case-work.ts).
 */
export type PushDevice = CaseDevice;

/** Applies a ticket mutation; must call `progress` inside the same transaction. */
export type TicketApplier = (office: string, eventId: string, m: TicketMutation, progress: () => void) => void;

/** Kinds applied in a case run (see pushCaseRun): they read and write cases only through CaseWork. */
const IN_CASE_RUN: ReadonlySet<Mutation['kind']> = new Set(['case_action', 'audit']);

export class PushService {
  private readonly windowOffice = new Map<string, string>();
  private readonly staff = new Map<string, StaffConfig>();
  /** Verification records and revocations of issued documents (certificate actions, see case-effects.ts). */
  private readonly certificates: CertificateStore;
  /** What each applied id was, to tell a retry from a reused id. */
  private readonly digests: MutationDigests;

  constructor(
    private readonly store: HallStore,
    config: HallConfig,
    private readonly now: () => number,
    private readonly tickets: TicketApplier,
    private readonly cases: CaseService,
    /** Called inside the transaction that changed a case of the office (the caller defers to after commit). */
    private readonly onCaseChanged: (office: string) => void = () => {},
  ) {
    for (const o of config.offices) for (const w of o.windows) this.windowOffice.set(makeWindowId(o.id, w.no), o.id);
    for (const s of config.staff) this.staff.set(s.id, s);
    this.certificates = createCertificateStore(store.db);
    this.digests = createMutationDigests(store.db);
  }

  push(device: PushDevice, clientId: string, mutations: readonly Mutation[]): { acks: MutationAck[]; lastApplied: number } {
    let last = this.store.lastApplied(clientId);
    // Check the whole batch first: a gap refuses it all, so an out-of-order push changes nothing.
    let expected = last + 1;
    for (const m of mutations) {
      if (m.mutationId > expected) {
        throw new AppError('out_of_order', '同步顺序有误：缺少前面的记录，请按顺序重新同步。', outOfOrderDetail(last, expected, m.mutationId));
      }
      if (m.mutationId === expected) expected++;
    }
    const reused = this.digests.firstReused(clientId, mutations, last);
    if (reused) {
      throw new AppError(
        'out_of_order',
        '本工作站的记录编号与大厅服务器已收到的不一致（本机可能由旧的磁盘备份恢复），正在重新编号后上传。',
        idsReusedDetail(last, reused.mutationId),
      );
    }
    const acks: MutationAck[] = [];
    const work = this.cases.work();
    for (let i = 0; i < mutations.length; ) {
      let j = i + 1;
      if (IN_CASE_RUN.has(mutations[i]!.kind)) {
        while (j < mutations.length && IN_CASE_RUN.has(mutations[j]!.kind)) j++;
        last = this.pushCaseRun(device, clientId, mutations.slice(i, j), last, acks, work);
      } else {
        last = this.pushOne(device, clientId, mutations[i]!, last, acks, work);
      }
      i = j;
    }
    return { acks, lastApplied: last };
  }

  /**
   * A run of case actions and audits in one savepoint; each mutation still in its own nested one
   * with its progress, but each touched case's row is written once, at the end of the run (CaseWork),
   * inside the run's savepoint. An unexpected error stops the run after writing what came before it
   * (as it stops a push) and is rethrown. Nothing in memory outside `work` follows a case action,
   * so a run rolled back as a whole leaves nothing behind.
   */
  private pushCaseRun(device: PushDevice, clientId: string, run: readonly Mutation[], last: number, acks: MutationAck[], work: CaseWork): number {
    let failure: unknown;
    const runAcks: MutationAck[] = [];
    let lastApplied = last;
    this.store.transaction(() => {
      for (const m of run) {
        try {
          lastApplied = this.pushOne(device, clientId, m, lastApplied, runAcks, work);
        } catch (err) {
          failure = err;
          break;
        }
      }
      work.flush();
    });
    if (failure !== undefined) throw failure;
    acks.push(...runAcks);
    return lastApplied;
  }

  /** One mutation: acknowledged again if applied before, else applied or recorded as failed. Returns the new lastApplied. */
  private pushOne(device: PushDevice, clientId: string, m: Mutation, last: number, acks: MutationAck[], work: CaseWork): number {
    if (m.mutationId <= last) {
      const prior = this.store.mutationResult(clientId, m.mutationId);
      acks.push(this.ack(device, m, 'duplicate', work, prior?.reason ?? undefined));
      return last;
    }
    const eventId = `${clientId}:${m.mutationId}`.slice(0, 80);
    const progress = () => {
      this.store.setLastApplied(clientId, m.mutationId);
      this.digests.record(clientId, m);
    };
    try {
      const duplicate = this.apply(device, eventId, m, progress, work);
      acks.push(this.ack(device, m, duplicate ? 'duplicate' : 'applied', work));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      this.store.transaction(() => {
        this.store.recordMutationResult(clientId, m.mutationId, 'failed', err.message, this.now());
        progress();
      });
      acks.push(this.ack(device, m, 'failed', work, err.message));
    }
    return m.mutationId;
  }

  /** Applies one mutation with its progress in one transaction; true when it was a no-op (a case action's key seen before). */
  private apply(device: PushDevice, eventId: string, m: Mutation, progress: () => void, work: CaseWork): boolean {
    this.checkActor(device.office, m);
    switch (m.kind) {
      case 'ticket_action':
        this.tickets(device.office, eventId, m, progress);
        return false;
      case 'case_action':
        try {
          const duplicate = this.store.transaction(() => {
            const r = this.cases.apply(device, eventId, m, work);
            if (!r.duplicate) applyCertificateEffects(this.certificates, device, m, work.get(m.caseId), this.now());
            progress();
            if (!r.duplicate) this.onCaseChanged(device.office);
            return r.duplicate;
          });
          work.keep();
          return duplicate;
        } catch (err) {
          work.drop(); // its savepoint was rolled back: so are its case rows
          throw err;
        }
      case 'audit':
        this.store.transaction(() => {
          this.cases.audit(device, eventId, m);
          progress();
        });
        return false;
      case 'settings_audit':
        this.store.transaction(() => {
          recordSettingsAudit(this.store.db, device, this.staff.get(m.staffId), eventId, m, Math.min(m.at, this.now()));
          progress();
        });
        return false;
    }
  }

  /**
   * The window and the clerk named in a mutation must belong to the pushing device's office (only a
   * settings change may name no window: an administrator signed in without one).
   */
  private checkActor(office: string, m: Mutation): void {
    const windowOk = m.windowId === null ? m.kind === 'settings_audit' : this.windowOffice.get(m.windowId) === office;
    if (!windowOk) throw new AppError('forbidden', '该窗口不属于本工作站所在大厅。', `window ${m.windowId} not in ${office}`);
    if (this.staff.get(m.staffId)?.office !== office) throw new AppError('forbidden', '该工作人员不属于本大厅。', `staff ${m.staffId}`);
  }

  private ack(device: PushDevice, m: Mutation, status: MutationAck['status'], work: CaseWork, reason?: string): MutationAck {
    const ack: MutationAck = { mutationId: m.mutationId, status };
    if (reason !== undefined) ack.reason = reason;
    if (m.kind === 'case_action') {
      const caseNo = this.cases.caseNoFor(device.office, m.caseId, work);
      if (caseNo !== undefined) ack.caseNo = caseNo;
    }
    return ack;
  }
}
