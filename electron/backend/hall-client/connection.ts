import type { ConnectionStatus } from '../../../shared/contract.js';
import type { HallPush } from '../../../shared/hall/api.js';
import { createLogger } from '../log.js';
import { HallHttp } from './http.js';
import { HallSocket } from './socket.js';

const log = createLogger('hall-connection');
const CLOCK_WARN_MS = 2 * 60_000;

export interface ConnectionHooks {
  /** The WebSocket (re)opened: refetch, push what waits. */
  onOpen(): void;
  onQueueChanged(msg: Extract<HallPush, { type: 'queue.changed' }>): void;
  /** A case of a visible office changed on the hall: pull the case log. */
  onCasesChanged(): void;
  /** Anything visible in ConnectionStatus changed. */
  onStatus(): void;
  /** The hall answered a request with a refusal (any 4xx/5xx); e.g. a revoked device token. */
  onRefused?(err: unknown): void;
}

/**
 * The window's link to one hall server: the typed HTTP client and the window channel WebSocket.
 * Online means the socket is open and the last HTTP request (if any since) reached the hall.
 */
export class HallConnection {
  readonly http: HallHttp;
  private socket: HallSocket | null = null;
  private wsOpen = false;
  private httpOk = true;
  private since: number;
  private lastError: string | null = null;
  private clockOffsetMs: number | null = null;
  private wasOnline = false;

  constructor(
    readonly hallUrl: string,
    deviceToken: string | null,
    private readonly now: () => number,
    private readonly hooks: ConnectionHooks,
  ) {
    this.since = now();
    this.http = new HallHttp(hallUrl, { onResult: (ok, err) => this.onHttpResult(ok, err) });
    if (deviceToken) {
      this.socket = new HallSocket(HallSocket.windowUrl(hallUrl, deviceToken), {
        onOpen: () => {
          this.wsOpen = true;
          this.httpOk = true;
          this.lastError = null;
          this.update();
          this.hooks.onOpen();
        },
        onClose: (reason) => {
          this.wsOpen = false;
          this.lastError = '无法连接大厅服务器，正在自动重连。';
          log.debug(`socket closed: ${reason}`);
          this.update();
        },
        onMessage: (msg) => this.onMessage(msg),
      });
      this.socket.start();
    } else {
      this.lastError = '本机尚未登记到大厅服务器。';
    }
  }

  online(): boolean {
    return this.wsOpen && this.httpOk;
  }

  status(): ConnectionStatus {
    const online = this.online();
    let lastError = this.lastError;
    if (online && this.clockOffsetMs !== null && Math.abs(this.clockOffsetMs) > CLOCK_WARN_MS) {
      const minutes = Math.round(Math.abs(this.clockOffsetMs) / 60_000);
      lastError = `本机时钟与大厅服务器相差约 ${minutes} 分钟，请校准系统时间（不影响叫号和上传顺序）。`;
    }
    return { online, since: this.since, hallUrl: this.hallUrl, clockOffsetMs: this.clockOffsetMs, lastError };
  }

  close(): void {
    this.socket?.close();
    this.socket = null;
    this.wsOpen = false;
  }

  private onMessage(msg: HallPush): void {
    if (msg.type === 'hello') {
      this.clockOffsetMs = msg.serverNow - this.now();
      if (Math.abs(this.clockOffsetMs) > CLOCK_WARN_MS) log.warn(`workstation clock differs from the hall by ${this.clockOffsetMs} ms`);
      this.hooks.onStatus();
    } else if (msg.type === 'queue.changed') {
      this.hooks.onQueueChanged(msg);
    } else if (msg.type === 'cases.changed') {
      this.hooks.onCasesChanged();
    }
  }

  private onHttpResult(ok: boolean, err?: unknown): void {
    if (ok && err !== undefined) this.hooks.onRefused?.(err);
    if (ok === this.httpOk) return;
    this.httpOk = ok;
    if (!ok) {
      this.lastError = err instanceof Error ? err.message : '无法连接大厅服务器。';
      // The socket may not have noticed yet; have it check now.
      this.socket?.reconnectNow();
    } else if (this.wsOpen) {
      this.lastError = null;
    }
    this.update();
  }

  private update(): void {
    const online = this.online();
    if (online !== this.wasOnline) {
      this.wasOnline = online;
      this.since = this.now();
      log.info(online ? `online: ${this.hallUrl}` : `offline: ${this.lastError ?? ''}`);
    }
    this.hooks.onStatus();
  }
}
