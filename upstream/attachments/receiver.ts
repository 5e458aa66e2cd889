import { mkdirSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/errors.js';
import {
  ATTACHMENT_HASH_MISMATCH_MESSAGE,
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_TOO_LARGE_MESSAGE,
  type AttachmentPutResult,
} from '../../shared/hall/api.js';
import type { DeviceRow, HallStore } from '../store/hall-store.js';
import { blobPath, fsyncDir, sha256OfFile } from './blob-files.js';

/** Partial uploads untouched for this long are removed. */
export const PARTIAL_MAX_AGE_MS = 24 * 60 * 60_000;
const CLEAN_EVERY_MS = 60 * 60_000;

/** An error answer with a status of its own (422) or extra headers (409's received bytes). */
export class AttachmentHttpError extends AppError {
  constructor(
    code: ConstructorParameters<typeof AppError>[0],
    message: string,
    detail: string,
    readonly status?: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(code, message, detail);
    this.name = 'AttachmentHttpError';
  }
}

export interface AttachmentState {
  receivedBytes: number;
  complete: boolean;
  /** False when the hall holds nothing of it (HEAD answers 404). */
  known: boolean;
}

/**
 * The hall's side of attachment uploads: bytes arrive in chunks into
 * `dataDir/attachments/partial/<sha>.part` (each chunk appended at exactly the received offset and
 * fsynced before it is acknowledged), and once all are there the file is hashed; only a match is
 * renamed to `dataDir/attachments/<ab>/<sha>` and recorded in the `attachment` table. Operations on
 * one sha256 run one at a time, so two devices uploading the same content never interleave writes.
 */
export class AttachmentReceiver {
  private readonly root: string;
  private readonly partialDir: string;
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly cleaner: NodeJS.Timeout;

  constructor(
    dataDir: string,
    private readonly store: HallStore,
    private readonly now: () => number,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.root = path.join(dataDir, 'attachments');
    this.partialDir = path.join(this.root, 'partial');
    mkdirSync(this.partialDir, { recursive: true });
    void this.cleanPartials().catch((err: unknown) => this.log(`attachments: partial clean-up failed: ${String(err)}`));
    this.cleaner = setInterval(() => {
      void this.cleanPartials().catch((err: unknown) => this.log(`attachments: partial clean-up failed: ${String(err)}`));
    }, CLEAN_EVERY_MS);
    this.cleaner.unref();
  }

  close(): void {
    clearInterval(this.cleaner);
  }

  /** Where a complete attachment's bytes are. */
  filePath(sha256: string): string {
    return blobPath(this.root, sha256);
  }

  private partPath(sha256: string): string {
    return path.join(this.partialDir, `${sha256}.part`);
  }

  isComplete(sha256: string): boolean {
    return this.store.attachment(sha256) !== undefined;
  }

  async state(sha256: string): Promise<AttachmentState> {
    const row = this.store.attachment(sha256);
    if (row) return { receivedBytes: row.size, complete: true, known: true };
    const size = await this.partialSize(sha256);
    return { receivedBytes: size ?? 0, complete: false, known: size !== undefined };
  }

  /**
   * Appends one chunk at `offset` (which must equal the bytes received so far); when the declared
   * total is reached, verifies the hash and stores the attachment.
   */
  putChunk(device: DeviceRow, sha256: string, offset: number, total: number, chunk: Buffer): Promise<AttachmentPutResult> {
    return this.locked(sha256, async () => {
      if (this.store.attachment(sha256)) return { sha256, receivedBytes: total, totalBytes: total, complete: true };
      if (total > ATTACHMENT_MAX_BYTES) throw new AppError('payload_too_large', ATTACHMENT_TOO_LARGE_MESSAGE, `total ${total} > ${ATTACHMENT_MAX_BYTES}`);
      const received = (await this.partialSize(sha256)) ?? 0;
      if (offset !== received) {
        throw new AttachmentHttpError(
          'conflict',
          '上传位置与服务器已收到的不一致，将从服务器已收到处继续。',
          `offset ${offset} != received ${received}; receivedBytes=${received}`,
          409,
          { 'X-Received-Bytes': String(received) },
        );
      }
      if (offset + chunk.length > total) {
        throw new AppError('bad_request', '上传的内容超出声明的文件大小，请重新上传。', `offset ${offset} + chunk ${chunk.length} > total ${total}`);
      }
      let now = received;
      if (chunk.length > 0) {
        const fh = await open(this.partPath(sha256), 'a');
        try {
          await fh.write(chunk, 0, chunk.length);
          await fh.datasync();
        } finally {
          await fh.close();
        }
        now += chunk.length;
      }
      if (now < total) return { sha256, receivedBytes: now, totalBytes: total, complete: false };
      await this.finish(device, sha256, total);
      return { sha256, receivedBytes: total, totalBytes: total, complete: true };
    });
  }

  private async finish(device: DeviceRow, sha256: string, total: number): Promise<void> {
    const part = this.partPath(sha256);
    const actual = await sha256OfFile(part);
    if (actual !== sha256) {
      await rm(part, { force: true });
      throw new AttachmentHttpError('bad_request', ATTACHMENT_HASH_MISMATCH_MESSAGE, `sha256 of ${total} bytes received is ${actual}`, 422);
    }
    const final = this.filePath(sha256);
    await mkdir(path.dirname(final), { recursive: true });
    await rename(part, final);
    await fsyncDir(path.dirname(final)); // (a partial's directory entry that comes back after a crash is cleaned later)
    this.store.transaction(() =>
      this.store.recordAttachment({ sha256, size: total, office: device.office, deviceId: device.id, completedAt: this.now() }),
    );
    await this.store.whenCommitted();
  }

  /** Removes partial uploads not written to for `maxAgeMs` (by file time). Returns how many. */
  async cleanPartials(maxAgeMs = PARTIAL_MAX_AGE_MS, nowMs = Date.now()): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.partialDir)) {
      const sha = name.replace(/\.part$/, '');
      if (this.locks.has(sha)) continue;
      const file = path.join(this.partialDir, name);
      const st = await stat(file).catch(() => undefined);
      if (st && nowMs - st.mtimeMs > maxAgeMs) {
        await rm(file, { force: true });
        removed++;
      }
    }
    if (removed > 0) this.log(`attachments: removed ${removed} partial upload(s) older than ${Math.round(maxAgeMs / 3_600_000)} h`);
    return removed;
  }

  private async partialSize(sha256: string): Promise<number | undefined> {
    try {
      return (await stat(this.partPath(sha256))).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  private locked<T>(sha256: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(sha256) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(sha256, tail);
    void tail.then(() => {
      if (this.locks.get(sha256) === tail) this.locks.delete(sha256);
    });
    return run;
  }
}
