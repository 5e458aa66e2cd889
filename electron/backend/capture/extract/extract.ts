import { compactCode } from '../../../../shared/checks/normalize-chars.js';
import { scaleRect, type Rect } from '../image/raster.js';
import type { OcrLine } from '../ocr/engine.js';
import { DOC_TYPE_DEFS, DOC_TYPES, PARENT_SPECS, type DocType, type FieldDef } from './doc-types.js';
import { crossCheck } from './cross-check.js';
import { readForm, type RawValue } from './form-reader.js';
import { cutAtLabels, type LabelSpec, type Piece } from './segments.js';

/** Document type recognition and field extraction from recognised lines. */

export interface ExtractedField {
  /** Field name within the document type (idNumber, uscc, validUntil …). */
  name: string;
  /** Chinese label for the clerk. */
  label: string;
  /** Normalised value (ISO dates, half-width digits, upper-case X). */
  value: string;
  /** The text as read, before normalisation. */
  raw: string;
  /** 0–1: how sure recognition and validation together are. */
  confidence: number;
  valid: boolean;
  /** Why the value is doubtful, in Chinese. */
  problem?: string;
  /** Set when a checksum-proven repair changed the value: what was read. */
  repairedFrom?: string;
  /** A remark for the clerk (how a value was repaired or derived), in Chinese. */
  note?: string;
  /** Where it stands on the stored page, in its pixels. */
  region: Rect;
}

export interface Classification {
  type: DocType | null;
  /** Share of the winning type's keyword weight found (0–1). */
  confidence: number;
  scores: Record<DocType, number>;
}

export function classify(lines: OcrLine[]): Classification {
  const all = lines.map((l) => l.text.replace(/\s+/g, '')).join('\n');
  const scores = {} as Record<DocType, number>;
  let best: DocType | null = null;
  for (const t of DOC_TYPES) {
    const kw = DOC_TYPE_DEFS[t].keywords;
    const total = kw.reduce((s, [, w]) => s + w, 0);
    scores[t] = kw.reduce((s, [k, w]) => s + (all.includes(k) ? w : 0), 0) / total;
    if (best === null || scores[t] > scores[best]) best = t;
  }
  const confidence = best ? scores[best] : 0;
  return { type: confidence >= 0.35 ? best : null, confidence, scores };
}

const mean = (a: number[]): number => (a.length ? a.reduce((s, x) => s + x, 0) / a.length : 0);

function fromRaw(def: FieldDef, raw: RawValue, scale: number): ExtractedField {
  const n = def.norm(raw.text);
  const read = Math.min(mean(raw.probs), 0.6 + 0.4 * Math.min(...raw.probs, 1));
  let confidence = n.valid ? read : read * 0.5;
  // a check character that agrees is strong evidence on its own
  if (n.valid && def.checksum) confidence = Math.max(confidence, n.repairedFrom ? 0.9 : 0.99);
  return {
    name: def.name,
    label: def.label,
    value: n.value,
    raw: raw.text,
    confidence: Math.round(confidence * 1000) / 1000,
    valid: n.valid,
    ...(n.problem ? { problem: n.problem } : {}),
    ...(n.repairedFrom ? { repairedFrom: n.repairedFrom } : {}),
    region: roundRect(scaleRect(raw.region, scale)),
  };
}

const roundRect = (r: Rect): Rect => ({ x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height) });

/** Characters of `text` folded as compactCode folds them, with each one's index in `text`. */
function foldWithIndex(text: string, compact: boolean): { s: string; at: number[] } {
  let s = '';
  const at: number[] = [];
  [...text].forEach((ch, i) => {
    if (compact && /[\s\-_.·—]/.test(ch)) return;
    const f = compact ? compactCode(ch) : ch;
    for (const c of f) {
      s += c;
      at.push(i);
    }
  });
  return { s, at };
}

/** The best match of `def.pattern` among the text pieces: a valid one first, then the nearest to `near`. */
function byPattern(def: FieldDef, pieces: Piece[], near: Rect | undefined): RawValue | null {
  if (!def.pattern) return null;
  const found: Array<{ raw: RawValue; valid: boolean; d: number }> = [];
  for (const p of pieces) {
    if (p.kind !== 'text') continue;
    let fold = foldWithIndex(p.text, true);
    let m = def.pattern.exec(fold.s);
    if (!m) {
      fold = foldWithIndex(p.text, false);
      m = def.pattern.exec(fold.s);
    }
    if (!m) continue;
    const first = fold.at[m.index]!;
    const last = fold.at[m.index + m[0].length - 1]!;
    const x0 = p.xs[first]?.[0] ?? p.box.x;
    const x1 = p.xs[last]?.[1] ?? p.box.x + p.box.width;
    const region = { x: x0, y: p.box.y, width: Math.max(1, x1 - x0), height: p.box.height };
    const raw: RawValue = { field: def.name, label: def.label, text: m[0], probs: p.probs.slice(first, last + 1), region, labelBox: p.box };
    const d = near ? Math.hypot(p.box.x - near.x, p.box.y - near.y) : 0;
    found.push({ raw, valid: def.norm(m[0]).valid, d });
  }
  found.sort((a, b) => Number(b.valid) - Number(a.valid) || a.d - b.d);
  return found[0]?.raw ?? null;
}

function readFields(pieces: Piece[], specs: readonly LabelSpec[], defs: readonly FieldDef[], width: number, height: number, scale: number): ExtractedField[] {
  const raws = new Map(readForm(pieces, specs, width, height).map((r) => [r.field, r]));
  const out: ExtractedField[] = [];
  for (const def of defs) {
    const raw = raws.get(def.source);
    let field = raw ? fromRaw(def, raw, scale) : null;
    if (!field || !field.valid) {
      const alt = byPattern(def, pieces, raw?.labelBox);
      const altField = alt ? fromRaw(def, alt, scale) : null;
      if (altField && (!field || altField.valid)) field = altField;
    }
    if (field) out.push(field);
  }
  return out;
}

/**
 * The fields of a document of type `type` from its recognised lines (in recognition pixels);
 * regions are scaled by `scale` to the stored page's pixels.
 */
export function extractFields(lines: OcrLine[], type: DocType, size: { width: number; height: number }, scale = 1): ExtractedField[] {
  const def = DOC_TYPE_DEFS[type];
  if (type !== 'birth_certificate') return crossCheck(type, readFields(cutAtLabels(lines, def.specs), def.specs, def.fields, size.width, size.height, scale));
  const mother = PARENT_SPECS('mother');
  const father = PARENT_SPECS('father');
  const all = cutAtLabels(lines, [...def.specs, ...mother.specs, ...father.specs]);
  const m = all.find((p) => p.field === 'motherName');
  const f = all.find((p) => p.field === 'fatherName');
  const top = Math.min(m?.box.y ?? Infinity, f?.box.y ?? Infinity) - (m?.box.height ?? f?.box.height ?? 0) * 0.6;
  const split = f && (!m || f.box.x > m.box.x) ? f.box.x - f.box.height * 0.8 : Infinity;
  const inParents = (p: Piece): boolean => p.box.y >= top && p.field !== 'institution' && p.field !== 'issuer';
  // the parents' section ends at the next top-level label below it
  const below = all.filter((p) => p.kind === 'label' && p.box.y > top && def.specs.some((s) => s.field === p.field)).map((p) => p.box.y);
  const bottom = below.length ? Math.min(...below) - 2 : Infinity;
  const parents = all.filter((p) => inParents(p) && p.box.y < bottom);
  const rest = all.filter((p) => !parents.includes(p));
  const motherPieces = parents.filter((p) => p.box.x < split && (p.kind === 'text' || mother.specs.some((s) => s.field === p.field)));
  const fatherPieces = parents.filter((p) => p.box.x >= split).map((p) => (p.kind === 'label' ? { ...p, field: p.field!.replace(/^mother/, 'father') } : p));
  return [
    ...readFields(rest, def.specs, def.fields, size.width, size.height, scale),
    ...readFields(motherPieces, mother.specs, mother.fields, size.width, size.height, scale),
    ...readFields(fatherPieces, father.specs, father.fields, size.width, size.height, scale),
  ];
}

/** The fields a document of the type should carry but that were not found. */
export function missingFields(type: DocType, fields: ExtractedField[]): string[] {
  const have = new Set(fields.map((f) => f.name));
  const expected = type === 'birth_certificate'
    ? [...DOC_TYPE_DEFS[type].fields, ...PARENT_SPECS('mother').fields, ...PARENT_SPECS('father').fields]
    : DOC_TYPE_DEFS[type].fields;
  return expected.filter((d) => !d.optional && !have.has(d.name)).map((d) => d.name);
}
