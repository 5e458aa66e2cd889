/**
 * Line breaking and fitting of Chinese text in a box. Pure: widths come from `widthEm`, the
 * advance of one character in em. Breaks may fall between any two Han characters; Latin words
 * and numbers stay whole unless longer than a line; closing punctuation never starts a line and
 * opening punctuation never ends one (避头尾).
 */

export type WidthEm = (ch: string) => number;

export interface FitStyle {
  size: number;
  minSize: number;
  lineHeight: number;
  /** First-line indent of each paragraph, in em. */
  indent: number;
  /** Continuation-line indent, in em (hanging indent of a list item). */
  hang?: number;
  fit: 'wrap' | 'shrink';
}

export interface FittedLine {
  text: string;
  /** Width of the text in pt, at the fitted size. */
  width: number;
  /** Left offset of the line (its indent) in pt. */
  offset: number;
}

export interface Fitted {
  size: number;
  lineHeight: number;
  lines: FittedLine[];
  /** lines × size × lineHeight, in pt. */
  height: number;
}

const NO_LINE_START = new Set([...'，。、；：？！）》」』】〕〉”’％%·…—,.;:?!)]}>、～〗﹞']);
const NO_LINE_END = new Set([...'（《「『【〔〈“‘([{<〖﹝']);
const WORD = /[A-Za-z0-9@#&_\-./+*=$¥￥×°℃'"]/;

/** Splits a paragraph into units that must not be broken. */
export function breakUnits(text: string): string[] {
  const chars = [...text];
  const units: string[] = [];
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i] as string;
    let unit = ch;
    i++;
    if (WORD.test(ch)) {
      while (i < chars.length && WORD.test(chars[i] as string)) unit += chars[i++];
    }
    units.push(unit);
  }
  // Glue opening punctuation to what follows and closing punctuation to what precedes.
  const glued: string[] = [];
  let pending = '';
  for (const u of units) {
    if (NO_LINE_END.has(u)) {
      pending += u;
      continue;
    }
    const cur = pending + u;
    pending = '';
    if (NO_LINE_START.has(u) && glued.length > 0 && u !== ' ') glued[glued.length - 1] += cur;
    else glued.push(cur);
  }
  if (pending) {
    if (glued.length > 0) glued[glued.length - 1] += pending;
    else glued.push(pending);
  }
  return glued;
}

function unitWidth(u: string, widthEm: WidthEm): number {
  let w = 0;
  for (const ch of u) w += widthEm(ch);
  return w;
}

interface EmLine {
  text: string;
  width: number;
  indent: number;
}

/** Wraps one paragraph to lines no wider than `maxEm` (widths in em). */
function wrapParagraph(text: string, maxEm: number, indent: number, hang: number, widthEm: WidthEm): EmLine[] | null {
  const lines: EmLine[] = [];
  let cur = '';
  let curW = 0;
  let lineIndent = indent;
  const push = () => {
    const trimmed = cur.replace(/ +$/u, '');
    lines.push({ text: trimmed, width: trimmed === cur ? curW : unitWidth(trimmed, widthEm), indent: lineIndent });
    cur = '';
    curW = 0;
    lineIndent = hang;
  };
  for (const u of breakUnits(text)) {
    const w = unitWidth(u, widthEm);
    if (curW + w <= maxEm - lineIndent + 1e-9) {
      cur += u;
      curW += w;
      continue;
    }
    if (u === ' ') {
      push();
      continue;
    }
    if (cur !== '') push();
    if (w <= maxEm - lineIndent + 1e-9) {
      cur = u;
      curW = w;
      continue;
    }
    // A unit longer than a line (a long number or a run of punctuation): split it by character.
    for (const ch of u) {
      const cw = widthEm(ch);
      if (cw > maxEm - lineIndent + 1e-9) return null;
      if (curW + cw > maxEm - lineIndent + 1e-9) push();
      cur += ch;
      curW += cw;
    }
  }
  if (cur !== '' || lines.length === 0) push();
  return lines;
}

function oneLine(text: string, indent: number, widthEm: WidthEm): EmLine[] {
  return text.split('\n').map((p) => ({ text: p, width: unitWidth(p, widthEm), indent }));
}

/** The sizes tried, largest first, in steps of 0.25 pt. */
export function sizeSteps(size: number, minSize: number): number[] {
  const out: number[] = [];
  for (let s = size; s >= minSize - 1e-9; s = Math.round((s - 0.25) * 100) / 100) out.push(s);
  if (out.length === 0 || (out[out.length - 1] as number) > minSize + 1e-9) out.push(minSize);
  return out;
}

/** Wraps (or keeps on one line) the whole text at em widths; null if it cannot be set at all. */
export function wrapEm(text: string, maxEm: number, style: Pick<FitStyle, 'indent' | 'hang'>, widthEm: WidthEm): EmLine[] | null {
  const out: EmLine[] = [];
  for (const para of text.split('\n')) {
    const lines = wrapParagraph(para, maxEm, style.indent, style.hang ?? 0, widthEm);
    if (!lines) return null;
    out.push(...lines);
  }
  return out;
}

/**
 * Sets `text` in a box `w` × `h` pt: the largest size from `size` down to `minSize` at which it
 * fits, on one line first when `fit` is `shrink`. Returns null when it does not fit at `minSize`.
 */
export function fitText(text: string, w: number, h: number, style: FitStyle, widthEm: WidthEm): Fitted | null {
  const steps = sizeSteps(style.size, Math.min(style.minSize, style.size));
  const paragraphs = text.split('\n').length;
  const attempt = (size: number, lines: EmLine[] | null): Fitted | null => {
    if (!lines) return null;
    const height = lines.length * size * style.lineHeight;
    if (height > h + 1e-6) return null;
    if (lines.some((l) => (l.width + l.indent) * size > w + 1e-6)) return null;
    return {
      size,
      lineHeight: style.lineHeight,
      height,
      lines: lines.map((l) => ({ text: l.text, width: l.width * size, offset: l.indent * size })),
    };
  };
  if (style.fit === 'shrink') {
    const single = oneLine(text, style.indent, widthEm);
    for (const size of steps) {
      if (paragraphs * size * style.lineHeight > h + 1e-6) continue;
      const got = attempt(size, single);
      if (got) return got;
    }
  }
  for (const size of steps) {
    const got = attempt(size, wrapEm(text, w / size, style, widthEm));
    if (got) return got;
  }
  return null;
}
