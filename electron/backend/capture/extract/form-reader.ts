import { unionRect, type Rect } from '../image/raster.js';
import type { LabelSpec, Piece } from './segments.js';

/**
 * Gives the text on a page to the labels printed on it, by position. Each label owns a zone:
 * to its right, up to the next label on the same band; for a multi-line value, down to the next
 * label below it in the same label column (or until the lines stop). A text piece belongs to the
 * label whose zone holds its centre, the nearest one when zones overlap.
 */

export interface RawValue {
  field: string;
  /** The label as printed. */
  label: string;
  /** Text pieces in reading order, joined without spaces. */
  text: string;
  probs: number[];
  /** Union of the label's value pieces (the label itself excluded), in the lines' pixels. */
  region: Rect;
  labelBox: Rect;
}

const cx = (r: Rect): number => r.x + r.width / 2;
const cy = (r: Rect): number => r.y + r.height / 2;
const overlapY = (a: Rect, b: Rect): number => Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

interface Zone {
  piece: Piece;
  spec: LabelSpec;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

function zoneOf(label: Piece, spec: LabelSpec, labels: Piece[], pageWidth: number, pageHeight: number): Zone {
  const h = label.box.height;
  const sameBand = (o: Piece): boolean => overlapY(o.box, label.box) > Math.min(o.box.height, h) * 0.4;
  const right = labels.filter((o) => o !== label && sameBand(o) && o.box.x > label.box.x + label.box.width - h * 0.5);
  const x1 = right.length ? Math.min(...right.map((o) => o.box.x)) - h * 0.3 : pageWidth;
  const x0 = label.box.x + label.box.width - h * 0.6;
  // the label column: labels starting near the same x
  const column = labels.filter((o) => o !== label && Math.abs(o.box.x - label.box.x) < h * 2.5);
  const above = column.filter((o) => cy(o.box) < cy(label.box) - h * 0.5).map((o) => cy(o.box));
  const belowLabels = column.filter((o) => cy(o.box) > cy(label.box) + h * 0.5);
  const below = belowLabels.map((o) => cy(o.box));
  const y0 = above.length ? Math.max(Math.max(...above) / 2 + cy(label.box) / 2, label.box.y - h * 1.2) : label.box.y - h * 0.8;
  // a code printed under its label starts under the label
  if (spec.below) return { piece: label, spec, x0: label.box.x - h, x1: Math.min(x1, label.box.x + label.box.width + h * 2), y0, y1: label.box.y + h * 3 };
  // a one-line value stands beside its label
  if (!spec.multiline) return { piece: label, spec, x0, x1, y0: cy(label.box) - h * 0.9, y1: cy(label.box) + h * 0.9 };
  // down to just above the next label of the column (pieces both zones hold go to the nearer label)
  const next = belowLabels.sort((a, b) => a.box.y - b.box.y)[0];
  const y1 = next ? Math.max(cy(next.box) / 2 + cy(label.box) / 2, next.box.y - next.box.height * 0.2) : pageHeight;
  return { piece: label, spec, x0, x1, y0, y1 };
}

/** Groups pieces into rows (top to bottom), each row left to right. */
export function readingOrder<T extends { box: Rect }>(pieces: T[]): T[][] {
  const sorted = [...pieces].sort((a, b) => cy(a.box) - cy(b.box));
  const rows: T[][] = [];
  for (const p of sorted) {
    const row = rows[rows.length - 1];
    const ref = row?.[0];
    if (ref && Math.abs(cy(p.box) - cy(ref.box)) < Math.min(p.box.height, ref.box.height) * 0.5) row!.push(p);
    else rows.push([p]);
  }
  for (const r of rows) r.sort((a, b) => a.box.x - b.box.x);
  return rows;
}

export function readForm(pieces: Piece[], specs: readonly LabelSpec[], pageWidth: number, pageHeight: number): RawValue[] {
  const labels = pieces.filter((p) => p.kind === 'label');
  const specOf = new Map(specs.map((s) => [s.field, s]));
  // one label per field: the first in reading order (a repeated word lower down is usually text)
  const firstLabel = new Map<string, Piece>();
  for (const row of readingOrder(labels)) for (const l of row) if (!firstLabel.has(l.field!)) firstLabel.set(l.field!, l);
  const zones = [...firstLabel.values()].map((l) => zoneOf(l, specOf.get(l.field!)!, labels, pageWidth, pageHeight));
  const owned = new Map<Zone, Piece[]>(zones.map((z) => [z, []]));
  for (const p of pieces) {
    if (p.kind !== 'text') continue;
    const x = cx(p.box);
    const y = cy(p.box);
    const starts = p.box.x;
    let best: Zone | null = null;
    let bestD = Infinity;
    for (const z of zones) {
      if (y < z.y0 || y > z.y1 || starts < z.x0 || x > z.x1) continue;
      const d = Math.abs(y - cy(z.piece.box)) * 3 + Math.abs(starts - (z.piece.box.x + z.piece.box.width));
      if (d < bestD) (bestD = d), (best = z);
    }
    if (best) owned.get(best)!.push(p);
  }
  const out: RawValue[] = [];
  for (const z of zones) {
    let rows = readingOrder(owned.get(z)!);
    if (!z.spec.multiline) {
      const mid = cy(z.piece.box);
      rows = [...rows].sort((a, b) => Math.abs(cy(a[0]!.box) - mid) - Math.abs(cy(b[0]!.box) - mid)).slice(0, 1);
    }
    else {
      // a multi-line value stops at the first wide vertical gap
      const kept: Piece[][] = [];
      for (const r of rows) {
        const prev = kept[kept.length - 1];
        if (prev) {
          const gap = r[0]!.box.y - (prev[0]!.box.y + prev[0]!.box.height);
          if (gap > Math.max(r[0]!.box.height, z.piece.box.height) * 1.6) break;
        } else if (r[0]!.box.y - (z.piece.box.y + z.piece.box.height) > z.piece.box.height * 1.6) break;
        kept.push(r);
      }
      rows = kept;
    }
    const parts = rows.flat();
    if (parts.length === 0) continue;
    out.push({
      field: z.spec.field,
      label: z.piece.text,
      text: parts.map((p) => p.text).join(''),
      probs: parts.flatMap((p) => p.probs),
      region: parts.map((p) => p.box).reduce(unionRect),
      labelBox: z.piece.box,
    });
  }
  return out;
}
