import { advanceEm, face, faceFor, type FaceName } from './fonts.js';

/**
 * Glyph outlines as vector paths, for what must look printed but must not read as text: the
 * characters of a drawn seal and the 样本 watermark (pdftotext then returns only the document's
 * own text). Paths are PDF path operators (m l c h) in PDF points, to be filled by the caller.
 */

/** [a, b, c, d, e, f]: x' = a·x + c·y + e, y' = b·x + d·y + f. */
export type Matrix = readonly [number, number, number, number, number, number];

export function multiply(m: Matrix, n: Matrix): Matrix {
  // m after n.
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

export const translate = (x: number, y: number): Matrix => [1, 0, 0, 1, x, y];
export const scale = (sx: number, sy: number = sx): Matrix => [sx, 0, 0, sy, 0, 0];
export const rotate = (rad: number): Matrix => [Math.cos(rad), Math.sin(rad), -Math.sin(rad), Math.cos(rad), 0, 0];

const n = (v: number) => (Math.round(v * 10) / 10).toString();

/**
 * The outline of one character, its em box centred on the origin (x from −advance/2, y from the
 * ideographic bottom to top, unit 1 em), mapped by `m` into PDF points.
 */
export function charOutline(ch: string, faceName: FaceName, m: Matrix): string {
  const primary = face(faceName);
  const cp = ch.codePointAt(0) ?? 0;
  const f = faceFor(primary, cp) ?? primary;
  const font = f.font;
  const upm = font.unitsPerEm;
  const glyph = font.glyphForCodePoint(cp);
  const adv = advanceEm(f, cp);
  const os2 = font['OS/2'];
  const mid = (os2.typoAscender + os2.typoDescender) / 2 / upm;
  const local = multiply(m, multiply(translate(-adv / 2, -mid), scale(1 / upm)));
  const pt = (x: number, y: number) => `${n(local[0] * x + local[2] * y + local[4])} ${n(local[1] * x + local[3] * y + local[5])}`;
  const out: string[] = [];
  let cx = 0;
  let cy = 0;
  for (const c of glyph.path.commands) {
    const a = c.args;
    switch (c.command) {
      case 'moveTo':
        out.push(`${pt(a[0] as number, a[1] as number)} m`);
        [cx, cy] = [a[0] as number, a[1] as number];
        break;
      case 'lineTo':
        out.push(`${pt(a[0] as number, a[1] as number)} l`);
        [cx, cy] = [a[0] as number, a[1] as number];
        break;
      case 'quadraticCurveTo': {
        const [qx, qy, x, y] = a as [number, number, number, number];
        // Quadratic to cubic: control points at 2/3 of the way to the quadratic control point.
        out.push(`${pt(cx + (2 / 3) * (qx - cx), cy + (2 / 3) * (qy - cy))} ${pt(x + (2 / 3) * (qx - x), y + (2 / 3) * (qy - y))} ${pt(x, y)} c`);
        [cx, cy] = [x, y];
        break;
      }
      case 'bezierCurveTo': {
        const [x1, y1, x2, y2, x, y] = a as [number, number, number, number, number, number];
        out.push(`${pt(x1, y1)} ${pt(x2, y2)} ${pt(x, y)} c`);
        [cx, cy] = [x, y];
        break;
      }
      case 'closePath':
        out.push('h');
        break;
    }
  }
  return out.join('\n');
}

/** Outline of a horizontal line of text centred on (x, y) in PDF points, `size` pt, `squeeze` = width factor. */
export function lineOutline(text: string, faceName: FaceName, size: number, x: number, y: number, squeeze = 1, angle = 0): string {
  const chars = [...text];
  const primary = face(faceName);
  const widths = chars.map((ch) => {
    const cp = ch.codePointAt(0) ?? 0;
    return advanceEm(faceFor(primary, cp) ?? primary, cp) * size * squeeze;
  });
  const total = widths.reduce((a, b) => a + b, 0);
  let left = -total / 2;
  const parts: string[] = [];
  chars.forEach((ch, i) => {
    const w = widths[i] as number;
    const along = left + w / 2;
    left += w;
    const m = multiply(translate(x, y), multiply(rotate(angle), multiply(translate(along, 0), scale(size * squeeze, size))));
    parts.push(charOutline(ch, faceName, m));
  });
  return parts.join('\n');
}
