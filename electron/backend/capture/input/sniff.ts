import { ATTACHMENT_MAX_BYTES } from '../../../../shared/hall/api.js';
import { CAPTURE_MESSAGES, captureError } from '../errors.js';

/**
 * What a file really is, by its first bytes (never by its name): a scanned or photographed page
 * in one of the image formats sharp decodes, or a PDF. Anything else is refused up front with a
 * message for the clerk, before any decoder sees it.
 */

export type FileKind = 'jpeg' | 'png' | 'tiff' | 'webp' | 'bmp' | 'gif' | 'pdf';

export const MIME: Record<FileKind, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  tiff: 'image/tiff',
  webp: 'image/webp',
  bmp: 'image/bmp',
  gif: 'image/gif',
  pdf: 'application/pdf',
};

const starts = (b: Uint8Array, sig: number[], at = 0): boolean => sig.every((v, i) => b[at + i] === v);
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

export function sniffKind(b: Uint8Array): FileKind | null {
  if (starts(b, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (starts(b, [0x49, 0x49, 0x2a, 0x00]) || starts(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (starts(b, ascii('RIFF')) && starts(b, ascii('WEBP'), 8)) return 'webp';
  if (starts(b, ascii('BM')) && b.length > 26) return 'bmp';
  if (starts(b, ascii('GIF87a')) || starts(b, ascii('GIF89a'))) return 'gif';
  // PDF readers accept the header anywhere in the first KB
  const head = Buffer.from(b.subarray(0, 1024)).toString('latin1');
  if (head.includes('%PDF-')) return 'pdf';
  return null;
}

export interface ImportLimits {
  /** Largest file accepted, in bytes (default: the attachment limit, 50 MB). */
  maxBytes?: number;
}

/**
 * The kind of an importable file, or a Chinese error: empty, too large, or not an image/PDF
 * (saying so plainly when the name claims an image or PDF).
 */
export function importKind(bytes: Uint8Array, fileName = '', limits: ImportLimits = {}): FileKind {
  const maxBytes = limits.maxBytes ?? ATTACHMENT_MAX_BYTES;
  if (bytes.length === 0) throw captureError('bad_request', CAPTURE_MESSAGES.empty, `empty file ${fileName}`);
  if (bytes.length > maxBytes) {
    throw captureError('payload_too_large', CAPTURE_MESSAGES.tooLarge(Math.round(maxBytes / 1024 / 1024)), `${bytes.length} bytes > ${maxBytes}`);
  }
  const kind = sniffKind(bytes);
  if (kind) return kind;
  const ext = /\.([A-Za-z0-9]{1,5})$/.exec(fileName)?.[1]?.toLowerCase();
  if (ext && ['jpg', 'jpeg', 'png', 'tif', 'tiff', 'webp', 'bmp', 'gif', 'pdf'].includes(ext)) {
    throw captureError('bad_request', CAPTURE_MESSAGES.mislabelled(ext), `content of ${fileName} is not ${ext}`);
  }
  throw captureError('bad_request', CAPTURE_MESSAGES.unsupported, `unrecognised content in ${fileName || 'upload'}`);
}
