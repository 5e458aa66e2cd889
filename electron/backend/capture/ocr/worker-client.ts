import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorBody } from '../../../../shared/errors.js';
import { CAPTURE_MESSAGES, captureError } from '../errors.js';
import type { CapturedPage, PageOptions, PipelineSettings } from '../types.js';
import type { PageRequest, WorkerInit } from './worker.js';

/**
 * The main thread's side of the capture worker: one worker thread with a warm OCR engine, pages
 * sent one at a time in the order asked. A page that overruns its time limit gets a clear error at
 * once; its worker is told to stop after that page and a fresh worker takes the next one. A worker
 * is never terminated from outside while it may be inside onnxruntime: that aborts the process.
 * A worker that dies is replaced on the next request. The main thread never runs OCR.
 */

export interface WorkerClientOptions {
  settings: PipelineSettings;
  threads?: number;
  /** Per page (default 60 s). */
  timeoutMs?: number;
  /** Pages waiting at most (default 200). */
  maxQueue?: number;
  /** The worker script: worker-source.mjs (worker.ts through tsx) from source, or the bundled capture-worker.cjs. */
  workerFile?: string;
}

interface Job {
  req: PageRequest;
  timeoutMs: number;
  resolve: (p: CapturedPage) => void;
  reject: (e: Error) => void;
}

/** worker-source.mjs beside this file when running from source; the bundle puts capture-worker.cjs next to main.cjs. */
export function defaultWorkerFile(): string {
  const here = typeof import.meta.url === 'string' ? path.dirname(fileURLToPath(import.meta.url)) : __dirname;
  const source = path.join(here, 'worker-source.mjs');
  return existsSync(path.join(here, 'worker.ts')) ? source : path.join(here, 'capture-worker.cjs');
}

export class CaptureWorker {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private timer: NodeJS.Timeout | null = null;
  private nextId = 1;
  private closed = false;
  private readonly file: string;

  constructor(private readonly opts: WorkerClientOptions) {
    this.file = opts.workerFile ?? defaultWorkerFile();
  }

  /** Starts the worker now (models load in about 0.3 s) instead of on the first page. */
  warm(): Promise<void> {
    return this.ensureWorker();
  }

  /** One page; `timeoutMs` overrides the default limit for this page. */
  capture(bytes: Uint8Array, options: PageOptions = {}, timeoutMs = this.opts.timeoutMs ?? 60_000): Promise<CapturedPage> {
    if (this.closed) return Promise.reject(captureError('internal', CAPTURE_MESSAGES.ocrFailed, 'capture worker closed'));
    if (this.queue.length >= (this.opts.maxQueue ?? 200)) return Promise.reject(captureError('conflict', CAPTURE_MESSAGES.ocrBusy, 'queue full'));
    return new Promise((resolve, reject) => {
      this.queue.push({ req: { id: this.nextId++, bytes, options }, timeoutMs, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(captureError('internal', CAPTURE_MESSAGES.ocrFailed, 'capture worker closed'));
    this.fail(captureError('internal', CAPTURE_MESSAGES.ocrFailed, 'capture worker closed'));
    await this.retire();
  }

  private ensureWorker(): Promise<void> {
    if (this.ready) return this.ready;
    const init: WorkerInit = { settings: this.opts.settings, ...(this.opts.threads ? { threads: this.opts.threads } : {}) };
    const worker = new Worker(this.file, { workerData: init });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.once('message', (m: { ready: boolean; error?: string }) => (m.ready ? resolve() : reject(new Error(m.error))));
      worker.once('error', reject);
    });
    this.ready.catch(() => {});
    worker.on('message', (m: { id?: number; ok?: boolean; result?: CapturedPage; error?: ErrorBody }) => {
      if (m.id === undefined || this.current?.req.id !== m.id) return;
      const job = this.current;
      this.finish();
      if (m.ok) job.resolve(m.result!);
      else job.reject(new AppError(m.error!.code, m.error!.message, m.error!.detail));
    });
    worker.on('error', (err) => this.fail(captureError('internal', CAPTURE_MESSAGES.ocrFailed, `worker error: ${String(err)}`)));
    worker.on('exit', (code) => {
      if (this.worker === worker) {
        this.worker = null;
        this.ready = null;
        if (this.current) this.fail(captureError('internal', CAPTURE_MESSAGES.ocrFailed, `worker exited with code ${code}`));
      }
    });
    return this.ready;
  }

  private pump(): void {
    if (this.current || this.queue.length === 0 || this.closed) return;
    const job = this.queue.shift()!;
    this.current = job;
    this.ensureWorker().then(
      () => {
        if (this.current !== job) return;
        this.timer = setTimeout(() => {
          void this.retire();
          this.fail(captureError('internal', CAPTURE_MESSAGES.ocrTimeout, `page took over ${job.timeoutMs} ms`));
        }, job.timeoutMs);
        this.worker!.postMessage(job.req);
      },
      (err: unknown) => {
        this.ready = null;
        this.fail(captureError('internal', CAPTURE_MESSAGES.ocrFailed, `worker start: ${String(err)}`));
      },
    );
  }

  private finish(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.current = null;
    setImmediate(() => this.pump());
  }

  private fail(err: Error): void {
    const job = this.current;
    if (!job) return;
    this.finish();
    job.reject(err);
  }

  /**
   * Takes the current worker out of service: it finishes the page in hand (its answer is ignored),
   * releases its models and exits; the next page starts a new worker. After `graceMs` without an
   * exit (a model that never returns) it is terminated after all.
   */
  private async retire(graceMs = 120_000): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    if (!w) return;
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    w.postMessage({ stop: true });
    const timer = setTimeout(() => void w.terminate(), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
