import type { Rect } from '../image/raster.js';
import type { OcrLine } from '../ocr/engine.js';

/**
 * Recognised lines cut at their labels. A line such as 「性别男 民族 汉」 becomes label 性别, text 男,
 * label 民族, text 汉 — each piece with its own box (from the characters' positions), so that values
 * can be given to labels by where they sit on the page.
 */

export interface LabelSpec {
  /** The field this label introduces. */
  field: string;
  /** Spellings as printed (without spaces), most specific first. */
  labels: readonly string[];
  /** The value may run over several lines below (address, business scope). */
  multiline?: boolean;
  /** The label may stand in the middle of a recognised line (性别男 民族汉). */
  inline?: boolean;
  /** The value may also stand on the line below the label (统一社会信用代码 on a licence). */
  below?: boolean;
}

export interface Piece {
  kind: 'label' | 'text';
  text: string;
  box: Rect;
  /** Characters' probabilities. */
  probs: number[];
  /** Characters' horizontal extents [x0, x1]. */
  xs: Array<[number, number]>;
  /** For labels: the field it introduces and the spelling found. */
  field?: string;
  line: number;
}

interface Ch {
  ch: string;
  x0: number;
  x1: number;
  p: number;
}

function pieceOf(kind: Piece['kind'], chars: Ch[], line: OcrLine, index: number, extra: Partial<Piece> = {}): Piece {
  const x0 = chars[0]!.x0;
  const x1 = chars[chars.length - 1]!.x1;
  return { kind, text: chars.map((c) => c.ch).join(''), probs: chars.map((c) => c.p), xs: chars.map((c) => [c.x0, c.x1]), box: { x: x0, y: line.box.y, width: Math.max(1, x1 - x0), height: line.box.height }, line: index, ...extra };
}

/**
 * Labels printed with wide letter spacing (名　　称, 住　　所) often come back as one box per
 * character. Joins boxes on the same band, left to right and close together, whose texts together
 * spell a label (alone or at the start of the last box).
 */
export function joinSpacedLabels(lines: OcrLine[], specs: readonly LabelSpec[]): OcrLine[] {
  const spellings = specs.flatMap((s) => s.labels);
  const sorted = [...lines].sort((a, b) => a.box.x - b.box.x);
  const used = new Set<OcrLine>();
  const out: OcrLine[] = [];
  for (const first of sorted) {
    if (used.has(first)) continue;
    const t0 = first.text.replace(/\s+/g, '');
    if (t0.length === 0 || t0.length > 2 || !spellings.some((l) => l.startsWith(t0) && l.length > t0.length)) continue;
    const h = first.box.height;
    const chain = [first];
    let text = t0;
    let last = first;
    for (const next of sorted) {
      if (used.has(next) || chain.includes(next) || next.box.x <= last.box.x) continue;
      const sameBand = Math.abs(next.box.y + next.box.height / 2 - (first.box.y + h / 2)) < h * 0.5;
      if (!sameBand || next.box.x - (last.box.x + last.box.width) > h * 3.5) continue;
      const t = next.text.replace(/\s+/g, '');
      const joined = text + t;
      if (spellings.some((l) => l.startsWith(joined) || joined.startsWith(l))) {
        chain.push(next);
        text = joined;
        last = next;
        if (spellings.some((l) => joined.startsWith(l))) break;
      }
    }
    if (chain.length > 1 && spellings.some((l) => text.startsWith(l))) {
      chain.forEach((l) => used.add(l));
      const x1 = Math.max(...chain.map((l) => l.box.x + l.box.width));
      const y0 = Math.min(...chain.map((l) => l.box.y));
      const y1 = Math.max(...chain.map((l) => l.box.y + l.box.height));
      out.push({
        text: chain.map((l) => l.text).join(' '),
        confidence: Math.min(...chain.map((l) => l.confidence)),
        box: { x: first.box.x, y: y0, width: x1 - first.box.x, height: y1 - y0 },
        chars: chain.flatMap((l, i) => (i === 0 ? l.chars : [{ ch: ' ', x0: l.box.x, x1: l.box.x, p: 1 }, ...l.chars])),
      });
    }
  }
  return [...lines.filter((l) => !used.has(l)), ...out];
}

/** Cuts every line at the labels of `specs`; spaces are dropped (a wide gap still ends a text piece). */
export function cutAtLabels(input: OcrLine[], specs: readonly LabelSpec[]): Piece[] {
  const lines = joinSpacedLabels(input, specs);
  const spellings = specs.flatMap((s) => s.labels.map((l) => ({ spec: s, label: l }))).sort((a, b) => b.label.length - a.label.length);
  const out: Piece[] = [];
  lines.forEach((line, index) => {
    // characters without spaces; remember where a gap was
    const chars: Ch[] = [];
    const gapBefore: boolean[] = [];
    let sawSpace = true;
    for (const c of line.chars) {
      if (c.ch.trim() === '') {
        sawSpace = true;
        continue;
      }
      const prev = chars[chars.length - 1];
      gapBefore.push(sawSpace || (prev !== undefined && c.x0 - prev.x1 > line.box.height * 0.9));
      chars.push(c);
      sawSpace = false;
    }
    const text = chars.map((c) => c.ch).join('');
    let i = 0;
    let runStart = 0;
    const flushText = (end: number): void => {
      if (end > runStart) out.push(pieceOf('text', chars.slice(runStart, end), line, index));
    };
    while (i < chars.length) {
      const hit = spellings.find(({ spec, label }) => {
        if (!text.startsWith(label, i)) return false;
        if (i === 0 || gapBefore[i]) return true;
        return spec.inline === true || label.length >= 4;
      });
      if (!hit) {
        // a gap inside text ends the piece, so that far-apart words stay apart
        if (i > runStart && gapBefore[i]) {
          flushText(i);
          runStart = i;
        }
        i++;
        continue;
      }
      flushText(i);
      out.push(pieceOf('label', chars.slice(i, i + hit.label.length), line, index, { field: hit.spec.field }));
      i += hit.label.length;
      runStart = i;
    }
    flushText(chars.length);
  });
  return out;
}
