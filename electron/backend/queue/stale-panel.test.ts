/**
 * A panel the hall answered before it applied this window's finish must not bring the finished
 * ticket back once the finish is acknowledged and its outbox entry (the local overlay) is gone.
 * (Found by `npm run test:faults`: a window finished the same ticket twice, the second parked.)
 */
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HallServer } from '../../../upstream/server.js';
import type { Workstation } from '../index.js';
import { enrolledWorkstation, issueTicket, servingTicket, startTestHall, state, tempDir, value, waitFor } from '../test-helpers.js';

/** Forwards HTTP and WebSocket traffic to the hall; while `holding`, keeps panel answers back until released. */
function panelHoldingProxy(target: URL) {
  let holding = false;
  const held: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const deliver = () => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        };
        if (holding && req.url?.startsWith('/api/window/panel')) held.push(deliver);
        else deliver();
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket, head) => {
    const up = connect(Number(target.port), target.hostname, () => {
      const headers = Object.entries(req.headers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`);
      up.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      up.write(head);
      socket.pipe(up).pipe(socket);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  return {
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    hold: (on: boolean) => void (holding = on),
    heldCount: () => held.length,
    releaseOne: () => held.shift()?.(),
    releaseAll: () => held.splice(0).forEach((d) => d()),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

let hall: HallServer;
let proxy: ReturnType<typeof panelHoldingProxy>;
let ws: Workstation;
beforeAll(async () => {
  hall = await startTestHall(tempDir('hall'));
  proxy = panelHoldingProxy(new URL(hall.url));
  const via = await proxy.listen();
  ws = (await enrolledWorkstation(hall, tempDir('ws'), undefined, via)).ws;
});
afterAll(async () => {
  proxy?.releaseAll();
  await ws?.close();
  await proxy?.close();
  await hall?.close();
});

it('keeps a finished ticket finished when an older panel arrives after the acknowledgement', async () => {
  const t = await servingTicket(ws, hall.url);
  proxy.hold(true);
  // Someone takes a number: the hall says the queue changed and the window refetches its panel. The
  // hall answers at once (the ticket still 办理中); the proxy keeps that answer back.
  await issueTicket(hall.url, 'A');
  await waitFor('a panel answer held back', () => proxy.heldCount() > 0);

  const done = value(await ws.handlers['queue.finish']({}));
  expect(done.panel?.current).toBeNull();
  await waitFor('finish acknowledged', async () => (await state(ws)).sync.pending === 0);

  proxy.releaseOne(); // the stale answer arrives now
  await new Promise((r) => setTimeout(r, 200));
  const after = await state(ws);
  expect(after.panel?.current?.ticketId ?? null).not.toBe(t.ticketId);
  expect(after.canCallNext).toBe(true);

  proxy.hold(false);
  proxy.releaseAll();
  await waitFor('fresh panel', async () => (await state(ws)).panel?.boards.some((b) => b.code === 'A' && b.waiting === 1));
  expect((await state(ws)).panel?.current).toBeNull();
});
