import { deflateSync } from 'node:zlib';
import { drawObject, popGraphicsState, pushGraphicsState, type PDFDocument, type PDFPage } from 'pdf-lib';

/**
 * Vector artwork (seal, watermark, QR code) as Form XObjects whose content is written directly as
 * PDF operators and compressed once with zlib: what does not change between documents (an
 * office's specimen seal, the watermark of a page size) is built once per process.
 */

export interface FormContent {
  /** Compressed (FlateDecode) content stream. */
  bytes: Uint8Array;
  /** Bounding box in the form's own space. */
  bbox: readonly [number, number, number, number];
  /** Extended graphics states the content names with `/GSn gs`. */
  extGStates?: Record<string, { opacity?: number; multiply?: boolean }>;
}

export function formContent(ops: string, bbox: FormContent['bbox'], extGStates?: FormContent['extGStates']): FormContent {
  return { bytes: deflateSync(Buffer.from(ops, 'latin1')), bbox, extGStates };
}

/** Draws a form on the page, its origin moved to (x, y). */
export function drawForm(doc: PDFDocument, page: PDFPage, form: FormContent, x = 0, y = 0): void {
  const ctx = doc.context;
  const ext: Record<string, unknown> = {};
  for (const [name, g] of Object.entries(form.extGStates ?? {})) {
    ext[name] = {
      Type: 'ExtGState',
      ...(g.opacity !== undefined ? { ca: g.opacity, CA: g.opacity } : {}),
      ...(g.multiply ? { BM: 'Multiply' } : {}),
    };
  }
  // context.stream turns the plain dictionary into PDF objects (strings become names).
  const ref = ctx.register(
    ctx.stream(form.bytes, {
      Type: 'XObject',
      Subtype: 'Form',
      BBox: [...form.bbox],
      Matrix: [1, 0, 0, 1, x, y],
      Filter: 'FlateDecode',
      Resources: { ExtGState: ext },
    } as unknown as Parameters<typeof ctx.stream>[1]),
  );
  const name = page.node.newXObject('Ow', ref);
  page.pushOperators(pushGraphicsState(), drawObject(name), popGraphicsState());
}

const r = (v: number) => (Math.round(v * 1000) / 1000).toString();

/** A circle path (four Bézier arcs) centred on (cx, cy). */
export function circlePath(cx: number, cy: number, radius: number): string {
  const k = 0.5522847498 * radius;
  return [
    `${r(cx + radius)} ${r(cy)} m`,
    `${r(cx + radius)} ${r(cy + k)} ${r(cx + k)} ${r(cy + radius)} ${r(cx)} ${r(cy + radius)} c`,
    `${r(cx - k)} ${r(cy + radius)} ${r(cx - radius)} ${r(cy + k)} ${r(cx - radius)} ${r(cy)} c`,
    `${r(cx - radius)} ${r(cy - k)} ${r(cx - k)} ${r(cy - radius)} ${r(cx)} ${r(cy - radius)} c`,
    `${r(cx + k)} ${r(cy - radius)} ${r(cx + radius)} ${r(cy - k)} ${r(cx + radius)} ${r(cy)} c`,
    'h',
  ].join('\n');
}
