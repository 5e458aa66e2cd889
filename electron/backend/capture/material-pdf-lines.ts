import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { Sha256Hex } from '../../../shared/hall/api.js';
import { createLogger } from '../log.js';
import type { CapturedPage, PageLine } from './types.js';

const log = createLogger('capture');

/**
 * The recognised lines of each captured page, kept for the material's searchable PDF: one small
 * JSON file per page, named by the stored page's sha256, beside the attachment blobs
 * (`blobs/page-lines/<sha256>.json`). The sha256 names the exact JPEG the boxes were measured on, so
 * the text layer always fits its image; nothing enters the case's state or its sync (the lines are
 * a by-product of capture, not a record). A page without a file — attached as a plain file, or
 * captured at another window — goes into the PDF as an image only.
 */

const Box = z.object({ x: z.number(), y: z.number(), width: z.number().nonnegative(), height: z.number().nonnegative() });
const PageLinesFile = z.object({
  v: z.literal(1),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  lines: z.array(z.object({ text: z.string().max(2000), confidence: z.number(), box: Box })).max(2000),
});
type PageLinesFile = z.infer<typeof PageLinesFile>;

export class PageLines {
  readonly dir: string;

  constructor(blobRoot: string) {
    this.dir = path.join(blobRoot, 'page-lines');
  }

  private file(sha256: string): string {
    return path.join(this.dir, `${Sha256Hex.parse(sha256)}.json`);
  }

  /** Keeps the lines of stored pages (written whole, then renamed: never half a file). A failure is logged, not thrown. */
  async keep(pages: ReadonlyArray<Pick<CapturedPage, 'stored' | 'lines'>>): Promise<void> {
    for (const p of pages) {
      if (p.lines.length === 0) continue;
      const body: PageLinesFile = {
        v: 1,
        width: p.stored.width,
        height: p.stored.height,
        lines: p.lines.map((l) => ({ text: l.text, confidence: l.confidence, box: { x: l.box.x, y: l.box.y, width: l.box.width, height: l.box.height } })),
      };
      const final = this.file(p.stored.sha256);
      const tmp = `${final}.${randomUUID()}.tmp`;
      try {
        await mkdir(this.dir, { recursive: true });
        await writeFile(tmp, JSON.stringify(body));
        await rename(tmp, final);
      } catch (err) {
        await rm(tmp, { force: true });
        log.warn(`could not keep the text lines of page ${p.stored.sha256.slice(0, 12)}; its PDF page will be an image only`, err);
      }
    }
  }

  /** The lines of a stored page measured on an image of this size, or [] when none were kept. */
  async of(sha256: string, size: { width: number; height: number }): Promise<PageLine[]> {
    let raw: string;
    try {
      raw = await readFile(this.file(sha256), 'utf8');
    } catch {
      return [];
    }
    try {
      const f = PageLinesFile.parse(JSON.parse(raw));
      if (f.width !== size.width || f.height !== size.height) {
        log.warn(`text lines of page ${sha256.slice(0, 12)} were measured on ${f.width}x${f.height}, the page is ${size.width}x${size.height}: left out`);
        return [];
      }
      return f.lines;
    } catch (err) {
      log.warn(`text lines of page ${sha256.slice(0, 12)} unreadable: left out`, err);
      return [];
    }
  }
}
