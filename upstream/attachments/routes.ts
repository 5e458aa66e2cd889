import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, HTTP_STATUS, toErrorBody } from '../../shared/errors.js';
import {
  ATTACHMENT_CHUNK_MAX_BYTES,
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_PATH_PREFIX,
  ATTACHMENT_TOO_LARGE_MESSAGE,
  Sha256Hex,
} from '../../shared/hall/api.js';
import { SECURITY_HEADERS, sendJson } from '../http/respond.js';
import type { DeviceRow } from '../store/hall-store.js';
import { AttachmentHttpError, type AttachmentReceiver } from './receiver.js';
import { readRawBody } from '../http/body.js';

const CHUNK_TOO_LARGE_MESSAGE = '单次上传的数据块过大（超过 4 MB），请更新工作站后重试。';

/** True for the paths the attachment routes own (the hall's JSON path must not read their bodies). */
export function isAttachmentPath(pathname: string): boolean {
  return pathname.startsWith(ATTACHMENT_PATH_PREFIX);
}

/**
 * HTTP side of `HEAD|PUT /api/attachments/:sha256` (see AttachmentRoutes in shared/hall/api.ts):
 * device auth, raw-body reading with the chunk limit, and the replies. Every reply waits for
 * `committed()` like the JSON routes.
 */
export function createAttachmentHandler(opts: {
  receiver: AttachmentReceiver;
  committed: () => Promise<void>;
  log: (line: string) => void;
}) {
  const { receiver } = opts;

  async function serve(req: IncomingMessage, res: ServerResponse, url: URL, device: () => DeviceRow): Promise<void> {
    const method = req.method ?? '';
    if (method !== 'HEAD' && method !== 'PUT') {
      throw new AppError('not_found', '该接口不支持这种请求方式。', `method ${method} not allowed on ${url.pathname}; use HEAD, PUT`);
    }
    const dev = device();
    const raw = url.pathname.slice(ATTACHMENT_PATH_PREFIX.length).toLowerCase();
    const sha = Sha256Hex.safeParse(raw);
    if (!sha.success) throw new AppError('bad_request', '附件摘要格式有误（应为 64 位十六进制 SHA-256）。', `bad sha256 ${raw.slice(0, 80)}`);
    const sha256 = sha.data;

    if (method === 'HEAD') {
      const s = await receiver.state(sha256);
      await opts.committed();
      res.writeHead(s.known ? 200 : 404, {
        ...SECURITY_HEADERS,
        'Cache-Control': 'no-store',
        'X-Received-Bytes': String(s.receivedBytes),
        'X-Complete': s.complete ? '1' : '0',
      });
      res.end();
      return;
    }

    if (receiver.isComplete(sha256)) {
      // Stored already (by this device or another): never take the bytes again.
      const s = await receiver.state(sha256);
      await opts.committed();
      sendJson(res, 200, { sha256, receivedBytes: s.receivedBytes, totalBytes: s.receivedBytes, complete: true }, { 'X-Received-Bytes': String(s.receivedBytes), 'X-Complete': '1' });
      return;
    }
    const offset = wholeNumber(url.searchParams.get('offset'), 'offset');
    const total = wholeNumber(header(req, 'x-total-size'), 'X-Total-Size');
    if (total === 0) throw new AppError('bad_request', '不能上传空文件。', 'X-Total-Size is 0');
    if (total > ATTACHMENT_MAX_BYTES) throw new AppError('payload_too_large', ATTACHMENT_TOO_LARGE_MESSAGE, `X-Total-Size ${total} > ${ATTACHMENT_MAX_BYTES}`);
    const chunk = await readRawBody(req, ATTACHMENT_CHUNK_MAX_BYTES, { tooLarge: CHUNK_TOO_LARGE_MESSAGE, incomplete: '上传未完整送达，将自动重试。' });
    const out = await receiver.putChunk(dev, sha256, offset, total, chunk);
    await opts.committed();
    sendJson(res, 200, out, { 'X-Received-Bytes': String(out.receivedBytes), 'X-Complete': out.complete ? '1' : '0' });
  }

  return function handleAttachment(req: IncomingMessage, res: ServerResponse, url: URL, device: () => DeviceRow): void {
    serve(req, res, url, device).catch(async (err: unknown) => {
      const body = toErrorBody(err);
      if (body.code === 'internal') opts.log(`hall: ${req.method} ${url.pathname} failed: ${err instanceof Error ? err.stack : String(err)}`);
      const status = err instanceof AttachmentHttpError && err.status !== undefined ? err.status : HTTP_STATUS[body.code];
      const extra: Record<string, string> = err instanceof AttachmentHttpError ? { ...err.headers } : {};
      if (body.code === 'payload_too_large') extra.Connection = 'close';
      await opts.committed().catch(() => undefined);
      if (req.method === 'HEAD') {
        if (!res.headersSent) res.writeHead(status, { ...SECURITY_HEADERS, 'Cache-Control': 'no-store', ...extra });
        res.end();
        return;
      }
      sendJson(res, status, { error: body }, extra);
    });
  };
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return typeof v === 'string' ? v : null;
}

function wholeNumber(v: string | null, what: string): number {
  if (v === null || !/^\d{1,15}$/.test(v)) throw new AppError('bad_request', '上传参数有误，请重试。', `${what} must be a whole number, got ${String(v).slice(0, 40)}`);
  return Number(v);
}

