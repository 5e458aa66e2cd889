import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { HallConfig } from '../shared/office/config.js';
import { loadHallConfig } from './config.js';
import { startHallServer, type HallServer } from './server.js';

/**
 * Test support: a real hall server on loopback in a temporary folder, a controllable clock and a
 * small HTTP client. Used by the upstream tests and available to integration tests.
 */
export interface TestClock {
  t: number;
  now: () => number;
  advance(ms: number): void;
}

export function testClock(start = Date.parse('2025-03-03T09:00:00+08:00')): TestClock {
  const c: TestClock = {
    t: start,
    now: () => c.t,
    advance(ms: number) {
      c.t += ms;
    },
  };
  return c;
}

export interface Reply {
  status: number;
  body: any; // tests look into arbitrary replies
}

export interface TestHall {
  hall: HallServer;
  dataDir: string;
  clock: TestClock;
  config: HallConfig;
  request(method: string, p: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  raw(method: string, p: string, body: string, headers?: Record<string, string>): Promise<Reply>;
  enroll(office?: string): Promise<{ deviceToken: string; clientId: string; deviceId: string }>;
  signIn(deviceToken: string, windowId: string, staffId?: string, pin?: string): Promise<{ device: string; session: string }>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function requestId(): string {
  return randomUUID().replace(/-/g, '');
}

export function authHeaders(a: { device: string; session?: string }): Record<string, string> {
  return a.session === undefined ? { Authorization: `Bearer ${a.device}` } : { Authorization: `Bearer ${a.device}`, 'X-Session': a.session };
}

export async function startTestHall(
  opts: { config?: HallConfig; clock?: TestClock; dataDir?: string; catalogDir?: string; calendarDir?: string } = {},
): Promise<TestHall> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'onewindow-hall-'));
  const clock = opts.clock ?? testClock();
  const config = opts.config ?? loadHallConfig();
  const start = () =>
    startHallServer({ dataDir, config, now: clock.now, port: 0, log: () => {}, catalogDir: opts.catalogDir, calendarDir: opts.calendarDir });
  let hall = await start();

  const raw = async (method: string, p: string, body: string | undefined, headers: Record<string, string> = {}): Promise<Reply> => {
    const res = await fetch(hall.url + p, { method, body, headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers } });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed };
  };
  const t: TestHall = {
    get hall() {
      return hall;
    },
    dataDir,
    clock,
    config,
    request: (method, p, body, headers) => raw(method, p, body === undefined ? undefined : JSON.stringify(body), headers),
    raw: (method, p, body, headers) => raw(method, p, body, headers),
    async enroll(office = 'qihe-county') {
      const code = hall.createEnrolmentCode(office);
      const r = await t.request('POST', '/api/enroll', { code, deviceName: '测试工作站' });
      if (r.status !== 200) throw new Error(`enroll failed: ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async signIn(deviceToken, windowId, staffId = '1001', pin = '123456') {
      const r = await t.request('POST', '/api/session/sign-in', { staffId, pin, windowId }, { Authorization: `Bearer ${deviceToken}` });
      if (r.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(r.body)}`);
      return { device: deviceToken, session: r.body.sessionToken as string };
    },
    async restart() {
      await hall.close();
      hall = await start();
    },
    async stop() {
      await hall.close();
      if (opts.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}
