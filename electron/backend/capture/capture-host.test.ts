import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../test-helpers.js';
import { CaptureHost } from './capture-host.js';

/** The OCR worker (about 1.2 GB) starts on first use and is stopped after the idle time, never while in use. */
describe('CaptureHost', () => {
  let host: CaptureHost | undefined;
  afterEach(() => host?.close());

  it('starts on first use, stops when idle, starts again on the next use', async () => {
    host = new CaptureHost({ idleMs: 100 });
    expect(host.status()).toEqual({ running: false, starts: 0 });
    await host.use((s) => s.warm());
    expect(host.status().running).toBe(true);
    await waitFor('idle stop', () => !host!.status().running, 3000);
    await host.use((s) => s.warm());
    expect(host.status()).toEqual({ running: true, starts: 2 });
  }, 30_000);

  it('is not stopped while a call is in progress', async () => {
    host = new CaptureHost({ idleMs: 20 });
    const seen = await host.use(async (s) => {
      await s.warm();
      await new Promise((r) => setTimeout(r, 150));
      return host!.status().running;
    });
    expect(seen).toBe(true);
  }, 30_000);

  it('refuses use after close', async () => {
    host = new CaptureHost();
    await host.close();
    await expect(host.use(async () => 1)).rejects.toThrow(/closed/);
  });
});
