import type Database from 'better-sqlite3';
import { caseCubeOf, summariseCases } from '../../shared/dashboard/case-cube.js';
import { caseFacts, type CaseCounter, type CaseFactContext } from '../../shared/dashboard/case-facts.js';
import type { CaseDrillQuery, CaseDrillResult, CaseFigure, CaseKpiSource, CaseQuery, CaseSection } from '../../shared/dashboard/case-source.js';
import { bucketStart } from '../../shared/dashboard/period.js';
import { openCaseFactStore, type CaseFactRow } from './case-store.js';
import { openDirtyDays } from './dirty-days.js';
import { ensureDashboardMigrations } from './ensure-migration.js';

/**
 * The case figures on the hall server, from its case log (case_event). Kept like the ticket days:
 * each query first reads the case log past its cursor and rebuilds the facts of every case whose log
 * grew (case-facts.ts, through the case reducer), marking the days those facts are (and were) on as
 * stale; then it rebuilds the stale days of its range (dash_case_day) and sums them. So a figure
 * read live is exactly what a re-derivation from the raw log gives (figures-from-log.test.ts).
 */
export interface CaseKpiDeps extends CaseFactContext {
  /** The hall's connection. */
  db: Database.Database;
  transaction<T>(fn: () => T): T;
  now(): number;
}

/** The counters each figure is made of; 'overdue' is asked of the undecided accepted cases. */
const COUNTERS_OF: Record<CaseFigure, readonly CaseCounter[] | 'overdue'> = {
  accepted: ['accepted'],
  oneTimeNotices: ['oneTimeNotices'],
  notAccepted: ['notAccepted'],
  instantApprovals: ['instantApprovals'],
  crossRegion: ['crossRegion'],
  forwarded: ['forwarded'],
  escalations: ['escalationsOpen', 'escalationsResolved'],
  escalationsOpen: ['escalationsOpen'],
  decided: ['decidedOnTime', 'decidedLate'],
  decidedOnTime: ['decidedOnTime'],
  overdue: 'overdue',
};

export class HallCaseKpis implements CaseKpiSource {
  private readonly store;
  private readonly dirty;

  constructor(private readonly d: CaseKpiDeps) {
    ensureDashboardMigrations(d.db, d.now());
    this.store = openCaseFactStore(d.db);
    this.dirty = openDirtyDays(d.db);
  }

  /** Rebuilds the facts of the cases whose log grew since the last read; marks their days stale. */
  catchUp(): void {
    this.d.transaction(() => {
      const after = this.dirty.cursor('case');
      const { caseIds, last } = this.store.casesAfter(after);
      const stale = new Map<string, { office: string; day: string }>();
      const touch = (x: { office: string; day: string }) => stale.set(`${x.office}|${x.day}`, x);
      for (const caseId of caseIds) {
        this.store.factDays(caseId).forEach(touch);
        const facts = caseFacts(this.store.events(caseId), this.d);
        this.store.replaceFacts(caseId, facts);
        facts.forEach(touch);
      }
      for (const x of stale.values()) this.dirty.markDirty('case', x.office, x.day);
      if (last > after) this.dirty.setCursor('case', last);
    });
  }

  /** Rebuilds the stale days of `offices` between `from` and `to` from their facts. */
  private ensureBuilt(offices: ReadonlySet<string>, from: string, to: string): void {
    const stale = this.dirty.dirtyIn('case', from, to).filter((x) => offices.has(x.office));
    if (stale.length === 0) return;
    const now = this.d.now();
    this.d.transaction(() => {
      for (const x of stale) {
        this.store.putDay(caseCubeOf(x.office, x.day, this.store.factsOfDay(x.office, x.day)), now);
        this.dirty.clearDirty('case', x.office, x.day);
      }
    });
  }

  figures(q: CaseQuery): CaseSection {
    const offices = new Set(q.offices);
    this.catchUp();
    this.ensureBuilt(offices, q.from, q.to);
    return summariseCases({
      cubes: this.store.days(offices, q.from, q.to),
      overdue: this.store.overdue(offices, q.today, q.from, q.to),
      bucket: q.bucket,
      labels: q.labels,
      offices: q.offices,
    });
  }

  cases(q: CaseDrillQuery): CaseDrillResult {
    const offices = new Set(q.offices);
    this.catchUp();
    const hits = this.store
      .rows(COUNTERS_OF[q.figure], q.today, q.from, q.to)
      .filter((r) => offices.has(r.office) && inGroup(r, q))
      .sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : 0) || byNumber(a, b));
    const shown = hits.slice(0, q.limit);
    const { labels } = q;
    return {
      total: hits.length,
      truncated: hits.length > shown.length,
      cases: shown.map((r) => ({
        caseId: r.caseId,
        caseNo: r.caseNo,
        title: r.title,
        day: r.day,
        office: r.office,
        board: r.board ? labels.boardName(r.board) : '',
        window: r.windowNo > 0 ? labels.windowName(r.office, r.windowNo) : '',
        staff: r.staffId ? labels.staffName(r.staffId) : '',
        ticketNumber: r.ticketNumber,
      })),
    };
  }
}

function byNumber(a: CaseFactRow, b: CaseFactRow): number {
  const x = a.caseNo ?? a.caseId;
  const y = b.caseNo ?? b.caseId;
  return x < y ? -1 : x > y ? 1 : 0;
}

function inGroup(r: CaseFactRow, q: CaseDrillQuery): boolean {
  switch (q.dim) {
    case 'board':
      return r.board === q.key;
    case 'window':
      return r.windowNo > 0 && `${r.office}/${r.windowNo}` === q.key;
    case 'staff':
      return r.staffId !== '' && r.staffId === q.key;
    case 'office':
      return r.office === q.key;
    case 'bucket':
      return bucketStart(r.day, q.bucket) === q.key;
    default:
      return true;
  }
}
