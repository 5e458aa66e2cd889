import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { z } from 'zod';
import { CAPTURE_MESSAGES, captureError } from '../errors.js';

/**
 * Scanners through SANE's `scanimage` (Debian package sane-utils): list devices, read a device's
 * sources, modes and resolutions, and scan — one page from the glass, or a feeder batch whose
 * pages are handed over one by one as `scanimage --batch-print` reports them finished.
 * `env` lets tests point SANE_CONFIG_DIR at a directory that enables only the `test` backend.
 */

const run = promisify(execFile);

export interface SaneEnv {
  env?: NodeJS.ProcessEnv;
  /** The scanimage binary (default: from PATH). */
  bin?: string;
}

export interface ScannerDevice {
  id: string;
  vendor: string;
  model: string;
  type: string;
}

export interface ScannerCapabilities {
  sources: string[];
  modes: string[];
  /** Resolutions offered (a range is given as its usual steps within it). */
  resolutions: number[];
  /** Which of glass / feeder / duplex the device can do. */
  paperSources: Array<'glass' | 'feeder' | 'duplex'>;
}

export const ScanRequestSchema = z.strictObject({
  device: z.string().min(1).max(200),
  source: z.enum(['glass', 'feeder', 'duplex']).default('glass'),
  dpi: z.number().int().min(50).max(1200).default(300),
  mode: z.enum(['color', 'gray', 'lineart']).default('color'),
  /** Feeder pages at most (default: until the feeder is empty). */
  maxPages: z.number().int().min(1).max(500).optional(),
  /** Extra backend options as `--name value` pairs (e.g. the test backend's --test-picture). */
  extra: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), z.string().max(100)).optional(),
});
export type ScanRequest = z.input<typeof ScanRequestSchema>;

function scanError(stderr: string): Error {
  const s = stderr.toLowerCase();
  if (s.includes('out of documents') || s.includes('no docs')) return captureError('bad_request', CAPTURE_MESSAGES.scannerNoPaper, stderr);
  if (s.includes('jammed')) return captureError('bad_request', CAPTURE_MESSAGES.scannerJammed, stderr);
  if (s.includes('cover')) return captureError('bad_request', CAPTURE_MESSAGES.scannerCoverOpen, stderr);
  if (s.includes('busy')) return captureError('conflict', CAPTURE_MESSAGES.scannerBusy, stderr);
  if (s.includes('no sane devices') || (s.includes('open of device') && s.includes('invalid argument'))) return captureError('offline', CAPTURE_MESSAGES.scannerNotFound, stderr);
  const why = /scanimage: (.+)$/m.exec(stderr)?.[1] ?? '设备返回错误';
  return captureError('internal', CAPTURE_MESSAGES.scannerFailed(why.trim()), stderr);
}

function spawnError(err: unknown): Error {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return captureError('internal', CAPTURE_MESSAGES.scannerMissing, 'scanimage not found');
  return scanError(String((err as { stderr?: string }).stderr ?? err));
}

export async function listScanners(o: SaneEnv = {}): Promise<ScannerDevice[]> {
  try {
    const { stdout } = await run(o.bin ?? 'scanimage', ['-f', '%d\t%v\t%m\t%t%n'], { env: o.env ?? process.env, timeout: 30_000 });
    return stdout
      .split('\n')
      .filter((l) => l.includes('\t'))
      .map((l) => {
        const [id = '', vendor = '', model = '', type = ''] = l.split('\t');
        return { id, vendor, model, type };
      });
  } catch (err) {
    throw spawnError(err);
  }
}

/** Parses `scanimage -A` output for the options capture uses. */
export function parseCapabilities(text: string): ScannerCapabilities {
  const list = (name: string): string[] => {
    const m = new RegExp(`^\\s+--${name} (.+?) \\[`, 'm').exec(text);
    return m ? m[1]!.split('|').map((s) => s.trim()) : [];
  };
  const sources = list('source');
  const modes = list('mode');
  let resolutions: number[] = [];
  const res = /^\s+--resolution (.+?)dpi/m.exec(text)?.[1] ?? '';
  const range = /^(\d+)\.\.(\d+)$/.exec(res);
  if (range) resolutions = [75, 100, 150, 200, 300, 400, 600, 1200].filter((r) => r >= Number(range[1]) && r <= Number(range[2]));
  else resolutions = res.split('|').map(Number).filter((n) => Number.isFinite(n) && n > 0);
  const paperSources: ScannerCapabilities['paperSources'] = [];
  if (sources.length === 0 || sources.some((s) => /flatbed|glass|platen/i.test(s))) paperSources.push('glass');
  if (sources.some((s) => /feeder|adf/i.test(s) && !/duplex/i.test(s))) paperSources.push('feeder');
  if (sources.some((s) => /duplex/i.test(s))) paperSources.push('duplex');
  return { sources, modes, resolutions, paperSources };
}

export async function scannerCapabilities(device: string, o: SaneEnv = {}): Promise<ScannerCapabilities> {
  try {
    const { stdout } = await run(o.bin ?? 'scanimage', ['-d', device, '-A'], { env: o.env ?? process.env, timeout: 30_000, maxBuffer: 4 << 20 });
    return parseCapabilities(stdout);
  } catch (err) {
    throw spawnError(err);
  }
}

function pick(values: string[], want: RegExp, what: string, reject?: RegExp): string {
  const v = values.find((s) => want.test(s) && !(reject && reject.test(s)));
  if (!v) throw captureError('bad_request', CAPTURE_MESSAGES.scannerOption(what), `no value matching ${want} among ${values.join(', ')}`);
  return v;
}

/**
 * Scans and calls `onPage` with each page's PNG bytes as soon as scanimage has finished it.
 * Resolves with the number of pages. A feeder that runs out after at least one page is the normal
 * end of a batch; with no page at all it is an error (no paper).
 */
export async function scan(request: ScanRequest, onPage: (png: Buffer, index: number) => Promise<void> | void, o: SaneEnv = {}): Promise<number> {
  const req = ScanRequestSchema.parse(request);
  const caps = await scannerCapabilities(req.device, o);
  const args = ['-d', req.device, '--format=png', `--resolution=${req.dpi}`];
  if (caps.sources.length > 0) {
    const source = req.source === 'glass'
      ? pick(caps.sources, /flatbed|glass|platen/i, '平板（玻璃面）扫描')
      : req.source === 'duplex'
        ? pick(caps.sources, /duplex/i, '双面进纸扫描')
        : pick(caps.sources, /feeder|adf/i, '进纸器扫描', /duplex/i);
    args.push(`--source=${source}`);
  }
  if (caps.modes.length > 0) {
    const mode = pick(caps.modes, { color: /colou?r/i, gray: /gr[ae]y/i, lineart: /lineart|binary|black/i }[req.mode], { color: '彩色', gray: '灰度', lineart: '黑白' }[req.mode]);
    args.push(`--mode=${mode}`);
  }
  for (const [k, v] of Object.entries(req.extra ?? {})) args.push(`--${k}=${v}`);
  const dir = await mkdtemp(path.join(tmpdir(), 'onewindow-scan-'));
  const batchCount = req.source === 'glass' ? 1 : req.maxPages;
  args.push(`--batch=${path.join(dir, 'p%04d.png')}`, '--batch-print');
  if (batchCount) args.push(`--batch-count=${batchCount}`);
  try {
    const child = spawn(o.bin ?? 'scanimage', args, { env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code ?? 1));
    });
    let count = 0;
    try {
      for await (const line of createInterface({ input: child.stdout })) {
        const file = line.trim();
        if (!file) continue;
        const png = await readFile(file);
        await rm(file, { force: true });
        await onPage(png, count++);
      }
    } catch (err) {
      // a page the caller could not take ends the batch
      child.kill();
      await exited.catch(() => 0);
      throw err;
    }
    const code = await exited.catch((err: unknown) => {
      throw spawnError(err);
    });
    const emptiedFeeder = /out of documents|no docs/i.test(stderr);
    if (count === 0 || (code !== 0 && !emptiedFeeder)) throw scanError(stderr || `scanimage exited with ${code}`);
    return count;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
