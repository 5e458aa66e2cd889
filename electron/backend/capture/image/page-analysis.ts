import type { TextRegion } from '../ocr/text-regions.js';
import { forEachComponent } from './components.js';
import { clampRect, otsuThreshold, toGrey, type Raster, type Rect } from './raster.js';

/**
 * Measurements on a small copy of a page (long side ~800 px): how much ink it carries (blank-page
 * removal), the colour around it, where the document's edges are, and which way its text runs.
 */

/**
 * Share of the page (0–1) covered by ink: pixels clearly darker than their neighbourhood's
 * background, so that uneven light or tinted paper does not count. A 2 % border is ignored.
 */
export function inkCoverage(img: Raster, background: Uint8Array): number {
  const grey = toGrey(img);
  const { width: w, height: h } = img;
  const mx = Math.round(w * 0.02);
  const my = Math.round(h * 0.02);
  let ink = 0;
  let total = 0;
  for (let y = my; y < h - my; y++) {
    for (let x = mx; x < w - mx; x++) {
      const i = y * w + x;
      total++;
      if (background[i]! - grey[i]! > 48) ink++;
    }
  }
  return total === 0 ? 0 : ink / total;
}

/** Median colour of the outermost ring of pixels (the desk under a document camera, or the scanner lid). */
export function borderColour(img: Raster): [number, number, number] {
  const { width: w, height: h, data } = img;
  const c = img.channels;
  const ring = Math.max(1, Math.round(Math.min(w, h) * 0.01));
  const vals: [number[], number[], number[]] = [[], [], []];
  for (let y = 0; y < h; y++) {
    const inner = y >= ring && y < h - ring;
    for (let x = 0; x < w; x++) {
      // inside the ring: jump to its right-hand part
      if (inner && x === ring) x = Math.max(ring, w - ring);
      if (x >= w) break;
      const i = (y * w + x) * c;
      for (let k = 0; k < 3; k++) vals[k]!.push(data[i + (c === 1 ? 0 : k)]!);
    }
  }
  const med = (a: number[]): number => a.sort((p, q) => p - q)[a.length >> 1] ?? 255;
  return [med(vals[0]), med(vals[1]), med(vals[2])];
}

/**
 * The document's bounding box when it lies on a visibly different surface (a desk under the
 * camera): the largest region of pixels that differ from the border colour. Null when the page
 * fills the frame or no clear document stands out.
 */
export function documentBounds(img: Raster): Rect | null {
  const { width: w, height: h, data } = img;
  const c = img.channels;
  const bg = borderColour(img);
  const diff = new Uint8Array(w * h);
  const [b0, b1, b2] = bg;
  for (let i = 0, j = 0; i < w * h; i++, j += c) {
    const v0 = data[j]!;
    const v1 = c === 1 ? v0 : data[j + 1]!;
    const v2 = c === 1 ? v0 : data[j + 2]!;
    const d0 = v0 > b0 ? v0 - b0 : b0 - v0;
    const d1 = v1 > b1 ? v1 - b1 : b1 - v1;
    const d2 = v2 > b2 ? v2 - b2 : b2 - v2;
    diff[i] = d0 > d1 ? (d0 > d2 ? d0 : d2) : d1 > d2 ? d1 : d2;
  }
  const t = Math.max(40, otsuThreshold(diff));
  const on = new Uint8Array(w * h);
  for (let i = 0; i < on.length; i++) if (diff[i]! > t) on[i] = 1;
  // the largest 4-connected component of "differs from the border"
  // (an object, so that the compiler sees the callbacks' writes)
  const found: { best: Rect | null; n: number } = { best: null, n: 0 };
  let n = 0;
  let x0 = w;
  let y0 = h;
  let x1 = 0;
  let y1 = 0;
  forEachComponent(
    w,
    h,
    on,
    (_i, x, y) => {
      n++;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    },
    () => {
      if (n > found.n) (found.n = n), (found.best = { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 });
      n = 0;
      x0 = w;
      y0 = h;
      x1 = y1 = 0;
    },
  );
  const { best, n: bestN } = found;
  if (!best) return null;
  const share = (best.width * best.height) / (w * h);
  const fill = bestN / (best.width * best.height);
  // a document is a solid, large blob that does not reach every edge
  if (share < 0.12 || share > 0.96 || fill < 0.6) return null;
  const pad = Math.round(Math.max(w, h) * 0.008);
  return clampRect({ x: best.x - pad, y: best.y - pad, width: best.width + 2 * pad, height: best.height + 2 * pad }, w, h);
}

export interface TextDirection {
  /** Quarter turns clockwise that make the text lines horizontal (0 or 1; 180° is decided later). */
  quarterTurns: 0 | 1;
  /** Degrees to rotate clockwise, after the quarter turn, to level the lines. */
  skew: number;
  /** Total length of the line-like regions measured. */
  evidence: number;
}

/**
 * Which way the text lines run, from the detector's regions: long thin regions are lines; their
 * principal axes give the direction (horizontal or vertical) and the skew (length-weighted median).
 */
export function textDirection(regions: TextRegion[]): TextDirection {
  let hWeight = 0;
  let vWeight = 0;
  const hAngles: Array<[number, number]> = [];
  const vAngles: Array<[number, number]> = [];
  for (const r of regions) {
    if (r.elongation < 2.5 || r.length < 12) continue;
    if (Math.abs(r.angle) <= 45) {
      hWeight += r.length;
      hAngles.push([r.angle, r.length]);
    } else {
      vWeight += r.length;
      vAngles.push([r.angle > 0 ? r.angle - 90 : r.angle + 90, r.length]);
    }
  }
  const vertical = vWeight > hWeight;
  const angles = vertical ? vAngles : hAngles;
  angles.sort((a, b) => a[0] - b[0]);
  const total = angles.reduce((s, a) => s + a[1], 0);
  let acc = 0;
  let median = 0;
  for (const [a, wgt] of angles) {
    acc += wgt;
    if (acc >= total / 2) {
      median = a;
      break;
    }
  }
  // Turning a page a quarter clockwise turns its lines' angle too: the skew keeps its sign.
  return { quarterTurns: vertical ? 1 : 0, skew: -median, evidence: total };
}
