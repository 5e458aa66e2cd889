import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CaseView } from '../../../shared/case/view.js';
import { acceptOverrides, keepCurrentReasons } from './findings-format.js';

/**
 * The warnings the clerk lets through at 受理, each with its written reason, for the case on the
 * screen: kept while the case is open, dropped for warnings the form or materials no longer raise,
 * and sent with `case.accept` (the backend checks them again and records them in the case log).
 */
export interface FindingOverrides {
  /** Confirmed reasons by rule id. */
  confirmed: Readonly<Record<string, string>>;
  confirm: (ruleId: string, reason: string) => void;
  withdraw: (ruleId: string) => void;
  /** What 受理 sends. */
  overrides: Array<{ ruleId: string; reason: string }>;
  /** Warnings (rule ids) neither fixed nor given a reason: 受理 waits for them. */
  open: string[];
}

export function useFindingOverrides(view: CaseView): FindingOverrides {
  const caseId = view.summary.caseId;
  const [state, setState] = useState<{ caseId: string; confirmed: Record<string, string> }>({ caseId, confirmed: {} });
  const confirmed = state.caseId === caseId ? state.confirmed : {};
  const current = useMemo(() => keepCurrentReasons(view.findings, confirmed), [view.findings, confirmed]);
  // A warning that went away (fixed) takes its reason with it.
  useEffect(() => {
    if (current !== confirmed) setState({ caseId, confirmed: current });
  }, [current, confirmed, caseId]);
  const confirm = useCallback(
    (ruleId: string, reason: string) =>
      setState((s) => ({ caseId, confirmed: { ...(s.caseId === caseId ? s.confirmed : {}), [ruleId]: reason.trim() } })),
    [caseId],
  );
  const withdraw = useCallback(
    (ruleId: string) =>
      setState((s) => {
        const next = { ...(s.caseId === caseId ? s.confirmed : {}) };
        delete next[ruleId];
        return { caseId, confirmed: next };
      }),
    [caseId],
  );
  const { overrides, open } = useMemo(() => acceptOverrides(view.findings, current), [view.findings, current]);
  return { confirmed: current, confirm, withdraw, overrides, open };
}
