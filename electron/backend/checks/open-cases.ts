import type { CaseState } from '../../../shared/case/types.js';
import { applicantKeys, type OpenCase } from '../../../shared/checks/index.js';
import { businessDate } from '../../../shared/queue/numbering.js';
import type { Db } from '../store/database.js';

/**
 * The office's open cases for the duplicate check (重复申请), from the window's case table: its own
 * cases and those pulled from the hall (the replica), so a case accepted at another window counts.
 * Open means accepted and not finished (受理, 已批准, 已制证 — not yet delivered, refused or closed);
 * drafts are not applications yet and do not count.
 *
 * Each case's state is parsed once per change (`updated_at`), so rerunning the checks on every edit
 * reads only the ids and times of the open cases.
 */
const OPEN_STATUSES = ['ACCEPTED', 'APPROVED', 'CERTIFIED'] as const;

interface Cached {
  updatedAt: number;
  open: OpenCase;
}

export class OpenCaseIndex {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly db: Db,
    private readonly timeZone: () => string,
  ) {}

  /** Open cases of `office` other than `exceptCaseId`. */
  list(office: string, exceptCaseId?: string): OpenCase[] {
    const rows = this.db
      .prepare(`SELECT case_id, updated_at FROM case_local WHERE office = ? AND status IN (${OPEN_STATUSES.map(() => '?').join(', ')})`)
      .all(office, ...OPEN_STATUSES) as Array<{ case_id: string; updated_at: number }>;
    const stateOf = this.db.prepare('SELECT state_json, case_no FROM case_local WHERE case_id = ?');
    const out: OpenCase[] = [];
    const seen = new Set<string>();
    for (const r of rows) {
      seen.add(r.case_id);
      if (r.case_id === exceptCaseId) continue;
      let c = this.cache.get(r.case_id);
      if (!c || c.updatedAt !== r.updated_at) {
        const row = stateOf.get(r.case_id) as { state_json: string; case_no: string | null } | undefined;
        if (!row) continue;
        c = { updatedAt: r.updated_at, open: openCaseOf(JSON.parse(row.state_json) as CaseState, row.case_no, this.timeZone()) };
        this.cache.set(r.case_id, c);
      }
      out.push(c.open);
    }
    for (const id of this.cache.keys()) if (!seen.has(id)) this.cache.delete(id);
    return out;
  }
}

/** A case as the duplicate check sees it: its number, accepted matters, applicant keys and the day it was accepted. */
export function openCaseOf(state: CaseState, caseNo: string | null, timeZone: string): OpenCase {
  const no = caseNo ?? state.caseNo ?? state.provisionalNo;
  const acceptedOn = businessDate(state.acceptedAt ?? state.openedAt, timeZone);
  return {
    caseId: state.caseId,
    ...(no ? { caseNo: no.slice(0, 40) } : {}),
    matters: state.acceptedMatters.slice(0, 30),
    applicantKeys: applicantKeys(state.form).slice(0, 20),
    openedOn: acceptedOn,
  };
}
