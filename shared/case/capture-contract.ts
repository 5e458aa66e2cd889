import { z } from 'zod';
import { method } from '../contract-method.js';
import { CASE_ATTACH_MAX_BYTES } from './contract.js';
import { CaseId, PageRegion, Sha256 } from './types.js';
import { CaseView } from './view.js';

/**
 * The workstation methods of capture (智能抓取 / 智能填报): a photo, a scan or a file becomes pages
 * stored on a material of the case, what each page says is recorded (document_read) and set against
 * the form as suggestions; the clerk accepts them (all, or one by one) and the form keeps where each
 * value came from. Spread into `Contract` (shared/contract.ts); the scan's page event into `Events`.
 */

const MaterialId = z.string().min(1).max(80);
/** Capture's document types (electron/backend/capture/extract/doc-types.ts). */
export const CaptureDocType = z.enum(['idcard_front', 'idcard_back', 'business_license', 'property_certificate', 'birth_certificate']);

/** One field read from a page, by its name within the document type (name, idNumber, uscc …). */
export const CapturedFieldView = z.object({
  field: z.string(),
  /** Chinese label (姓名, 公民身份号码 …). */
  label: z.string(),
  value: z.string(),
  confidence: z.number().min(0).max(1),
  valid: z.boolean(),
  problem: z.string().optional(),
  /** x, y, width, height on the stored page, in its pixels. */
  region: PageRegion,
});
export type CapturedFieldView = z.infer<typeof CapturedFieldView>;

/** A page as stored on the material (the normalised copy: upright, levelled, cropped). */
export const CapturedPageView = z.object({
  sha256: Sha256,
  /** Index of the page in the file or the scan (0-based). */
  index: z.number().int().nonnegative(),
  docType: CaptureDocType.nullable(),
  /** 居民身份证（人像面） …, or null when the type was not recognised. */
  docTypeName: z.string().nullable(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  fields: z.array(CapturedFieldView),
});
export type CapturedPageView = z.infer<typeof CapturedPageView>;

/**
 * A value for the form. new: the field is empty. same: it holds this value already. replace: capture
 * filled it earlier with another value. conflict: the clerk typed another value — never taken
 * without the clerk choosing this suggestion by itself.
 */
export const SuggestionKind = z.enum(['new', 'same', 'replace', 'conflict']);
export type SuggestionKind = z.infer<typeof SuggestionKind>;

export const CaptureSuggestion = z.object({
  /** The form key (legalRep.name …) and its label on the form. */
  key: z.string(),
  label: z.string(),
  value: z.string(),
  kind: SuggestionKind,
  /** The form's value when the suggestion was made ('' when empty). */
  current: z.string(),
  confidence: z.number().min(0).max(1),
  /** Below the confidence "accept all" takes, or not a valid value: the clerk checks it. */
  low: z.boolean(),
  valid: z.boolean(),
  problem: z.string().optional(),
  /** Taken by 全部采用 (confident, valid, no clerk value in the way). */
  acceptAll: z.boolean(),
  /** Where it was read: the page, the document field and the region on the page. */
  sha256: Sha256,
  docType: z.string(),
  field: z.string(),
  region: PageRegion,
});
export type CaptureSuggestion = z.infer<typeof CaptureSuggestion>;

export const CaptureResult = z.object({
  view: CaseView,
  pages: z.array(CapturedPageView),
  suggestions: z.array(CaptureSuggestion),
  /** Pages left out (blank), with the reason in Chinese. */
  skipped: z.array(z.object({ index: z.number().int().nonnegative(), reason: z.string() })),
});
export type CaptureResult = z.infer<typeof CaptureResult>;

export const ScannerView = z.object({ id: z.string(), vendor: z.string(), model: z.string(), type: z.string() });
export type ScannerView = z.infer<typeof ScannerView>;
export const ScannerOptionsView = z.object({
  paperSources: z.array(z.enum(['glass', 'feeder', 'duplex'])),
  resolutions: z.array(z.number().int()),
  modes: z.array(z.enum(['color', 'gray', 'lineart'])),
});
export type ScannerOptionsView = z.infer<typeof ScannerOptionsView>;

/** The largest file capture takes through the contract: the attachment limit (base64 in the call). */
export const CAPTURE_MAX_BYTES = CASE_ATTACH_MAX_BYTES;

const CaptureTarget = { caseId: CaseId, materialId: MaterialId, docType: CaptureDocType.optional() };

export const CaptureMethods = {
  /** Imports a photo, a scanned image or a PDF onto a material: its pages stored, read and suggested for the form. */
  'case.capture': method(
    z
      .object({
        ...CaptureTarget,
        name: z.string().trim().min(1).max(200),
        mime: z.string().max(100),
        dataBase64: z.string().max(Math.ceil((CAPTURE_MAX_BYTES * 4) / 3) + 4),
      })
      .strict(),
    CaptureResult,
    { session: true },
  ),
  /**
   * Takes suggested values into the form with their provenance. Each value must be what the page was
   * read as; `expected` is the form's value the clerk saw (a field changed since is refused).
   */
  'case.acceptSuggestions': method(
    z
      .object({
        caseId: CaseId,
        accept: z
          .array(z.object({ key: z.string().min(1).max(80), value: z.string().max(2000), sha256: Sha256, expected: z.string().max(2000).optional() }).strict())
          .min(1)
          .max(60),
      })
      .strict(),
    CaseView,
    { session: true },
  ),
  /** A stored page of the case, to show it (personal data: recorded in the audit log). */
  'capture.page': method(
    z.object({ caseId: CaseId, sha256: Sha256 }).strict(),
    z.object({ sha256: Sha256, mime: z.string(), dataBase64: z.string() }),
    { session: true },
  ),
  /**
   * The case file's searchable PDF of one material (its pages in order, each with its invisible text
   * layer): `<material name>-<case no>.pdf`. Personal data leaving the case: audited as an export.
   */
  'case.materialPdf': method(
    z.object({ caseId: CaseId, materialId: MaterialId }).strict(),
    z.object({ pdfBase64: z.string(), fileName: z.string(), pages: z.number().int().positive() }),
    { session: true },
  ),
  'capture.scanners': method(z.object({}).strict(), z.object({ scanners: z.array(ScannerView) }), { session: true }),
  'capture.scannerOptions': method(z.object({ device: z.string().min(1).max(200) }).strict(), ScannerOptionsView, { session: true }),
  /** Scans onto a material (glass, feeder or both sides); each page is announced as it arrives (capture.scanPage). */
  'capture.scan': method(
    z
      .object({
        ...CaptureTarget,
        device: z.string().min(1).max(200),
        source: z.enum(['glass', 'feeder', 'duplex']),
        dpi: z.number().int().min(75).max(1200),
        mode: z.enum(['color', 'gray', 'lineart']),
        /** Feeder pages at most (default: until the feeder is empty). */
        maxPages: z.number().int().min(1).max(200).optional(),
        /** Backend options for SANE's test device only (tests, demonstrations). */
        extra: z.record(z.string().regex(/^test-[a-z-]+$/), z.string().max(60)).optional(),
      })
      .strict(),
    CaptureResult,
    { session: true },
  ),
} as const;

/** A scanned page recognised (not stored yet: pages are stored when the whole scan succeeded). */
export const ScanPageEvent = z.object({
  caseId: z.string(),
  materialId: z.string(),
  index: z.number().int().nonnegative(),
  docTypeName: z.string().nullable(),
  /** A small JPEG of the page, base64. */
  thumbBase64: z.string(),
});
export type ScanPageEvent = z.infer<typeof ScanPageEvent>;

export const CaptureEvents = {
  'capture.scanPage': ScanPageEvent,
} as const;
