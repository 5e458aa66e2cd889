import { withValidation } from '../../../bridge-client.js';
import type { EventName, EventPayload, InvokeResult, MethodInput, MethodName, MethodOutput, OneWindowApi } from '../../../../shared/contract.js';

/**
 * The workstation API for capture's own calls that do not change the case view (a stored page, the
 * scanners) and for the scan's page events: `window.onewindow` (installed before the app renders),
 * checked against the contract like every other call.
 */
let api: OneWindowApi | null = null;
function get(): OneWindowApi | null {
  if (api) return api;
  const raw = (window as unknown as { onewindow?: OneWindowApi }).onewindow;
  api = raw ? withValidation(raw) : null;
  return api;
}

const OFFLINE = { ok: false as const, error: { code: 'offline', message: '无法连接工作台后台服务，请确认 OneWindow 正在运行后重试。' } };

export function invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<InvokeResult<MethodOutput<M>>> {
  const a = get();
  return a ? a.invoke(method, input) : Promise.resolve(OFFLINE);
}

export function onEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return get()?.on(event, listener) ?? (() => undefined);
}

/** Stored pages as data: URLs, by sha256 (each fetched — and audited — once per session). */
const pages = new Map<string, Promise<string | null>>();
export function pageUrl(caseId: string, sha256: string): Promise<string | null> {
  let p = pages.get(sha256);
  if (!p) {
    p = invoke('capture.page', { caseId, sha256 }).then((r) => (r.ok ? `data:${r.value.mime};base64,${r.value.dataBase64}` : null));
    pages.set(sha256, p);
    void p.then((url) => url ?? pages.delete(sha256));
  }
  return p;
}
