/**
 * Document capture and smart extraction (智能抓取 / 智能填报) — the public surface for the UI
 * handlers and the case code. Everything runs under plain Node; OCR runs in a worker thread.
 */
export { CaptureService, type CaptureServiceOptions, type ImportOptions, type ImportResult, type SkippedPage } from './capture-service.js';
export { acceptSuggestions, sameValue, suggestAutofill, type AcceptResult, type AutofillOptions, type ExtractedValue, type FormEntry, type FormState, type Provenance, type Suggestion, type SuggestionKind } from './autofill.js';
export { catalogFieldKeys, DEFAULT_ROLE, roleOfMaterial, toFormValues, type MappingOptions } from './form-mapping.js';
export { searchablePdf, type PdfPage } from './searchable-pdf.js';
export { CAPTURE_MESSAGES } from './errors.js';
export { ScanRequestSchema, type ScanRequest, type ScannerCapabilities, type ScannerDevice, type SaneEnv } from './input/sane.js';
export { DOC_TYPES, DOC_TYPE_NAMES, DocTypeSchema, PageOptionsSchema, PipelineSettingsSchema, type CapturedPage, type DocType, type ExtractedField, type PageLine, type PipelineSettings, type Rect } from './types.js';
