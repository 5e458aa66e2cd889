import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { HallApi, type HallInput, type HallOutput, type HallRouteName } from '../../shared/hall/api.js';
import type { ErrorBody } from '../../shared/errors.js';

/**
 * A small typed client of the hall server's HTTP API for tests and benches. Routes, methods and
 * schemas come from `HallApi`; nothing is re-declared here. One client = one workstation: its own
 * keep-alive agent (by default one socket, like a real window), its device token and clerk session.
 */
export class HallHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | undefined,
    readonly route: string,
  ) {
    super(`${route} → HTTP ${status} ${body?.code ?? ''}: ${body?.message ?? ''}${body?.detail ? ` (${body.detail})` : ''}`);
    this.name = 'HallHttpError';
  }
  get code(): string | undefined {
    return this.body?.code;
  }
}

/** Network failures (refused, reset, timed out): the request may or may not have reached the server. */
export function isConnectionError(err: unknown): boolean {
  if (err instanceof HallHttpError) return false;
  const code = (err as { code?: string } | null)?.code;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'ETIMEDOUT' ||
    code === 'ECONNABORTED' ||
    code === 'UND_ERR_SOCKET' ||
    (err instanceof Error && /socket hang up|timed out/i.test(err.message))
  );
}

export function requestId(): string {
  return randomBytes(12).toString('base64url');
}

export interface HallClientOptions {
  baseUrl: string;
  /** Validate each response with the route's output schema (default true). */
  validate?: boolean;
  maxSockets?: number;
  timeoutMs?: number;
}

export class HallClient {
  baseUrl: string;
  deviceToken: string | undefined;
  sessionToken: string | undefined;
  clientId: string | undefined;
  private readonly agent: http.Agent;
  private readonly validate: boolean;
  private readonly timeoutMs: number;

  constructor(o: HallClientOptions) {
    this.baseUrl = o.baseUrl.replace(/\/$/, '');
    this.validate = o.validate ?? true;
    this.timeoutMs = o.timeoutMs ?? 10_000;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: o.maxSockets ?? 1 });
  }

  close(): void {
    this.agent.destroy();
  }

  /** Calls one route of `HallApi`; resolves with its (validated) output, rejects with HallHttpError or a network error. */
  async call<N extends HallRouteName>(name: N, input: HallInput<N>): Promise<HallOutput<N>> {
    const route = HallApi[name];
    const headers: Record<string, string> = { accept: 'application/json' };
    if (route.auth !== 'public' && this.deviceToken) headers.authorization = `Bearer ${this.deviceToken}`;
    if (route.auth === 'session' && this.sessionToken) headers['x-session'] = this.sessionToken;
    let url = this.baseUrl + route.path;
    let body: string | undefined;
    if (route.method === 'GET') {
      const qs = new URLSearchParams(Object.entries(input as Record<string, unknown>).map(([k, v]) => [k, String(v)])).toString();
      if (qs) url += `?${qs}`;
    } else {
      body = JSON.stringify(input);
      headers['content-type'] = 'application/json';
    }
    const { status, text } = await this.raw(route.method, url, headers, body);
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new HallHttpError(status, { code: 'internal', message: `non-JSON response: ${text.slice(0, 200)}` }, name);
    }
    if (status !== 200) throw new HallHttpError(status, (json as { error?: ErrorBody } | undefined)?.error, name);
    return (this.validate ? route.output.parse(json) : json) as HallOutput<N>;
  }

  /** One HTTP request on this client's agent. Exposed for tests of malformed requests. */
  raw(method: string, url: string, headers: Record<string, string>, body?: string | Buffer): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(url, { method, headers, agent: this.agent, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Enrols this client as a workstation with a one-time code. */
  async enroll(code: string, deviceName: string): Promise<HallOutput<'enroll'>> {
    const r = await this.call('enroll', { code, deviceName });
    this.deviceToken = r.deviceToken;
    this.clientId = r.clientId;
    return r;
  }

  async signIn(staffId: string, pin: string, windowId: string): Promise<HallOutput<'signIn'>> {
    const r = await this.call('signIn', { staffId, pin, windowId });
    this.sessionToken = r.sessionToken;
    return r;
  }
}

/** Retries `fn` while the hall server cannot be reached (e.g. while it restarts); other errors pass. */
export async function retryWhileOffline<T>(fn: () => Promise<T>, o: { deadline: number; delayMs?: number; onRetry?: (err: unknown) => void }): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (!isConnectionError(err) || Date.now() > o.deadline) throw err;
      o.onRetry?.(err);
      await new Promise((r) => setTimeout(r, o.delayMs ?? 25));
    }
  }
}
