import { AppError } from '../../../shared/errors.js';
import { ATTACHMENT_HEADERS, AttachmentPutResult, attachmentPath } from '../../../shared/hall/api.js';
import { HallHttpError, OFFLINE_MESSAGE, errorFromAnswer } from '../hall-client/http.js';

export interface AttachmentRemoteState {
  receivedBytes: number;
  complete: boolean;
}

/** The hall refused a chunk's offset (409); it holds `receivedBytes` — resume there. */
export class OffsetConflict extends HallHttpError {
  constructor(
    readonly receivedBytes: number,
    message: string,
    detail?: string,
  ) {
    super(409, 'conflict', message, detail);
    this.name = 'OffsetConflict';
  }
}

/**
 * Binary client of the hall's attachment routes (HEAD / PUT `/api/attachments/:sha256`).
 * Network failures and timeouts become `offline` AppErrors; error answers HallHttpErrors.
 */
export class AttachmentHttp {
  constructor(
    readonly baseUrl: string,
    private readonly deviceToken: string,
    private readonly timeoutMs = 15_000,
  ) {}

  async head(sha256: string): Promise<AttachmentRemoteState> {
    const res = await this.send('HEAD', attachmentPath(sha256), {});
    if (res.status === 404) return { receivedBytes: 0, complete: false };
    if (res.status !== 200) throw errorFromAnswer(res.status, '', `HEAD ${attachmentPath(sha256)}`);
    return { receivedBytes: headerInt(res, ATTACHMENT_HEADERS.received), complete: res.headers.get(ATTACHMENT_HEADERS.complete) === '1' };
  }

  async putChunk(sha256: string, offset: number, total: number, chunk: Uint8Array): Promise<AttachmentPutResult> {
    const where = `PUT ${attachmentPath(sha256)}?offset=${offset}`;
    const res = await this.send(
      'PUT',
      `${attachmentPath(sha256)}?offset=${offset}`,
      { 'content-type': 'application/octet-stream', [ATTACHMENT_HEADERS.total]: String(total) },
      chunk,
    );
    const text = res.text;
    if (res.status === 409 && res.headers.has(ATTACHMENT_HEADERS.received)) {
      const e = errorFromAnswer(409, text, where);
      throw new OffsetConflict(headerInt(res, ATTACHMENT_HEADERS.received), e.message, e.detail);
    }
    if (res.status !== 200) throw errorFromAnswer(res.status, text, where);
    const parsed = AttachmentPutResult.safeParse(safeJson(text));
    if (!parsed.success) throw new HallHttpError(res.status, 'internal', '大厅服务器返回了无法识别的数据，请联系管理员。', `${where}: bad answer`);
    return parsed.data;
  }

  private async send(method: 'HEAD' | 'PUT', p: string, headers: Record<string, string>, body?: Uint8Array) {
    try {
      const res = await fetch(new URL(p, this.baseUrl), {
        method,
        headers: { ...headers, authorization: `Bearer ${this.deviceToken}` },
        body: body as Uint8Array<ArrayBuffer> | undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = method === 'HEAD' ? '' : await res.text();
      return { status: res.status, headers: res.headers, text };
    } catch (err) {
      throw new AppError('offline', OFFLINE_MESSAGE, `${method} ${p}: ${(err as Error).name}: ${(err as Error).message}`);
    }
  }
}

function headerInt(res: { headers: Headers }, name: string): number {
  const v = res.headers.get(name);
  if (v === null || !/^\d{1,15}$/.test(v)) throw new HallHttpError(502, 'internal', '大厅服务器返回了无法识别的数据，请联系管理员。', `missing or bad ${name}`);
  return Number(v);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
