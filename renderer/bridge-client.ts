import { Contract, Events, type EventName, type EventPayload, type InvokeResult, type OneWindowApi } from '../shared/contract.js';

/**
 * The browser bridge's side of `window.onewindow`: when the page runs in Chromium against the
 * backend in a Node process (end-to-end tests, the browser preview) there is no Electron preload,
 * so this installs the same `OneWindowApi` over HTTP (invoke) and a WebSocket (events).
 * The token comes from `<meta name="onewindow-bridge">`, which the bridge server injects.
 */
type WindowWithApi = { onewindow?: OneWindowApi };

const UNREACHABLE = '无法连接工作台后台服务，请确认 OneWindow 正在运行后重试。';

export function bridgeToken(doc: Document = document): string | null {
  const v = doc.querySelector('meta[name="onewindow-bridge"]')?.getAttribute('content');
  return v && v.trim() ? v.trim() : null;
}

export function createBridgeApi(token: string, origin: { protocol: string; host: string } = location): OneWindowApi {
  const httpBase = `${origin.protocol}//${origin.host}`;
  const wsUrl = `${origin.protocol === 'https:' ? 'wss:' : 'ws:'}//${origin.host}/bridge/events?token=${encodeURIComponent(token)}`;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let ws: WebSocket | undefined;
  let delay = 300;
  let everOpened = false;

  const dispatch = (event: string, payload: unknown) => {
    for (const l of listeners.get(event) ?? []) l(payload);
  };

  async function invoke(method: string, input: unknown): Promise<InvokeResult<unknown>> {
    let res: Response;
    try {
      res = await fetch(`${httpBase}/bridge/invoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Bridge-Token': token },
        body: JSON.stringify({ method, input: input ?? {} }),
      });
    } catch {
      return { ok: false, error: { code: 'offline', message: UNREACHABLE } };
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    const b = body as { ok?: unknown; value?: unknown; error?: { code?: unknown; message?: unknown } } | undefined;
    if (b && b.ok === true) return { ok: true, value: b.value };
    if (b && b.ok === false && typeof b.error?.message === 'string') {
      return { ok: false, error: { code: String(b.error.code ?? 'internal'), message: b.error.message } };
    }
    if (res.status === 401) return { ok: false, error: { code: 'unauthorized', message: '工作台会话已失效，请刷新页面。' } };
    return { ok: false, error: { code: 'internal', message: `工作台后台返回了无法识别的结果（HTTP ${res.status}）。` } };
  }

  const connect = () => {
    try {
      ws = new WebSocket(wsUrl);
    } catch {
      setTimeout(connect, delay);
      return;
    }
    ws.onopen = () => {
      delay = 300;
      // After a reconnection, fetch what may have been missed while the socket was down.
      if (everOpened && (listeners.get('queue.state')?.size ?? 0) > 0) {
        void invoke('queue.state', {}).then((r) => {
          if (r.ok) dispatch('queue.state', r.value);
        });
      }
      everOpened = true;
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      try {
        const msg = JSON.parse(ev.data) as { event?: unknown; payload?: unknown };
        if (typeof msg.event === 'string') dispatch(msg.event, msg.payload);
      } catch {
        /* not JSON: ignore */
      }
    };
    ws.onclose = () => {
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5_000);
    };
  };
  connect();

  const api: OneWindowApi = {
    invoke: invoke as OneWindowApi['invoke'],
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(event) ?? new Set();
      const l = listener as (payload: unknown) => void;
      set.add(l);
      listeners.set(event, set);
      return () => {
        set.delete(l);
      };
    },
  };
  return api;
}

const BAD_REPLY = '工作台后台返回的数据格式不正确，请联系管理员。';

/**
 * The renderer's half of "validated on both sides": every result is checked against the method's
 * output schema and every event against its `Events` schema, whichever transport carried it.
 */
export function withValidation(api: OneWindowApi): OneWindowApi {
  return {
    async invoke(method, input) {
      let r: InvokeResult<unknown>;
      try {
        r = await api.invoke(method, input);
      } catch {
        return { ok: false, error: { code: 'offline', message: UNREACHABLE } };
      }
      if (!r || typeof r !== 'object') return { ok: false, error: { code: 'bad_reply', message: BAD_REPLY } };
      if (!r.ok) return r;
      const parsed = Contract[method].output.safeParse(r.value);
      if (!parsed.success) {
        console.warn(`${method} result rejected`, parsed.error.issues[0]);
        return { ok: false, error: { code: 'bad_reply', message: BAD_REPLY } };
      }
      return { ok: true, value: parsed.data } as InvokeResult<never>;
    },
    on(event, listener) {
      const schema = Events[event];
      return api.on(event, (payload) => {
        const parsed = schema.safeParse(payload);
        if (parsed.success) listener(parsed.data as typeof payload);
        else console.warn(`event ${event} rejected`, parsed.error.issues[0]);
      });
    },
  };
}

/**
 * Installs the bridge as `window.onewindow` unless Electron's preload already exposed it, and
 * returns the validated API the workstation uses (undefined when neither transport exists).
 */
export function installBridge(): OneWindowApi | undefined {
  const w = window as unknown as WindowWithApi;
  if (!w.onewindow) {
    const token = bridgeToken();
    if (!token) return undefined;
    w.onewindow = createBridgeApi(token);
  }
  return withValidation(w.onewindow);
}
