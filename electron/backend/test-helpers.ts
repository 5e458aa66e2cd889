/**
 * Helpers for the backend's tests: a real hall server in a temp folder (no call gap, so tests can
 * call back to back), a workstation enrolled with it, and polling.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import type { InvokeResult, PanelState } from '../../shared/contract.js';
import type { HallConfig } from '../../shared/office/config.js';
import { loadHallConfig } from '../../upstream/config.js';
import { startHallServer, type HallServer } from '../../upstream/server.js';
import { HallHttp } from './hall-client/http.js';
import { createWorkstation, type Workstation } from './index.js';
import { memorySettingsStore, type SettingsStore } from './settings/settings-store.js';

process.env.ONEWINDOW_LOG ??= 'silent';

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ow-${prefix}-`));
}

export function testHallConfig(): HallConfig {
  const cfg = loadHallConfig();
  for (const o of cfg.offices) o.policy = { ...o.policy, minCallGapMs: 0 };
  return cfg;
}

export function startTestHall(dataDir: string, port = 0): Promise<HallServer> {
  return startHallServer({ dataDir, port, config: testHallConfig() });
}

/**
 * For a test file: things to close after each test, last first (`cleanups.push(() => ws.close())`),
 * and a test hall that closes by itself (`await hallAt(dir)`, `await hallAt(dir, samePort)` to restart).
 * Call once at the top level of the file.
 */
export function closedAfterEach(): { cleanups: Array<() => Promise<void> | void>; hallAt(dir: string, port?: number): Promise<HallServer> } {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });
  return {
    cleanups,
    async hallAt(dir, port = 0) {
      const hall = await startTestHall(dir, port);
      cleanups.push(() => hall.close());
      return hall;
    },
  };
}

export async function waitFor<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 8000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function value<T>(r: InvokeResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

export async function state(ws: Workstation): Promise<PanelState> {
  return value(await ws.handlers['queue.state']({}));
}

export interface EnrolledWorkstation {
  ws: Workstation;
  settings: SettingsStore;
  dataDir: string;
}

/** A workstation of `office` enrolled with `hall` (reached at `via`, e.g. a partition proxy's URL) and online. */
export async function enrolledWorkstation(
  hall: HallServer,
  dataDir = tempDir('ws'),
  settings = memorySettingsStore(),
  via = hall.url,
  office = 'qihe-county',
): Promise<EnrolledWorkstation> {
  const ws = await createWorkstation({ dataDir, settings, hallUrl: via });
  value(await ws.handlers['device.enroll']({ hallUrl: via, code: hall.createEnrolmentCode(office), deviceName: '测试工作站' }));
  await waitFor('online', async () => (await state(ws)).connection.online);
  return { ws, settings, dataDir };
}

let requestSeq = 0;
export async function issueTicket(hallUrl: string, board = 'A'): Promise<{ ticketId: string; number: string }> {
  const t = await new HallHttp(hallUrl).call('kioskIssue', { office: 'qihe-county', board, requestId: `test-req-${process.pid}-${Date.now()}-${++requestSeq}` });
  return { ticketId: t.ticketId, number: t.number };
}

export function signIn(ws: Workstation, windowNo = 1, staffId = '1001', office = 'qihe-county') {
  return ws.handlers['session.signIn']({ staffId, pin: '123456', windowId: `${office}/${windowNo}` });
}

/** Signs in at window 1, calls a freshly issued ticket and starts serving it, all acknowledged. */
export async function servingTicket(ws: Workstation, hallUrl: string): Promise<{ ticketId: string; number: string }> {
  const t = await issueTicket(hallUrl);
  value(await signIn(ws));
  const called = value(await ws.handlers['queue.callNext']({}));
  expect(called.panel?.current?.ticketId).toBe(t.ticketId);
  const started = value(await ws.handlers['queue.start']({}));
  expect(started.panel?.current?.status).toBe('SERVING');
  expect(started.sync.pending).toBe(0);
  return t;
}

/**
 * A TCP proxy in front of the hall that can cut the link (a network partition), in one of two ways:
 *  - `reset` (default): every connection is closed at once and new ones are refused — the failure is
 *    seen immediately, as when the hall's host is down;
 *  - `blackhole`: connections are still accepted and held, but nothing is forwarded or answered, and
 *    the connections open when the link was cut go silent too (their data is dropped, for good) —
 *    as when a switch or a VPN drops packets. Only the client's own timeouts and pings notice it.
 *    After `unblock()` new connections work; the silent ones stay silent until the client drops them.
 */
export interface Partition {
  url: string;
  block(): void;
  unblock(): void;
  close(): Promise<void>;
}

export type PartitionMode = 'reset' | 'blackhole';

export async function partitionProxy(targetUrl: string, mode: PartitionMode = 'reset'): Promise<Partition> {
  const net = await import('node:net');
  type Socket = import('node:net').Socket;
  const target = new URL(targetUrl);
  let blocked = false;
  /** Live client → upstream pairs. */
  const links = new Map<Socket, Socket>();
  /** Client sockets that get nothing any more (black hole). */
  const silent = new Set<Socket>();

  const silence = (client: Socket) => {
    silent.add(client);
    client.removeAllListeners('data');
    client.unpipe();
    client.on('data', () => undefined); // read and drop, so the client's writes do not stall on a full buffer
    client.resume();
    const drop = () => {
      client.destroy();
      silent.delete(client);
    };
    client.on('error', drop).on('close', drop);
  };

  const server = net.createServer((client) => {
    if (blocked) {
      if (mode === 'reset') client.destroy();
      else silence(client);
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname);
    links.set(client, upstream);
    const drop = () => {
      if (silent.has(client)) {
        upstream.destroy();
        return;
      }
      client.destroy();
      upstream.destroy();
      links.delete(client);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as import('node:net').AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    block() {
      blocked = true;
      for (const [client, upstream] of links) {
        if (mode === 'reset') {
          client.destroy();
        } else {
          // Cut both directions without telling either end: the upstream goes quietly, the client hears nothing.
          upstream.unpipe(client);
          silence(client);
        }
        upstream.destroy();
      }
      links.clear();
    },
    unblock() {
      blocked = false;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const [client, upstream] of links) {
          client.destroy();
          upstream.destroy();
        }
        for (const s of silent) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Enrols a second device directly over HTTP; returns what it needs to push. */
export async function enrolDevice(hall: HallServer): Promise<{ clientId: string; deviceToken: string }> {
  const r = await new HallHttp(hall.url).call('enroll', { code: hall.createEnrolmentCode('qihe-county'), deviceName: '另一台工作站' });
  return { clientId: r.clientId, deviceToken: r.deviceToken };
}
