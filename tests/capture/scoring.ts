import type { CapturedPage } from '../../electron/backend/capture/types.js';

/**
 * Field accuracy as `bench:extract` defines it: a field is right when it equals the ground truth
 * after removing whitespace and folding full-width letters, digits and brackets to half-width.
 */

const BRACKETS: Record<string, string> = { '（': '(', '）': ')', '［': '[', '］': ']', '｛': '{', '｝': '}', '【': '[', '】': ']', '〔': '(', '〕': ')' };

export function fold(s: string): string {
  return [...s.replace(/\s+/g, '')]
    .map((ch) => {
      if (BRACKETS[ch]) return BRACKETS[ch];
      const c = ch.codePointAt(0)!;
      // full-width digits and Latin letters
      if ((c >= 0xff10 && c <= 0xff19) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a)) return String.fromCodePoint(c - 0xfee0);
      return ch;
    })
    .join('');
}

export interface Truth {
  type: string;
  fields: Record<string, string>;
}

export interface Score {
  type: string;
  typeRight: boolean;
  right: string[];
  wrong: Array<{ field: string; want: string; got: string | undefined }>;
}

export function scorePage(page: Pick<CapturedPage, 'docType' | 'fields'>, truth: Truth): Score {
  const got = new Map(page.fields.map((f) => [f.name, f.value]));
  const right: string[] = [];
  const wrong: Score['wrong'] = [];
  for (const [field, want] of Object.entries(truth.fields)) {
    const g = page.docType === truth.type ? got.get(field) : undefined;
    if (g !== undefined && fold(g) === fold(want)) right.push(field);
    else wrong.push({ field, want, got: g });
  }
  return { type: truth.type, typeRight: page.docType === truth.type, right, wrong };
}

/** Accuracy per type and per field, and overall. */
export function summarize(scores: Score[]): {
  documents: number;
  fields: number;
  fieldAccuracy: number;
  documentAccuracy: number;
  typeAccuracy: number;
  perField: Record<string, { right: number; total: number }>;
} {
  const perField: Record<string, { right: number; total: number }> = {};
  let right = 0;
  let total = 0;
  for (const s of scores) {
    for (const f of s.right) (perField[`${s.type}.${f}`] ??= { right: 0, total: 0 }).right++;
    for (const f of [...s.right, ...s.wrong.map((w) => w.field)]) (perField[`${s.type}.${f}`] ??= { right: 0, total: 0 }).total++;
    right += s.right.length;
    total += s.right.length + s.wrong.length;
  }
  return {
    documents: scores.length,
    fields: total,
    fieldAccuracy: total ? right / total : 0,
    documentAccuracy: scores.length ? scores.filter((s) => s.wrong.length === 0).length / scores.length : 0,
    typeAccuracy: scores.length ? scores.filter((s) => s.typeRight).length / scores.length : 0,
    perField,
  };
}
