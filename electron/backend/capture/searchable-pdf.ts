import { PDFDocument, popGraphicsState, pushGraphicsState, setCharacterSqueeze, setTextRenderingMode, TextRenderingMode, type PDFFont } from 'pdf-lib';
import { AppError } from '../../../shared/errors.js';
import { face, FONT_FEATURES, fontkitAdapter } from '../certificates/fonts.js';
import { CAPTURE_MESSAGES, captureError } from './errors.js';
import type { PageLine } from './types.js';

/**
 * A searchable PDF of one material for the case file: each stored page image fills a page (long
 * side 842 pt, A4's), with the recognised lines laid over it as invisible text (render mode 3),
 * each line scaled horizontally (Tz) to cover exactly its box, so that selecting or searching in a
 * viewer lands on the words in the picture. The CJK font (Noto Serif SC, subset) and the fontkit 2
 * adapter come from the certificates module.
 */

export interface PdfPage {
  /** JPEG bytes of the stored page. */
  jpeg: Uint8Array;
  width: number;
  height: number;
  lines: readonly PageLine[];
}

const LONG_SIDE_PT = 842;

function printable(supported: ReadonlySet<number>, text: string): string {
  return [...text].filter((ch) => supported.has(ch.codePointAt(0)!)).join('');
}

export async function searchablePdf(pages: readonly PdfPage[], meta: { title?: string } = {}): Promise<Uint8Array> {
  if (pages.length === 0) throw captureError('bad_request', '没有可生成 PDF 的页面。', 'no pages');
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkitAdapter as unknown as Parameters<PDFDocument['registerFontkit']>[0]);
  let font: PDFFont;
  try {
    font = await doc.embedFont(face('song').bytes, { subset: true, features: FONT_FEATURES });
  } catch (err) {
    throw err instanceof AppError ? err : captureError('internal', CAPTURE_MESSAGES.fontMissing, String(err));
  }
  const supported = new Set(font.getCharacterSet());
  for (const p of pages) {
    const k = LONG_SIDE_PT / Math.max(p.width, p.height);
    const W = p.width * k;
    const H = p.height * k;
    const page = doc.addPage([W, H]);
    const img = await doc.embedJpg(p.jpeg);
    page.drawImage(img, { x: 0, y: 0, width: W, height: H });
    for (const line of p.lines) {
      const text = printable(supported, line.text.replace(/\s+/g, ' ').trim());
      if (!text) continue;
      const size = Math.max(1, line.box.height * k * 0.8);
      const natural = font.widthOfTextAtSize(text, size);
      const squeeze = natural > 0 ? Math.max(10, Math.min(400, ((line.box.width * k) / natural) * 100)) : 100;
      page.pushOperators(pushGraphicsState(), setTextRenderingMode(TextRenderingMode.Invisible), setCharacterSqueeze(squeeze));
      page.drawText(text, { x: line.box.x * k, y: H - (line.box.y + line.box.height * 0.85) * k, size, font });
      page.pushOperators(popGraphicsState());
    }
  }
  if (meta.title) doc.setTitle(meta.title);
  doc.setProducer('OneWindow capture');
  return doc.save({ useObjectStreams: true });
}
