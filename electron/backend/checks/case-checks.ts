import type { CaseState } from '../../../shared/case/types.js';
import type { SituationView } from '../../../shared/case/view.js';
import type { Resolution } from '../../../shared/catalog/bundle.js';
import type { Bundle } from '../../../shared/catalog/schema.js';
import type { CatalogIndex } from '../../../shared/catalog/validate.js';
import { prepareChecks } from '../../../shared/checks/index.js';
import { AppError } from '../../../shared/errors.js';
import { assessCase, type Assessment } from '../cases/case-assessment.js';
import { resolveCase } from '../cases/case-resolution.js';
import type { CatalogProvider } from '../catalog/window-catalog.js';
import type { Db } from '../store/database.js';
import { OpenCaseIndex } from './open-cases.js';
import { registryKeysOf, WindowRegistry, type RegistrySource } from './registry-cache.js';

/**
 * The comparison checks as the window's case service runs them: on every change of a case (form,
 * materials, pages) and on every view, so they must cost little.
 *  - the resolution of a case (its matters, materials, form) is memoised per catalog and answers, so
 *    the rules derived from it are too (shared/checks memoises rules per resolution object);
 *  - the traditional→simplified converter is built once at start (prepareChecks);
 *  - open cases are parsed once per change (OpenCaseIndex), registry answers come from the window's
 *    cache (WindowRegistry), refreshed from the hall before a write's view and before 受理.
 */
const MEMO_MAX = 256;
/** How long an edit's view may wait for a registry answer it has never had. */
const EDIT_REGISTRY_WAIT_MS = 800;

export interface CaseChecksDeps {
  db: Db;
  now: () => number;
  catalogs: CatalogProvider;
  /** The hall's registry route; null or absent: answers from the cache only, always stale. */
  registry?: RegistrySource | null | undefined;
}

export class CaseChecks {
  readonly registry: WindowRegistry;
  private readonly openCases: OpenCaseIndex;
  private memo: { index: CatalogIndex; byKey: Map<string, Resolution> } | null = null;

  constructor(private readonly d: CaseChecksDeps) {
    prepareChecks();
    this.registry = new WindowRegistry(d.db, d.now, d.registry ?? null);
    this.openCases = new OpenCaseIndex(d.db, () => d.catalogs.timeZone());
  }

  /** The case's matters, materials and form for its answers (throws AppError as resolveCase does). */
  resolution(state: Pick<CaseState, 'subject' | 'answers'>): Resolution {
    const { index } = this.d.catalogs.catalog();
    if (this.memo?.index !== index) this.memo = { index, byKey: new Map() };
    const key = JSON.stringify([state.subject.kind, state.subject.code, state.answers]);
    let r = this.memo.byKey.get(key);
    if (!r) {
      r = resolveCase(state.subject, state.answers, index);
      if (this.memo.byKey.size >= MEMO_MAX) this.memo.byKey.clear();
      this.memo.byKey.set(key, r);
    }
    return r;
  }

  bundle(state: Pick<CaseState, 'subject'>): Bundle | null {
    return state.subject.kind === 'bundle' ? (this.d.catalogs.catalog().index.bundles.get(state.subject.code) ?? null) : null;
  }

  /** The one assessment of a case (case-assessment.ts) with the office's open cases and the cached registry answers. */
  assess(state: CaseState, resolution: Resolution, situations: readonly SituationView[], today: string): Assessment {
    return assessCase({
      state,
      resolution,
      bundle: this.bundle(state),
      situations,
      today,
      openCases: this.openCases.list(state.office, state.caseId),
      registry: this.registry.answers(registryKeysOf(state.form)),
    });
  }

  /** The resolution and assessment for a view; when the catalog cannot resolve the case, why (in Chinese). */
  evaluate(state: CaseState, situations: readonly SituationView[], today: string): { resolution: Resolution | { error: string }; assessment: Assessment | null } {
    try {
      const resolution = this.resolution(state);
      return { resolution, assessment: this.assess(state, resolution, situations, today) };
    } catch (err) {
      if (!(err instanceof AppError) || err.code === 'internal') throw err;
      return { resolution: { error: err.message }, assessment: null };
    }
  }

  /**
   * Refreshes the registry answers the case needs. `decision` (受理): waits up to `timeoutMs` for any
   * answer that is missing or old. An edit waits (briefly) only for an answer it has never had; an old
   * one is refreshed in the background and shows as stale meanwhile.
   */
  async refreshRegistry(state: CaseState, decision: boolean, timeoutMs = 1500): Promise<void> {
    const keys = registryKeysOf(state.form);
    if (!this.registry.needsRefresh(keys)) return;
    const p = this.registry.refresh(keys, decision ? timeoutMs : EDIT_REGISTRY_WAIT_MS).catch(() => undefined);
    if (decision || !this.registry.asked(keys)) await p;
  }
}
