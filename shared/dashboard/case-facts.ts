import { applyCaseEvent } from '../case/case-reducer.js';
import type { CaseEvent, CaseState } from '../case/types.js';
import { parseWindowId } from '../office/config.js';
import { businessDate } from '../queue/numbering.js';

/**
 * What the dashboard counts from one case's log: one fact per figure an event makes, each on the
 * business day of that event and credited to the window and clerk who acted (shared/dashboard/
 * case-source.ts lists the figures). The log is folded through the one case reducer, so an action
 * it would refuse, or a retried one, counts nothing. Definitions (shown under 「口径说明」):
 *
 *  - accepted (受理): the case accepted; crossRegion (跨域通办/代收代办受理) also, when it was opened
 *    on behalf of another jurisdiction;
 *  - oneTimeNotices (一次性告知), notAccepted (不予受理): the notice issued / the refusal to accept;
 *  - instantApprovals (即办秒批): approved by the rules with no person in the loop (`automated`);
 *  - forwarded (代收代办转报): a case taken in for another jurisdiction sent on to it;
 *  - escalations (办不成事反映): each escalation, open until its resolution is recorded;
 *  - decided (办结): approved or refused, on time when on or before the promised date;
 *  - overdue (逾期未办结): accepted, not decided, promised date passed (as of the query's today).
 */
export const CASE_COUNTERS = [
  'accepted',
  'oneTimeNotices',
  'notAccepted',
  'instantApprovals',
  'crossRegion',
  'forwarded',
  'escalationsOpen',
  'escalationsResolved',
  'decidedOnTime',
  'decidedLate',
] as const;
export type CaseCounter = (typeof CASE_COUNTERS)[number];

export interface CaseFact {
  figure: CaseCounter;
  caseId: string;
  /** The event that made it (a case may be escalated more than once). */
  eventId: string;
  office: string;
  day: string;
  /** The matter board (业务板块) of the case's matter or bundle; '' when the catalog does not know it. */
  board: string;
  windowNo: number;
  staffId: string;
  caseNo: string | null;
  title: string;
  ticketNumber: string | null;
  /** Accepted only: the promised completion date, and whether the case has been decided since. */
  promisedDate: string | null;
  decided: boolean;
}

export type CaseSubject = CaseState['subject'];

export interface CaseFactContext {
  timeZone: string;
  boardOf(subject: CaseSubject): string;
}

/** The board of a matter or bundle, from the catalog (matters and bundles name their board). */
export function catalogBoards(catalog: { matters: ReadonlyArray<{ code: string; board: string }>; bundles: ReadonlyArray<{ id: string; board: string }> }): (s: CaseSubject) => string {
  const matters = new Map(catalog.matters.map((m) => [m.code, m.board]));
  const bundles = new Map(catalog.bundles.map((b) => [b.id, b.board]));
  return (s) => (s.kind === 'matter' ? matters.get(s.code) : bundles.get(s.code)) ?? '';
}

/** The facts of one case, from its whole log in log order. */
export function caseFacts(events: readonly CaseEvent[], ctx: CaseFactContext): CaseFact[] {
  const facts: CaseFact[] = [];
  let state: CaseState | undefined;
  let openEscalation: CaseFact | undefined;
  for (const e of events) {
    const r = applyCaseEvent(state, e);
    if (!r.ok) break; // a hall's log never holds a refused action; fold no further than the reducer would
    if (r.duplicate) continue;
    state = r.state;
    const s = state;
    const fact = (figure: CaseCounter): CaseFact => {
      const f: CaseFact = {
        figure,
        caseId: s.caseId,
        eventId: e.eventId,
        office: s.office,
        day: businessDate(e.at, ctx.timeZone),
        board: ctx.boardOf(s.subject),
        windowNo: parseWindowId(e.actor.windowId).no,
        staffId: e.actor.staffId,
        caseNo: null,
        title: s.title,
        ticketNumber: s.ticketNumber ?? null,
        promisedDate: null,
        decided: false,
      };
      facts.push(f);
      return f;
    };
    switch (e.action.type) {
      case 'accepted':
        fact('accepted').promisedDate = s.promisedDate ?? null;
        if (s.onBehalfOf) fact('crossRegion');
        break;
      case 'notice_issued':
        fact('oneTimeNotices');
        break;
      case 'not_accepted':
        fact('notAccepted');
        break;
      case 'forwarded':
        fact('forwarded');
        break;
      case 'escalated':
        openEscalation = fact('escalationsOpen');
        break;
      case 'escalation_resolved':
        if (openEscalation) openEscalation.figure = 'escalationsResolved';
        openEscalation = undefined;
        break;
      case 'approved':
      case 'refused': {
        if (e.action.type === 'approved' && s.automated) fact('instantApprovals');
        const decision = fact('decidedLate');
        if (s.promisedDate === undefined || decision.day <= s.promisedDate) decision.figure = 'decidedOnTime';
        break;
      }
      default:
        break;
    }
  }
  if (state) {
    const decided = state.decidedAt !== undefined;
    for (const f of facts) {
      f.caseNo = state.caseNo ?? null;
      if (f.figure === 'accepted') f.decided = decided;
    }
  }
  return facts;
}

/** Accepted, undecided and past its promised date on `today`: the overdue figure. */
export function isOverdue(f: Pick<CaseFact, 'figure' | 'decided' | 'promisedDate'>, today: string): boolean {
  return f.figure === 'accepted' && !f.decided && f.promisedDate !== null && f.promisedDate < today;
}
