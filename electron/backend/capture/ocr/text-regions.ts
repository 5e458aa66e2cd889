import { forEachComponent } from '../image/components.js';
import type { Rect } from '../image/raster.js';

/**
 * Text regions from the detector's probability map (DB post-processing, axis-aligned): pixels
 * above `threshold` are grouped into 4-connected components; each component whose mean
 * probability reaches `boxThreshold` becomes a box, grown by the DB "unclip" distance
 * (area × ratio / perimeter). Besides the box, each region keeps its principal-axis angle and
 * elongation (from second moments), which tell the page's text direction and skew.
 */
export interface TextRegion {
  /** Grown box, in map pixels. */
  box: Rect;
  /** Mean probability over the component. */
  score: number;
  /** Pixels in the component. */
  area: number;
  /** Principal axis angle in degrees, (−90, 90]: 0 = horizontal, ±90 = vertical. */
  angle: number;
  /** Ratio of the principal axes' lengths (≥ 1); a text line is long and thin. */
  elongation: number;
  /** Length of the component along its principal axis, in map pixels. */
  length: number;
}

export interface RegionOptions {
  threshold?: number;
  boxThreshold?: number;
  unclipRatio?: number;
  minSide?: number;
}

/** A region from a component's pixel count, mean score, raw moments and bounding box. */
function region(n: number, score: number, [sx, sy, sxx, syy, sxy]: number[], b: { minX: number; minY: number; w: number; h: number }, unclipRatio: number): TextRegion {
  const mx = sx! / n;
  const my = sy! / n;
  const mu20 = sxx! / n - mx * mx;
  const mu02 = syy! / n - my * my;
  const mu11 = sxy! / n - mx * my;
  const common = Math.sqrt(((mu20 - mu02) / 2) ** 2 + mu11 * mu11);
  const l1 = (mu20 + mu02) / 2 + common;
  const l2 = Math.max(1e-6, (mu20 + mu02) / 2 - common);
  let angle = (0.5 * Math.atan2(2 * mu11, mu20 - mu02) * 180) / Math.PI;
  if (angle <= -90) angle += 180;
  const d = (b.w * b.h * unclipRatio) / (2 * (b.w + b.h));
  return {
    box: { x: b.minX - d, y: b.minY - d, width: b.w + 2 * d, height: b.h + 2 * d },
    score,
    area: n,
    angle,
    elongation: Math.sqrt(l1 / l2),
    // a uniform bar of length L has variance L²/12 along its axis
    length: Math.sqrt(12 * l1),
  };
}

export function findTextRegions(prob: Float32Array, width: number, height: number, opts: RegionOptions = {}): TextRegion[] {
  const threshold = opts.threshold ?? 0.3;
  const boxThreshold = opts.boxThreshold ?? 0.6;
  const unclipRatio = opts.unclipRatio ?? 1.5;
  const minSide = opts.minSide ?? 3;
  const regions: TextRegion[] = [];
  let n = 0;
  let sum = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  let minX = width;
  let minY = height;
  let maxX = 0;
  let maxY = 0;
  const pixel = (p: number, x: number, y: number): void => {
    n++;
    sum += prob[p]!;
    sx += x;
    sy += y;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  };
  const done = (): void => {
    const w = maxX - minX + 1;
    const h = maxY - minY + 1;
    const score = sum / n;
    if (Math.min(w, h) >= minSide && score >= boxThreshold) regions.push(region(n, score, [sx, sy, sxx, syy, sxy], { minX, minY, w, h }, unclipRatio));
    n = sum = sx = sy = sxx = syy = sxy = 0;
    minX = width;
    minY = height;
    maxX = maxY = 0;
  };
  const on = new Uint8Array(width * height);
  for (let i = 0; i < on.length; i++) if (prob[i]! > threshold) on[i] = 1;
  forEachComponent(width, height, on, pixel, done);
  return regions;
}
