import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaseView } from '../../../shared/case/view.js';
import { settleEdits } from './intake-format.js';
import type { CaseAct } from './useIntake.js';

const AUTOSAVE_MS = 600;

export interface FormDraft {
  /** Values typed and not yet acknowledged by the backend, by field key. */
  edits: Record<string, string>;
  set: (key: string, value: string) => void;
  /** Saves what is pending now; false if the save failed (the edits stay). */
  flush: () => Promise<boolean>;
  touch: (key: string) => void;
  touched: ReadonlySet<string>;
  saving: boolean;
  savedAt: number | null;
  failed: boolean;
}

/**
 * The one merged form's unsaved edits and their autosave: each change is sent (case.saveForm)
 * 0.6 s after the last keystroke, when a field is left, before any case action, and when the case
 * is closed — so what was typed survives a restart. An edit made while a save is in flight stays
 * pending and goes with the next save.
 */
export function useFormDraft(view: CaseView, act: CaseAct): FormDraft {
  const caseId = view.summary.caseId;
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [saving, setSaving] = useState(false);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);
  const editsRef = useRef(edits);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const actRef = useRef(act);
  actRef.current = act;

  // One save in flight at a time; what is typed meanwhile goes with the next one (coalesced).
  const inFlight = useRef<Promise<boolean> | null>(null);
  const flush = useCallback(async (): Promise<boolean> => {
    clearTimeout(timer.current);
    while (inFlight.current) await inFlight.current;
    const sent = editsRef.current;
    if (Object.keys(sent).length === 0) return true;
    const save = (async () => {
      setSaving(true);
      const r = await actRef.current('case.saveForm', { caseId, values: sent });
      setSaving(false);
      if (!r.ok) {
        setFailed(true);
        return false;
      }
      const rest = settleEdits(editsRef.current, sent);
      editsRef.current = rest;
      setEdits(rest);
      setSavedAt(Date.now());
      setFailed(false);
      return true;
    })();
    inFlight.current = save;
    try {
      return await save;
    } finally {
      inFlight.current = null;
    }
  }, [caseId]);

  const set = useCallback(
    (key: string, value: string) => {
      const next = { ...editsRef.current, [key]: value };
      editsRef.current = next;
      setEdits(next);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), AUTOSAVE_MS);
    },
    [flush],
  );

  const touch = useCallback((key: string) => {
    setTouched((t) => (t.has(key) ? t : new Set([...t, key])));
  }, []);

  // Another case (or none): save what is pending for this one, then start clean.
  useEffect(
    () => () => {
      clearTimeout(timer.current);
      const pending = editsRef.current;
      if (Object.keys(pending).length > 0) void actRef.current('case.saveForm', { caseId, values: pending });
      editsRef.current = {};
      setEdits({});
      setTouched(new Set());
      setSavedAt(null);
      setFailed(false);
    },
    [caseId],
  );

  return { edits, set, flush, touch, touched, saving, savedAt, failed };
}
