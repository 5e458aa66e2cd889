import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors.js';
import { generateDocument } from '../../../../tests/capture/generator/index.js';
import { PipelineSettingsSchema } from '../types.js';
import { CaptureWorker } from './worker-client.js';

describe('the capture worker', () => {
  const worker = new CaptureWorker({ settings: PipelineSettingsSchema.parse({}) });
  afterAll(() => worker.close());

  it('ends a page that overruns its time limit, and a fresh worker takes the next page', async () => {
    await worker.warm();
    const licence = (await generateDocument('business_license', 2, 'scan')).image;
    const blank = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#fdfdfd' } }).png().toBuffer();
    // 1 ms: no page can be read that fast
    const [slow, next] = await Promise.allSettled([worker.capture(licence, {}, 1), worker.capture(blank)]);
    expect(slow.status).toBe('rejected');
    const err = (slow as PromiseRejectedResult).reason as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.message).toMatch(/文字识别超时/);
    expect(next.status).toBe('fulfilled');
    expect((next as PromiseFulfilledResult<{ blank: boolean }>).value.blank).toBe(true);
  }, 30_000);

  it('refuses pages after it was closed', async () => {
    const w = new CaptureWorker({ settings: PipelineSettingsSchema.parse({}) });
    await w.close();
    await expect(w.capture(new Uint8Array([1]))).rejects.toThrow(/文字识别失败/);
  });
});
