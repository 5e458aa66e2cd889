import QRCode from 'qrcode';
import type { PDFDocument, PDFPage } from 'pdf-lib';
import { drawForm, formContent } from './form-xobject.js';

/**
 * The verification QR code, drawn as vector rectangles (one per horizontal run of dark modules,
 * all filled at once) so it stays sharp at any print resolution and costs a few KB. Error
 * correction M; a quiet zone of 4 modules is kept inside the given square, which is painted white.
 */

export interface QrMatrix {
  size: number;
  dark(row: number, col: number): boolean;
  version: number;
}

export function qrMatrix(text: string): QrMatrix {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const { size, data } = qr.modules;
  return { size, version: qr.version, dark: (r, c) => data[r * size + c] === 1 };
}

/** Draws the QR code of `text` in the square with bottom-left (x, y) and side `side`, in points. */
export function drawQr(doc: PDFDocument, page: PDFPage, text: string, x: number, y: number, side: number): QrMatrix {
  const m = qrMatrix(text);
  const quiet = 4;
  const unit = side / (m.size + 2 * quiet);
  const r3 = (v: number) => (Math.round(v * 1000) / 1000).toString();
  // A white square first, so no watermark shows through the light modules and the quiet zone.
  const ops: string[] = [`1 1 1 rg 0 0 ${r3(side)} ${r3(side)} re f`, '0 0 0 rg'];
  for (let r = 0; r < m.size; r++) {
    let c = 0;
    while (c < m.size) {
      if (!m.dark(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < m.size && m.dark(r, c)) c++;
      // A run reaches a hair into the row below so no hairline gaps show between rows.
      const bottom = side - (quiet + r + 1) * unit - 0.01;
      ops.push(`${r3((quiet + start) * unit)} ${r3(bottom)} ${r3((c - start) * unit)} ${r3(unit + 0.01)} re`);
    }
  }
  ops.push('f');
  drawForm(doc, page, formContent(ops.join('\n'), [0, 0, side, side]), x, y);
  return m;
}
