import type { IncomingMessage } from 'node:http';
import { AppError } from '../../shared/errors.js';
import { MAX_BODY_BYTES } from '../../shared/hall/api.js';

export const TOO_LARGE_MESSAGE = '提交的内容过大，请精简后重试。';

/**
 * Reads a JSON request body of at most `limit` bytes. Past the limit it stops collecting and
 * rejects with payload_too_large at once (the rest of the upload is discarded, never parsed).
 */
export function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new AppError('payload_too_large', TOO_LARGE_MESSAGE, `content-length ${declared} > ${limit}`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        reject(new AppError('payload_too_large', TOO_LARGE_MESSAGE, `body over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('error', (err) => {
      if (!done) {
        done = true;
        reject(new AppError('bad_request', '请求未完整送达，请重试。', String(err)));
      }
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') {
        resolve({});
        return;
      }
      try {
        resolve(JSON.parse(text));
      } catch (err) {
        reject(new AppError('bad_request', '请求内容不是有效的 JSON，请检查后重试。', String(err)));
      }
    });
  });
}
