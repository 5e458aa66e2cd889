import sharp from 'sharp';
import { CAPTURE_MAX_BYTES, type CaptureMethods, type ScanPageEvent, type ScannerOptionsView } from '../../../shared/case/capture-contract.js';
import type { CaseActor } from '../../../shared/case/types.js';
import { AppError } from '../../../shared/errors.js';
import { parseWindowId } from '../../../shared/office/config.js';
import type { AttachmentStore } from '../attachments/attachment-store.js';
import type { CaseService } from '../cases/case-service.js';
import type { CaseStore } from '../cases/case-store.js';
import type { HandlerImpl } from '../handlers.js';
import { createLogger } from '../log.js';
import type { Outbox } from '../store/outbox.js';
import { acceptSuggestions } from './capture-accept.js';
import { captureTarget, decodeBase64, storePages } from './capture-case.js';
import { CaptureHost, type CaptureHostOptions } from './capture-host.js';
import { materialPdf } from './material-pdf.js';
import { PageLines } from './material-pdf-lines.js';
import { DOC_TYPE_NAMES } from './types.js';

const log = createLogger('capture');
type CaptureMethodName = keyof typeof CaptureMethods;

export interface CaptureHandlerDeps {
  cases: CaseService;
  store: CaseStore;
  attachments: AttachmentStore;
  /** The signed-in clerk and window (the handler map refuses these methods without one). */
  session(): { staffId: string; windowId: string } | null;
  /** Pushes an event to the renderer (capture.scanPage). */
  emit(name: 'capture.scanPage', payload: ScanPageEvent): void;
  options?: CaptureHostOptions;
  /** The audit path of exports (as the case documents': outbox, then pushed) — case.materialPdf. */
  audit: { outbox: Pick<Outbox, 'append'>; written(wait: boolean): Promise<void>; now(): number };
}

export interface CaptureHandlers {
  handlers: Pick<HandlerImpl, CaptureMethodName>;
  host: CaptureHost;
  close(): Promise<void>;
}

const MODE: Array<[RegExp, ScannerOptionsView['modes'][number]]> = [
  [/colou?r/i, 'color'],
  [/gr[ae]y/i, 'gray'],
  [/lineart|binary|black/i, 'lineart'],
];

async function thumbnail(jpeg: Uint8Array): Promise<string> {
  const small = await sharp(Buffer.from(jpeg)).resize({ width: 240, height: 240, fit: 'inside' }).jpeg({ quality: 60 }).toBuffer();
  return small.toString('base64');
}

/**
 * The contract's capture methods: files and scans onto a material (case.capture, capture.scan),
 * suggestions taken into the form (case.acceptSuggestions), a stored page for the page viewer
 * (capture.page, audited), and the scanners. The OCR worker starts on first use and stops when idle.
 */
export function createCaptureHandlers(d: CaptureHandlerDeps): CaptureHandlers {
  const host = new CaptureHost({ limits: { maxBytes: CAPTURE_MAX_BYTES }, ...d.options });
  const actor = (): CaseActor => {
    const s = d.session();
    if (!s) throw new AppError('unauthorized', '请先登录');
    return { staffId: s.staffId, windowId: s.windowId, office: parseWindowId(s.windowId).office };
  };
  // The recognised lines of each stored page, for the material's searchable PDF (material-pdf-lines.ts).
  const lines = new PageLines(d.attachments.root);
  const store = async (target: { caseId: string; materialId: string; fileName: string }, result: Parameters<typeof storePages>[2]) => {
    const stored = await storePages(d.cases, target, result, captureTarget(d.cases, target.caseId, target.materialId).view);
    await lines.keep(result.pages);
    return stored;
  };

  const handlers: Pick<HandlerImpl, CaptureMethodName> = {
    'case.capture': async (i) => {
      captureTarget(d.cases, i.caseId, i.materialId); // refused before any page is read
      const bytes = decodeBase64(i.dataBase64);
      const result = await host.use((s) => s.importFile(bytes, { fileName: i.name, ...(i.docType ? { docType: i.docType } : {}) }));
      // Checked again: the case may have been decided while the pages were read.
      return store({ caseId: i.caseId, materialId: i.materialId, fileName: i.name }, result);
    },

    'case.acceptSuggestions': (i) => acceptSuggestions(d.cases, d.store, i.caseId, i.accept),

    'capture.page': async (i) => {
      const who = actor();
      const view = d.cases.view(i.caseId);
      const att = view.materials.flatMap((m) => m.attachments).find((a) => a.sha256 === i.sha256);
      if (!att) throw new AppError('not_found', '没有找到该材料页面，请刷新后重试。', `page ${i.sha256.slice(0, 12)} not on ${i.caseId}`);
      const bytes = await d.attachments.get(i.sha256);
      d.store.audit(i.caseId, who, `查阅材料页面 ${view.summary.caseNo} ${att.name}`);
      return { sha256: i.sha256, mime: att.mime, dataBase64: bytes.toString('base64') };
    },

    'case.materialPdf': async (i) => {
      const who = actor();
      const r = await materialPdf({ cases: d.cases, attachments: d.attachments, lines }, i.caseId, i.materialId);
      // Recorded as case.document records a document leaving the window (case-documents-deps.ts).
      d.audit.outbox.append({ kind: 'audit', caseId: i.caseId, what: 'case.exported', windowId: who.windowId, staffId: who.staffId, at: d.audit.now() }, `办件 ${r.caseNo} 导出材料 ${r.materialName}（${r.pages} 页 PDF）`);
      void d.audit.written(false).catch(() => undefined);
      return { pdfBase64: Buffer.from(r.pdf).toString('base64'), fileName: r.fileName, pages: r.pages };
    },

    'capture.scanners': async () => ({ scanners: await host.use((s) => s.listScanners()) }),

    'capture.scannerOptions': async (i) => {
      const caps = await host.use((s) => s.scannerCapabilities(i.device));
      const modes = [...new Set(caps.modes.flatMap((m) => MODE.filter(([re]) => re.test(m)).map(([, v]) => v)))];
      return { paperSources: caps.paperSources, resolutions: caps.resolutions, modes: modes.length > 0 ? modes : ['color'] };
    },

    'capture.scan': async (i) => {
      captureTarget(d.cases, i.caseId, i.materialId);
      if (i.extra && !/^test(:|$)/.test(i.device)) throw new AppError('bad_request', '扫描参数有误。', 'extra options for a real device');
      const pending: Array<Promise<void>> = [];
      const result = await host.use((s) =>
        s.scan(
          { device: i.device, source: i.source, dpi: i.dpi, mode: i.mode, ...(i.maxPages ? { maxPages: i.maxPages } : {}), ...(i.extra ? { extra: i.extra } : {}) },
          {
            ...(i.docType ? { docType: i.docType } : {}),
            onPage: (p) => {
              pending.push(
                thumbnail(p.stored.bytes)
                  .then((thumbBase64) =>
                    d.emit('capture.scanPage', { caseId: i.caseId, materialId: i.materialId, index: p.index, docTypeName: p.docType ? DOC_TYPE_NAMES[p.docType] : null, thumbBase64 }),
                  )
                  .catch((err: unknown) => log.warn('scan page thumbnail failed', err)),
              );
            },
          },
        ),
      );
      await Promise.all(pending);
      // Stored only now that the whole scan succeeded: a failed batch leaves nothing behind.
      return store({ caseId: i.caseId, materialId: i.materialId, fileName: `扫描件-${new Date().toISOString().slice(0, 10)}` }, result);
    },
  };

  return { handlers, host, close: () => host.close() };
}
