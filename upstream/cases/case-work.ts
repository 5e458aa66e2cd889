import type { CaseState } from '../../shared/case/types.js';
import type { CaseTables } from './case-store.js';

/** Where CaseService reads a case's state and writes its projection row ("case"). */
export interface CaseRows {
  get(caseId: string): CaseState | undefined;
  put(seq: number, state: CaseState, openedDate: string): void;
  numberOf(caseId: string): { office: string; caseNo: string | null } | undefined;
}

/** The store itself: every put writes the row at once (CaseService's default, outside a push). */
export function directRows(tables: CaseTables): CaseRows {
  return {
    get: (caseId) => tables.get(caseId)?.state,
    put: (seq, state, openedDate) => tables.putCase(seq, state, openedDate),
    numberOf: (caseId) => tables.numberOf(caseId),
  };
}

interface Row {
  state: CaseState;
  seq: number;
  openedDate: string;
  /** The case's state at its first put of this push: what a new row takes as office, clerk, window, ticket. */
  first: CaseState;
}

/**
 * The case rows one push touches, kept in memory and written once per case at the end (`flush`),
 * inside the same transaction as the client's progress (sync/push.ts runs a push's case actions in
 * one savepoint). Ten actions on one case then parse and write its row — the whole state as JSON —
 * once instead of ten times; the case log (case_event), the number counters, the failures and the
 * progress are still written action by action, so what commits is exactly what writing each row at
 * once would have committed.
 *
 * While a push runs, every read of a case row must come through here (`get`, `numberOf`). One
 * action's puts are staged and become part of the push only once its savepoint was released
 * (`keep`); an action rolled back takes its puts with it (`drop`).
 */
export class CaseWork implements CaseRows {
  private readonly rows = new Map<string, Row>();
  private readonly staged = new Map<string, Row>();

  constructor(private readonly tables: CaseTables) {}

  get(caseId: string): CaseState | undefined {
    const r = this.staged.get(caseId) ?? this.rows.get(caseId);
    return r ? r.state : this.tables.get(caseId)?.state;
  }

  put(seq: number, state: CaseState, openedDate: string): void {
    const prior = this.staged.get(state.caseId) ?? this.rows.get(state.caseId);
    this.staged.set(state.caseId, { state, seq, openedDate, first: prior?.first ?? state });
  }

  numberOf(caseId: string): { office: string; caseNo: string | null } | undefined {
    const r = this.staged.get(caseId) ?? this.rows.get(caseId);
    return r ? { office: r.first.office, caseNo: r.state.caseNo ?? null } : this.tables.numberOf(caseId);
  }

  /** The current action's savepoint was released: its puts belong to the push. */
  keep(): void {
    for (const [caseId, r] of this.staged) this.rows.set(caseId, r);
    this.staged.clear();
  }

  /** The current action was rolled back: forget its puts. */
  drop(): void {
    this.staged.clear();
  }

  /** Writes each touched case's row once (call inside the push's transaction, after its last action). */
  flush(): void {
    this.drop();
    for (const r of this.rows.values()) this.tables.putCase(r.seq, r.state, r.openedDate, r.first);
    this.rows.clear();
  }
}
