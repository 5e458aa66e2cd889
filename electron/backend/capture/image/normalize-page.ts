import type { TextRegion } from '../ocr/text-regions.js';
import { stopwatch } from '../stopwatch.js';
import { rotate180, transformRaster } from './decode.js';
import { borderColour, documentBounds, inkCoverage, textDirection } from './page-analysis.js';
import { boxBlur, toGrey, type Raster, type Rect } from './raster.js';

/**
 * One page from "as captured" to "upright, level, cropped": the text detector finds the lines on a
 * small copy (their direction gives a quarter turn, their angle the skew), the page is turned and
 * levelled, cut to the document's edges, checked for blankness, and a copy for recognition is made
 * (long side ≤ recognitionMaxSide). The 0°/180° question is settled on that copy by the text-line
 * classifier, voting over the longest lines.
 */

export interface TextDetector {
  detect(img: Raster): Promise<TextRegion[]>;
  upsideDown(img: Raster, boxes: Rect[]): Promise<number[]>;
}

export interface NormalizeOptions {
  /** Long side of the small copy used to find direction, skew and edges. */
  analysisMaxSide: number;
  /** Long side of the copy the recogniser reads. */
  recognitionMaxSide: number;
  /** Long side of the copy the detector looks at (the recogniser still reads the sharper copy). */
  detectionMaxSide: number;
  /** Ink share (0–1) below which a page counts as blank. */
  blankCoverage: number;
}

export const DEFAULT_NORMALIZE: NormalizeOptions = { analysisMaxSide: 800, recognitionMaxSide: 1600, detectionMaxSide: 1280, blankCoverage: 0.0015 };

export interface NormalizedPage {
  /** The upright, levelled, cropped page at stored resolution. */
  page: Raster;
  /** The same page scaled for recognition, and its text regions in its pixels. */
  rec: Raster;
  regions: TextRegion[];
  /** Clockwise rotation applied: quarter turns plus skew, in degrees. */
  rotation: 0 | 90 | 180 | 270;
  skew: number;
  cropped: boolean;
  blank: boolean;
  inkCoverage: number;
  timings: Record<string, number>;
}

/** Text regions of `img` found on a copy no larger than `maxSide`, in `img`'s pixels. */
async function detectScaled(detector: TextDetector, img: Raster, maxSide: number): Promise<TextRegion[]> {
  if (Math.max(img.width, img.height) <= maxSide) return detector.detect(img);
  const small = await transformRaster(img, { maxSide });
  const s = img.width / small.width;
  return (await detector.detect(small)).map((r) => ({ ...r, box: { x: r.box.x * s, y: r.box.y * s, width: r.box.width * s, height: r.box.height * s }, length: r.length * s }));
}

function coverageOf(img: Raster): number {
  return inkCoverage(img, boxBlur(toGrey(img), img.width, img.height, Math.max(4, Math.round(img.width / 40))));
}

export async function normalizePage(src: Raster, detector: TextDetector, opts: NormalizeOptions = DEFAULT_NORMALIZE): Promise<NormalizedPage> {
  const timings: Record<string, number> = {};
  const lap = stopwatch(timings);
  const small = await transformRaster(src, { maxSide: opts.analysisMaxSide });
  const coverage0 = coverageOf(small);
  if (coverage0 < opts.blankCoverage) {
    // nothing on it at all (no desk edge either): no need to look for text
    lap('direction');
    return { page: src, rec: small, regions: [], rotation: 0, skew: 0, cropped: false, blank: true, inkCoverage: coverage0, timings };
  }
  const direction = textDirection(await detector.detect(small));
  lap('direction');
  const angle = direction.quarterTurns * 90 + (Math.abs(direction.skew) >= 0.3 ? direction.skew : 0);
  const background = borderColour(small);
  let page = angle === 0 ? src : await transformRaster(src, { angle, background });
  const smallPage = angle === 0 ? small : await transformRaster(page, { maxSide: opts.analysisMaxSide });
  const bounds = documentBounds(smallPage);
  if (bounds) {
    const s = page.width / smallPage.width;
    const extract = { left: Math.floor(bounds.x * s), top: Math.floor(bounds.y * s), width: Math.floor(bounds.width * s), height: Math.floor(bounds.height * s) };
    extract.width = Math.min(extract.width, page.width - extract.left);
    extract.height = Math.min(extract.height, page.height - extract.top);
    page = await transformRaster(page, { extract });
  }
  lap('level');
  // both copies are made at once (on libuv's threads)
  const [check, recCopy] = await Promise.all([bounds ? transformRaster(page, { maxSide: opts.analysisMaxSide }) : null, transformRaster(page, { maxSide: opts.recognitionMaxSide })]);
  const coverage = check ? coverageOf(check) : coverage0;
  const blank = coverage < opts.blankCoverage;
  let rec = recCopy;
  let regions = blank ? [] : await detectScaled(detector, rec, opts.detectionMaxSide);
  lap('detect');
  let upside = false;
  if (regions.length > 0) {
    const lines = [...regions].filter((r) => r.box.width > r.box.height * 1.5).sort((a, b) => b.box.width - a.box.width).slice(0, 12);
    const p = await detector.upsideDown(rec, lines.map((r) => r.box));
    const weight = lines.reduce((s, r) => s + r.box.width, 0);
    const vote = lines.reduce((s, r, i) => s + r.box.width * (p[i]! - 0.5), 0);
    upside = weight > 0 && vote / weight > 0.1;
  }
  if (upside) {
    page = rotate180(page);
    rec = rotate180(rec);
    regions = regions.map((r) => ({ ...r, box: { ...r.box, x: rec.width - r.box.x - r.box.width, y: rec.height - r.box.y - r.box.height } }));
  }
  lap('orient');
  const quarter = ((direction.quarterTurns * 90 + (upside ? 180 : 0)) % 360) as 0 | 90 | 180 | 270;
  return { page, rec, regions, rotation: quarter, skew: angle - direction.quarterTurns * 90, cropped: bounds !== null, blank, inkCoverage: coverage, timings };
}
