import { z } from 'zod';
import { SEMANTIC_KEY } from '../../../shared/catalog/fields.js';

/**
 * Certificate and notice templates as data (resources/templates/<id>.json). Geometry is in
 * millimetres from the top-left corner of the page, as measured on pre-printed paper; font sizes
 * are in points (二号 22, 三号 16, 四号 14, 小四 12, 五号 10.5, 小五 9). Every box that holds text
 * wraps or shrinks its text down to `minSize`; what still does not fit is refused, never drawn
 * outside the box.
 *
 * Text may hold placeholders `{key}`: a declared field or a built-in (BUILTIN_KEYS). A field of
 * kind `date` is written 2026年5月1日. `\n` in a text starts a new line.
 */

export const TEMPLATE_ID = /^[a-z][a-z0-9_]*$/;

/** Values the renderer supplies itself. */
export const BUILTIN_KEYS = ['doc.number', 'doc.title', 'doc.issuedAt', 'office.name', 'verify.url', 'verify.id'] as const;
export type BuiltinKey = (typeof BUILTIN_KEYS)[number];

const Mm = z.number().finite().min(0).max(1000);
const PositiveMm = z.number().finite().positive().max(1000);
const Pt = z.number().finite().min(4).max(96);
const Key = z.string().regex(SEMANTIC_KEY, 'must be a dotted key such as enterprise.name');

export const Box = z.strictObject({ x: Mm, y: Mm, w: PositiveMm, h: PositiveMm });
export type Box = z.infer<typeof Box>;

export const Face = z.enum(['song', 'songBold']);
export const Align = z.enum(['left', 'center', 'right']);
export const VAlign = z.enum(['top', 'middle', 'bottom']);
export const Color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #c00000');
/** `form`: printed on blank paper only (pre-printed stock has it); `data`: always printed. */
export const Layer = z.enum(['form', 'data']);

/** Text style; on table cells and flow blocks every entry may be left out and is inherited. */
const styleShape = {
  face: Face,
  size: Pt,
  minSize: Pt,
  lineHeight: z.number().min(1).max(3),
  align: Align,
  valign: VAlign,
  color: Color,
};
export const TextStyle = z.strictObject(styleShape).partial();
export type TextStyle = z.infer<typeof TextStyle>;

export const Fit = z.enum(['wrap', 'shrink']);

export const TextElement = z.strictObject({
  type: z.literal('text'),
  box: Box,
  text: z.string().min(1),
  ...styleShape,
  face: Face.default('song'),
  minSize: Pt.optional(),
  lineHeight: z.number().min(1).max(3).default(1.35),
  align: Align.default('left'),
  valign: VAlign.default('top'),
  color: Color.optional(),
  /** `wrap`: break into lines, shrink if too many; `shrink`: one line while it can, then wrap. */
  fit: Fit.default('wrap'),
  /** First-line indent in characters (公文 paragraphs: 2). */
  indent: z.number().min(0).max(8).default(0),
  layer: Layer.optional(),
});
export type TextElement = z.infer<typeof TextElement>;

/** A rule's width (mm), colour and layer. */
const stroke = { width: PositiveMm.default(0.3), color: Color.optional(), layer: Layer.default('form') };

export const LineElement = z.strictObject({ type: z.literal('line'), x1: Mm, y1: Mm, x2: Mm, y2: Mm, ...stroke });
export type LineElement = z.infer<typeof LineElement>;

export const RectElement = z.strictObject({ type: z.literal('rect'), box: Box, ...stroke });
export type RectElement = z.infer<typeof RectElement>;

export const TableCell = z.strictObject({
  text: z.string(),
  /** Columns this cell spans. */
  span: z.number().int().min(1).max(20).default(1),
  fit: Fit.default('wrap'),
  ...TextStyle.shape,
  layer: Layer.optional(),
});
export type TableCell = z.infer<typeof TableCell>;

export const TableElement = z.strictObject({
  type: z.literal('table'),
  x: Mm,
  y: Mm,
  columns: z.array(PositiveMm).min(1).max(20),
  rows: z.array(z.strictObject({ h: PositiveMm, cells: z.array(TableCell).min(1) })).min(1),
  /** Default style of the cells. */
  style: TextStyle.default({}),
  padding: Mm.default(1.5),
  /** Grid line width; 0 for a borderless table of labels and values. */
  border: Mm.default(0.3),
  color: Color.optional(),
});
export type TableElement = z.infer<typeof TableElement>;

export const FlowBlock = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('paragraph'),
    text: z.string().min(1),
    indent: z.number().min(0).max(8).default(2),
    /** Leave the paragraph out when any of its placeholders is empty (an optional field not given). */
    omitIfEmpty: z.boolean().default(false),
    ...TextStyle.shape,
  }),
  z.strictObject({
    kind: z.literal('list'),
    /** A field of kind `list`. */
    items: Key,
    /** 1. 2. / （一）（二） / none. */
    marker: z.enum(['decimal', 'cjk', 'none']).default('decimal'),
    indent: z.number().min(0).max(8).default(2),
    ...TextStyle.shape,
  }),
  z.strictObject({
    kind: z.literal('table'),
    /** A field of kind `rows`. */
    rows: Key,
    /** Column widths are relative weights; key `#` is the row's serial number. */
    columns: z
      .array(z.strictObject({ header: z.string().min(1), key: z.string().min(1), weight: z.number().positive().max(100), align: Align.default('left') }))
      .min(1)
      .max(8),
    ...TextStyle.shape,
  }),
  z.strictObject({ kind: z.literal('gap'), lines: z.number().positive().max(10) }),
]);
export type FlowBlock = z.infer<typeof FlowBlock>;

/** A column of paragraphs, lists and tables stacked top-down in a box, shrunk together to fit. */
export const FlowElement = z.strictObject({
  type: z.literal('flow'),
  box: Box,
  face: Face.default('song'),
  size: Pt,
  minSize: Pt.optional(),
  lineHeight: z.number().min(1).max(3).default(1.6),
  blocks: z.array(FlowBlock).min(1),
});
export type FlowElement = z.infer<typeof FlowElement>;

export const Element = z.discriminatedUnion('type', [TextElement, LineElement, RectElement, TableElement, FlowElement]);
export type Element = z.infer<typeof Element>;

export const FieldKind = z.enum(['text', 'date', 'list', 'rows']);
export type FieldKind = z.infer<typeof FieldKind>;

/**
 * A value the case does not hold but a public rule fixes, computed when the case has none for the
 * field (neither under its key nor under `from`). `periodEnd`: the last day of a period of `years`
 * that begins on the date `from` (a case date such as case.decidedAt) — 有效期至 of a licence
 * valid 5 years from its decision (2026-05-11 → 2031-05-10). `basis` names the rule.
 */
export const FieldCompute = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('periodEnd'), from: Key, years: z.number().int().min(1).max(100), basis: z.string().min(1).max(200) }),
]);
export type FieldCompute = z.infer<typeof FieldCompute>;

export const FieldDeclaration = z.strictObject({
  key: Key,
  label: z.string().min(1),
  kind: FieldKind.default('text'),
  required: z.boolean().default(true),
  /** Case fields that supply this one, first present wins (权利人 ← buyer.name / enterprise.name). */
  from: z.array(Key).min(1).optional(),
  maxLength: z.number().int().positive().max(5000).default(500),
  /** For kind `rows`: the keys a row may hold. */
  columns: z.array(z.string().min(1)).min(1).optional(),
  /** Computed by a public rule when the case has no value (electron/backend/certificates/case-fields.ts). */
  compute: FieldCompute.optional(),
});
export type FieldDeclaration = z.infer<typeof FieldDeclaration>;

export const Numbering = z.discriminatedUnion('style', [
  /** 机关代字〔年份〕序号号: 齐审批受〔2026〕12号 (`word` is appended to the office's abbreviation). */
  z.strictObject({ style: z.literal('official'), word: z.string().max(4).default('') }),
  /** A licence number: `{year}`, `{serial:7}` (zero-padded), `{division}` (行政区划代码). */
  z.strictObject({ style: z.literal('pattern'), pattern: z.string().min(1).max(80) }),
]);
export type Numbering = z.infer<typeof Numbering>;

export const Template = z
  .strictObject({
    id: z.string().regex(TEMPLATE_ID),
    version: z.number().int().min(1),
    /** The document's name; `{doc.title}` prints it unless the matter names its result otherwise. */
    name: z.string().min(1),
    kind: z.enum(['notice', 'decision', 'receipt', 'certificate']),
    /** Paper size in mm (A4 210×297; certificates in their own shapes). */
    page: z.strictObject({ width: PositiveMm, height: PositiveMm }),
    fields: z.array(FieldDeclaration),
    /** The field that names to whom the document is issued (shown on the verification page). */
    holder: Key,
    /** Key fields copied into the signed verification record. */
    recordFields: z.array(Key).max(8),
    numbering: Numbering,
    elements: z.array(Element).min(1),
    /** Where the seal is pressed: its centre, over the office name and date. */
    seal: z.strictObject({ cx: Mm, cy: Mm, diameter: PositiveMm.default(42) }),
    qr: z.strictObject({ x: Mm, y: Mm, size: PositiveMm.min(15) }),
  })
  .superRefine((t, ctx) => {
    const keys = new Map(t.fields.map((f) => [f.key, f]));
    if (keys.size !== t.fields.length) ctx.addIssue({ code: 'custom', path: ['fields'], message: 'duplicate field key' });
    const known = (k: string) => keys.has(k) || (BUILTIN_KEYS as readonly string[]).includes(k);
    if (!known(t.holder)) ctx.addIssue({ code: 'custom', path: ['holder'], message: `holder ${t.holder} is not a field` });
    t.recordFields.forEach((k, i) => {
      if (!known(k)) ctx.addIssue({ code: 'custom', path: ['recordFields', i], message: `${k} is not a field` });
    });
    t.fields.forEach((f, i) => {
      if (f.compute && f.kind !== 'date') ctx.addIssue({ code: 'custom', path: ['fields', i, 'compute'], message: `only a date field is computed (${f.key} is ${f.kind})` });
      if ((f.kind === 'rows') !== (f.columns !== undefined)) {
        ctx.addIssue({ code: 'custom', path: ['fields', i, 'columns'], message: 'a rows field and only a rows field has columns' });
      }
    });
    const checkText = (text: string, path: PropertyKey[]) => {
      for (const k of placeholders(text)) {
        const f = keys.get(k);
        if (!known(k)) ctx.addIssue({ code: 'custom', path, message: `unknown placeholder {${k}}` });
        else if (f && (f.kind === 'list' || f.kind === 'rows')) ctx.addIssue({ code: 'custom', path, message: `{${k}} is a ${f.kind} field; use a flow block` });
      }
    };
    const inPage = (x: number, y: number, path: PropertyKey[]) => {
      if (x > t.page.width + 0.01 || y > t.page.height + 0.01) ctx.addIssue({ code: 'custom', path, message: `(${x}, ${y}) mm lies outside the page` });
    };
    t.elements.forEach((e, i) => {
      const p = ['elements', i];
      if (e.type === 'text' || e.type === 'rect' || e.type === 'flow') inPage(e.box.x + e.box.w, e.box.y + e.box.h, p);
      if (e.type === 'line') inPage(Math.max(e.x1, e.x2), Math.max(e.y1, e.y2), p);
      if (e.type === 'text') checkText(e.text, [...p, 'text']);
      if (e.type === 'table') {
        const width = e.columns.reduce((a, b) => a + b, 0);
        const height = e.rows.reduce((a, r) => a + r.h, 0);
        inPage(e.x + width, e.y + height, p);
        e.rows.forEach((r, j) => {
          const spans = r.cells.reduce((a, c) => a + c.span, 0);
          if (spans !== e.columns.length) ctx.addIssue({ code: 'custom', path: [...p, 'rows', j], message: `cells span ${spans} columns, the table has ${e.columns.length}` });
          r.cells.forEach((c, k) => checkText(c.text, [...p, 'rows', j, 'cells', k, 'text']));
        });
      }
      if (e.type === 'flow') {
        e.blocks.forEach((b, j) => {
          const bp = [...p, 'blocks', j];
          if (b.kind === 'paragraph') checkText(b.text, bp);
          if (b.kind === 'list' && keys.get(b.items)?.kind !== 'list') ctx.addIssue({ code: 'custom', path: bp, message: `${b.items} is not a list field` });
          if (b.kind === 'table') {
            const f = keys.get(b.rows);
            if (f?.kind !== 'rows') ctx.addIssue({ code: 'custom', path: bp, message: `${b.rows} is not a rows field` });
            for (const c of b.columns) {
              if (c.key !== '#' && f?.columns && !f.columns.includes(c.key)) ctx.addIssue({ code: 'custom', path: bp, message: `column ${c.key} is not among ${b.rows}'s columns` });
            }
          }
        });
      }
    });
    const r = t.seal.diameter / 2;
    inPage(t.seal.cx + r, t.seal.cy + r, ['seal']);
    inPage(t.qr.x + t.qr.size, t.qr.y + t.qr.size, ['qr']);
  });
export type Template = z.infer<typeof Template>;
export type TemplateInput = z.input<typeof Template>;

const PLACEHOLDER = /\{([a-zA-Z][a-zA-Z0-9]*(?:\.[a-zA-Z][a-zA-Z0-9]*)+)\}/g;

/** The keys named by `{key}` placeholders in a text. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/** Replaces each `{key}` with `value(key)`. */
export function interpolate(text: string, value: (key: string) => string): string {
  return text.replace(PLACEHOLDER, (_m, k: string) => value(k));
}
