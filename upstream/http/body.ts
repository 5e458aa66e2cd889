import type { IncomingMessage } from 'node:http';
import { AppError } from '../../shared/errors.js';
import { MAX_BODY_BYTES } from '../../shared/hall/api.js';

export const TOO_LARGE_MESSAGE = '提交的内容过大，请精简后重试。';

export interface BodyMessages {
  /** Shown when the body is over the limit (payload_too_large). */
  tooLarge: string;
  /** Shown when the request broke off before its end (bad_request). */
  incomplete: string;
}

const JSON_MESSAGES: BodyMessages = { tooLarge: TOO_LARGE_MESSAGE, incomplete: '请求未完整送达，请重试。' };

/**
 * Reads a request body of at most `limit` bytes. A declared Content-Length over the limit is refused
 * before reading; past the limit while streaming it stops collecting and rejects with
 * payload_too_large at once (the rest is discarded). A broken-off request rejects with bad_request.
 */
export function readRawBody(req: IncomingMessage, limit: number, messages: BodyMessages = JSON_MESSAGES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new AppError('payload_too_large', messages.tooLarge, `content-length ${declared} > ${limit}`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const fail = (err: AppError) => {
      if (done) return;
      done = true;
      chunks.length = 0;
      reject(err);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        fail(new AppError('payload_too_large', messages.tooLarge, `body over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (err) => fail(new AppError('bad_request', messages.incomplete, String(err))));
    req.on('aborted', () => fail(new AppError('bad_request', messages.incomplete, 'request aborted')));
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks, size));
    });
  });
}

/** Reads a JSON request body of at most `limit` bytes; an empty body is `{}`. */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const text = (await readRawBody(req, limit)).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError('bad_request', '请求内容不是有效的 JSON，请检查后重试。', String(err));
  }
}
