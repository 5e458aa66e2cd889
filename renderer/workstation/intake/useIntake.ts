import { useCallback, useEffect, useRef, useState } from 'react';
import type { InvokeResult, MethodInput, MethodName, MethodOutput, PanelState } from '../../../shared/contract.js';
import type { CaseSummary, CaseView } from '../../../shared/case/view.js';
import { useInterval } from '../../common/hooks.js';
import type { Run } from '../App.js';
import { withSummary } from './intake-format.js';

/** The contract methods that answer with a case's full view (or carry it in `view`, as case.capture does). */
export type CaseMethod = { [M in MethodName]: MethodOutput<M> extends CaseView | { view: CaseView } ? M : never }[MethodName];
export type CaseAct = <M extends CaseMethod>(method: M, input: MethodInput<M>) => Promise<InvokeResult<MethodOutput<M>>>;

const OPEN_KEY = 'onewindow.intake.openCase';

function remember(caseId: string | null) {
  try {
    if (caseId) localStorage.setItem(OPEN_KEY, caseId);
    else localStorage.removeItem(OPEN_KEY);
  } catch {
    /* storage unavailable: the draft is still in today's list */
  }
}
function remembered(): string | null {
  try {
    return localStorage.getItem(OPEN_KEY);
  } catch {
    return null;
  }
}

export interface Intake {
  /** The case on the clerk's screen, or null (matter search). */
  view: CaseView | null;
  /** Today's cases of this window, newest first. */
  today: CaseSummary[];
  /** Runs a case method, one at a time (a later answer never overwrites a newer one), and shows its result. */
  act: CaseAct;
  open: (caseId: string) => Promise<void>;
  close: () => void;
  refreshToday: () => Promise<void>;
}

/**
 * The intake state of the window: the open case, today's cases, and the rules that keep them
 * current — one case call at a time, today's list re-read whenever the sync status moves (official
 * numbers arrive, pending actions drain), the open case reopened after a restart, and the draft of
 * the ticket now served opened by itself.
 */
export function useIntake(run: Run, state: PanelState): Intake {
  const [view, setView] = useState<CaseView | null>(null);
  const [today, setToday] = useState<CaseSummary[]>([]);
  const viewRef = useRef<CaseView | null>(null);
  viewRef.current = view;
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const stateRef = useRef(state);
  stateRef.current = state;

  const serial = useCallback(<T,>(fn: () => Promise<T>): Promise<T> => {
    const p = chain.current.then(fn, fn);
    chain.current = p.catch(() => undefined);
    return p;
  }, []);

  const show = useCallback((v: CaseView | null) => {
    viewRef.current = v;
    setView(v);
    remember(v?.summary.caseId ?? null);
  }, []);

  const refreshToday = useCallback(async () => {
    const r = await run('case.today', { scope: 'window' });
    if (!r.ok) return;
    const cases = [...r.value.cases].sort((a, b) => b.openedAt - a.openedAt);
    setToday(cases);
    const open = viewRef.current;
    const line = open && cases.find((c) => c.caseId === open.summary.caseId);
    if (open && line) {
      const next = withSummary(open, line);
      if (next !== open) {
        viewRef.current = next;
        setView(next);
      }
    }
  }, [run]);

  const act: CaseAct = useCallback(
    (method, input) =>
      serial(async () => {
        const r = await run(method, input);
        if (r.ok) {
          const v = ('view' in r.value ? r.value.view : r.value) as CaseView; // case.capture carries the view
          const opening = method === 'case.open' || method === 'case.get';
          if (opening || viewRef.current?.summary.caseId === v.summary.caseId) show(v);
          void refreshToday();
        }
        return r;
      }),
    [run, serial, show, refreshToday],
  );

  const open = useCallback(
    async (caseId: string) => {
      if (viewRef.current?.summary.caseId === caseId) return;
      await act('case.get', { caseId });
    },
    [act],
  );
  const close = useCallback(() => show(null), [show]);

  // On start: today's list, then the case that was open before a restart (if it is still today's).
  useEffect(() => {
    void (async () => {
      const r = await run('case.today', { scope: 'window' });
      if (!r.ok) return;
      setToday([...r.value.cases].sort((a, b) => b.openedAt - a.openedAt));
      if (viewRef.current) return;
      // After a restart: the case that was open, else the draft of the ticket still being served.
      const id = remembered();
      const serving = stateRef.current.panel?.current;
      const draft =
        serving?.status === 'SERVING' ? r.value.cases.find((c) => c.ticketNumber === serving.number && c.status === 'DRAFT') : undefined;
      if (id && r.value.cases.some((c) => c.caseId === id)) await act('case.get', { caseId: id });
      else if (draft) await act('case.get', { caseId: draft.caseId });
    })();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Sync progress (uploads acknowledged, official numbers pulled): re-read today's list.
  const s = state.sync;
  const syncKey = `${s.pending}|${s.lastSuccessAt ?? ''}|${s.lastPullAt ?? ''}|${s.pullCursor ?? ''}|${state.connection.online}`;
  useEffect(() => {
    const id = setTimeout(() => void refreshToday(), 250);
    return () => clearTimeout(id);
  }, [syncKey, refreshToday]);
  useInterval(() => void refreshToday(), 20_000);

  // A newly served ticket: open its draft if one exists, else leave the previous applicant's case.
  const current = state.panel?.current ?? null;
  const servingId = current?.status === 'SERVING' ? current.ticketId : null;
  const lastServing = useRef<string | null>(servingId);
  useEffect(() => {
    if (servingId === lastServing.current) return;
    lastServing.current = servingId;
    if (!servingId || !current) return;
    const open = viewRef.current;
    if (open && open.summary.ticketNumber === current.number) return;
    const draft = today.find((c) => c.ticketNumber === current.number && c.status === 'DRAFT');
    if (draft) void act('case.get', { caseId: draft.caseId });
    else if (open) show(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [servingId]);

  return { view, today, act, open, close, refreshToday };
}
