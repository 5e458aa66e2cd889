import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { CAPTURE_MESSAGES, captureError } from './errors.js';
import { classify, extractFields, missingFields } from './extract/extract.js';
import { decodePage } from './image/decode.js';
import { normalizePage } from './image/normalize-page.js';
import { scaleRect } from './image/raster.js';
import { stopwatch } from './stopwatch.js';
import { importKind, MIME } from './input/sniff.js';
import { ENGINE_ID, type OcrEngine, type OcrLine } from './ocr/engine.js';
import type { CapturedPage, PageOptions, PipelineSettings } from './types.js';

/**
 * One page, start to end: check what the bytes are, decode, normalise (orientation, skew, crop,
 * blank check), recognise the text, tell the document type, extract its fields, and encode the
 * stored copy. Pure computation on the bytes given: nothing is written anywhere, so a failure
 * leaves nothing behind. Runs inside the capture worker (and in-process for the CLI).
 */

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export async function capturePage(engine: OcrEngine, bytes: Uint8Array, opts: PageOptions, settings: PipelineSettings): Promise<CapturedPage> {
  const timings: Record<string, number> = {};
  let lap = stopwatch(timings);
  const kind = importKind(bytes, opts.fileName);
  if (kind === 'pdf') throw captureError('bad_request', CAPTURE_MESSAGES.unsupported, 'a PDF must be split into pages first (importFile)');
  const src = await decodePage(bytes, { maxSide: settings.storeMaxSide });
  lap('decode');
  const norm = await normalizePage(src, engine, {
    analysisMaxSide: settings.analysisMaxSide,
    recognitionMaxSide: settings.recognitionMaxSide,
    detectionMaxSide: settings.detectionMaxSide,
    blankCoverage: settings.blankCoverage,
  });
  Object.assign(timings, norm.timings);
  lap = stopwatch(timings);
  // the stored copy is encoded on libuv's threads while the recogniser runs on this one
  const encoding = sharp(norm.page.data, { raw: { width: norm.page.width, height: norm.page.height, channels: 3 } })
    .jpeg({ quality: settings.jpegQuality, mozjpeg: false })
    .toBuffer();
  // (should recognition fail, the encoding's own failure must not go unhandled)
  encoding.catch(() => undefined);
  const lines: OcrLine[] = (await engine.recognizeAll(norm.rec, norm.regions.map((r) => r.box))).filter((l) => l.text.trim() !== '' && l.confidence >= 0.5);
  lap('recognize');
  const scale = norm.page.width / norm.rec.width;
  const classification = opts.docType ? { type: opts.docType, confidence: 1 } : classify(lines);
  const docType = norm.blank ? null : classification.type;
  const fields = docType ? extractFields(lines, docType, norm.rec, scale) : [];
  lap('extract');
  const jpeg = await encoding;
  lap('encode');
  const round = (n: number): number => Math.round(n);
  return {
    source: { sha256: sha256(bytes), mime: MIME[kind], size: bytes.length, width: src.sourceWidth, height: src.sourceHeight },
    stored: { sha256: sha256(jpeg), mime: 'image/jpeg', bytes: new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.length), width: norm.page.width, height: norm.page.height },
    blank: norm.blank,
    inkCoverage: Math.round(norm.inkCoverage * 1e5) / 1e5,
    rotation: norm.rotation,
    skew: Math.round(norm.skew * 100) / 100,
    cropped: norm.cropped,
    docType,
    typeConfidence: docType ? Math.round(classification.confidence * 1000) / 1000 : 0,
    fields,
    missing: docType ? missingFields(docType, fields) : [],
    lines: [...lines]
      .sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x)
      .map((l) => {
        const b = scaleRect(l.box, scale);
        return { text: l.text.trim(), confidence: Math.round(l.confidence * 1000) / 1000, box: { x: round(b.x), y: round(b.y), width: round(b.width), height: round(b.height) } };
      }),
    engine: ENGINE_ID,
    timings,
  };
}
