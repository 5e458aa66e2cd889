import WebSocket from 'ws';
import { HallPush } from '../../../shared/hall/api.js';
import { createLogger } from '../log.js';

const log = createLogger('hall-socket');

export interface HallSocketHandlers {
  onOpen(): void;
  onClose(reason: string): void;
  onMessage(msg: HallPush): void;
}

/**
 * The window's WebSocket to the hall server (`/ws?channel=window&token=...`). Reconnects by itself
 * with a short backoff (100 ms doubling to at most 2 s, so recovery is quick), and pings every 2 s so
 * a silently dead link (a black-holed network) is noticed within about 4 s.
 */
export class HallSocket {
  private ws: WebSocket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private backoffMs = 100;
  private closed = false;
  private open = false;

  constructor(
    private readonly url: string,
    private readonly handlers: HallSocketHandlers,
    private readonly opts: { maxBackoffMs?: number; pingMs?: number } = {},
  ) {}

  static windowUrl(hallUrl: string, deviceToken: string): string {
    const u = new URL('/ws', hallUrl);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    u.searchParams.set('channel', 'window');
    u.searchParams.set('token', deviceToken);
    return u.toString();
  }

  get isOpen(): boolean {
    return this.open;
  }

  start(): void {
    this.closed = false;
    this.connect();
  }

  /** Drops the current connection and reconnects at once (e.g. after the network came back). */
  reconnectNow(): void {
    if (this.closed) return;
    this.backoffMs = 100;
    if (this.ws) this.ws.terminate();
    else this.connect();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopHeartbeat();
    this.ws?.terminate();
    this.ws = null;
  }

  private connect(): void {
    if (this.closed || this.ws) return;
    this.timer = null;
    const ws = new WebSocket(this.url, { handshakeTimeout: 3000, maxPayload: 1024 * 1024 });
    this.ws = ws;
    let alive = true;
    ws.on('open', () => {
      this.open = true;
      this.backoffMs = 100;
      this.stopHeartbeat();
      this.heartbeat = setInterval(() => {
        if (!alive) {
          log.warn('no pong from the hall server, dropping the connection');
          ws.terminate();
          return;
        }
        alive = false;
        ws.ping();
      }, this.opts.pingMs ?? 2000);
      this.handlers.onOpen();
    });
    ws.on('pong', () => {
      alive = true;
    });
    ws.on('message', (data) => {
      alive = true;
      let parsed: ReturnType<typeof HallPush.safeParse>;
      try {
        parsed = HallPush.safeParse(JSON.parse(String(data)));
      } catch {
        log.warn('ignored a non-JSON message from the hall server');
        return;
      }
      if (!parsed.success) {
        log.warn('ignored an unknown message from the hall server');
        return;
      }
      this.handlers.onMessage(parsed.data);
    });
    ws.on('error', (err) => {
      log.debug('socket error', err);
    });
    ws.on('close', (code) => {
      const wasOpen = this.open;
      this.open = false;
      this.ws = null;
      this.stopHeartbeat();
      if (wasOpen) this.handlers.onClose(`connection closed (${code})`);
      else this.handlers.onClose('connection failed');
      if (this.closed) return;
      const delay = this.backoffMs;
      this.backoffMs = Math.min(this.opts.maxBackoffMs ?? 2000, this.backoffMs * 2);
      this.timer = setTimeout(() => this.connect(), delay);
    });
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}
