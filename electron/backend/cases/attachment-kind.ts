import { CASE_ATTACH_MAX_BYTES } from '../../../shared/case/contract.js';
import { AppError } from '../../../shared/errors.js';
import { EMPTY_ATTACHMENT_MESSAGE } from '../attachments/attachment-store.js';

/**
 * Files a clerk may attach to a material: images (JPEG, PNG, WebP) and PDF, recognised by their
 * first bytes — never by the name or the type the caller claims — and at most 20 MB.
 */
export const ATTACH_KIND_MESSAGE = '只能添加图片（JPG、PNG、WebP）或 PDF 文件，所选文件不是这些格式。';
export const ATTACH_TOO_LARGE_MESSAGE = `文件过大（超过 ${CASE_ATTACH_MAX_BYTES / 1024 / 1024} MB），请压缩或分页扫描后再试。`;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export type AttachMime = 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';

function startsWith(b: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (b.length < at + sig.length) return false;
  return sig.every((x, i) => b[at + i] === x);
}

/** The file's type by its magic bytes, or null. */
export function sniffMime(b: Uint8Array): AttachMime | null {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  // %PDF- within the first 1 KB (some producers put a few bytes before the header).
  const head = Buffer.from(b.subarray(0, 1024)).toString('latin1');
  if (head.includes('%PDF-')) return 'application/pdf';
  return null;
}

/** Decodes the base64 of `case.attach` and checks it is an image or a PDF of at most 20 MB. */
export function decodeAttachment(dataBase64: string): { bytes: Buffer; mime: AttachMime } {
  const b64 = dataBase64.replace(/\s+/g, '');
  if (b64.length % 4 !== 0 || !BASE64.test(b64)) throw new AppError('bad_request', '文件数据有误，请重新选择文件。', 'attachment is not valid base64');
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length === 0) throw new AppError('bad_request', EMPTY_ATTACHMENT_MESSAGE, 'empty attachment');
  if (bytes.length > CASE_ATTACH_MAX_BYTES) throw new AppError('payload_too_large', ATTACH_TOO_LARGE_MESSAGE, `attachment of ${bytes.length} bytes`);
  const mime = sniffMime(bytes);
  if (mime === null) throw new AppError('bad_request', ATTACH_KIND_MESSAGE, `unrecognised file (first bytes ${bytes.subarray(0, 8).toString('hex')})`);
  return { bytes, mime };
}
