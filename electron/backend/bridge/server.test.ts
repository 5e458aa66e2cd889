import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkstation, type Workstation } from '../index.js';
import { memorySettingsStore } from '../settings/settings-store.js';
import { tempDir } from '../test-helpers.js';
import { CASE_ATTACH_MAX_BYTES } from '../../../shared/case/contract.js';
import { BRIDGE_MAX_BODY_BYTES, startBridge, type Bridge } from './server.js';

let ws: Workstation;
let bridge: Bridge;
beforeAll(async () => {
  const webDir = tempDir('web');
  fs.mkdirSync(path.join(webDir, 'assets'));
  fs.writeFileSync(path.join(webDir, 'workstation.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
  fs.writeFileSync(path.join(webDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(webDir, 'secret.txt'), 'no');
  // No hall at all: the bridge must still answer (device not enrolled).
  ws = await createWorkstation({ dataDir: tempDir('ws'), settings: memorySettingsStore() });
  bridge = await startBridge({ workstation: ws, webDir });
});
afterAll(async () => {
  await bridge?.close();
  await ws?.close();
});

function invoke(body: string, token: string | null, headers: Record<string, string> = {}) {
  return fetch(new URL('/bridge/invoke', bridge.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { 'x-bridge-token': token } : {}), ...headers },
    body,
  });
}

describe('browser bridge', () => {
  it('serves the page with its token injected and a strict CSP', async () => {
    const res = await fetch(bridge.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self' ws://127.0.0.1:*");
    expect(await res.text()).toContain(`<meta name="onewindow-bridge" content="${bridge.token}">`);
    expect((await fetch(new URL('/assets/app.js', bridge.url))).status).toBe(200);
    expect((await fetch(new URL('/secret.txt', bridge.url))).status).toBe(404);
    expect((await fetch(new URL('/assets/..%2fsecret.txt', bridge.url))).status).toBe(404);
  });

  it('invokes a handler with the right token', async () => {
    const res = await invoke(JSON.stringify({ method: 'device.status', input: {} }), bridge.token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; value: { enrolled: boolean } };
    expect(body).toMatchObject({ ok: true, value: { enrolled: false } });
  });

  it('answers ok:false with 200 for bad input and unknown methods', async () => {
    const bad = await invoke(JSON.stringify({ method: 'queue.hold', input: { kind: 1 } }), bridge.token);
    expect(bad.status).toBe(200);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const unknown = await invoke(JSON.stringify({ method: 'constructor', input: {} }), bridge.token);
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('takes a body as large as a 20 MB attachment in base64 (the contract then judges it)', async () => {
    const big = JSON.stringify({ method: 'queue.finish', input: { caseNo: 'x'.repeat(Math.ceil((CASE_ATTACH_MAX_BYTES * 4) / 3)) } });
    const r = await invoke(big, bridge.token);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('refuses a wrong or missing token with 401', async () => {
    expect((await invoke(JSON.stringify({ method: 'device.status', input: {} }), 'wrong')).status).toBe(401);
    expect((await invoke(JSON.stringify({ method: 'device.status', input: {} }), null)).status).toBe(401);
  });

  it('refuses an oversized body with 413 and bad JSON with 400', async () => {
    const huge = JSON.stringify({ method: 'queue.finish', input: { caseNo: 'x'.repeat(BRIDGE_MAX_BODY_BYTES) } });
    const refused = await invoke(huge, bridge.token);
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({ error: { code: 'payload_too_large', message: expect.stringContaining('20 MB') } });
    expect((await invoke('{"method":', bridge.token)).status).toBe(400);
  });

  it('refuses a non-loopback Host header (DNS rebinding) and a foreign Origin', async () => {
    const http = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(new URL('/bridge/invoke', bridge.url), { method: 'POST', headers: { host: 'evil.example:80', 'x-bridge-token': bridge.token } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
    expect((await invoke('{}', bridge.token, { origin: 'http://evil.example' })).status).toBe(403);
  });

  it('streams events over the WebSocket only with the token', async () => {
    const base = bridge.url.replace('http:', 'ws:');
    const refused = new WebSocket(`${base}bridge/events?token=wrong`);
    await new Promise<void>((resolve) => refused.on('error', () => resolve()));
    const client = new WebSocket(`${base}bridge/events?token=${bridge.token}`);
    await new Promise<void>((resolve, reject) => client.on('open', () => resolve()).on('error', reject));
    client.close();
  });
});
