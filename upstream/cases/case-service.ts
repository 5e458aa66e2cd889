import { applyCaseEvent } from '../../shared/case/case-reducer.js';
import { formatOfficialCaseNo, officeCaseCode } from '../../shared/case/numbers.js';
import type { CaseEvent, CaseState } from '../../shared/case/types.js';
import { AppError } from '../../shared/errors.js';
import type { AuditMutation, CaseMutation } from '../../shared/hall/api.js';
import { visibleOffices, type HallConfig } from '../../shared/office/config.js';
import { businessDate } from '../../shared/queue/numbering.js';
import type { HallStore } from '../store/hall-store.js';
import type { CaseAttachments } from './case-store.js';
import { CaseWork, directRows, type CaseRows } from './case-work.js';

/**
 * The hall's authority on cases (办件): applies a window's case actions with the shared reducer,
 * gives official numbers, records the audit of personal-data views. Synchronous and stateless
 * (everything is read from the store, or the push's CaseWork, inside the caller's transaction), so two windows' actions on
 * one case, or two openings in one office, are serialised by Node and the open batch.
 *
 * Callers (sync/push.ts) have already checked that the window and the clerk belong to the
 * device's office, and run each call inside the transaction that records the client's progress.
 */
export interface CaseOutcome {
  /** The action's idempotency key was applied already: nothing was written. */
  duplicate: boolean;
  /** The case's official number, when it has one. */
  caseNo: string | undefined;
}

/**
 * The pushing device: its office, and when it was enrolled (no case of its can be older; the hall's
 * routes always pass it — without it a window's time is only kept below the hall's now).
 */
export interface CaseDevice {
  id: string;
  office: string;
  enrolledAt?: number | undefined;
}

export class CaseService {
  constructor(
    private readonly store: HallStore,
    private readonly config: HallConfig,
    private readonly now: () => number,
  ) {}

  /**
   * One case action of a window of the device's office. Throws AppError (with the reducer's Chinese
   * reason) when the action is refused; writes nothing then. `eventId` is "<clientId>:<mutationId>".
   * `rows`: where the case's row is read and written — a push passes its CaseWork (see `work`).
   */
  apply(device: CaseDevice, eventId: string, m: CaseMutation, rows: CaseRows = directRows(this.store.cases)): CaseOutcome {
    const office = device.office;
    const before = rows.get(m.caseId);
    const a = m.action;
    let floor = before?.lastEventAt ?? device.enrolledAt ?? 0;
    if (a.type === 'opened' && before === undefined && a.ticketId !== undefined) {
      const t = this.store.ticket(a.ticketId);
      if (!t || t.office !== office) {
        throw new AppError('not_found', '没有找到该办件关联的取号记录，不能新建办件。', `ticket ${a.ticketId} unknown in ${office}`);
      }
      if (a.ticketNumber !== undefined && a.ticketNumber !== t.number) {
        throw new AppError('conflict', `办件关联的号码 ${a.ticketNumber} 与取号记录 ${t.number} 不符。`, `ticket ${t.ticketId} is ${t.number}`);
      }
      floor = Math.max(floor, t.issuedAt);
    }
    // The window's clock orders nothing: its time is kept within [the case's last event, now]
    // (for an opening: [the device's enrolment or the linked ticket's issue, now]).
    const at = Math.min(Math.max(m.at, floor), this.now());
    const event: CaseEvent = { eventId, caseId: m.caseId, key: m.key, at, actor: { staffId: m.staffId, windowId: m.windowId, office }, action: a };
    const r = applyCaseEvent(before, event);
    if (!r.ok) throw new AppError('invalid_transition', r.reason, `${a.type} refused on case ${m.caseId}`);
    if (r.duplicate) return { duplicate: true, caseNo: r.state.caseNo };
    let state = r.state;
    this.append(event, state, rows);
    if (a.type === 'opened') state = this.number(state, event, rows);
    return { duplicate: false, caseNo: state.caseNo };
  }

  /** The case rows of one push, written once per case at its end (see CaseWork). */
  work(): CaseWork {
    return new CaseWork(this.store.cases);
  }

  /** Records that a clerk opened a case's personal data. Never refused for the case's sake: the record matters most. */
  audit(device: CaseDevice, eventId: string, m: AuditMutation): void {
    const at = Math.min(Math.max(m.at, device.enrolledAt ?? 0), this.now());
    this.store.cases.audit({ at, staffId: m.staffId, caseId: m.caseId, office: device.office, windowId: m.windowId, deviceId: device.id, what: m.what, eventId });
  }

  /** The official number of a case a device of `office` may see, if it has one (for acknowledgements). */
  caseNoFor(office: string, caseId: string, rows: CaseRows = directRows(this.store.cases)): string | undefined {
    const row = rows.numberOf(caseId);
    if (!row || row.caseNo === null || !visibleOffices(this.config, office).includes(row.office)) return undefined;
    return row.caseNo;
  }

  /**
   * Whether a case a device of `office` may see is complete upstream — every attachment it references
   * stored and verified on the hall (see CaseAttachments); undefined for a case unknown or not visible.
   */
  attachments(office: string, caseId: string): CaseAttachments | undefined {
    const row = this.store.cases.numberOf(caseId);
    if (!row || !visibleOffices(this.config, office).includes(row.office)) return undefined;
    return this.store.cases.attachments(caseId);
  }

  private append(event: CaseEvent, state: CaseState, rows: CaseRows): void {
    const seq = this.store.cases.lastSeq() + 1;
    this.store.cases.appendEvent(seq, event, state.office);
    rows.put(seq, state, businessDate(state.openedAt, this.config.timeZone));
  }

  /**
   * The official number, in the same transaction as the opening: the next of the office's series
   * for the year the case was opened, recorded as the hall's own `numbered` event (eventId s<seq>).
   */
  private number(state: CaseState, opened: CaseEvent, rows: CaseRows): CaseState {
    const cases = this.store.cases;
    const year = Number(businessDate(opened.at, this.config.timeZone).slice(0, 4));
    const caseNo = formatOfficialCaseNo(officeCaseCode(this.config.offices, state.office), year, cases.nextNumber(state.office, year));
    const seq = cases.lastSeq() + 1;
    const event: CaseEvent = { eventId: `s${seq}`, caseId: state.caseId, key: `hall-numbered-s${seq}`, at: opened.at, actor: opened.actor, action: { type: 'numbered', caseNo } };
    const r = applyCaseEvent(state, event);
    if (!r.ok) throw new Error(`numbering refused: ${r.reason}`);
    cases.appendEvent(seq, event, r.state.office);
    rows.put(seq, r.state, businessDate(r.state.openedAt, this.config.timeZone));
    return r.state;
  }
}
