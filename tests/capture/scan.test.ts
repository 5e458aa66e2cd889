import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureService } from '../../electron/backend/capture/index.js';
import { AppError } from '../../shared/errors.js';

/**
 * A scan through SANE's `test` backend into the capture pipeline: feeder pages come back as
 * stored pages, in order; a feeder of blank sheets is refused with a message. SANE_CONFIG_DIR
 * points at a temporary dll.conf listing only `test` (nothing in /etc is changed).
 */
const hasScanimage = spawnSync('scanimage', ['--version']).status === 0;
if (!hasScanimage) console.warn('SKIPPED scan.test.ts: scanimage is not installed (apt-get install -y sane-utils)');

const confDir = mkdtempSync(path.join(tmpdir(), 'ow-sane-'));
writeFileSync(path.join(confDir, 'dll.conf'), 'test\n');
const service = new CaptureService({ sane: { env: { ...process.env, SANE_CONFIG_DIR: confDir } } });
afterAll(async () => {
  await service.close();
  rmSync(confDir, { recursive: true, force: true });
});

// Skipped only where sane-utils is missing (the warning above says so); .ci/run installs it.
describe.skipIf(!hasScanimage)('scanning into capture', () => {
  it('a feeder batch becomes stored pages, in order, each reported as it is ready', async () => {
    const seen: number[] = [];
    const r = await service.scan(
      { device: 'test:0', source: 'feeder', dpi: 75, mode: 'gray', maxPages: 3, extra: { 'test-picture': 'Grid' } },
      { onPage: (p) => seen.push(p.index) },
    );
    expect(r.pages.map((p) => p.index)).toEqual([0, 1, 2]);
    expect([...seen].sort()).toEqual([0, 1, 2]);
    const meta = await sharp(Buffer.from(r.pages[0]!.stored.bytes)).metadata();
    expect(meta.format).toBe('jpeg');
    expect(r.pages[0]!.docType).toBeNull();
  }, 180_000);

  it('a feeder of blank sheets is refused, saying so', async () => {
    const err = await service
      .scan({ device: 'test:0', source: 'feeder', dpi: 75, mode: 'color', maxPages: 2, extra: { 'test-picture': 'Solid white' } })
      .then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/所有页面都是空白页/);
  }, 180_000);
});
