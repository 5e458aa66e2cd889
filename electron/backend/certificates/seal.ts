import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { concatTransformationMatrix, drawObject, popGraphicsState, pushGraphicsState, setGraphicsState, type PDFDocument, type PDFPage } from 'pdf-lib';
import { z } from 'zod';
import { AppError } from '../../../shared/errors.js';
import { circlePath, drawForm, formContent, type FormContent } from './form-xobject.js';
import { charOutline, lineOutline, multiply, rotate, scale, translate } from './outline.js';
import { PT_PER_MM } from './layout.js';

/**
 * Seals. An office that imported its own seal image (transparent PNG or SVG) gets it pressed over
 * its name and date. An office without one gets a drawn specimen (国发〔1999〕25号 shape: round,
 * red, five-pointed star, the office's name left to right round the upper rim, 行政审批专用章 below
 * the star) that says 样章, and the page is watermarked 样本: OneWindow never draws what could pass
 * for a real seal without the office's own image.
 */

/** An office's seal settings (the county bureau and each branch have their own). */
export interface OfficeSeal {
  officeId: string;
  officeName: string;
  /** The office's seal image: PNG (transparent background) or SVG bytes. None → specimen seal. */
  sealImage?: Uint8Array;
  /** PKCS#12 (.p12/.pfx, AES/PBES2 as OpenSSL 3 and Windows 10+ export) with the signing key and certificate. */
  p12?: Uint8Array;
  p12Password?: string;
  /** Instead of p12: the PKCS#8 private key and the certificate chain (signer first), PEM. */
  keyPem?: string;
  certPem?: string;
}

const Bytes = z.instanceof(Uint8Array);
export const OfficeSealSchema = z.strictObject({
  officeId: z.string().min(1).max(64),
  officeName: z.string().min(2).max(40),
  sealImage: Bytes.optional(),
  p12: Bytes.optional(),
  p12Password: z.string().max(200).optional(),
  keyPem: z.string().max(20000).optional(),
  certPem: z.string().max(100000).optional(),
});

const RED = '0.84 0.02 0.05';
const specimenForms = new Map<string, FormContent>();

/** The specimen seal as a form centred on its origin (cached per office name and size). */
export function specimenSealForm(officeName: string, diameterMm: number): FormContent {
  const key = `${officeName}\u0000${diameterMm}`;
  const hit = specimenForms.get(key);
  if (hit) return hit;
  const k = (diameterMm / 42) * PT_PER_MM; // one millimetre of a 42 mm seal, in points
  const rim = 1.2 * k;
  const R = 21 * k - rim / 2;
  const paths: string[] = [];
  // Five-pointed star, one point up.
  const outer = 7 * k;
  const inner = outer * 0.382;
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const a = Math.PI / 2 + (i * Math.PI) / 5;
    paths.push(`${(r * Math.cos(a)).toFixed(3)} ${(r * Math.sin(a)).toFixed(3)} ${i === 0 ? 'm' : 'l'}`);
  }
  paths.push('h');
  // The office name round the upper rim, left to right, tops outward.
  const chars = [...officeName];
  const span = Math.min((250 * Math.PI) / 180, Math.max((170 * Math.PI) / 180, chars.length * ((24 * Math.PI) / 180)));
  const step = span / chars.length;
  let h = 6.2 * k; // character height
  const squeeze = 0.78;
  let rText = R - rim / 2 - 1.0 * k - h / 2;
  const fitW = 0.86 * step * rText;
  if (h * squeeze > fitW) {
    h = fitW / squeeze;
    rText = R - rim / 2 - 1.0 * k - h / 2;
  }
  chars.forEach((ch, i) => {
    const a = Math.PI / 2 + span / 2 - (i + 0.5) * step;
    const m = multiply(translate(rText * Math.cos(a), rText * Math.sin(a)), multiply(rotate(a - Math.PI / 2), scale(h * squeeze, h)));
    paths.push(charOutline(ch, 'songBold', m));
  });
  // The seal's use below the star, and the specimen mark below that.
  paths.push(lineOutline('行政审批专用章', 'songBold', 4.3 * k, 0, -10.6 * k, 0.82));
  paths.push(lineOutline('样章', 'songBold', 4.6 * k, 0, -16.0 * k, 1.25));
  const ops = ['/GS0 gs', `${RED} rg ${RED} RG`, `${rim.toFixed(3)} w`, circlePath(0, 0, R), 'S', ...paths, 'f'].join('\n');
  const half = 21 * k + 1;
  const form = formContent(ops, [-half, -half, half, half], { GS0: { opacity: 0.92, multiply: true } });
  specimenForms.set(key, form);
  return form;
}

/** Draws the specimen seal centred on (cx, cy) pt. */
export function drawSpecimenSeal(doc: PDFDocument, page: PDFPage, cx: number, cy: number, diameterMm: number, officeName: string): void {
  drawForm(doc, page, specimenSealForm(officeName, diameterMm), cx, cy);
}

const watermarks = new Map<string, FormContent>();

/** Diagonal 样本 across the page, light grey, under everything drawn after it. */
export function drawWatermark(doc: PDFDocument, page: PDFPage, text = '样本'): void {
  const { width, height } = page.getSize();
  const key = `${width}x${height}:${text}`;
  let form = watermarks.get(key);
  if (!form) {
    const size = Math.min(width, height) / 4.2;
    const angle = Math.PI / 6;
    const paths: string[] = [];
    const cols = width > height ? 3 : 2;
    const rows = width > height ? 2 : 3;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        paths.push(lineOutline(text, 'songBold', size, ((c + 0.5) / cols) * width, ((r + 0.5) / rows) * height, 1.15, angle));
      }
    }
    form = formContent(['/GS0 gs', '0.55 0.55 0.55 rg', ...paths, 'f'].join('\n'), [0, 0, width, height], { GS0: { opacity: 0.11 } });
    watermarks.set(key, form);
  }
  drawForm(doc, page, form);
}

type SealKind = 'png' | 'svg';

function sealKind(bytes: Uint8Array): SealKind | null {
  if (bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('utf8');
  if (/<svg[\s>]/i.test(head)) return 'svg';
  return null;
}

const prepared = new Map<string, SealRaster>();
const SEAL_PIXELS = 800;

/** A seal image ready for any document: colour and alpha planes, each compressed (FlateDecode). */
export interface SealRaster {
  /** Size of the alpha plane (the seal's shape). */
  width: number;
  height: number;
  /** Size of the colour plane. */
  colourWidth: number;
  colourHeight: number;
  rgb: Uint8Array;
  alpha: Uint8Array;
}

/**
 * Checks an imported seal image (PNG or SVG) and rasterises it once: at most 800 px a side
 * (about 480 dpi for a 42 mm seal; SVG is rendered at that size). Refuses a file that is neither
 * PNG nor SVG, a damaged one, or a PNG too small to print sharply.
 */
export async function prepareSealImage(bytes: Uint8Array): Promise<SealRaster> {
  const key = createHash('sha256').update(bytes).digest('hex');
  const hit = prepared.get(key);
  if (hit) return hit;
  const kind = sealKind(bytes);
  if (!kind) throw new AppError('bad_request', '印章图片格式不支持：请导入透明背景的 PNG 或 SVG 文件。', 'seal image is neither PNG nor SVG');
  const { default: sharp } = await import('sharp');
  let raster: SealRaster;
  try {
    const meta = await sharp(Buffer.from(bytes)).metadata();
    if (!meta.width || !meta.height) throw new Error('no size');
    const longest = Math.max(meta.width, meta.height);
    if (kind === 'png' && Math.min(meta.width, meta.height) < 200) {
      throw new AppError('bad_request', `印章图片分辨率过低（${meta.width}×${meta.height} 像素），请导入不小于 400×400 像素的图片。`, 'seal image too small');
    }
    const img = kind === 'svg' ? sharp(Buffer.from(bytes), { density: Math.min(2400, (72 * SEAL_PIXELS) / longest) }) : sharp(Buffer.from(bytes));
    const { data, info } = await img.resize(SEAL_PIXELS, SEAL_PIXELS, { fit: 'inside', withoutEnlargement: kind === 'png' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const n = info.width * info.height;
    const alpha = Buffer.alloc(n);
    let [sr, sg, sb, count] = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const a = data[i * 4 + 3] as number;
      alpha[i] = a;
      if (a >= 128) {
        sr += data[i * 4] as number;
        sg += data[i * 4 + 1] as number;
        sb += data[i * 4 + 2] as number;
        count += 1;
      }
    }
    // The colour plane at a quarter of the resolution (the alpha plane carries the sharp shape);
    // transparent pixels take the seal's mean colour so edges do not fade towards white.
    const mean = count > 0 ? [sr, sg, sb].map((v) => Math.round(v / count)) : [255, 255, 255];
    const rgbFull = Buffer.alloc(n * 3);
    for (let i = 0; i < n; i++) {
      const opaque = (alpha[i] as number) >= 128;
      for (let c = 0; c < 3; c++) rgbFull[i * 3 + c] = opaque ? (data[i * 4 + c] as number) : (mean[c] as number);
    }
    const cw = Math.max(1, Math.round(info.width / 4));
    const ch = Math.max(1, Math.round(info.height / 4));
    const rgb = await sharp(rgbFull, { raw: { width: info.width, height: info.height, channels: 3 } }).resize(cw, ch).raw().toBuffer();
    raster = { width: info.width, height: info.height, colourWidth: cw, colourHeight: ch, rgb: deflateSync(rgb), alpha: deflateSync(alpha) };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('bad_request', '印章图片已损坏，无法读取。请重新导入印章图片。', `seal image: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (prepared.size > 32) prepared.clear();
  prepared.set(key, raster);
  return raster;
}

/** Presses the office's own seal image centred on (cx, cy), its longer side `diameterMm`, multiplied onto the page. */
export async function drawImportedSeal(doc: PDFDocument, page: PDFPage, cx: number, cy: number, diameterMm: number, bytes: Uint8Array): Promise<void> {
  const r = await prepareSealImage(bytes);
  const ctx = doc.context;
  const image = (data: Uint8Array, w: number, h: number, colorSpace: string, extra: Record<string, unknown>) =>
    ctx.register(ctx.stream(data, { Type: 'XObject', Subtype: 'Image', Width: w, Height: h, ColorSpace: colorSpace, BitsPerComponent: 8, Filter: 'FlateDecode', ...extra } as unknown as Parameters<typeof ctx.stream>[1]));
  // A soft mask may be finer than its image (ISO 32000-1, 11.6.5.3): shape at full resolution.
  const smask = image(r.alpha, r.width, r.height, 'DeviceGray', {});
  const ref = image(r.rgb, r.colourWidth, r.colourHeight, 'DeviceRGB', { SMask: smask });
  const name = page.node.newXObject('Seal', ref);
  const gs = page.node.newExtGState('GS', ctx.obj({ Type: 'ExtGState', BM: 'Multiply' }));
  const d = diameterMm * PT_PER_MM;
  const s = d / Math.max(r.width, r.height);
  const w = r.width * s;
  const h = r.height * s;
  page.pushOperators(pushGraphicsState(), setGraphicsState(gs), concatTransformationMatrix(w, 0, 0, h, cx - w / 2, cy - h / 2), drawObject(name), popGraphicsState());
}
