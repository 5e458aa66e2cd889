import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import type { Attachment } from '../../../shared/case/types.js';
import { AppError } from '../../../shared/errors.js';
import type { AttachmentStore } from '../attachments/attachment-store.js';
import type { CaseService } from '../cases/case-service.js';
import { pdfFileName } from '../certificates/case-documents-deps.js';
import type { PageLines } from './material-pdf-lines.js';
import { searchablePdf, type PdfPage } from './searchable-pdf.js';

/**
 * The case file's PDF of one material (case.materialPdf): its stored pages in order, each image
 * with the invisible text layer of the lines capture recognised on it (material-pdf-lines.ts); a
 * page whose lines were not kept is an image only, and a PDF attached as it is goes in page by page.
 * The caller records the export in the audit log.
 */

export interface MaterialPdfDeps {
  cases: Pick<CaseService, 'view'>;
  attachments: Pick<AttachmentStore, 'get'>;
  lines: PageLines;
}

export interface MaterialPdf {
  pdf: Uint8Array;
  fileName: string;
  pages: number;
  caseNo: string;
  materialName: string;
}

type Part = { kind: 'image'; page: PdfPage } | { kind: 'pdf'; doc: PDFDocument };

/** A stored image as the JPEG the PDF embeds, upright (EXIF orientation applied), with its size. */
async function asJpeg(bytes: Buffer, mime: string): Promise<{ jpeg: Uint8Array; width: number; height: number }> {
  const meta = await sharp(bytes).metadata();
  const turned = (meta.orientation ?? 1) > 1;
  if (mime === 'image/jpeg' && !turned && meta.width && meta.height) return { jpeg: bytes, width: meta.width, height: meta.height };
  const { data, info } = await sharp(bytes).rotate().flatten({ background: '#ffffff' }).jpeg({ quality: 85 }).toBuffer({ resolveWithObject: true });
  return { jpeg: data, width: info.width, height: info.height };
}

async function partOf(d: MaterialPdfDeps, a: Attachment): Promise<Part> {
  const unreadable = (why: string) => new AppError('bad_request', `材料页面“${a.name}”无法读取，不能生成 PDF。`, `material page ${a.sha256.slice(0, 12)}: ${why}`);
  let bytes: Buffer;
  try {
    bytes = await d.attachments.get(a.sha256);
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') {
      throw new AppError('not_found', `材料页面“${a.name}”不在本机（由其他窗口添加），暂不能生成 PDF。`, `page ${a.sha256.slice(0, 12)} not stored here`);
    }
    throw err;
  }
  if (a.mime === 'application/pdf') {
    try {
      return { kind: 'pdf', doc: await PDFDocument.load(bytes) };
    } catch (err) {
      throw unreadable(String(err));
    }
  }
  let image: { jpeg: Uint8Array; width: number; height: number };
  try {
    image = await asJpeg(bytes, a.mime);
  } catch (err) {
    throw unreadable(String(err));
  }
  // Lines are kept for capture's own JPEGs only; the size check guards against any other image.
  const lines = a.mime === 'image/jpeg' ? await d.lines.of(a.sha256, image) : [];
  return { kind: 'image', page: { ...image, lines } };
}

/** Pages of consecutive images become one searchable PDF; attached PDFs are copied in between, in order. */
async function assemble(parts: readonly Part[], title: string): Promise<{ pdf: Uint8Array; pages: number }> {
  const images = parts.flatMap((p) => (p.kind === 'image' ? [p.page] : []));
  if (images.length === parts.length) return { pdf: await searchablePdf(images, { title }), pages: images.length };
  const out = await PDFDocument.create();
  out.setTitle(title);
  out.setProducer('OneWindow capture');
  let run: PdfPage[] = [];
  const add = async (doc: PDFDocument) => {
    for (const page of await out.copyPages(doc, doc.getPageIndices())) out.addPage(page);
  };
  const flush = async () => {
    if (run.length > 0) await add(await PDFDocument.load(await searchablePdf(run)));
    run = [];
  };
  for (const p of parts) {
    if (p.kind === 'image') {
      run.push(p.page);
      continue;
    }
    await flush();
    await add(p.doc);
  }
  await flush();
  return { pdf: await out.save({ useObjectStreams: true }), pages: out.getPageCount() };
}

export async function materialPdf(d: MaterialPdfDeps, caseId: string, materialId: string): Promise<MaterialPdf> {
  const view = d.cases.view(caseId);
  const m = view.materials.find((x) => x.id === materialId);
  if (!m) throw new AppError('bad_request', '该材料不在本办件的材料清单中，请刷新后重试。', `no material ${materialId}`);
  if (m.attachments.length === 0) throw new AppError('bad_request', `“${m.name}”还没有页面，不能生成 PDF。请先拍照、扫描或添加附件。`, `material ${materialId} has no pages`);
  const parts: Part[] = [];
  for (const a of m.attachments) parts.push(await partOf(d, a));
  const caseNo = view.summary.caseNo;
  const { pdf, pages } = await assemble(parts, `${m.name} ${caseNo}`);
  return { pdf, fileName: pdfFileName(m.name, caseNo), pages, caseNo, materialName: m.name };
}
