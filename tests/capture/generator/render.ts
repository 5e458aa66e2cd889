import sharp from 'sharp';
import type { DocSpec, TextItem } from './layout.js';
import type { Rng } from './random.js';

/** Draws a DocSpec with sharp (SVG background, Pango text) and degrades it like a camera or scanner would. */

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function textImage(item: TextItem): Promise<{ png: Buffer; width: number; height: number }> {
  const attrs = [`foreground="${item.color}"`];
  if (item.spacing) attrs.push(`letter_spacing="${Math.round(item.spacing * 1024)}"`);
  if (item.bold) attrs.push('font_weight="bold"');
  const { data, info } = await sharp({
    text: {
      text: `<span ${attrs.join(' ')}>${escape(item.text)}</span>`,
      font: `${item.font.family} ${item.size}`,
      ...(item.font.file ? { fontfile: item.font.file } : {}),
      rgba: true,
      dpi: 72,
    },
  })
    .png()
    .toBuffer({ resolveWithObject: true });
  return { png: data, width: info.width, height: info.height };
}

/** The clean document as PNG, and the box of every ground-truth field (union of its text items). */
export async function renderDoc(spec: DocSpec): Promise<{ png: Buffer; regions: Record<string, Box> }> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${spec.width}" height="${spec.height}"><rect width="100%" height="100%" fill="${spec.paper}"/>${spec.background}</svg>`;
  const texts = await Promise.all(spec.items.map(textImage));
  const regions: Record<string, Box> = {};
  spec.items.forEach((item, i) => {
    if (!item.field) return;
    const t = texts[i]!;
    const b = { x: item.x, y: item.y, width: t.width, height: t.height };
    const prev = regions[item.field];
    if (!prev) regions[item.field] = b;
    else {
      const x = Math.min(prev.x, b.x);
      const y = Math.min(prev.y, b.y);
      regions[item.field] = { x, y, width: Math.max(prev.x + prev.width, b.x + b.width) - x, height: Math.max(prev.y + prev.height, b.y + b.height) - y };
    }
  });
  const png = await sharp(Buffer.from(svg))
    .composite(texts.map((t, i) => ({ input: t.png, left: Math.round(spec.items[i]!.x), top: Math.round(spec.items[i]!.y) })))
    .png()
    .toBuffer();
  return { png, regions };
}

export interface Degradation {
  /** clean: as drawn; scan: on a flatbed; camera: a document camera over a desk. */
  kind: 'clean' | 'scan' | 'camera';
  rotation: 0 | 90 | 180 | 270;
  /** Small rotation in degrees (positive = clockwise). */
  skew: number;
  /** Gaussian blur sigma in px (0 = none). */
  blur: number;
  /** Standard deviation of added noise, in grey levels. */
  noise: number;
  /** JPEG quality, or null for PNG. */
  jpegQuality: number | null;
  /** How much darker the dimmest corner is (0–0.6). */
  unevenLight: number;
  /** Scale of the document (1 = as drawn; 0.6 makes small text). */
  scale: number;
}

export function randomDegradation(rng: Rng, kind: Degradation['kind']): Degradation {
  if (kind === 'clean') return { kind, rotation: 0, skew: 0, blur: 0, noise: 0, jpegQuality: null, unevenLight: 0, scale: 1 };
  const rotation = rng.pick([0, 0, 0, 90, 180, 270] as const);
  if (kind === 'scan') {
    return { kind, rotation, skew: rng.range(-2, 2), blur: rng.chance(0.5) ? rng.range(0.3, 0.7) : 0, noise: rng.range(0, 6), jpegQuality: rng.int(70, 92), unevenLight: 0, scale: rng.range(0.9, 1.2) };
  }
  return {
    kind, rotation, skew: rng.range(-8, 8), blur: rng.range(0.4, 1.1), noise: rng.range(3, 10), jpegQuality: rng.int(45, 85),
    unevenLight: rng.range(0.1, 0.45), scale: rng.chance(0.3) ? rng.range(0.6, 0.8) : rng.range(0.9, 1.3),
  };
}

/** Applies a degradation to a clean PNG; returns the encoded image. */
export async function degrade(png: Buffer, d: Degradation, rng: Rng): Promise<Buffer> {
  if (d.kind === 'clean' && d.rotation === 0) return png;
  const meta = await sharp(png).metadata();
  const w = Math.round(meta.width! * d.scale);
  const h = Math.round(meta.height! * d.scale);
  let img = await sharp(png).resize(w, h).removeAlpha().png().toBuffer();
  if (d.unevenLight > 0) {
    const dark = Math.round(255 * (1 - d.unevenLight));
    const [x1, y1] = [rng.pick([0, 1]), rng.pick([0, 1])];
    const shade = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><defs><linearGradient id="g" x1="${x1}" y1="${y1}" x2="${1 - x1}" y2="${1 - y1}"><stop offset="0" stop-color="#fff"/><stop offset="1" stop-color="rgb(${dark},${dark},${dark})"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`);
    img = await sharp(img).composite([{ input: shade, blend: 'multiply' }]).png().toBuffer();
  }
  const desk = d.kind === 'camera' ? rng.pick(['#4a3b2f', '#2f3438', '#6b5a48', '#3c3c3c']) : '#ffffff';
  const margin = d.kind === 'camera' ? Math.round(Math.max(w, h) * rng.range(0.05, 0.15)) : Math.round(Math.max(w, h) * 0.02);
  let s = sharp(img).extend({ top: margin, bottom: margin, left: margin, right: margin, background: desk });
  img = await s.png().toBuffer();
  if (Math.abs(d.skew) > 0.01) img = await sharp(img).rotate(d.skew, { background: desk }).png().toBuffer();
  if (d.rotation) img = await sharp(img).rotate(d.rotation).png().toBuffer();
  s = sharp(img);
  if (d.blur >= 0.3) s = s.blur(d.blur);
  if (d.noise > 0) {
    const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
    for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, data[i]! + rng.gauss() * d.noise));
    s = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  }
  return d.jpegQuality === null ? s.png().toBuffer() : s.jpeg({ quality: d.jpegQuality }).toBuffer();
}
