import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../../../../shared/errors.js';
import { CAPTURE_MESSAGES, captureError } from '../errors.js';

/**
 * A PDF becomes page images through poppler (`pdfinfo`, `pdftoppm` from poppler-utils), one page at
 * a time so each can be processed as soon as it exists. A PDF that asks for a password is refused
 * (one restricted only in its permissions opens without a password and is read); a damaged one too.
 * The temporary directory is removed whatever happens.
 */

const run = promisify(execFile);
export const MAX_PDF_PAGES = 100;

export interface PdfInfo {
  pages: number;
  encrypted: boolean;
}

function toolMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT';
}

export async function pdfInfo(file: string): Promise<PdfInfo> {
  try {
    const { stdout } = await run('pdfinfo', [file], { timeout: 30_000, maxBuffer: 1 << 20 });
    const pages = Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1] ?? NaN);
    if (!Number.isFinite(pages)) throw captureError('bad_request', CAPTURE_MESSAGES.pdfCorrupt, 'pdfinfo printed no page count');
    return { pages, encrypted: /^Encrypted:\s+yes/m.test(stdout) };
  } catch (err) {
    if (toolMissing(err)) throw captureError('internal', CAPTURE_MESSAGES.pdfToolMissing, 'pdfinfo not found');
    if (err instanceof AppError) throw err;
    const stderr = String((err as { stderr?: string }).stderr ?? err);
    if (/password/i.test(stderr)) throw captureError('bad_request', CAPTURE_MESSAGES.pdfEncrypted, stderr.trim());
    throw captureError('bad_request', CAPTURE_MESSAGES.pdfCorrupt, stderr.trim());
  }
}

export interface PdfPagesOptions {
  /** Long side of each rendered page in px (default 2480: A4 at about 210 dpi). */
  maxSide?: number;
  maxPages?: number;
}

/**
 * Renders each page of a PDF to JPEG and yields it (page numbers from 1). Checks the whole file
 * (password, damage, page count) before the first page is yielded.
 */
export async function* pdfPages(bytes: Uint8Array, opts: PdfPagesOptions = {}): AsyncGenerator<{ page: number; pages: number; jpeg: Buffer }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'onewindow-pdf-'));
  try {
    const file = path.join(dir, 'in.pdf');
    await writeFile(file, bytes);
    const info = await pdfInfo(file);
    const max = opts.maxPages ?? MAX_PDF_PAGES;
    if (info.pages > max) throw captureError('payload_too_large', CAPTURE_MESSAGES.pdfTooManyPages(max), `${info.pages} pages`);
    if (info.pages === 0) throw captureError('bad_request', CAPTURE_MESSAGES.pdfCorrupt, 'no pages');
    for (let p = 1; p <= info.pages; p++) {
      const out = path.join(dir, `p${p}`);
      try {
        await run('pdftoppm', ['-f', String(p), '-l', String(p), '-singlefile', '-scale-to', String(opts.maxSide ?? 2480), '-jpeg', '-jpegopt', 'quality=92', file, out], {
          timeout: 120_000,
          maxBuffer: 1 << 20,
        });
      } catch (err) {
        if (toolMissing(err)) throw captureError('internal', CAPTURE_MESSAGES.pdfToolMissing, 'pdftoppm not found');
        throw captureError('bad_request', CAPTURE_MESSAGES.pdfCorrupt, String((err as { stderr?: string }).stderr ?? err).trim());
      }
      const jpeg = await readFile(`${out}.jpg`);
      await rm(`${out}.jpg`, { force: true });
      yield { page: p, pages: info.pages, jpeg };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
