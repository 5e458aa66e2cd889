import { createCipheriv, createHash, randomBytes } from 'node:crypto';

const JPEG_HEAD = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x01, 0x01, 0x2c, 0x01, 0x2c, 0x00, 0x00]);
const JPEG_END = Buffer.from([0xff, 0xd9]);

/**
 * Bytes that look like a scanned page as the window stores it: a JPEG (SOI, a JFIF APP0 header, an
 * entropy-coded body that does not compress, EOI) of the given size. With a `seed`, the same bytes
 * for the same seed in any process (a page that several windows scanned).
 */
export function jpegLikePage(size: number, seed?: string): Buffer {
  const n = Math.max(0, size - JPEG_HEAD.length - JPEG_END.length);
  let body: Buffer;
  if (seed === undefined) body = randomBytes(n);
  else {
    const key = createHash('sha256').update(`page:${seed}`).digest();
    body = createCipheriv('aes-256-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(n));
  }
  return Buffer.concat([JPEG_HEAD, body, JPEG_END]);
}
