import type { CapturedPageView, CaptureSuggestion } from '../../../shared/case/capture-contract.js';
import type { CaseDocumentReading, DocumentFieldReading } from '../../../shared/case/types.js';
import type { CaseView } from '../../../shared/case/view.js';
import { suggestAutofill, type ExtractedValue, type FormState } from './autofill.js';
import { toFormValues } from './form-mapping.js';
import { DOC_TYPE_NAMES, type CapturedPage, type DocType, type ExtractedField, type Rect } from './types.js';

/**
 * Between capture's pages and the case: a page as the contract shows it, its reading as the case
 * records it (document_read), the form as autofill sees it, and the suggestions as the clerk sees
 * them — only for the fields this case's form has.
 */

/** Below this, a value is marked for checking and "accept all" leaves it (autofill's default). */
export const CONFIDENT = 0.8;
/** document_read keeps at most this much of a value (the case schema's limit). */
const READING_MAX = 500;

export const regionTuple = (r: Rect): [number, number, number, number] => [Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)];
const regionRect = (r: readonly number[] | undefined): Rect => ({ x: r?.[0] ?? 0, y: r?.[1] ?? 0, width: r?.[2] ?? 0, height: r?.[3] ?? 0 });

export function pageView(page: CapturedPage & { index: number }): CapturedPageView {
  return {
    sha256: page.stored.sha256,
    index: page.index,
    docType: page.docType,
    docTypeName: page.docType ? DOC_TYPE_NAMES[page.docType] : null,
    width: page.stored.width,
    height: page.stored.height,
    fields: page.fields.map((f) => ({
      field: f.name,
      label: f.label,
      value: f.value,
      confidence: f.confidence,
      valid: f.valid,
      ...(f.problem ? { problem: f.problem } : {}),
      region: regionTuple(f.region),
    })),
  };
}

/** The page's fields as the case records them (document_read), or null when nothing was read. */
export function pageReading(page: CapturedPage): { docType: DocType; fields: Record<string, DocumentFieldReading> } | null {
  if (!page.docType) return null;
  const fields: Record<string, DocumentFieldReading> = {};
  for (const f of page.fields) {
    if (f.value.trim() === '') continue;
    fields[f.name] = { value: f.value.slice(0, READING_MAX), confidence: f.confidence, region: regionTuple(f.region) };
  }
  return Object.keys(fields).length > 0 ? { docType: page.docType, fields } : null;
}

/** The form's values read from one recorded page reading (what `case.acceptSuggestions` checks against). */
export function readingValues(reading: CaseDocumentReading, materialId: string): ExtractedValue[] {
  if (!(reading.docType in DOC_TYPE_NAMES)) return [];
  const fields: ExtractedField[] = Object.entries(reading.fields).map(([name, r]) => ({
    name,
    label: name,
    value: r.value,
    raw: r.value,
    confidence: r.confidence,
    valid: true,
    region: regionRect(r.region),
  }));
  return toFormValues({ docType: reading.docType as DocType, fields, engine: 'recorded', stored: { sha256: reading.sha256 } as CapturedPage['stored'] }, { materialId });
}

/** The case's form as autofill sees it: who put each value there (clerk, or capture with its provenance). */
export function formState(view: CaseView): FormState {
  const form: Record<string, FormState[string]> = {};
  for (const f of view.fields) {
    if (f.value.trim() === '') continue;
    const s = f.source;
    form[f.key] =
      s?.kind === 'extracted'
        ? {
            value: f.value,
            source: 'capture',
            provenance: { pageSha256: s.sha256, region: regionRect(s.region), engine: '', confidence: s.confidence, docType: s.docType, field: s.field },
          }
        : { value: f.value, source: 'clerk' };
  }
  return form;
}

/** The suggestions of these pages for the case's form, in the form's order (keys the form does not have are left out). */
export function suggestionsFor(view: CaseView, materialId: string, pages: readonly CapturedPage[]): CaptureSuggestion[] {
  const labels = new Map(view.fields.map((f) => [f.key, f.label]));
  const order = new Map(view.fields.map((f, i) => [f.key, i]));
  const extracted = pages.flatMap((p) => toFormValues(p, { materialId })).filter((e) => labels.has(e.key));
  const suggested = suggestAutofill(extracted, formState(view), { minConfidence: CONFIDENT }).sort((a, b) => order.get(a.key)! - order.get(b.key)!);
  return suggested.map((s) => ({
    key: s.key,
    label: labels.get(s.key)!,
    value: s.value,
    kind: s.kind === 'fill' ? 'new' : s.kind,
    current: s.current ?? '',
    confidence: s.confidence,
    low: s.confidence < CONFIDENT || !s.valid,
    valid: s.valid,
    ...(s.problem ? { problem: s.problem } : {}),
    acceptAll: s.acceptAll,
    sha256: s.provenance.pageSha256,
    docType: s.provenance.docType,
    field: s.provenance.field,
    region: regionTuple(s.provenance.region),
  }));
}
