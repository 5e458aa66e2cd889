import type { z } from 'zod';
import { HallApi, HallPush, type HallInput, type HallOutput, type HallRouteName } from '../../shared/hall/api.js';

/**
 * The public pages' client of the hall server (same origin): typed calls of the public routes of
 * `HallApi`, every response checked with the route's schema, and a self-healing WebSocket whose
 * messages are checked with `HallPush`. Errors carry the hall's Chinese message.
 */
export class HallError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status: number) {
    super(message);
    this.name = 'HallError';
    this.code = code;
    this.status = status;
  }
}

const UNREACHABLE = '无法连接大厅服务器，请稍后再试或联系现场工作人员。';
const BAD_REPLY = '大厅服务器返回的数据无法识别，请联系现场工作人员。';

/** The routes a public page may use (no device token, no session). */
export type PublicRoute = Extract<
  HallRouteName,
  'time' | 'officePublic' | 'kioskIssue' | 'kioskCheckIn' | 'displayRecent' | 'evaluatorPending' | 'evaluatorRate'
>;

export async function hallCall<N extends PublicRoute>(name: N, input: HallInput<N>, base = ''): Promise<HallOutput<N>> {
  const route: { method: 'GET' | 'POST'; path: string; output: z.ZodType } = HallApi[name];
  let url = base + route.path;
  const init: RequestInit = { method: route.method, headers: { Accept: 'application/json' } };
  if (route.method === 'GET') {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(input as Record<string, unknown>)) if (v !== undefined) q.set(k, String(v));
    const qs = q.toString();
    if (qs) url += `?${qs}`;
  } else {
    init.headers = { ...init.headers, 'Content-Type': 'application/json' };
    init.body = JSON.stringify(input);
  }
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch {
    throw new HallError('offline', UNREACHABLE, 0);
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new HallError(res.ok ? 'bad_reply' : 'http_error', res.ok ? BAD_REPLY : `${UNREACHABLE}（HTTP ${res.status}）`, res.status);
  }
  if (!res.ok) {
    const err = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const message = typeof err?.message === 'string' && err.message ? err.message : `请求失败（HTTP ${res.status}），请稍后再试。`;
    throw new HallError(typeof err?.code === 'string' ? err.code : 'http_error', message, res.status);
  }
  const parsed = route.output.safeParse(body);
  if (!parsed.success) throw new HallError('bad_reply', BAD_REPLY, res.status);
  return parsed.data as HallOutput<N>;
}

export function errorMessage(err: unknown): string {
  if (err instanceof HallError) return err.message;
  return '操作失败，请稍后再试或联系现场工作人员。';
}

export interface PushSubscription {
  close(): void;
}

/**
 * Opens `/ws?<query>` on the page's own host and keeps it open: reconnects with a growing delay
 * (0.5 s … 5 s) and calls `onOpen` after every (re)connection so the page can refetch what it missed.
 */
export function subscribeHall(
  query: Record<string, string>,
  onPush: (push: HallPush) => void,
  hooks: { onOpen?: () => void; onClose?: () => void } = {},
): PushSubscription {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${proto}//${location.host}/ws?${new URLSearchParams(query).toString()}`;
  let ws: WebSocket | undefined;
  let closed = false;
  let delay = 500;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = () => {
    if (closed) return;
    try {
      ws = new WebSocket(url);
    } catch {
      schedule();
      return;
    }
    ws.onopen = () => {
      delay = 500;
      hooks.onOpen?.();
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      let raw: unknown;
      try {
        raw = JSON.parse(ev.data);
      } catch {
        return;
      }
      const parsed = HallPush.safeParse(raw);
      if (parsed.success) onPush(parsed.data);
      else console.warn('hall push rejected', parsed.error.issues[0]);
    };
    ws.onclose = () => {
      hooks.onClose?.();
      schedule();
    };
  };
  const schedule = () => {
    if (closed) return;
    timer = setTimeout(connect, delay);
    delay = Math.min(delay * 2, 5_000);
  };
  connect();
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      ws?.close();
    },
  };
}

/** Reads one query-string parameter of the page. */
export function queryParam(name: string): string | null {
  const v = new URLSearchParams(location.search).get(name);
  return v && v.trim() ? v.trim() : null;
}
