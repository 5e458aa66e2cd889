import { describe, expect, it } from 'vitest';
import { forEachComponent } from './components.js';
import { rotate180, transformRaster } from './decode.js';
import { cropToPlanes, type Raster } from './raster.js';

/** The pixel helpers the OCR engine feeds the models with: layouts and values, exactly. */

function ramp(w: number, h: number): Raster {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) data.set([i % 256, (i * 3) % 256, (i * 7) % 256], i * 3);
  return { data, width: w, height: h, channels: 3 };
}

describe('cropToPlanes', () => {
  it('copies a whole raster into B, G, R planes, normalised, leaving the padding alone', () => {
    const img = ramp(3, 2);
    const out = new Float32Array(3 * 4 * 3).fill(9);
    cropToPlanes(img, { x: 0, y: 0, width: 3, height: 2 }, 3, 2, out, 4, 3, { div: 255, sub: 0 });
    const plane = 4 * 3;
    for (let y = 0; y < 2; y++) {
      for (let x = 0; x < 3; x++) {
        const i = (y * 3 + x) * 3;
        expect(out[y * 4 + x]).toBeCloseTo(img.data[i + 2]! / 255, 6);
        expect(out[plane + y * 4 + x]).toBeCloseTo(img.data[i + 1]! / 255, 6);
        expect(out[2 * plane + y * 4 + x]).toBeCloseTo(img.data[i]! / 255, 6);
      }
    }
    // the fourth column and the third row are padding
    expect(out[3]).toBe(9);
    expect(out[2 * 4 + 1]).toBe(9);
  });

  it('scales a crop bilinearly: halving a 2 × 2 block gives its mean, mapped to −1…1', () => {
    const img: Raster = { data: new Uint8Array([0, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0]), width: 2, height: 2, channels: 3 };
    const out = new Float32Array(3);
    cropToPlanes(img, { x: 0, y: 0, width: 2, height: 2 }, 1, 1, out, 1, 1, { div: 127.5, sub: 1 });
    expect([...out]).toEqual([0, 0, 0]);
  });

  it('reads a grey raster into all three planes', () => {
    const img: Raster = { data: new Uint8Array([51, 102]), width: 2, height: 1, channels: 1 };
    const out = new Float32Array(6);
    cropToPlanes(img, { x: 0, y: 0, width: 2, height: 1 }, 2, 1, out, 2, 1, { div: 255, sub: 0 });
    expect([...out].map((v) => Math.round(v * 255))).toEqual([51, 102, 51, 102, 51, 102]);
  });
});

describe('forEachComponent', () => {
  it('finds the same 4-connected components from a test or a mask', () => {
    // two blobs, diagonal neighbours do not join
    const grid = [1, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0];
    const collect = (on: ((i: number) => boolean) | Uint8Array): number[][] => {
      const comps: number[][] = [];
      let cur: number[] = [];
      forEachComponent(4, 4, on, (i) => cur.push(i), () => (comps.push(cur.sort((a, b) => a - b)), (cur = [])));
      return comps;
    };
    const fromTest = collect((i) => grid[i] === 1);
    expect(fromTest).toEqual([[0, 1, 5], [7, 10, 11], [12]]);
    expect(collect(new Uint8Array(grid))).toEqual(fromTest);
  });
});

describe('rotate180', () => {
  it('turns RGB and grey rasters half a turn', () => {
    const rgb = ramp(3, 2);
    const turned = rotate180(rgb);
    for (let i = 0; i < 6; i++) expect([...turned.data.slice((5 - i) * 3, (5 - i) * 3 + 3)]).toEqual([...rgb.data.slice(i * 3, i * 3 + 3)]);
    expect([...rotate180({ data: new Uint8Array([1, 2, 3, 4]), width: 2, height: 2, channels: 1 }).data]).toEqual([4, 3, 2, 1]);
  });
});

describe('transformRaster extract', () => {
  it('cuts the same pixels sharp cuts, and refuses an area outside the raster', async () => {
    const img = ramp(5, 4);
    const cut = await transformRaster(img, { extract: { left: 1, top: 2, width: 3, height: 2 } });
    expect([cut.width, cut.height]).toEqual([3, 2]);
    const want: number[] = [];
    for (let y = 2; y < 4; y++) for (let x = 1; x < 4; x++) want.push(...img.data.slice((y * 5 + x) * 3, (y * 5 + x) * 3 + 3));
    expect([...cut.data]).toEqual(want);
    await expect(transformRaster(img, { extract: { left: 3, top: 0, width: 3, height: 1 } })).rejects.toThrow(/outside/);
  });
});
