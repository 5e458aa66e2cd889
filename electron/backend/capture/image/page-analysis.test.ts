import { describe, expect, it } from 'vitest';
import type { TextRegion } from '../ocr/text-regions.js';
import { findTextRegions } from '../ocr/text-regions.js';
import { documentBounds, inkCoverage, textDirection } from './page-analysis.js';
import { boxBlur, toGrey, type Raster } from './raster.js';

function canvas(w: number, h: number, rgb: [number, number, number]): Raster {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) data.set(rgb, i * 3);
  return { data, width: w, height: h, channels: 3 };
}
function fill(r: Raster, x0: number, y0: number, w: number, h: number, rgb: [number, number, number]): void {
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) r.data.set(rgb, (y * r.width + x) * 3);
}
const region = (angle: number, length = 200, elongation = 10): TextRegion => ({ box: { x: 0, y: 0, width: 10, height: 10 }, score: 0.9, area: 100, angle, elongation, length });

describe('text direction', () => {
  it('finds horizontal lines and their skew (median over line length)', () => {
    const d = textDirection([region(3), region(3.4), region(2.8), region(-40, 20)]);
    expect(d.quarterTurns).toBe(0);
    expect(d.skew).toBeCloseTo(-3, 0);
  });

  it('finds a page lying on its side, and the skew after the quarter turn', () => {
    const d = textDirection([region(88), region(-89, 300), region(87)]);
    expect(d.quarterTurns).toBe(1);
    expect(Math.abs(d.skew)).toBeLessThan(3);
  });

  it('ignores blobs that are not lines (photos, seals, single characters)', () => {
    const d = textDirection([region(80, 300, 1.2), region(2, 200, 8)]);
    expect(d.quarterTurns).toBe(0);
  });
});

describe('detector map to regions', () => {
  it('groups probable text pixels into boxes, grown by the unclip distance', () => {
    const w = 100;
    const h = 40;
    const map = new Float32Array(w * h);
    for (let y = 10; y < 16; y++) for (let x = 10; x < 70; x++) map[y * w + x] = 0.9;
    const r = findTextRegions(map, w, h);
    expect(r).toHaveLength(1);
    expect(r[0]!.box.x).toBeLessThan(10);
    expect(r[0]!.box.width).toBeGreaterThan(60);
    expect(r[0]!.elongation).toBeGreaterThan(5);
    expect(Math.abs(r[0]!.angle)).toBeLessThan(1);
  });
});

describe('document edges and blank pages', () => {
  it('finds a light card on a dark desk', () => {
    const img = canvas(400, 300, [60, 50, 40]);
    fill(img, 80, 60, 240, 150, [240, 238, 230]);
    const b = documentBounds(img)!;
    expect(b.x).toBeGreaterThanOrEqual(72);
    expect(b.x).toBeLessThanOrEqual(80);
    expect(b.width).toBeGreaterThanOrEqual(240);
    expect(b.width).toBeLessThanOrEqual(252);
  });

  it('does not crop a page that fills the frame', () => {
    const img = canvas(400, 300, [250, 250, 250]);
    fill(img, 50, 50, 200, 8, [20, 20, 20]);
    expect(documentBounds(img)).toBeNull();
  });

  it('tells a blank page from one with a line of text, under uneven light', () => {
    const blank = canvas(400, 300, [0, 0, 0]);
    for (let y = 0; y < 300; y++) for (let x = 0; x < 400; x++) blank.data.fill(150 + Math.round((x / 400) * 100), (y * 400 + x) * 3, (y * 400 + x) * 3 + 3);
    const text = canvas(400, 300, [245, 245, 245]);
    for (let i = 0; i < 12; i++) fill(text, 40 + i * 26, 140, 18, 20, [30, 30, 30]);
    const cov = (r: Raster): number => inkCoverage(r, boxBlur(toGrey(r), r.width, r.height, 10));
    expect(cov(blank)).toBeLessThan(0.0015);
    expect(cov(text)).toBeGreaterThan(0.0015);
  });
});
