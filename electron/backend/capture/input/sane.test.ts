import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { listScanners, parseCapabilities, scan, scannerCapabilities, type SaneEnv } from './sane.js';
import { refusal } from '../../../../tests/support/refusal.js';

/**
 * Real SANE calls against SANE's `test` backend (a virtual flatbed and feeder). The backend is
 * enabled through SANE_CONFIG_DIR pointing at a temporary dll.conf that lists only `test`, so
 * /etc/sane.d is not touched. Needs `scanimage` (Debian package sane-utils).
 */
const hasScanimage = spawnSync('scanimage', ['--version']).status === 0;
if (!hasScanimage) console.warn('SKIPPED sane.test.ts: scanimage is not installed (apt-get install -y sane-utils)');

const confDir = mkdtempSync(path.join(tmpdir(), 'ow-sane-'));
writeFileSync(path.join(confDir, 'dll.conf'), 'test\n');
const sane: SaneEnv = { env: { ...process.env, SANE_CONFIG_DIR: confDir } };
afterAll(() => rmSync(confDir, { recursive: true, force: true }));

// Skipped only where sane-utils is missing (the warning above says so); .ci/run installs it.
describe.skipIf(!hasScanimage)('scanning through SANE (test backend)', () => {
  it('lists the virtual scanners', async () => {
    const devices = await listScanners(sane);
    expect(devices.map((d) => d.id)).toEqual(['test:0', 'test:1']);
    expect(devices[0]!.model).toBe('frontend-tester');
  });

  it('reads what a device offers: glass and feeder, colour and grey, resolutions', async () => {
    const caps = await scannerCapabilities('test:0', sane);
    expect(caps.paperSources).toEqual(['glass', 'feeder']);
    expect(caps.modes).toEqual(['Gray', 'Color']);
    expect(caps.resolutions).toContain(300);
  });

  it('scans one page from the glass', async () => {
    const pages: Buffer[] = [];
    const n = await scan({ device: 'test:0', source: 'glass', dpi: 75, mode: 'color', extra: { 'test-picture': 'Color pattern' } }, (png) => void pages.push(png), sane);
    expect(n).toBe(1);
    const meta = await sharp(pages[0]!).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBe(Math.round((80 / 25.4) * 75));
  });

  it('hands over feeder pages one by one as they are scanned', async () => {
    const at: number[] = [];
    const t0 = performance.now();
    const n = await scan(
      { device: 'test:0', source: 'feeder', dpi: 50, mode: 'gray', maxPages: 3, extra: { 'read-delay': 'yes', 'read-delay-duration': '200000' } },
      (_png, index) => void at.push(index, performance.now() - t0),
      sane,
    );
    const end = performance.now() - t0;
    expect(n).toBe(3);
    expect([at[0], at[2], at[4]]).toEqual([0, 1, 2]);
    // the first page arrived well before the batch was over
    expect(at[1]!).toBeLessThan(end - 250);
  });

  it('says the feeder is empty, the paper jammed, or the device does not exist — in Chinese', async () => {
    const noPaper = await refusal(scan({ device: 'test:0', source: 'feeder', dpi: 50, extra: { 'read-return-value': 'SANE_STATUS_NO_DOCS' } }, () => {}, sane));
    expect(noPaper.message).toMatch(/进纸器中没有纸张/);
    const jam = await refusal(scan({ device: 'test:0', source: 'feeder', dpi: 50, extra: { 'read-return-value': 'SANE_STATUS_JAMMED' } }, () => {}, sane));
    expect(jam.message).toMatch(/卡纸/);
    const missing = await refusal(scan({ device: 'nonexistent:0', dpi: 50 }, () => {}, sane));
    expect(missing.message).toMatch(/未找到扫描仪/);
  });

  it('refuses duplex on a scanner without it, before scanning', async () => {
    const e = await refusal(scan({ device: 'test:0', source: 'duplex', dpi: 50 }, () => {}, sane));
    expect(e.message).toMatch(/不支持所选设置：双面进纸扫描/);
  });
});

describe('scanner errors without a scanner', () => {
  it('a machine without sane-utils gets a message saying what to install', async () => {
    const e = await refusal(listScanners({ bin: '/nonexistent/scanimage' }));
    expect(e.message).toMatch(/sane-utils/);
  });

  it('reads sources, modes and a resolution list from scanimage -A output', () => {
    const caps = parseCapabilities(`  Scan Mode:
    --mode Lineart|Gray|Color [Color]
    --resolution 75|150|300|600dpi [300]
    --source Flatbed|ADF Front|ADF Duplex [Flatbed]
`);
    expect(caps).toEqual({ sources: ['Flatbed', 'ADF Front', 'ADF Duplex'], modes: ['Lineart', 'Gray', 'Color'], resolutions: [75, 150, 300, 600], paperSources: ['glass', 'feeder', 'duplex'] });
  });
});
