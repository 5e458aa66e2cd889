import { deflateSync } from 'node:zlib';
import pako from 'pako';

/**
 * pdf-lib compresses every stream (font subsets, page contents) with pako, pure JavaScript and
 * the largest remaining cost of a document (~8 ms of ~25). Node's zlib writes the same format in
 * a fraction of the time, so pako's `deflate` is pointed at it for the whole process. pdf-lib is
 * the only user of this copy of pako (`npm ls pako`: unicode-trie has its own, for inflating).
 */
const p = pako as unknown as { deflate: (data: Uint8Array, options?: { level?: number }) => Uint8Array; __oneWindowNative?: boolean };
if (!p.__oneWindowNative) {
  p.deflate = (data, options) => {
    const out = deflateSync(data, { level: options?.level ?? 6 });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  };
  p.__oneWindowNative = true;
}
