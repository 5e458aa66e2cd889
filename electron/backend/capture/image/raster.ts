/**
 * Plain pixel buffers and the few operations on them that run faster in JS than through a
 * round trip to sharp: crops with bilinear scaling (text lines for the recogniser), grey levels,
 * Otsu's threshold. Coordinates are pixels, origin top-left.
 */

/** Interleaved 8-bit pixels, `channels` per pixel (1 = grey, 3 = RGB). */
export interface Raster {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3;
}

/** An axis-aligned rectangle in pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function clampRect(r: Rect, width: number, height: number): Rect {
  const x0 = Math.max(0, Math.min(width, Math.floor(r.x)));
  const y0 = Math.max(0, Math.min(height, Math.floor(r.y)));
  const x1 = Math.max(x0, Math.min(width, Math.ceil(r.x + r.width)));
  const y1 = Math.max(y0, Math.min(height, Math.ceil(r.y + r.height)));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

export function unionRect(a: Rect, b: Rect): Rect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

export function scaleRect(r: Rect, s: number): Rect {
  return { x: r.x * s, y: r.y * s, width: r.width * s, height: r.height * s };
}

/** Luma (BT.601) of every pixel. */
export function toGrey(r: Raster): Uint8Array {
  if (r.channels === 1) return r.data;
  const n = r.width * r.height;
  const out = new Uint8Array(n);
  const d = r.data;
  for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = (d[j]! * 299 + d[j + 1]! * 587 + d[j + 2]! * 114) / 1000;
  return out;
}

/** Otsu's threshold of a grey histogram: the level that best separates dark from light. */
export function otsuThreshold(grey: Uint8Array): number {
  const hist = new Float64Array(256);
  for (let i = 0; i < grey.length; i++) hist[grey[i]!]!++;
  const total = grey.length;
  let sum = 0;
  for (let t = 0; t < 256; t++) sum += t * hist[t]!;
  let sumB = 0;
  let wB = 0;
  let best = 0;
  let bestVar = -1;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t]!;
    const mB = sumB / wB;
    const mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > bestVar) {
      bestVar = between;
      best = t;
    }
  }
  return best;
}

/**
 * The part `rect` of an RGB raster scaled to `outW × outH` (bilinear), as planar float channels in
 * B, G, R order — the layout the PaddleOCR models take — each 0–255 value v stored as
 * v / norm.div − norm.sub. `out` receives planes of `stride × rows` values (stride ≥ outW,
 * rows ≥ outH); what lies outside `outW × outH` in each plane is left as it is (padding).
 */
export function cropToPlanes(
  src: Raster,
  rect: Rect,
  outW: number,
  outH: number,
  out: Float32Array,
  stride: number,
  rows: number,
  norm: { div: number; sub: number },
): void {
  const { data, width: W, height: H } = src;
  const c = src.channels;
  const plane = stride * rows;
  const { div, sub } = norm;
  // grey rasters feed the same value to all three planes
  const kG = c === 1 ? 0 : 1;
  const kB = c === 1 ? 0 : 2;
  if (rect.x === 0 && rect.y === 0 && rect.width === outW && rect.height === outH && outW <= W && outH <= H) {
    // no scaling: copy (the detector's whole-page input)
    for (let y = 0; y < outH; y++) {
      let i = y * W * c;
      let o = y * stride;
      for (let x = 0; x < outW; x++, i += c, o++) {
        out[o] = data[i + kB]! / div - sub;
        out[plane + o] = data[i + kG]! / div - sub;
        out[2 * plane + o] = data[i]! / div - sub;
      }
    }
    return;
  }
  const sx = rect.width / outW;
  const sy = rect.height / outH;
  // the source columns and weights are the same on every row
  const xi0 = new Int32Array(outW);
  const xi1 = new Int32Array(outW);
  const xw = new Float64Array(outW);
  for (let x = 0; x < outW; x++) {
    const fx = Math.min(W - 1, Math.max(0, rect.x + (x + 0.5) * sx - 0.5));
    const x0 = Math.floor(fx);
    xi0[x] = x0 * c;
    xi1[x] = Math.min(W - 1, x0 + 1) * c;
    xw[x] = fx - x0;
  }
  for (let y = 0; y < outH; y++) {
    const fy = Math.min(H - 1, Math.max(0, rect.y + (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const r0 = y0 * W * c;
    const r1 = Math.min(H - 1, y0 + 1) * W * c;
    const wy = fy - y0;
    for (let x = 0; x < outW; x++) {
      const wx = xw[x]!;
      const i00 = r0 + xi0[x]!;
      const i01 = r0 + xi1[x]!;
      const i10 = r1 + xi0[x]!;
      const i11 = r1 + xi1[x]!;
      const o = y * stride + x;
      for (let ch = 0; ch < 3; ch++) {
        const k = c === 1 ? 0 : ch;
        const top = data[i00 + k]! * (1 - wx) + data[i01 + k]! * wx;
        const bottom = data[i10 + k]! * (1 - wx) + data[i11 + k]! * wx;
        // planes are B, G, R: channel 2 (B) goes first
        out[(2 - ch) * plane + o] = (top * (1 - wy) + bottom * wy) / div - sub;
      }
    }
  }
}

/** Mean of each pixel's (2r+1)² neighbourhood (clipped at the edges), by an integral image. */
export function boxBlur(grey: Uint8Array, width: number, height: number, r: number): Uint8Array {
  const W = width + 1;
  const sat = new Float64Array(W * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += grey[y * width + x]!;
      sat[(y + 1) * W + x + 1] = sat[y * W + x + 1]! + row;
    }
  }
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(height, y + r + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(width, x + r + 1);
      const s = sat[y1 * W + x1]! - sat[y0 * W + x1]! - sat[y1 * W + x0]! + sat[y0 * W + x0]!;
      out[y * width + x] = s / ((x1 - x0) * (y1 - y0));
    }
  }
  return out;
}
