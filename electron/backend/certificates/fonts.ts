import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import type { Font as FontkitFont, Glyph } from 'fontkit';
import { AppError } from '../../../shared/errors.js';
import { repoRoot } from '../../../upstream/config.js';

/**
 * Fonts for certificates. The Song-style face is Noto Serif SC (OFL) read from
 * node_modules/@expo-google-fonts/noto-serif-sc; characters it lacks (rare Ext-B name characters
 * such as 𠮷) fall back, glyph by glyph, to HanaMinB then HanaMinA (Debian `fonts-hanazono`,
 * or resources/fonts/, or the file named by ONEWINDOW_FALLBACK_FONTS, path-separated).
 *
 * pdf-lib 1.17 is given fontkit 2 through `fontkitAdapter`: pdf-lib calls `encodeStream()` on a
 * subset, fontkit 2 offers `encode()` (the stock @pdf-lib/fontkit corrupts CJK subsets).
 * Parsed fonts are cached per file for the life of the process. Text is mapped to glyphs one
 * character to one glyph (no shaping): Chinese needs none, and widths then equal advanceEm().
 */

export type FaceName = 'song' | 'songBold';

export interface FontFace {
  /** Stable key: the file path. */
  readonly key: string;
  readonly bytes: Uint8Array;
  readonly font: FontkitFont;
  readonly postscriptName: string;
}

const parsed = new Map<string, FontFace>();
const byBytes = new WeakMap<Uint8Array, FontkitFont>();

function loadFace(file: string): FontFace {
  const hit = parsed.get(file);
  if (hit) return hit;
  const buf = readFileSync(file);
  const font = fontkit.create(buf);
  if (!('unitsPerEm' in font) || 'fonts' in font) {
    throw new AppError('internal', '证照字体文件无效，请联系管理员。', `${file} is a font collection or not a font`);
  }
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  byBytes.set(bytes, font);
  const face: FontFace = { key: file, bytes, font, postscriptName: font.postscriptName };
  parsed.set(file, face);
  return face;
}

function notoFile(weight: '400Regular' | '700Bold'): string {
  const req = createRequire(path.join(repoRoot(), 'package.json'));
  let dir: string;
  try {
    dir = path.dirname(req.resolve('@expo-google-fonts/noto-serif-sc/package.json'));
  } catch {
    dir = path.join(repoRoot(), 'node_modules', '@expo-google-fonts', 'noto-serif-sc');
  }
  const file = path.join(dir, weight, `NotoSerifSC_${weight}.ttf`);
  const local = path.join(repoRoot(), 'resources', 'fonts', `NotoSerifSC_${weight}.ttf`);
  if (existsSync(file)) return file;
  if (existsSync(local)) return local;
  throw new AppError('internal', '缺少证照字体（思源宋体），无法生成证照，请联系管理员重新安装。', `not found: ${file}`);
}

/** Fallback font files in the order they are tried. Missing files are skipped. */
export function fallbackFontFiles(): string[] {
  const env = process.env.ONEWINDOW_FALLBACK_FONTS;
  const named = env ? env.split(path.delimiter).filter(Boolean) : [];
  const candidates = [
    ...named,
    path.join(repoRoot(), 'resources', 'fonts', 'HanaMinB.ttf'),
    '/usr/share/fonts/truetype/hanazono/HanaMinB.ttf',
    path.join(repoRoot(), 'resources', 'fonts', 'HanaMinA.ttf'),
    '/usr/share/fonts/truetype/hanazono/HanaMinA.ttf',
  ];
  const seen = new Set<string>();
  return candidates.filter((f) => {
    if (seen.has(f) || !existsSync(f)) return false;
    seen.add(f);
    return true;
  });
}

const faces = new Map<FaceName, FontFace>();

export function face(name: FaceName): FontFace {
  let f = faces.get(name);
  if (!f) {
    f = loadFace(notoFile(name === 'song' ? '400Regular' : '700Bold'));
    faces.set(name, f);
  }
  return f;
}

let fallbackFaces: FontFace[] | undefined;
function fallbacks(): FontFace[] {
  fallbackFaces ??= fallbackFontFiles().map(loadFace);
  return fallbackFaces;
}

const IGNORABLE = /[\u200b-\u200d\ufeff]/u;

/**
 * The face that draws code point `cp` for text set in `primary`: the primary face if it has the
 * glyph, else the first fallback that has it, else undefined (the character cannot be printed).
 */
export function faceFor(primary: FontFace, cp: number): FontFace | undefined {
  if (primary.font.hasGlyphForCodePoint(cp)) return primary;
  for (const f of fallbacks()) if (f.font.hasGlyphForCodePoint(cp)) return f;
  return undefined;
}

const advanceCache = new Map<string, Map<number, number>>();

/** Advance width of `cp` in `f`, in em (1 = font size). */
export function advanceEm(f: FontFace, cp: number): number {
  let m = advanceCache.get(f.key);
  if (!m) {
    m = new Map();
    advanceCache.set(f.key, m);
  }
  let w = m.get(cp);
  if (w === undefined) {
    const g: Glyph = f.font.glyphForCodePoint(cp);
    w = g.advanceWidth / f.font.unitsPerEm;
    m.set(cp, w);
  }
  return w;
}

/** Characters of `text` no configured font can print (deduplicated, in order). */
export function unprintable(text: string, primary: FontFace): string[] {
  const out: string[] = [];
  for (const ch of text) {
    if (ch === '\n' || IGNORABLE.test(ch)) continue;
    const cp = ch.codePointAt(0) ?? 0;
    if (!faceFor(primary, cp) && !out.includes(ch)) out.push(ch);
  }
  return out;
}

/** Font features off so that what pdf-lib draws has exactly the widths measured here. */
export const FONT_FEATURES = { liga: false, clig: false, dlig: false, calt: false, kern: false } as const;

interface SubsetLike {
  encode(): Uint8Array;
}

function subsetWithStream<S extends SubsetLike>(subset: S): S & { encodeStream(): EventEmitter } {
  return Object.assign(subset, {
    encodeStream(): EventEmitter {
      const emitter = new EventEmitter();
      setImmediate(() => {
        try {
          emitter.emit('data', subset.encode());
          emitter.emit('end');
        } catch (err) {
          emitter.emit('error', err);
        }
      });
      return emitter;
    },
  });
}

/**
 * The object given to `PDFDocument.registerFontkit`. `create` returns the cached fontkit 2 font
 * for bytes that came from `face()` and wraps `createSubset` so its subsets have `encodeStream`.
 */
export const fontkitAdapter = {
  create(data: Uint8Array): FontkitFont {
    let font = byBytes.get(data);
    if (!font) {
      const created = fontkit.create(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      if ('fonts' in created) throw new AppError('internal', '证照字体文件无效，请联系管理员。', 'font collection given to pdf-lib');
      font = created;
      byBytes.set(data, font);
    }
    const base = font;
    return new Proxy(base, {
      get(target, prop) {
        if (prop === 'createSubset') return () => subsetWithStream(target.createSubset() as unknown as SubsetLike);
        // One glyph per character without OpenType shaping: the features that would change
        // glyphs are off anyway (FONT_FEATURES), and shaping CJK text is the slowest step.
        if (prop === 'layout') return (text: string) => ({ glyphs: target.glyphsForString(text) });
        const v: unknown = Reflect.get(target, prop, target);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  },
};
