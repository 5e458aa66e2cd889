import { randomBytes, randomUUID } from 'node:crypto';
import { applyCaseEvent } from '../../../shared/case/case-reducer.js';
import type { CaseAction, CaseActor, CaseEvent, CaseState } from '../../../shared/case/types.js';
import { AppError } from '../../../shared/errors.js';
import { MAX_BODY_BYTES } from '../../../shared/hall/api.js';
import { parseWindowId } from '../../../shared/office/config.js';
import { businessDate } from '../../../shared/queue/numbering.js';
import { createLogger } from '../log.js';
import { getMeta, prepared, setMeta, type Db } from '../store/database.js';
import type { CaseMutationBody, CaseSettlement, Outbox } from '../store/outbox.js';

/** A case action a window may take (the hall alone numbers cases). */
export type WindowCaseAction = CaseMutationBody['action'];

const log = createLogger('cases');

/**
 * The window's cases (办件) in its local cache. Two logs make a case's state, folded by the shared
 * reducer: the hall's events as pulled (`case_event_remote`, hall order) and then the window's own
 * actions the hall has not refused (`case_action_local`, pending or applied); an action already in
 * the hall's log has the same idempotency key there, so folding it again is a no-op. `case_local`
 * caches the result (one row per case, with the official number once the hall gives it) and is
 * rewritten in the same transaction as whatever changed either log: a new action (with its outbox
 * entry), an acknowledgement, a refusal, a re-queue, a pull.
 */

/** The largest single case action the window sends (the hall takes at most MAX_BODY_BYTES per push). */
export const MAX_CASE_MUTATION_BYTES = Math.floor(MAX_BODY_BYTES / 2);
const CASE_SEQ = 'case.last_seq';

export interface CaseRow {
  caseId: string;
  office: string;
  windowId: string;
  businessDate: string;
  provisionalNo: string;
  caseNo: string | null;
  state: CaseState;
}

interface Sql {
  case_id: string;
  office: string;
  window_id: string;
  business_date: string;
  provisional_no: string;
  case_no: string | null;
  state_json: string;
}

const toRow = (r: Sql): CaseRow => {
  const state = JSON.parse(r.state_json) as CaseState;
  return {
    caseId: r.case_id,
    office: r.office,
    windowId: r.window_id,
    businessDate: r.business_date,
    provisionalNo: r.provisional_no,
    caseNo: r.case_no ?? state.caseNo ?? null,
    state: r.case_no !== null && state.caseNo === undefined ? { ...state, caseNo: r.case_no } : state,
  };
};

interface LocalActionRow {
  id: number;
  key: string;
  mutation_id: number | null;
  client_id: string;
  window_id: string;
  staff_id: string;
  at: number;
  json: string;
  outcome: string | null;
}

function localEvent(caseId: string, r: LocalActionRow): CaseEvent {
  return {
    eventId: r.mutation_id !== null ? `${r.client_id}:${r.mutation_id}` : `local:${r.id}`,
    caseId,
    key: r.key,
    at: r.at,
    actor: { staffId: r.staff_id, windowId: r.window_id, office: parseWindowId(r.window_id).office },
    action: JSON.parse(r.json) as CaseAction,
  };
}

/** Is a local action's outcome one the hall refused (failed when applied, or parked unconsumed)? */
export function isRefusedOutcome(outcome: string | null): boolean {
  return outcome !== null && outcome !== 'applied';
}

/** The hall's events of a case as pulled, in hall order. */
export function remoteEvents(db: Db, caseId: string): Array<{ seq: number; event: CaseEvent }> {
  return (prepared(db, 'SELECT seq, json FROM case_event_remote WHERE case_id = ? ORDER BY seq').all(caseId) as Array<{ seq: number; json: string }>).map(
    (r) => ({ seq: r.seq, event: JSON.parse(r.json) as CaseEvent }),
  );
}

/** The window's own actions of a case, in the order it took them. */
export function localActions(db: Db, caseId: string): Array<LocalActionRow & { event: CaseEvent }> {
  return (prepared(db, 'SELECT * FROM case_action_local WHERE case_id = ? ORDER BY id').all(caseId) as LocalActionRow[]).map((r) => ({
    ...r,
    event: localEvent(caseId, r),
  }));
}

/** The case's state from both logs (see the top of this file); undefined when neither has its opening. */
export function deriveCase(db: Db, caseId: string): { state: CaseState | undefined; lastSeq: number } {
  let state: CaseState | undefined;
  let lastSeq = 0;
  for (const { seq, event } of remoteEvents(db, caseId)) {
    lastSeq = seq;
    const r = applyCaseEvent(state, event);
    if (r.ok) state = r.state;
    else log.warn(`hall event ${event.eventId} of ${caseId} refused by the local fold: ${r.reason}`);
  }
  for (const a of localActions(db, caseId)) {
    if (isRefusedOutcome(a.outcome)) continue;
    const r = applyCaseEvent(state, a.event);
    // A pending action the hall's newer events have overtaken will be refused there too: left out here.
    if (r.ok) state = r.state;
  }
  return { state, lastSeq };
}

/**
 * Rewrites a case's row from its logs. `openedDate`: the business date of a case the window opens
 * now; a case first seen in a pull takes the date of its opening in `timeZone`.
 */
export function refreshCase(db: Db, caseId: string, timeZone: string, now: number, openedDate?: string): CaseState | undefined {
  const { state, lastSeq } = deriveCase(db, caseId);
  if (state === undefined) {
    // Only possible when the hall refused the opening itself: the row (if any) stays as the window last
    // knew it, and the history shows why.
    return undefined;
  }
  const existing = prepared(db, 'SELECT business_date, case_no FROM case_local WHERE case_id = ?').get(caseId) as
    | { business_date: string; case_no: string | null }
    | undefined;
  const caseNo = state.caseNo ?? existing?.case_no ?? null;
  prepared(
    db,
    `INSERT INTO case_local (case_id, office, window_id, staff_id, status, business_date, provisional_no, case_no, ticket_id, state_json, last_seq, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(case_id) DO UPDATE SET status = excluded.status, case_no = excluded.case_no, ticket_id = excluded.ticket_id,
       state_json = excluded.state_json, last_seq = excluded.last_seq, updated_at = excluded.updated_at`,
  ).run(
    caseId,
    state.office,
    state.windowId,
    state.staffId,
    state.status,
    existing?.business_date ?? openedDate ?? businessDate(state.openedAt, timeZone),
    state.provisionalNo,
    caseNo,
    state.ticketId ?? null,
    JSON.stringify(caseNo !== null && state.caseNo === undefined ? { ...state, caseNo } : state),
    lastSeq,
    now,
  );
  return state;
}

export function readCase(db: Db, caseId: string): CaseRow | undefined {
  const r = prepared(db, 'SELECT * FROM case_local WHERE case_id = ?').get(caseId) as Sql | undefined;
  return r ? toRow(r) : undefined;
}

export interface NewAction {
  action: WindowCaseAction;
  /** For the sync status: "办件 临03-… 受理". */
  summary: string;
}

/**
 * The window's writes of cases. Every action is checked with the shared reducer against the case as
 * the window knows it, then its local log row, its outbox entry and the case's new row commit in ONE
 * transaction (synchronous=FULL): a crash leaves all of it or none.
 */
export class CaseStore {
  constructor(
    private readonly db: Db,
    private readonly outbox: Outbox,
    private readonly timeZone: () => string,
    private readonly now: () => number,
  ) {}

  get(caseId: string): CaseRow | undefined {
    return readCase(this.db, caseId);
  }

  /** A new case id, unique without asking the hall: `c-<client>-<n><random>`. */
  newCaseId(clientId: string): string {
    return this.db.transaction(() => {
      const n = Number(getMeta(this.db, CASE_SEQ) ?? '0') + 1;
      setMeta(this.db, CASE_SEQ, String(n));
      const client = clientId.replace(/^c-/, '').replace(/[^A-Za-z0-9]/g, '').slice(0, 40) || 'x';
      return `c-${client}-${n.toString(36)}${randomBytes(3).toString('hex')}`;
    })();
  }

  /** The window's next provisional number counter of the day (call inside the opening's transaction). */
  nextCounter(windowId: string, date: string): number {
    const r = prepared(this.db, 'SELECT last FROM case_counter WHERE window_id = ? AND business_date = ?').get(windowId, date) as { last: number } | undefined;
    const next = (r?.last ?? 0) + 1;
    prepared(this.db, 'INSERT INTO case_counter (window_id, business_date, last) VALUES (?, ?, ?) ON CONFLICT(window_id, business_date) DO UPDATE SET last = excluded.last')
      .run(windowId, date, next);
    return next;
  }

  /**
   * Checks and writes actions of one case, in order, in one transaction; returns the case's new
   * state. `build` runs inside the transaction with the case's current state (undefined for a new
   * case) and returns the actions (so a number taken from a counter commits with them).
   * Throws AppError('invalid_transition') with the reducer's reason; nothing is written then.
   */
  write(caseId: string, actor: CaseActor, build: (state: CaseState | undefined) => NewAction[], openedDate?: string): CaseState {
    return this.db.transaction(() => {
      let state = deriveCase(this.db, caseId).state;
      const planned = build(state);
      const at = this.now();
      for (const { action, summary } of planned) {
        const key = randomUUID().replace(/-/g, '');
        const r = applyCaseEvent(state, { eventId: 'local', caseId, key, at, actor, action });
        if (!r.ok) throw new AppError('invalid_transition', r.reason, `local check refused ${action.type} on ${caseId}`);
        const body = { kind: 'case_action' as const, caseId, key, windowId: actor.windowId, staffId: actor.staffId, at, action };
        if (Buffer.byteLength(JSON.stringify(body)) > MAX_CASE_MUTATION_BYTES) {
          throw new AppError('payload_too_large', '填写的内容过多，请精简后重试。', `case action ${action.type} over ${MAX_CASE_MUTATION_BYTES} bytes`);
        }
        this.outbox.append(body, summary);
        state = r.state;
      }
      const written = refreshCase(this.db, caseId, this.timeZone(), at, openedDate);
      if (!written) throw new Error(`case ${caseId} has no state after writing`);
      return written;
    })();
  }

  /** Records that the clerk opened a case's personal data (through the outbox, like any write). */
  audit(caseId: string, actor: CaseActor, summary: string): void {
    this.outbox.append({ kind: 'audit', caseId, what: 'case.viewed', windowId: actor.windowId, staffId: actor.staffId, at: this.now() }, summary);
  }

  /** Outbox hook: actions of these cases changed outcome (inside the outbox's transaction). */
  settled(changes: readonly CaseSettlement[]): void {
    const setNo = prepared(this.db, 'UPDATE case_local SET case_no = COALESCE(case_no, ?) WHERE case_id = ?');
    const seen = new Set<string>();
    for (const c of changes) {
      if (c.caseNo !== undefined) setNo.run(c.caseNo, c.caseId);
      seen.add(c.caseId);
    }
    for (const caseId of seen) refreshCase(this.db, caseId, this.timeZone(), this.now());
  }

  /** Cases of an office opened on `date` (or still drafts), optionally only those opened at one window; newest first. */
  list(office: string, date: string, windowId?: string): CaseRow[] {
    const rows = (
      windowId === undefined
        ? prepared(this.db, "SELECT * FROM case_local WHERE office = ? AND (business_date = ? OR status = 'DRAFT')").all(office, date)
        : prepared(this.db, "SELECT * FROM case_local WHERE office = ? AND window_id = ? AND (business_date = ? OR status = 'DRAFT')").all(office, windowId, date)
    ) as Sql[];
    return rows.map(toRow).sort((a, b) => b.state.openedAt - a.state.openedAt || b.caseId.localeCompare(a.caseId));
  }
}
