import { createLogger } from '../log.js';
import { CaptureService, type CaptureServiceOptions } from './capture-service.js';

const log = createLogger('capture');

/** How long the OCR worker may sit idle before it is stopped (it holds about 1.2 GB). */
export const CAPTURE_IDLE_MS = 5 * 60_000;

export interface CaptureHostOptions extends CaptureServiceOptions {
  /** Idle time after which the worker is stopped (default CAPTURE_IDLE_MS). */
  idleMs?: number;
}

/**
 * The workstation's capture service, started on first use and stopped after some idle minutes (the
 * OCR worker is large); the next use starts a fresh one. `use` marks the service busy for the
 * duration of a call, so it is never stopped under a page being read.
 */
export class CaptureHost {
  private service: CaptureService | null = null;
  private busy = 0;
  private timer: NodeJS.Timeout | null = null;
  private closing: Promise<void> | null = null;
  private closed = false;
  private starts = 0;

  constructor(private readonly opts: CaptureHostOptions = {}) {}

  /** Runs `fn` with the (started) service. */
  async use<T>(fn: (service: CaptureService) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('capture host closed');
    if (this.closing) await this.closing;
    this.clearTimer();
    if (!this.service) {
      const { idleMs: _idle, ...serviceOpts } = this.opts;
      this.service = new CaptureService(serviceOpts);
      this.starts++;
      log.info('capture service started');
    }
    const service = this.service;
    this.busy++;
    try {
      return await fn(service);
    } finally {
      this.busy--;
      if (this.busy === 0 && !this.closed) this.armTimer();
    }
  }

  /** Whether the worker is running now, and how many times it was started (for tests and the log). */
  status(): { running: boolean; starts: number } {
    return { running: this.service !== null, starts: this.starts };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clearTimer();
    await this.stop();
  }

  private armTimer(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.busy === 0) void this.stop();
    }, this.opts.idleMs ?? CAPTURE_IDLE_MS);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async stop(): Promise<void> {
    const s = this.service;
    if (!s) return this.closing ?? undefined;
    this.service = null;
    this.closing = s
      .close()
      .catch((err: unknown) => log.warn('capture service did not close cleanly', err))
      .finally(() => {
        this.closing = null;
      });
    log.info('capture service stopped (idle or closing)');
    await this.closing;
  }
}
