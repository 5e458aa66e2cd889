import { createHash } from 'node:crypto';
import { LineCapStyle, rgb, type PDFDocument, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';
import { advanceEm, face, faceFor, FONT_FEATURES, type FontFace } from './fonts.js';
import type { DocumentLayout, Layer, PlacedText } from './layout.js';

/**
 * Paints a DocumentLayout on a pdf-lib page. Each line is split into runs by the font that has
 * its glyphs (Noto Serif SC, else the Ext-B fallback) and every font is embedded as a subset
 * named with a six-letter tag (ABCDEF+NotoSerifSC-Regular) as PDF subsets are.
 */

export function hexColor(hex: string): RGB {
  const n = Number.parseInt(hex.slice(1), 16);
  return rgb(((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255);
}

/** Six capital letters from a seed, the subset tag of a font name. */
export function subsetTag(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  let tag = '';
  for (let i = 0; i < 6; i++) tag += String.fromCharCode(65 + ((h[i] ?? 0) % 26));
  return tag;
}

export class FontSet {
  private readonly fonts = new Map<string, Promise<PDFFont>>();

  constructor(
    private readonly doc: PDFDocument,
    private readonly seed: string,
  ) {}

  get(f: FontFace): Promise<PDFFont> {
    let hit = this.fonts.get(f.key);
    if (!hit) {
      hit = this.doc.embedFont(f.bytes, { subset: true, features: { ...FONT_FEATURES }, customName: `${subsetTag(`${this.seed}:${f.key}`)}+${f.postscriptName}` });
      this.fonts.set(f.key, hit);
    }
    return hit;
  }
}

/** Splits a line into runs of one font each. */
export function runs(t: Pick<PlacedText, 'text' | 'face'>): Array<{ face: FontFace; text: string; widthEm: number }> {
  const primary = face(t.face);
  const out: Array<{ face: FontFace; text: string; widthEm: number }> = [];
  for (const ch of t.text) {
    const cp = ch.codePointAt(0) ?? 0;
    const f = faceFor(primary, cp) ?? primary;
    const last = out[out.length - 1];
    const w = advanceEm(f, cp);
    if (last && last.face === f) {
      last.text += ch;
      last.widthEm += w;
    } else out.push({ face: f, text: ch, widthEm: w });
  }
  return out;
}

export async function drawLayout(page: PDFPage, layout: DocumentLayout, fonts: FontSet, layers: ReadonlySet<Layer>): Promise<void> {
  for (const item of layout.items) {
    if (!layers.has(item.layer)) continue;
    if (item.kind === 'line') {
      page.drawLine({
        start: { x: item.x1, y: item.y1 },
        end: { x: item.x2, y: item.y2 },
        thickness: item.width,
        color: hexColor(item.color),
        lineCap: LineCapStyle.Projecting,
      });
      continue;
    }
    let x = item.x;
    const color = hexColor(item.color);
    for (const r of runs(item)) {
      page.drawText(r.text, { x, y: item.baseline, size: item.size, font: await fonts.get(r.face), color });
      x += r.widthEm * item.size;
    }
  }
}
