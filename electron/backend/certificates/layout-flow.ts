import { AppError } from '../../../shared/errors.js';
import type { FaceName } from './fonts.js';
import { widthEmFor, type Layouter, type Placed, type PtBox } from './layout.js';
import { sizeSteps, wrapEm, type Fitted, type WidthEm } from './text-layout.js';
import { interpolate, placeholders, type FlowBlock, type FlowElement } from './template-schema.js';

/**
 * Flows: paragraphs, lists and tables of a notice stacked top-down in one box, all shrunk by the
 * same factor until they fit (down to the flow's minSize), else refused naming their fields.
 */

export function layoutFlow(l: Layouter, e: FlowElement, source: string): void {
  const box = l.box(e.box);
  for (const size of sizeSteps(e.size, e.minSize ?? Math.min(e.size, 9))) {
    const placed = flowAt(l, e, box, size / e.size, source);
    if (placed) {
      l.items.push(...placed);
      return;
    }
  }
  const names = e.blocks.flatMap((b) => (b.kind === 'list' ? [b.items] : b.kind === 'table' ? [b.rows] : b.kind === 'paragraph' ? placeholders(b.text) : []));
  const labels = [...new Set(names.map((k) => l.template.fields.find((f) => f.key === k)?.label ?? k))];
  throw new AppError(
    'bad_request',
    `正文内容过多（${labels.map((x) => `「${x}」`).join('')}），缩小字号后仍超出一页。请精简后再出具，未出具任何文书。`,
    `template ${l.template.id}: flow ${source} does not fit at ${e.minSize ?? 9} pt`,
  );
}

/** Lays the flow out at `scale` of its sizes; null if it overflows the box. */
function flowAt(l: Layouter, e: FlowElement, box: PtBox, scale: number, source: string): Placed[] | null {
  const saved = l.items.length;
  let used = 0;
  const take = (h: number) => {
    used += h;
    return used <= box.h + 1e-6;
  };
  const fail = () => {
    l.items.length = saved;
    return null;
  };
  for (const [bi, b] of e.blocks.entries()) {
    const src = `${source}.blocks.${bi}`;
    if (b.kind === 'gap') {
      if (!take(b.lines * e.size * scale * e.lineHeight)) return fail();
      continue;
    }
    const faceName = b.face ?? e.face;
    const size = (b.size ?? e.size) * scale;
    const lh = b.lineHeight ?? e.lineHeight;
    const wEm = widthEmFor(faceName);
    if (b.kind === 'table') {
      const h = flowTable(l, b, { x: box.x, y: box.y, w: box.w, h: box.h - used }, size, lh, faceName, src);
      if (h === null || !take(h)) return fail();
      continue;
    }
    if (b.kind === 'paragraph' && b.omitIfEmpty && placeholders(b.text).some((k) => l.value(k).trim() === '')) continue;
    const paras = b.kind === 'paragraph' ? [{ text: interpolate(b.text, l.value), hang: 0 }] : listItems(l, b, wEm);
    for (const p of paras) {
      if (p.text.trim() === '') continue;
      const lines = wrapEm(p.text, box.w / size, { indent: b.indent, hang: b.indent + p.hang }, wEm);
      if (!lines) return fail();
      const h = lines.length * size * lh;
      const at: PtBox = { x: box.x, y: box.y + box.h - used - h, w: box.w, h };
      if (!take(h)) return fail();
      const f: Fitted = { size, lineHeight: lh, height: h, lines: lines.map((l) => ({ text: l.text, width: l.width * size, offset: l.indent * size })) };
      if (f.lines.some((l) => l.offset + l.width > box.w + 1e-6)) return fail();
      l.place(f, at, { face: faceName, align: b.align ?? 'left', valign: 'top', color: b.color }, 'data', src);
    }
  }
  const placed = l.items.splice(saved);
  return placed;
}

function listItems(l: Layouter, b: Extract<FlowBlock, { kind: 'list' }>, wEm: WidthEm): Array<{ text: string; hang: number }> {
  return (l.fields.lists.get(b.items) ?? []).map((item, i) => {
    const marker = b.marker === 'decimal' ? `${i + 1}. ` : b.marker === 'cjk' ? `（${cjkNumber(i + 1)}）` : '';
    let hang = 0;
    for (const ch of marker) hang += wEm(ch);
    return { text: marker + item, hang };
  });
}

/** A table of a rows field; returns its height or null if a cell cannot be set. */
function flowTable(l: Layouter, b: Extract<FlowBlock, { kind: 'table' }>, box: PtBox, size: number, lh: number, faceName: FaceName, src: string): number | null {
  const rows = l.fields.rows.get(b.rows) ?? [];
  if (rows.length === 0) return 0; // an optional table left empty is not drawn at all
  const total = b.columns.reduce((a, c) => a + c.weight, 0);
  const widths = b.columns.map((c) => (c.weight / total) * box.w);
  const pad = size * 0.35;
  const bw = 0.5;
  const header = b.columns.map((c) => c.header);
  const body = rows.map((r, i) => b.columns.map((c) => (c.key === '#' ? String(i + 1) : (r[c.key] ?? ''))));
  let y = box.y + box.h;
  l.rule(box.x, y, box.x + box.w, y, bw, undefined, 'data');
  for (const [ri, cells] of [header, ...body].entries()) {
    const cellFace: FaceName = ri === 0 ? 'songBold' : faceName;
    const wrapped = cells.map((t, ci) => wrapEm(t, ((widths[ci] as number) - 2 * pad) / size, { indent: 0 }, widthEmFor(cellFace)));
    if (wrapped.some((w) => w === null)) return null;
    const h = Math.max(...wrapped.map((w) => (w as NonNullable<typeof w>).length)) * size * lh + 2 * pad;
    if (box.y + box.h - (y - h) > box.h + 1e-6) return null;
    let x = box.x;
    l.rule(x, y, x, y - h, bw, undefined, 'data');
    wrapped.forEach((lines, ci) => {
      const w = widths[ci] as number;
      const cellBox: PtBox = { x: x + pad, y: y - h + pad, w: w - 2 * pad, h: h - 2 * pad };
      const f: Fitted = { size, lineHeight: lh, height: (lines as NonNullable<typeof lines>).length * size * lh, lines: (lines ?? []).map((l) => ({ text: l.text, width: l.width * size, offset: 0 })) };
      const align = ri === 0 ? 'center' : (b.columns[ci]?.align ?? 'left');
      l.place(f, cellBox, { face: cellFace, align, valign: 'middle' }, 'data', `${src}.rows.${ri}.cells.${ci}`);
      x += w;
      l.rule(x, y, x, y - h, bw, undefined, 'data');
    });
    y -= h;
    l.rule(box.x, y, box.x + box.w, y, bw, undefined, 'data');
  }
  return box.y + box.h - y;
}

const CJK_DIGITS = '〇一二三四五六七八九';
/** 1 → 一, 12 → 十二, 20 → 二十 (up to 99). */
export function cjkNumber(n: number): string {
  if (n < 10) return CJK_DIGITS[n] ?? String(n);
  if (n >= 100) return String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : CJK_DIGITS[tens]}十${ones === 0 ? '' : CJK_DIGITS[ones]}`;
}
