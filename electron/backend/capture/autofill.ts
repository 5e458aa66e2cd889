/**
 * Auto-fill suggestions (智能填报), pure: what the documents say, set against what the form holds.
 * A value the clerk typed is never replaced unless the clerk confirms that one key; "accept all"
 * takes only confident, valid values for empty fields or fields filled by capture earlier. Every
 * value applied keeps its provenance (page, region, engine, confidence) for the case file.
 * No I/O here; the renderer or the case code may import this file directly.
 */

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Provenance {
  /** sha256 of the stored page image the value was read from. */
  pageSha256: string;
  /** Where on that page, in its pixels. */
  region: Region;
  engine: string;
  confidence: number;
  docType: string;
  /** Field name within the document type (idNumber, uscc …). */
  field: string;
  materialId?: string;
}

export interface ExtractedValue {
  /** Semantic form key (applicant.idNumber …). */
  key: string;
  value: string;
  confidence: number;
  valid: boolean;
  problem?: string;
  provenance: Provenance;
}

export type ValueSource = 'clerk' | 'capture' | 'system';

export interface FormEntry {
  value: string;
  source: ValueSource;
  provenance?: Provenance;
}

export type FormState = Readonly<Record<string, FormEntry | undefined>>;

/**
 * fill: the field is empty. same: it already holds this value. replace: it holds a different value
 * that capture put there. conflict: it holds a different value the clerk typed or the system set.
 */
export type SuggestionKind = 'fill' | 'same' | 'replace' | 'conflict';

export interface Suggestion {
  key: string;
  value: string;
  kind: SuggestionKind;
  /** The form's value when the suggestion was made (absent for fill). */
  current?: string;
  currentSource?: ValueSource;
  confidence: number;
  valid: boolean;
  problem?: string;
  provenance: Provenance;
  /** Other documents' readings of the same key that differ. */
  alternatives: ExtractedValue[];
  /** Taken by "accept all" (else the clerk accepts it on its own). */
  acceptAll: boolean;
}

export interface AutofillOptions {
  /** Below this confidence a value is only suggested one by one (default 0.8). */
  minConfidence?: number;
}

/** Values compared as a clerk would: no spaces, half-width, upper-case. */
export function sameValue(a: string, b: string): boolean {
  const n = (s: string): string => s.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  return n(a) === n(b);
}

function best(values: ExtractedValue[]): ExtractedValue {
  return [...values].sort((a, b) => Number(b.valid) - Number(a.valid) || b.confidence - a.confidence)[0]!;
}

export function suggestAutofill(extracted: readonly ExtractedValue[], form: FormState, opts: AutofillOptions = {}): Suggestion[] {
  const min = opts.minConfidence ?? 0.8;
  const byKey = new Map<string, ExtractedValue[]>();
  for (const e of extracted) {
    if (e.value.trim() === '') continue;
    byKey.set(e.key, [...(byKey.get(e.key) ?? []), e]);
  }
  const out: Suggestion[] = [];
  for (const [key, values] of byKey) {
    const top = best(values);
    const alternatives = values.filter((v) => !sameValue(v.value, top.value));
    const current = form[key];
    const confident = top.valid && top.confidence >= min && alternatives.length === 0;
    let kind: SuggestionKind;
    let acceptAll: boolean;
    if (!current || current.value.trim() === '') {
      kind = 'fill';
      acceptAll = confident;
    } else if (sameValue(current.value, top.value)) {
      kind = 'same';
      acceptAll = true;
    } else if (current.source === 'capture') {
      kind = 'replace';
      acceptAll = confident && top.confidence >= (current.provenance?.confidence ?? 0);
    } else {
      kind = 'conflict';
      acceptAll = false;
    }
    out.push({
      key,
      value: top.value,
      kind,
      ...(current && current.value.trim() !== '' ? { current: current.value, currentSource: current.source } : {}),
      confidence: top.confidence,
      valid: top.valid,
      ...(top.problem ? { problem: top.problem } : {}),
      provenance: top.provenance,
      alternatives,
      acceptAll,
    });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

export interface AcceptResult {
  form: FormState;
  applied: string[];
  refused: Array<{ key: string; reason: string }>;
}

/**
 * Applies suggestions. `'all'` takes those marked acceptAll; a list of keys takes exactly those —
 * naming a conflict's key is the clerk's confirmation. A suggestion whose field changed since it
 * was made (the clerk typed meanwhile) is refused, never applied over the new value.
 */
export function acceptSuggestions(form: FormState, suggestions: readonly Suggestion[], selection: 'all' | readonly string[]): AcceptResult {
  const next: Record<string, FormEntry | undefined> = { ...form };
  const applied: string[] = [];
  const refused: Array<{ key: string; reason: string }> = [];
  for (const s of suggestions) {
    const chosen = selection === 'all' ? s.acceptAll : selection.includes(s.key);
    if (!chosen) continue;
    const now = form[s.key];
    const nowValue = now && now.value.trim() !== '' ? now.value : undefined;
    if (nowValue !== s.current) {
      refused.push({ key: s.key, reason: '该项在识别后已被修改，请重新比对' });
      continue;
    }
    if (s.kind === 'same') {
      next[s.key] = { ...now!, provenance: now!.provenance ?? s.provenance };
    } else {
      next[s.key] = { value: s.value, source: 'capture', provenance: s.provenance };
    }
    applied.push(s.key);
  }
  return { form: next, applied, refused };
}
