import sharp, { type Metadata, type Sharp } from 'sharp';
import { CAPTURE_MESSAGES, captureError } from '../errors.js';
import type { Raster } from './raster.js';

/**
 * Decoding a page image into an RGB raster, turned as its EXIF says, no larger than `maxSide`
 * on its long side. libvips shrinks while it decodes, so a 12000 × 12000 photo costs little memory;
 * beyond `maxPixels` the file is refused. A damaged or truncated file gets a clear message.
 */

export const MAX_INPUT_PIXELS = 200_000_000;
export const MIN_SIDE = 200;

export interface DecodeOptions {
  maxSide: number;
  maxPixels?: number;
}

export async function decodePage(bytes: Uint8Array, opts: DecodeOptions): Promise<Raster & { sourceWidth: number; sourceHeight: number }> {
  const maxPixels = opts.maxPixels ?? MAX_INPUT_PIXELS;
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw captureError('bad_request', CAPTURE_MESSAGES.corrupt, `metadata: ${String(err)}`);
  }
  const w = meta.autoOrient?.width ?? meta.width ?? 0;
  const h = meta.autoOrient?.height ?? meta.height ?? 0;
  if (w * h > maxPixels) {
    throw captureError('payload_too_large', CAPTURE_MESSAGES.tooManyPixels(Math.round(maxPixels / 1e6)), `${w}x${h} > ${maxPixels} pixels`);
  }
  if (Math.max(w, h) < MIN_SIDE || Math.min(w, h) < 32) throw captureError('bad_request', CAPTURE_MESSAGES.tooSmall, `${w}x${h}`);
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'truncated', pages: 1 })
      .rotate()
      .resize(opts.maxSide, opts.maxSide, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return { data, width: info.width, height: info.height, channels: 3, sourceWidth: w, sourceHeight: h };
  } catch (err) {
    throw captureError('bad_request', CAPTURE_MESSAGES.corrupt, `decode: ${String(err)}`);
  }
}

/** Wraps a raster for sharp. */
export function rasterSharp(img: Raster): Sharp {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } });
}

async function toRaster(s: Sharp, channels: 1 | 3): Promise<Raster> {
  const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels };
}

/**
 * A raster cut to `extract`, rotated by `angle` degrees clockwise (the corners filled with
 * `background`), then fitted inside `maxSide` (never enlarged) — each step only when asked for.
 */
export async function transformRaster(
  img: Raster,
  op: { angle?: number; background?: [number, number, number]; maxSide?: number; extract?: { left: number; top: number; width: number; height: number } },
): Promise<Raster> {
  let r = img;
  if (op.extract) r = extractRaster(r, op.extract);
  if (op.angle) {
    const [red, green, blue] = op.background ?? [255, 255, 255];
    r = await toRaster(rasterSharp(r).rotate(op.angle, { background: { r: red, g: green, b: blue } }), r.channels);
  }
  if (op.maxSide && Math.max(r.width, r.height) > op.maxSide) {
    r = await toRaster(rasterSharp(r).resize(op.maxSide, op.maxSide, { fit: 'inside' }), r.channels);
  }
  return r;
}

/** The part `rect` of a raster, row by row (a plain copy: no round trip through sharp). */
function extractRaster(img: Raster, rect: { left: number; top: number; width: number; height: number }): Raster {
  const { left, top, width, height } = rect;
  if (left < 0 || top < 0 || width < 1 || height < 1 || left + width > img.width || top + height > img.height) {
    throw new Error(`extract ${JSON.stringify(rect)} outside ${img.width}x${img.height}`);
  }
  const c = img.channels;
  const out = new Uint8Array(width * height * c);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * img.width + left) * c;
    out.set(img.data.subarray(from, from + width * c), y * width * c);
  }
  return { data: out, width, height, channels: c };
}

/** The 180° turn of a raster, in place of a round trip through sharp. */
export function rotate180(img: Raster): Raster {
  const c = img.channels;
  const n = img.width * img.height;
  const out = new Uint8Array(img.data.length);
  const d = img.data;
  if (c === 3) {
    for (let i = 0, j = (n - 1) * 3; i < n * 3; i += 3, j -= 3) {
      out[j] = d[i]!;
      out[j + 1] = d[i + 1]!;
      out[j + 2] = d[i + 2]!;
    }
  } else {
    for (let i = 0; i < n; i++) out[n - 1 - i] = d[i]!;
  }
  return { data: out, width: img.width, height: img.height, channels: c };
}
