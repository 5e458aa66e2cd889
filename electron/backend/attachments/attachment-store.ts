import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, mkdirSync, readdirSync, rmSync, type ReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors.js';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_TOO_LARGE_MESSAGE, Sha256Hex } from '../../../shared/hall/api.js';
import { blobPath, fsyncDir, sha256Of, sha256OfFile } from '../../../upstream/attachments/blob-files.js';
import { createLogger } from '../log.js';
import type { Db } from '../store/database.js';

const log = createLogger('attachments');
export const EMPTY_ATTACHMENT_MESSAGE = '文件为空，请重新扫描或选择文件。';
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

export interface AttachmentRow {
  sha256: string;
  size: number;
  mime: string;
  createdAt: number;
  uploadedAt: number | null;
}

type Sql = { sha256: string; size: number; mime: string; created_at: number; uploaded_at: number | null };
const toRow = (r: Sql): AttachmentRow => ({ sha256: r.sha256, size: r.size, mime: r.mime, createdAt: r.created_at, uploadedAt: r.uploaded_at });

/**
 * The workstation's attachments (scanned pages, PDFs), stored once by content hash in
 * `dataDir/blobs/<ab>/<sha256>` with a row in `attachment`. A blob is written to `blobs/tmp/` first,
 * fsynced, then renamed into place (and the directory fsynced), so a crash never leaves a half file
 * under a final name; leftovers in `blobs/tmp/` are removed when the store opens. The row is written
 * after the rename: a row always has its complete file.
 */
export class AttachmentStore {
  readonly root: string;
  readonly maxBytes: number;
  private readonly tmpDir: string;
  private readonly q;

  constructor(
    private readonly db: Db,
    dataDir: string,
    private readonly now: () => number = Date.now,
    private readonly opts: { maxBytes?: number; /** a new attachment was stored (upload it) */ onStored?: (sha256: string) => void } = {},
  ) {
    this.maxBytes = opts.maxBytes ?? ATTACHMENT_MAX_BYTES;
    this.root = path.join(dataDir, 'blobs');
    this.tmpDir = path.join(this.root, 'tmp');
    mkdirSync(this.tmpDir, { recursive: true });
    const leftovers = readdirSync(this.tmpDir);
    for (const name of leftovers) rmSync(path.join(this.tmpDir, name), { force: true });
    if (leftovers.length > 0) log.info(`removed ${leftovers.length} unfinished blob write(s) left by a crash`);
    this.q = {
      get: db.prepare('SELECT sha256, size, mime, created_at, uploaded_at FROM attachment WHERE sha256 = ?'),
      insert: db.prepare('INSERT OR IGNORE INTO attachment (sha256, size, mime, created_at) VALUES (?, ?, ?, ?)'),
      pending: db.prepare('SELECT sha256, size, mime, created_at, uploaded_at FROM attachment WHERE uploaded_at IS NULL ORDER BY created_at, sha256 LIMIT ?'),
      counts: db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS bytes FROM attachment WHERE uploaded_at IS NULL'),
      markUploaded: db.prepare('UPDATE attachment SET uploaded_at = ? WHERE sha256 = ? AND uploaded_at IS NULL'),
    };
  }

  /** Where a stored attachment's bytes are. */
  filePath(sha256: string): string {
    return blobPath(this.root, Sha256Hex.parse(sha256));
  }

  /**
   * Stores bytes, or a file's content (copied, streamed), once by content hash. Refuses empty input
   * and input over the size limit with a message for the clerk. Returns its hash and size.
   */
  async put(input: Uint8Array | { path: string }, meta: { mime: string }): Promise<{ sha256: string; size: number; stored: boolean }> {
    const mime = meta.mime.toLowerCase();
    if (!MIME.test(mime)) throw new AppError('bad_request', '文件类型有误，请重新选择文件。', `bad mime ${meta.mime.slice(0, 80)}`);
    const size = input instanceof Uint8Array ? input.length : await this.sizeOfSource(input.path);
    this.checkSize(size);
    await mkdir(this.tmpDir, { recursive: true });
    const tmp = path.join(this.tmpDir, `${randomUUID()}.tmp`);
    let sha256: string;
    let storedSize = size;
    try {
      const fh = await open(tmp, 'wx');
      try {
        if (input instanceof Uint8Array) {
          sha256 = sha256Of(input);
          if (this.existing(sha256)) return { sha256, size, stored: false };
          await fh.writeFile(input);
        } else {
          const h = createHash('sha256');
          let copied = 0;
          for await (const c of createReadStream(input.path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
            copied += c.length;
            if (copied > this.maxBytes) this.checkSize(copied); // the file grew since its stat
            h.update(c);
            await fh.write(c);
          }
          this.checkSize(copied);
          sha256 = h.digest('hex');
          storedSize = copied;
          if (this.existing(sha256)) return { sha256, size: copied, stored: false };
        }
        await fh.sync();
      } finally {
        await fh.close();
      }
      const final = blobPath(this.root, sha256);
      await mkdir(path.dirname(final), { recursive: true });
      await rename(tmp, final);
      await fsyncDir(path.dirname(final));
    } finally {
      await rm(tmp, { force: true });
    }
    const inserted = this.q.insert.run(sha256, storedSize, mime, this.now()).changes === 1;
    if (inserted) this.opts.onStored?.(sha256);
    return { sha256, size: storedSize, stored: inserted };
  }

  /** The metadata of a stored attachment. */
  stat(sha256: string): AttachmentRow | undefined {
    const r = this.q.get.get(sha256) as Sql | undefined;
    return r ? toRow(r) : undefined;
  }

  /** A stored attachment's bytes. */
  async get(sha256: string): Promise<Buffer> {
    this.need(sha256);
    return readFile(this.filePath(sha256));
  }

  /** A stream of a stored attachment's bytes (optionally a range, `end` inclusive). */
  open(sha256: string, range: { start?: number; end?: number } = {}): ReadStream {
    this.need(sha256);
    return createReadStream(this.filePath(sha256), range);
  }

  /** Recomputes the hash of a stored attachment's bytes: true when they are intact. */
  async verify(sha256: string): Promise<boolean> {
    this.need(sha256);
    try {
      return (await sha256OfFile(this.filePath(sha256))) === sha256;
    } catch (err) {
      log.warn(`blob ${sha256} unreadable`, err);
      return false;
    }
  }

  /** Attachments the hall has not confirmed yet, oldest first. */
  pending(limit = 100): AttachmentRow[] {
    return (this.q.pending.all(limit) as Sql[]).map(toRow);
  }

  pendingCounts(): { pendingAttachments: number; pendingAttachmentBytes: number } {
    const r = this.q.counts.get() as { n: number; bytes: number };
    return { pendingAttachments: r.n, pendingAttachmentBytes: r.bytes };
  }

  /** Records the hall's confirmation that it holds the attachment complete and verified. */
  markUploaded(sha256: string): void {
    this.q.markUploaded.run(this.now(), sha256);
  }

  private existing(sha256: string): boolean {
    // A row always has its complete file (written before the row). A file without a row (a crash
    // between rename and insert) is complete too but written again: cheap and simpler to trust.
    return this.stat(sha256) !== undefined;
  }

  private need(sha256: string): void {
    if (!this.stat(sha256)) throw new AppError('not_found', '没有找到该附件。', `no attachment ${sha256}`);
  }

  private checkSize(size: number): void {
    if (size === 0) throw new AppError('bad_request', EMPTY_ATTACHMENT_MESSAGE, 'empty attachment');
    if (size > this.maxBytes) throw new AppError('payload_too_large', ATTACHMENT_TOO_LARGE_MESSAGE, `attachment of ${size} bytes > ${this.maxBytes}`);
  }

  private async sizeOfSource(file: string): Promise<number> {
    try {
      const st = await stat(file);
      if (!st.isFile()) throw new AppError('bad_request', '所选的不是文件，请重新选择。', `${file} is not a file`);
      return st.size;
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('not_found', '找不到该文件或无法读取，请重新选择。', `${file}: ${String(err)}`);
    }
  }
}

/**
 * Forgets that the hall confirmed any attachment (the hall's database was reset, so it may no longer
 * hold them): each goes through the uploader again (from offset 0; the hall answers complete or where to resume) and is uploaded where the hall lacks it. Returns how many.
 */
export function forgetHallCopies(db: Db): number {
  return db.prepare('UPDATE attachment SET uploaded_at = NULL WHERE uploaded_at IS NOT NULL').run().changes;
}
