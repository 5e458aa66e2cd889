import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HallPush } from '../../shared/hall/api.js';
import { visibleOffices } from '../../shared/office/config.js';
import { OfficeId, WindowId } from '../../shared/queue/types.js';
import type { Access } from '../auth/access.js';
import type { QueueBroadcast, QueueEngine } from '../queue/engine.js';

/**
 * The hall's WebSocket at /ws. Channels:
 *   office    (?channel=office&office=ID)      public: call, queue.changed, hello
 *   evaluator (?channel=evaluator&windowId=ID)  public: rating.request, hello
 *   window    (?channel=window&token=DEVICE)    enrolled workstations: queue.changed of the offices they may
 *                                              see (their own; the county hall's also its branches'), hello
 */
type Subscription =
  | { kind: 'office'; office: string }
  | { kind: 'evaluator'; windowId: string }
  | { kind: 'window'; offices: ReadonlySet<string>; deviceId: string };

interface Client {
  socket: WebSocket;
  sub: Subscription;
  alive: boolean;
}

export const HEARTBEAT_MS = 15_000;
/** How often the hall looks for devices revoked meanwhile (by the CLI, another process). */
export const REVOCATION_CHECK_MS = 3_000;

export class HallSockets {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });
  private readonly clients = new Set<Client>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly revocations: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly queue: QueueEngine,
    private readonly access: Access,
  ) {
    this.unsubscribe = queue.onBroadcast((b) => this.broadcast(b));
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
    this.revocations = setInterval(() => this.dropRevoked(), REVOCATION_CHECK_MS);
    this.revocations.unref();
  }

  private subscription(url: URL): Subscription | string {
    const channel = url.searchParams.get('channel');
    if (channel === 'office') {
      const office = OfficeId.safeParse(url.searchParams.get('office'));
      if (!office.success || !this.queue.hasOffice(office.data)) return 'unknown office';
      return { kind: 'office', office: office.data };
    }
    if (channel === 'evaluator') {
      const w = WindowId.safeParse(url.searchParams.get('windowId'));
      if (!w.success) return 'bad windowId';
      try {
        this.queue.windowView(w.data);
      } catch {
        return 'unknown window';
      }
      return { kind: 'evaluator', windowId: w.data };
    }
    if (channel === 'window') {
      try {
        const device = this.access.device(url.searchParams.get('token') ?? undefined);
        return { kind: 'window', offices: new Set(visibleOffices(this.queue.config, device.office)), deviceId: device.id };
      } catch {
        return 'unauthorized';
      }
    }
    return 'unknown channel';
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://hall.invalid');
    const sub = url.pathname === '/ws' ? this.subscription(url) : 'not found';
    if (typeof sub === 'string') {
      const status = sub === 'unauthorized' ? '401 Unauthorized' : sub === 'not found' ? '404 Not Found' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const client: Client = { socket: ws, sub, alive: true };
      this.clients.add(client);
      ws.on('pong', () => {
        client.alive = true;
      });
      ws.on('close', () => this.clients.delete(client));
      ws.on('error', () => ws.terminate());
      ws.on('message', () => {
        /* clients only listen */
      });
      this.send(client, { type: 'hello', serverNow: this.queue.now() });
    });
  }

  private send(client: Client, message: HallPush): void {
    if (client.socket.readyState === client.socket.OPEN) client.socket.send(JSON.stringify(message));
  }

  private broadcast(b: QueueBroadcast): void {
    for (const c of this.clients) {
      if (b.to === 'evaluator') {
        if (c.sub.kind === 'evaluator' && c.sub.windowId === b.windowId) this.send(c, b.message);
      } else if (b.to === 'windows') {
        if (c.sub.kind === 'window' && c.sub.offices.has(b.office)) this.send(c, b.message);
      } else if (c.sub.kind === 'office' && c.sub.office === b.office) {
        this.send(c, b.message);
      } else if (c.sub.kind === 'window' && c.sub.offices.has(b.office) && b.message.type === 'queue.changed') {
        this.send(c, b.message);
      }
    }
  }

  /** Revoked devices hear nothing more: their sockets are closed (and their windows closed, see Access.settleRevoked). */
  private dropRevoked(): void {
    let revoked: Set<string>;
    try {
      revoked = new Set(this.access.settleRevoked());
    } catch {
      return; // the database busy or closing: next time
    }
    if (revoked.size === 0) return;
    for (const c of this.clients) {
      if (c.sub.kind === 'window' && revoked.has(c.sub.deviceId)) {
        c.socket.close(4401, 'device revoked');
        this.clients.delete(c);
      }
    }
  }

  private beat(): void {
    for (const c of this.clients) {
      if (!c.alive) {
        c.socket.terminate();
        this.clients.delete(c);
        continue;
      }
      c.alive = false;
      try {
        c.socket.ping();
      } catch {
        c.socket.terminate();
      }
    }
  }

  close(): void {
    clearInterval(this.heartbeat);
    clearInterval(this.revocations);
    this.unsubscribe();
    for (const c of this.clients) c.socket.terminate();
    this.clients.clear();
    this.wss.close();
  }
}
