import { open } from 'node:fs/promises';
import { AppError } from '../../../shared/errors.js';
import { HallHttpError, isTransient } from '../hall-client/http.js';
import { createLogger } from '../log.js';
import { RetryLoop, SWEEP_MS } from '../sync/retry-loop.js';
import { AttachmentHttp, OffsetConflict } from './attachment-client.js';
import type { AttachmentRow, AttachmentStore } from './attachment-store.js';

const log = createLogger('attachment-uploader');
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;
/** Attachments uploaded side by side (each one's chunks stay in order). */
const CONCURRENCY = 4;
const MAX_CONFLICTS = 8;
const MAX_MISMATCHES = 2;

export interface UploadTarget {
  baseUrl: string;
  deviceToken: string;
}

export interface UploaderHooks {
  /** Where to upload now; null while the device is not enrolled or has no hall. */
  target(): UploadTarget | null;
  /** Anything visible in the upload status changed. */
  onChange(): void;
}

export interface UploaderStatus {
  pendingAttachments: number;
  pendingAttachmentBytes: number;
  lastError: string | null;
  /** Attachments the hall refused for a reason of their own; retried after `retryParked()` or a restart. */
  parked: Array<{ sha256: string; reason: string }>;
}

/**
 * Uploads the attachments the hall has not confirmed: HEAD (how much the hall holds; skipped for a
 * page this uploader has not tried yet, which starts at 0) → PUT the rest
 * in 1 MB chunks from there → mark uploaded locally only once the hall answers `complete` (it has
 * verified the hash). Network errors, timeouts, 5xx, 401/403/429 → retried with exponential backoff
 * (200 ms … 5 s) and at once when the connection comes back (`reconnected`). Never deletes anything.
 */
export class AttachmentUploader {
  private readonly loop: RetryLoop;
  private readonly parked = new Map<string, string>();
  /** Attachments this uploader has sent (or asked about) and not yet seen confirmed. */
  private readonly tried = new Set<string>();
  /** Bytes sent in PUT bodies since start (tests and the bench check that resuming does not resend). */
  bytesSent = 0;

  constructor(
    private readonly store: AttachmentStore,
    private readonly hooks: UploaderHooks,
    private readonly opts: { chunkBytes?: number; concurrency?: number; timeoutMs?: number } = {},
  ) {
    // The sweep finds attachments to upload that nobody kicked for (e.g. to check again after a hall reset).
    this.loop = new RetryLoop('attachment upload', () => this.uploadAll(), () => this.hooks.onChange(), log, {
      everyMs: SWEEP_MS,
      hasWork: () => this.waiting(1).length > 0,
    });
  }

  /** Why the last upload failed, until one succeeds. */
  get lastError(): string | null {
    return this.loop.lastError;
  }

  kick(): void {
    this.loop.kick();
  }

  reconnected(): void {
    this.loop.reconnected();
  }

  retryParked(): void {
    this.parked.clear();
    this.kick();
  }

  /** Resolves once every attachment not parked is confirmed by the hall; rejects with the upload error otherwise. */
  flush(): Promise<void> {
    return this.loop.flush(
      () => this.waiting().length === 0,
      new AppError('internal', '附件上传未完成，请稍后重试。', 'flush: attachments still pending after 5 runs'),
    );
  }

  status(): UploaderStatus {
    return { ...this.store.pendingCounts(), lastError: this.lastError, parked: [...this.parked].map(([sha256, reason]) => ({ sha256, reason })) };
  }

  close(): void {
    this.loop.close();
  }

  private waiting(limit = 500): AttachmentRow[] {
    return this.store.pending(limit + this.parked.size).filter((r) => !this.parked.has(r.sha256)).slice(0, limit);
  }

  private async uploadAll(): Promise<void> {
    for (;;) {
      if (this.loop.closed) return;
      const queue = this.waiting();
      if (queue.length === 0) return;
      const target = this.hooks.target();
      if (!target) throw new AppError('unauthorized', '本机尚未登记到大厅服务器，附件暂存本机。', 'upload: not enrolled');
      const http = new AttachmentHttp(target.baseUrl, target.deviceToken, this.opts.timeoutMs);
      let failure: unknown;
      const worker = async () => {
        for (let row = queue.shift(); row && failure === undefined && !this.loop.closed; row = queue.shift()) {
          try {
            await this.uploadOne(http, row);
          } catch (err) {
            if (isRetryable(err)) failure ??= err;
            else this.park(row.sha256, err);
          }
        }
      };
      await Promise.all(Array.from({ length: this.opts.concurrency ?? CONCURRENCY }, worker));
      if (failure !== undefined) throw failure;
    }
  }

  private async uploadOne(http: AttachmentHttp, row: AttachmentRow): Promise<void> {
    const { sha256, size } = row;
    // A page never tried before starts at offset 0 without asking first: that is nearly always right
    // (a new scan), and saves a round trip per page that waits for the hall's commit. When the hall
    // does hold some of it (another device's upload, a previous run of this one), the first PUT
    // answers with that (409 → resume there, or complete): correct either way, at the cost of one chunk.
    let offset = 0;
    if (this.tried.has(sha256)) {
      const remote = await http.head(sha256);
      if (remote.complete) return this.confirmed(sha256);
      offset = remote.receivedBytes;
    }
    this.tried.add(sha256);
    let conflicts = 0;
    let mismatches = 0;
    const chunkBytes = this.opts.chunkBytes ?? UPLOAD_CHUNK_BYTES;
    const fh = await open(this.store.filePath(sha256), 'r');
    try {
      const buf = Buffer.allocUnsafe(Math.min(chunkBytes, size));
      for (;;) {
        if (this.loop.closed) return;
        if (offset > size) throw new AppError('bad_request', '大厅服务器上的附件数据与本机不符，请重新上传。', `hall holds ${offset} > ${size} bytes of ${sha256}`);
        const len = Math.min(chunkBytes, size - offset);
        const { bytesRead } = await fh.read(buf, 0, len, offset);
        if (bytesRead !== len) throw new AppError('internal', '本机附件文件不完整，请重新扫描。', `short read of ${sha256} at ${offset}`);
        try {
          const res = await http.putChunk(sha256, offset, size, buf.subarray(0, len));
          this.bytesSent += len;
          if (res.complete) return this.confirmed(sha256);
          offset = res.receivedBytes;
        } catch (err) {
          if (err instanceof OffsetConflict && ++conflicts <= MAX_CONFLICTS) {
            offset = err.receivedBytes; // e.g. our last answer was lost, or another device uploads the same content
            continue;
          }
          if (err instanceof HallHttpError && err.status === 422 && ++mismatches <= MAX_MISMATCHES) {
            if (!(await this.store.verify(sha256))) {
              throw new AppError('internal', '本机附件已损坏（内容与摘要不符），请重新扫描该页。', `local blob ${sha256} fails its hash`);
            }
            offset = 0; // the hall dropped what it had; send everything again
            continue;
          }
          throw err;
        }
      }
    } finally {
      await fh.close();
    }
  }

  private confirmed(sha256: string): void {
    this.tried.delete(sha256);
    this.store.markUploaded(sha256);
    this.hooks.onChange();
  }

  private park(sha256: string, err: unknown): void {
    const reason = err instanceof AppError ? err.message : String(err);
    log.warn(`attachment ${sha256} refused, parked`, err);
    this.parked.set(sha256, reason);
    this.hooks.onChange();
  }
}

/** Worth retrying later: no connection, timeouts, 5xx, and a device the hall does not accept right now. */
function isRetryable(err: unknown): boolean {
  if (isTransient(err)) return true;
  return err instanceof HallHttpError && (err.status === 401 || err.status === 403 || err.status === 429 || err.status === 409);
}
