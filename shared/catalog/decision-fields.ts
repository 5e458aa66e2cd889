import { PRODUCED_FIELDS } from './bundle.js';
import type { Matter, ResolvedField } from './validate.js';

/**
 * The decision fields (`stage: "decision"`) of a case's matters: values assigned when the matter is
 * decided, entered with the approval. Each key once; required if any matter requires it.
 */
export function caseDecisionFields(matters: readonly Matter[]): ResolvedField[] {
  const out = new Map<string, ResolvedField>();
  for (const m of matters) {
    for (const f of m.decisionFields ?? []) {
      const cur = out.get(f.key);
      if (cur) cur.required ||= f.required;
      else out.set(f.key, { ...f });
    }
  }
  return [...out.values()];
}

/**
 * A value one matter of a bundle learns only at its decision cannot be required at 受理 by another:
 * allowed only when the deciding matter issues the document that produces it (PRODUCED_FIELDS: the
 * bundle then does not ask it at intake). One line (English, for the catalog's author) per conflict.
 */
export function decisionConflicts(matters: readonly Matter[]): string[] {
  const problems: string[] = [];
  for (const m of matters) {
    const produces = new Set(m.results.flatMap((r) => PRODUCED_FIELDS[r.template] ?? []));
    for (const d of m.decisionFields ?? []) {
      if (produces.has(d.key)) continue;
      for (const other of matters) {
        if (other.code !== m.code && other.fields.some((f) => f.key === d.key && f.required)) {
          problems.push(`field "${d.key}" is set at the decision of ${m.code} (stage: decision) but ${other.code} requires it at intake; a decision field may not be required at intake`);
        }
      }
    }
  }
  return problems;
}
