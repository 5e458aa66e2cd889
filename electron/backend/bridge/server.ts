import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { CASE_ATTACH_MAX_BYTES } from '../../../shared/case/contract.js';
import { Events, type EventName } from '../../../shared/contract.js';
import { contentSecurityPolicy, MIME_TYPES as MIME } from '../../../shared/web-security.js';
import { isMethodName } from '../handlers.js';
import type { Workstation } from '../index.js';
import { createLogger } from '../log.js';
import { AppError } from '../../../shared/errors.js';
import { readRawBody } from '../../../upstream/http/body.js';

const log = createLogger('bridge');
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export const BRIDGE_CSP = contentSecurityPolicy("'self' ws://127.0.0.1:* ws://localhost:*");
/**
 * The largest invoke body: a `case.attach` of CASE_ATTACH_MAX_BYTES in base64 plus its envelope.
 * Loopback only and behind the token, so a large body is the clerk's own file, not a stranger's.
 */
export const BRIDGE_MAX_BODY_BYTES = Math.ceil((CASE_ATTACH_MAX_BYTES * 4) / 3) + 64 * 1024;

export interface Bridge {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export interface BridgeOptions {
  workstation: Workstation;
  webDir: string;
  port?: number;
  /** Loopback only: 127.0.0.1 (default), localhost or ::1. */
  host?: string;
}

/**
 * The browser bridge: serves the workstation UI on loopback and the contract's handlers over HTTP
 * (`POST /bridge/invoke`) and its events over a WebSocket (`/bridge/events`). A random token, put in
 * the page as `<meta name="onewindow-bridge">`, guards both; the Host header must name loopback so a
 * web page elsewhere cannot reach it through DNS rebinding.
 */
export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) throw new Error(`the bridge listens on loopback only, not ${host}`);
  const token = randomBytes(24).toString('base64url');
  const tokenDigest = digest(token);
  const tokenOk = (given: string | null | undefined) => typeof given === 'string' && timingSafeEqual(digest(given), tokenDigest);
  const webDir = path.resolve(opts.webDir);
  const { workstation } = opts;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error('request failed', err);
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: '系统内部错误，请稍后重试。' } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostIsLoopback(req.headers.host)) {
      sendJson(res, 403, { error: { code: 'forbidden', message: '只允许从本机访问。' } });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/bridge/invoke') {
      if (req.method !== 'POST') {
        sendJson(res, 405, { error: { code: 'bad_request', message: '请使用 POST。' } });
        return;
      }
      await invoke(req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: { code: 'bad_request', message: '不支持的请求方法。' } });
      return;
    }
    if (url.pathname === '/' || url.pathname === '/workstation.html' || url.pathname === '/index.html') {
      servePage(res);
      return;
    }
    serveStatic(url.pathname, res);
  }

  async function invoke(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== 'null' && !hostIsLoopback(safeHost(origin))) {
      sendJson(res, 403, { error: { code: 'forbidden', message: '只允许从本机访问。' } });
      return;
    }
    if (!tokenOk(header(req, 'x-bridge-token'))) {
      req.resume();
      sendJson(res, 401, { error: { code: 'unauthorized', message: '桥接令牌无效，请刷新页面。' } });
      return;
    }
    let body: Buffer;
    try {
      body = await readRawBody(req, BRIDGE_MAX_BODY_BYTES, { tooLarge: '请求内容过大（附件不能超过 20 MB）。', incomplete: '请求未完整送达，请重试。' });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'payload_too_large') throw err;
      sendJson(res, 413, { error: { code: 'payload_too_large', message: err.message } }, true);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      sendJson(res, 400, { error: { code: 'bad_request', message: '请求不是有效的 JSON。' } });
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      sendJson(res, 400, { error: { code: 'bad_request', message: '请求格式应为 {method, input}。' } });
      return;
    }
    const { method, input } = parsed as { method?: unknown; input?: unknown };
    if (!isMethodName(method)) {
      sendJson(res, 200, { ok: false, error: { code: 'bad_request', message: '请求参数有误：未知的方法。' } });
      return;
    }
    const handler = workstation.handlers[method] as (i: unknown) => Promise<unknown>;
    sendJson(res, 200, await handler(input));
  }

  function servePage(res: ServerResponse): void {
    const file = path.join(webDir, 'workstation.html');
    let html: string;
    try {
      html = fs.readFileSync(file, 'utf8');
    } catch {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('工作台页面尚未构建：请先运行 npm run build。\n');
      return;
    }
    const meta = `<meta name="onewindow-bridge" content="${token}">`;
    html = /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (h) => `${h}\n    ${meta}`) : `${meta}\n${html}`;
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': BRIDGE_CSP,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    res.end(html);
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      sendJson(res, 400, { error: { code: 'bad_request', message: '路径无效。' } });
      return;
    }
    const file = path.resolve(webDir, `.${rel}`);
    const allowed = file.startsWith(path.join(webDir, 'assets') + path.sep) || /^\/[\w.-]+\.(svg|png|ico|woff2|ttf|wav|mp3)$/.test(rel);
    if (!allowed || !file.startsWith(webDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      sendJson(res, 404, { error: { code: 'not_found', message: '没有找到。' } });
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
    fs.createReadStream(file).pipe(res);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const clients = new Set<WebSocket>();
  // Every pushed event of the contract (queue.state, capture.scanPage, …) goes to every client.
  const unsubscribes = (Object.keys(Events) as EventName[]).map((event) =>
    workstation.events.on(event, (payload) => {
      const msg = JSON.stringify({ event, payload });
      for (const c of clients) if (c.readyState === c.OPEN) c.send(msg);
    }),
  );
  const unsubscribe = () => unsubscribes.forEach((u) => u());
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    const originOk = origin === undefined || hostIsLoopback(safeHost(origin));
    if (url.pathname !== '/bridge/events' || !hostIsLoopback(req.headers.host) || !originOk || !tokenOk(url.searchParams.get('token'))) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => clients.delete(ws));
      // Client messages are not part of the protocol; they are ignored.
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}/`;
  log.info(`bridge listening at ${url}`);

  return {
    url,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const c of clients) c.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function safeHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** `127.0.0.1:1234`, `localhost:1234`, `[::1]:1234` (port optional). */
function hostIsLoopback(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(hostHeader.trim().toLowerCase());
  return m !== null && LOOPBACK_HOSTS.has(m[1]!);
}

function sendJson(res: ServerResponse, status: number, body: unknown, close = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(text);
}
