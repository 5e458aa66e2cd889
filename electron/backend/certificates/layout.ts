import { AppError } from '../../../shared/errors.js';
import { advanceEm, face, faceFor, type FaceName } from './fonts.js';
import type { ResolvedFields } from './fields.js';
import { layoutFlow } from './layout-flow.js';
import { fitText, type Fitted, type WidthEm } from './text-layout.js';
import { interpolate, placeholders, type Box, type TableElement, type Template, type TextElement, type TextStyle } from './template-schema.js';

/**
 * Lays a template out with its field values: every text is fitted to its box (wrapped, shrunk)
 * and placed in PDF points (origin bottom-left, y up). Pure apart from font metrics; the drawing
 * step only paints what this returns, so tests can measure every line against its box.
 */

export const PT_PER_MM = 72 / 25.4;

export type Layer = 'form' | 'data';

export interface PtBox {
  x: number;
  /** Bottom edge (PDF y). */
  y: number;
  w: number;
  h: number;
}

export interface PlacedText {
  kind: 'text';
  text: string;
  x: number;
  baseline: number;
  size: number;
  face: FaceName;
  width: number;
  color: string;
  layer: Layer;
  /** The box the text was fitted to. */
  box: PtBox;
  /** Where it came from, for messages and tests: `elements.3`, `elements.5.rows.1.cells.1`. */
  source: string;
}

export interface PlacedRule {
  kind: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  width: number;
  color: string;
  layer: Layer;
}

export type Placed = PlacedText | PlacedRule;

export interface DocumentLayout {
  width: number;
  height: number;
  items: Placed[];
}

const BLACK = '#000000';

export function widthEmFor(faceName: FaceName): WidthEm {
  const primary = face(faceName);
  return (ch) => {
    const cp = ch.codePointAt(0) ?? 0;
    return advanceEm(faceFor(primary, cp) ?? primary, cp);
  };
}

function ascentEm(faceName: FaceName): number {
  const f = face(faceName).font;
  return f['OS/2'].typoAscender / f.unitsPerEm;
}

export class Layouter {
  readonly items: Placed[] = [];
  readonly pageH: number;

  constructor(
    readonly template: Template,
    readonly fields: ResolvedFields,
  ) {
    this.pageH = template.page.height * PT_PER_MM;
  }

  /** A box given in mm from the top-left, as PDF points. */
  box(b: Box): PtBox {
    return { x: b.x * PT_PER_MM, y: this.pageH - (b.y + b.h) * PT_PER_MM, w: b.w * PT_PER_MM, h: b.h * PT_PER_MM };
  }

  value = (key: string): string => this.fields.text.get(key) ?? '';

  labelsOf(text: string): string {
    const labels = placeholders(text).map((k) => this.template.fields.find((f) => f.key === k)?.label ?? k);
    return labels.length > 0 ? labels.map((l) => `「${l}」`).join('') : '文书正文';
  }

  rule(x1: number, y1: number, x2: number, y2: number, width: number, color: string | undefined, layer: Layer) {
    if (width <= 0) return;
    this.items.push({ kind: 'line', x1, y1, x2, y2, width, color: color ?? BLACK, layer });
  }

  /** Places fitted lines in `box` (PDF points). */
  place(f: Fitted, box: PtBox, s: { face: FaceName; align: string; valign: string; color?: string | undefined }, layer: Layer, source: string) {
    const lineBox = f.size * f.lineHeight;
    const top = s.valign === 'middle' ? (box.h - f.height) / 2 : s.valign === 'bottom' ? box.h - f.height : 0;
    const asc = ascentEm(s.face);
    f.lines.forEach((line, i) => {
      if (line.text === '') return;
      const free = box.w - line.offset - line.width;
      const dx = line.offset + (s.align === 'center' ? free / 2 : s.align === 'right' ? free : 0);
      const baseline = box.y + box.h - (top + i * lineBox + (lineBox - f.size) / 2 + asc * f.size);
      this.items.push({ kind: 'text', text: line.text, x: box.x + dx, baseline, size: f.size, face: s.face, width: line.width, color: s.color ?? BLACK, layer, box, source });
    });
  }

  fitOrRefuse(text: string, raw: string, box: PtBox, style: Parameters<typeof fitText>[3], faceName: FaceName): Fitted {
    const f = fitText(text, box.w, box.h, style, widthEmFor(faceName));
    if (!f) {
      throw new AppError(
        'bad_request',
        `${this.labelsOf(raw)}内容过长，缩小到 ${style.minSize} 磅仍超出证照上的位置。请精简后再出具，未出具任何文书。`,
        `template ${this.template.id}: text of ${box.w.toFixed(1)}x${box.h.toFixed(1)} pt box does not fit: ${text.slice(0, 60)}`,
      );
    }
    return f;
  }

  text(e: TextElement, source: string) {
    const text = interpolate(e.text, this.value);
    if (text.trim() === '') return;
    const box = this.box(e.box);
    const style = { size: e.size, minSize: e.minSize ?? Math.min(e.size, 8), lineHeight: e.lineHeight, indent: e.indent, fit: e.fit };
    const f = this.fitOrRefuse(text, e.text, box, style, e.face);
    this.place(f, box, e, e.layer ?? (placeholders(e.text).length > 0 ? 'data' : 'form'), source);
  }

  table(e: TableElement, source: string) {
    const x0 = e.x * PT_PER_MM;
    const top = this.pageH - e.y * PT_PER_MM;
    const colX = [0];
    for (const c of e.columns) colX.push((colX[colX.length - 1] as number) + c * PT_PER_MM);
    const width = colX[colX.length - 1] as number;
    const bw = e.border * PT_PER_MM;
    let y = top;
    this.rule(x0, top, x0 + width, top, bw, e.color, 'form');
    e.rows.forEach((row, ri) => {
      const h = row.h * PT_PER_MM;
      let col = 0;
      this.rule(x0, y, x0, y - h, bw, e.color, 'form');
      row.cells.forEach((cell, ci) => {
        const left = x0 + (colX[col] as number);
        col += cell.span;
        const right = x0 + (colX[col] as number);
        this.rule(right, y, right, y - h, bw, e.color, 'form');
        const style: TextStyle = { ...e.style, ...stripUndefined(cell) };
        const text = interpolate(cell.text, this.value);
        if (text.trim() === '') return;
        const pad = e.padding * PT_PER_MM;
        const box: PtBox = { x: left + pad, y: y - h + pad, w: right - left - 2 * pad, h: h - 2 * pad };
        const size = style.size ?? 12;
        const faceName = style.face ?? 'song';
        const f = this.fitOrRefuse(text, cell.text, box, { size, minSize: style.minSize ?? Math.min(size, 8), lineHeight: style.lineHeight ?? 1.3, indent: 0, fit: cell.fit }, faceName);
        const layer = cell.layer ?? (placeholders(cell.text).length > 0 ? 'data' : 'form');
        this.place(f, box, { face: faceName, align: style.align ?? 'left', valign: style.valign ?? 'middle', color: style.color }, layer, `${source}.rows.${ri}.cells.${ci}`);
      });
      y -= h;
      this.rule(x0, y, x0 + width, y, bw, e.color, 'form');
    });
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Lays out every element of `template` with `fields`. Throws AppError when something cannot fit. */
export function layoutDocument(template: Template, fields: ResolvedFields): DocumentLayout {
  const l = new Layouter(template, fields);
  template.elements.forEach((e, i) => {
    const source = `elements.${i}`;
    if (e.type === 'text') l.text(e, source);
    else if (e.type === 'table') l.table(e, source);
    else if (e.type === 'flow') layoutFlow(l, e, source);
    else if (e.type === 'line') {
      const y = (mm: number) => l.pageH - mm * PT_PER_MM;
      l.rule(e.x1 * PT_PER_MM, y(e.y1), e.x2 * PT_PER_MM, y(e.y2), e.width * PT_PER_MM, e.color, e.layer);
    } else {
      const b = l.box(e.box);
      const w = e.width * PT_PER_MM;
      l.rule(b.x, b.y, b.x + b.w, b.y, w, e.color, e.layer);
      l.rule(b.x + b.w, b.y, b.x + b.w, b.y + b.h, w, e.color, e.layer);
      l.rule(b.x + b.w, b.y + b.h, b.x, b.y + b.h, w, e.color, e.layer);
      l.rule(b.x, b.y + b.h, b.x, b.y, w, e.color, e.layer);
    }
  });
  return { width: template.page.width * PT_PER_MM, height: l.pageH, items: l.items };
}
