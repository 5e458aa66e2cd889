import type { Rng } from './random.js';

/** What a synthetic document is made of before it is drawn: a background (SVG) and text items. */

export type DocType = 'idcard_front' | 'idcard_back' | 'business_license' | 'property_certificate' | 'birth_certificate';
export const DOC_TYPES: readonly DocType[] = ['idcard_front', 'idcard_back', 'business_license', 'property_certificate', 'birth_certificate'];

export interface TextItem {
  text: string;
  x: number;
  y: number;
  size: number;
  font: FontChoice;
  color: string;
  /** Extra space between letters, in px. */
  spacing?: number;
  bold?: boolean;
  /** The ground-truth field this text shows (its region is recorded). */
  field?: string;
}

export interface FontChoice {
  family: string;
  /** A font file for families fontconfig does not know. */
  file?: string;
}

export interface DocSpec {
  type: DocType;
  width: number;
  height: number;
  /** SVG markup (without the <svg> element) drawn under the text. */
  background: string;
  paper: string;
  items: TextItem[];
  /** Ground truth: field name → value as a clerk would type it. */
  fields: Record<string, string>;
}

const SERIF_SC = new URL('../../../node_modules/@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf', import.meta.url).pathname;
export const FONTS: readonly FontChoice[] = [
  { family: 'Noto Sans CJK SC' },
  { family: 'Noto Serif CJK SC' },
  { family: 'Noto Serif SC', file: SERIF_SC },
  { family: 'Noto Sans Mono CJK SC' },
];

export function pickFonts(rng: Rng): { label: FontChoice; value: FontChoice; code: FontChoice } {
  return { label: rng.pick(FONTS.slice(0, 3)), value: rng.pick(FONTS.slice(0, 3)), code: rng.pick(FONTS) };
}

/**
 * Splits text into lines of about `n` characters. As Chinese typesetting does (避头尾), a line
 * never starts with closing punctuation: it stays at the end of the line before.
 */
export function wrap(text: string, n: number): string[] {
  const chars = [...text];
  const out: string[] = [];
  let i = 0;
  while (i < chars.length) {
    let end = Math.min(chars.length, i + n);
    while (end < chars.length && '。，；：、）》”'.includes(chars[end]!)) end++;
    out.push(chars.slice(i, end).join(''));
    i = end;
  }
  return out;
}

/** `1985-03-07` as printed on an ID card: `1985 年 3 月 7 日` (spaced or not). */
export function cardDate(iso: string, spaced: boolean): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return spaced ? `${y} 年 ${m} 月 ${d} 日` : `${y}年${m}月${d}日`;
}

export function zhDate(iso: string): string {
  const [y, m, d] = iso.split('-') as [string, string, string];
  return `${y}年${m}月${d}日`;
}

/** A faint wavy security pattern. */
export function guilloche(rng: Rng, w: number, h: number, color: string): string {
  let s = '';
  const n = rng.int(6, 12);
  for (let i = 0; i < n; i++) {
    const y0 = rng.range(0, h);
    const amp = rng.range(8, 30);
    const period = rng.range(80, 220);
    let d = `M 0 ${y0.toFixed(1)}`;
    for (let x = 10; x <= w; x += 10) d += ` L ${x} ${(y0 + amp * Math.sin((x / period) * 2 * Math.PI)).toFixed(1)}`;
    s += `<path d="${d}" stroke="${color}" stroke-width="1" fill="none" opacity="0.35"/>`;
  }
  return s;
}

/** A red round seal with a star (a drawn specimen, as documents carry). */
export function seal(cx: number, cy: number, r: number): string {
  const star: string[] = [];
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const rr = i % 2 === 0 ? r * 0.3 : r * 0.12;
    star.push(`${(cx + rr * Math.cos(a)).toFixed(1)},${(cy + rr * Math.sin(a)).toFixed(1)}`);
  }
  return `<g opacity="0.75"><circle cx="${cx}" cy="${cy}" r="${r}" stroke="#d22" stroke-width="${(r * 0.06).toFixed(1)}" fill="none"/><polygon points="${star.join(' ')}" fill="#d22"/></g>`;
}

/** A QR-like block of random modules. */
export function qrBlock(rng: Rng, x: number, y: number, size: number): string {
  const n = 25;
  const m = size / n;
  let s = `<rect x="${x}" y="${y}" width="${size}" height="${size}" fill="#fff"/>`;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    const finder = (i < 7 && j < 7) || (i < 7 && j >= n - 7) || (i >= n - 7 && j < 7);
    const on = finder ? (Math.max(Math.abs((i % (n - 7)) - 3), Math.abs((j % (n - 7)) - 3)) !== 2) : rng.chance(0.5);
    if (on) s += `<rect x="${(x + j * m).toFixed(1)}" y="${(y + i * m).toFixed(1)}" width="${m.toFixed(1)}" height="${m.toFixed(1)}" fill="#111"/>`;
  }
  return s;
}
