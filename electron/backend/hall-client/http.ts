import { AppError, describeIssues, type ErrorCode } from '../../../shared/errors.js';
import { HallApi, type HallInput, type HallOutput, type HallRouteName } from '../../../shared/hall/api.js';

export const OFFLINE_MESSAGE = '无法连接大厅服务器，请检查网络；当前号码可继续办结，恢复后自动上传。';
const KNOWN_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'bad_request',
  'payload_too_large',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'invalid_transition',
  'too_fast',
  'offline',
  'out_of_order',
  'internal',
]);

/** An error answer of the hall server: its HTTP status plus the `{error}` body as an AppError. */
export class HallHttpError extends AppError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
    detail?: string,
  ) {
    super(code, message, detail);
    this.name = 'HallHttpError';
  }
}

export interface HallAuth {
  deviceToken?: string | null;
  sessionToken?: string | null;
}

/** True for failures worth retrying later: no connection, timeouts, 5xx. */
export function isTransient(err: unknown): boolean {
  if (err instanceof HallHttpError) return err.status >= 500;
  return err instanceof AppError && err.code === 'offline';
}

/**
 * Typed HTTP client of the hall server over the `HallApi` route table. Inputs are validated before
 * sending and outputs on arrival. Failures become AppErrors with the Chinese message to show:
 * network errors and timeouts → `offline`; error answers → the hall's own code and message.
 */
export class HallHttp {
  constructor(
    readonly baseUrl: string,
    private readonly opts: { timeoutMs?: number; /** reached: the hall answered (any status). */ onResult?: (reached: boolean, err?: unknown) => void } = {},
  ) {}

  async call<N extends HallRouteName>(name: N, input: HallInput<N>, auth: HallAuth = {}, timeoutMs?: number): Promise<HallOutput<N>> {
    const route = HallApi[name];
    const parsedInput = route.input.safeParse(input);
    if (!parsedInput.success) {
      throw new AppError('bad_request', '请求参数有误，请检查后重试。', `${name}: ${describeIssues(parsedInput.error.issues)}`);
    }
    const url = new URL(route.path, this.baseUrl);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (auth.deviceToken) headers.authorization = `Bearer ${auth.deviceToken}`;
    if (auth.sessionToken) headers['x-session'] = auth.sessionToken;
    let body: string | undefined;
    if (route.method === 'GET') {
      for (const [k, v] of Object.entries(parsedInput.data as Record<string, unknown>)) url.searchParams.set(k, String(v));
    } else {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(parsedInput.data);
    }
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, { method: route.method, headers, body, signal: AbortSignal.timeout(timeoutMs ?? this.opts.timeoutMs ?? 3000) });
      text = await res.text();
    } catch (err) {
      const e = new AppError('offline', OFFLINE_MESSAGE, `${route.method} ${route.path}: ${(err as Error).name}: ${(err as Error).message}`);
      this.opts.onResult?.(false, e);
      throw e;
    }
    if (!res.ok) {
      const e = errorFromAnswer(res.status, text, `${route.method} ${route.path}`);
      // Any answer at all, even a 5xx, means the hall is reachable.
      this.opts.onResult?.(true, e);
      throw e;
    }
    this.opts.onResult?.(true);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new HallHttpError(res.status, 'internal', '大厅服务器返回了无法识别的数据，请联系管理员。', `${route.path}: not JSON`);
    }
    const out = route.output.safeParse(json);
    if (!out.success) {
      throw new HallHttpError(res.status, 'internal', '大厅服务器返回了无法识别的数据，请联系管理员。', `${route.path}: ${describeIssues(out.error.issues)}`);
    }
    return out.data as HallOutput<N>;
  }
}

export function errorFromAnswer(status: number, text: string, where: string): HallHttpError {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; detail?: unknown } };
    const e = body.error;
    if (e && typeof e.code === 'string' && typeof e.message === 'string') {
      const code = (KNOWN_CODES.has(e.code) ? e.code : status >= 500 ? 'internal' : 'bad_request') as ErrorCode;
      return new HallHttpError(status, code, e.message, `${where}: ${typeof e.detail === 'string' ? e.detail : e.code}`);
    }
  } catch {
    // fall through: not a JSON error body
  }
  if (status >= 500) return new HallHttpError(status, 'internal', '大厅服务器暂时出错，请稍后重试。', `${where}: HTTP ${status}`);
  return new HallHttpError(status, 'bad_request', '大厅服务器拒绝了这次请求。', `${where}: HTTP ${status} ${text.slice(0, 200)}`);
}
