import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors.js';
import { CAPTURE_MESSAGES, captureError } from './errors.js';
import { pdfPages } from './input/pdf-pages.js';
import { listScanners, scan, scannerCapabilities, type SaneEnv, type ScanRequest, type ScannerCapabilities, type ScannerDevice } from './input/sane.js';
import { importKind, MIME, type ImportLimits } from './input/sniff.js';
import { CaptureWorker } from './ocr/worker-client.js';
import { PipelineSettingsSchema, type CapturedPage, type DocType, type PipelineSettings } from './types.js';

/**
 * Capture for one workstation: pages from files (images, PDFs) and scanners go through the
 * capture worker and come back normalised, recognised and extracted. Nothing is stored here — the
 * caller stores the pages it keeps (by content hash) once an import has fully succeeded, so a
 * failed import leaves nothing half-stored.
 */

export interface CaptureServiceOptions {
  settings?: Partial<PipelineSettings>;
  /** onnxruntime threads in the worker (default: all cores). */
  threads?: number;
  timeoutMs?: number;
  workerFile?: string;
  limits?: ImportLimits;
  /** Environment for scanimage (SANE_CONFIG_DIR …). */
  sane?: SaneEnv;
}

export interface SkippedPage {
  index: number;
  reason: string;
}

export interface ImportResult {
  /** The file as given: its hash and type (for a PDF, the PDF itself). */
  source: { sha256: string; mime: string; size: number; pages: number };
  /** Pages kept, in order (blank pages left out). */
  pages: Array<CapturedPage & { index: number }>;
  skipped: SkippedPage[];
}

export interface ImportOptions {
  fileName?: string;
  docType?: DocType;
  /** Called as each page is ready (for progress); store pages only after the import resolves. */
  onPage?: (page: CapturedPage & { index: number }) => void;
}

export class CaptureService {
  readonly settings: PipelineSettings;
  private readonly worker: CaptureWorker;

  constructor(private readonly opts: CaptureServiceOptions = {}) {
    this.settings = PipelineSettingsSchema.parse(opts.settings ?? {});
    this.worker = new CaptureWorker({
      settings: this.settings,
      ...(opts.threads ? { threads: opts.threads } : {}),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.workerFile ? { workerFile: opts.workerFile } : {}),
    });
  }

  /** Loads the OCR models now rather than on the first page. */
  warm(): Promise<void> {
    return this.worker.warm();
  }

  /** One image (a camera still or a scanned page). */
  capturePage(bytes: Uint8Array, opts: { fileName?: string; docType?: DocType } = {}): Promise<CapturedPage> {
    const kind = importKind(bytes, opts.fileName, this.opts.limits);
    if (kind === 'pdf') return Promise.reject(captureError('bad_request', CAPTURE_MESSAGES.unsupported, 'capturePage takes images; use importFile for PDFs'));
    return this.worker.capture(bytes, { ...(opts.fileName ? { fileName: opts.fileName } : {}), ...(opts.docType ? { docType: opts.docType } : {}) });
  }

  /** An image or a PDF from disk or a drop: every page, blank ones left out. */
  async importFile(bytes: Uint8Array, opts: ImportOptions = {}): Promise<ImportResult> {
    const kind = importKind(bytes, opts.fileName, this.opts.limits);
    const source = { sha256: createHash('sha256').update(bytes).digest('hex'), mime: MIME[kind], size: bytes.length, pages: 1 };
    const collect = new Collector(opts);
    if (kind !== 'pdf') {
      collect.add(0, await this.capturePage(bytes, opts));
    } else {
      for await (const p of pdfPages(bytes, { maxSide: this.settings.storeMaxSide })) {
        source.pages = p.pages;
        collect.add(p.page - 1, await this.worker.capture(p.jpeg, opts.docType ? { docType: opts.docType } : {}));
      }
    }
    return { source, ...collect.result() };
  }

  listScanners(): Promise<ScannerDevice[]> {
    return listScanners(this.opts.sane);
  }

  scannerCapabilities(device: string): Promise<ScannerCapabilities> {
    return scannerCapabilities(device, this.opts.sane);
  }

  /** Scans (glass, feeder or duplex); each page is recognised while the next is being scanned. */
  async scan(request: ScanRequest, opts: Omit<ImportOptions, 'fileName'> = {}): Promise<Omit<ImportResult, 'source'>> {
    const collect = new Collector(opts);
    const pending: Array<Promise<void>> = [];
    await scan(request, (png, index) => {
      const p = this.worker.capture(png, opts.docType ? { docType: opts.docType } : {}).then((page) => collect.add(index, page));
      p.catch(() => {});
      pending.push(p);
    }, this.opts.sane);
    await Promise.all(pending);
    return collect.result();
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}

/** Gathers pages in order, sets blank ones aside, and refuses an import that is blank throughout. */
class Collector {
  private readonly pages: Array<CapturedPage & { index: number }> = [];
  private readonly skipped: SkippedPage[] = [];
  constructor(private readonly opts: ImportOptions) {}

  add(index: number, page: CapturedPage): void {
    if (page.blank) {
      this.skipped.push({ index, reason: CAPTURE_MESSAGES.blank });
      return;
    }
    const p = { ...page, index };
    this.pages.push(p);
    this.opts.onPage?.(p);
  }

  result(): { pages: Array<CapturedPage & { index: number }>; skipped: SkippedPage[] } {
    if (this.pages.length === 0) {
      throw new AppError('bad_request', this.skipped.length === 1 ? '这是一张空白页，没有可保存的内容，请确认材料正面朝向扫描面后重试。' : '所有页面都是空白页，没有可保存的内容，请检查材料放置方向后重试。', 'all pages blank');
    }
    this.pages.sort((a, b) => a.index - b.index);
    this.skipped.sort((a, b) => a.index - b.index);
    return { pages: this.pages, skipped: this.skipped };
  }
}
