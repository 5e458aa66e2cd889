import { z } from 'zod';
import { DOC_TYPES, type DocType } from './extract/doc-types.js';
import type { ExtractedField } from './extract/extract.js';
import type { Rect } from './image/raster.js';

/** What capture hands back for a page, and the options callers may set (validated with zod). */

export { DOC_TYPES, DOC_TYPE_NAMES, type DocType } from './extract/doc-types.js';
export type { ExtractedField } from './extract/extract.js';
export type { Rect } from './image/raster.js';

export const DocTypeSchema = z.enum(DOC_TYPES);

export const PageOptionsSchema = z.strictObject({
  /** Skip type recognition: read the page as this type. */
  docType: DocTypeSchema.optional(),
  /** The file's name, for messages only (the content decides what it is). */
  fileName: z.string().max(500).optional(),
});
export type PageOptions = z.infer<typeof PageOptionsSchema>;

export const PipelineSettingsSchema = z.strictObject({
  /** Long side of the stored copy, px (A4 at 300 dpi is 3508). */
  storeMaxSide: z.number().int().min(800).max(6000).default(2480),
  /** JPEG quality of the stored copy. */
  jpegQuality: z.number().int().min(30).max(100).default(82),
  /** Long side of the copy the recogniser reads (≤ 1600 keeps time and memory in check). */
  recognitionMaxSide: z.number().int().min(640).max(2400).default(1600),
  /** Long side of the copy the text detector looks at (its cost grows with the area). */
  detectionMaxSide: z.number().int().min(480).max(2400).default(1280),
  /** Long side of the small copy that gives text direction, skew and the document's edges. */
  analysisMaxSide: z.number().int().min(480).max(1600).default(800),
  /** Ink share below which a page is blank (NAPS2 uses 0.25 %). */
  blankCoverage: z.number().min(0).max(0.05).default(0.0015),
});
export type PipelineSettings = z.infer<typeof PipelineSettingsSchema>;

/** One recognised line on the stored page (for the searchable PDF and the page view). */
export interface PageLine {
  text: string;
  confidence: number;
  box: Rect;
}

export interface CapturedPage {
  /** The bytes the page came from (an image file, or a page rendered from a PDF). */
  source: { sha256: string; mime: string; size: number; width: number; height: number };
  /** The normalised copy to store (upright, levelled, cropped, JPEG). */
  stored: { sha256: string; mime: 'image/jpeg'; bytes: Uint8Array; width: number; height: number };
  blank: boolean;
  inkCoverage: number;
  /** Clockwise quarter turn applied, and the small levelling rotation (degrees). */
  rotation: 0 | 90 | 180 | 270;
  skew: number;
  cropped: boolean;
  docType: DocType | null;
  /** 0–1 share of the type's keywords found (1 when the caller named the type). */
  typeConfidence: number;
  fields: ExtractedField[];
  /** Fields the type should carry that were not found. */
  missing: string[];
  lines: PageLine[];
  engine: string;
  timings: Record<string, number>;
}
