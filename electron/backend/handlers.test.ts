import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HallServer } from '../../upstream/server.js';
import { NO_SEAT_MESSAGE, SEAT_REQUIRED_MESSAGE } from '../../shared/office/config.js';
import type { Workstation } from './index.js';
import { enrolledWorkstation, issueTicket, signIn, startTestHall, state, tempDir, value } from './test-helpers.js';

let hall: HallServer;
let ws: Workstation;
beforeAll(async () => {
  hall = await startTestHall(tempDir('hall'));
  ({ ws } = await enrolledWorkstation(hall));
});
afterAll(async () => {
  await ws?.close();
  await hall?.close();
});

describe('contract handlers', () => {
  it('refuse bad input with bad_request and a Chinese message, and change nothing', async () => {
    value(await signIn(ws));
    await issueTicket(hall.url);
    value(await ws.handlers['queue.callNext']({}));
    const before = await state(ws);
    const bad: Array<[keyof Workstation['handlers'], unknown]> = [
      ['queue.hold', { kind: 'forever' }],
      ['queue.hold', { kind: 'waiting', note: 'x'.repeat(201) }],
      ['queue.hold', { kind: 'waiting', extra: 1 }],
      ['queue.transfer', { toBoard: 'a', position: 'front' }],
      ['queue.transfer', { toBoard: 'C', position: 'middle' }],
      ['queue.finish', { caseNo: 12 }],
      ['queue.finish', 'finish'],
      ['queue.finish', null],
      ['queue.resume', { ticketId: 'x'.repeat(1_000_000) }],
      ['queue.start', { now: true }],
      ['queue.pause', { reason: '' }],
      ['session.signIn', { staffId: '1001', pin: '12', windowId: 'qihe-county/1' }],
      ['session.signIn', { staffId: '1001', pin: '123456', windowId: '../1' }],
      ['device.enroll', { hallUrl: 'not a url', code: 'ABCD-1234', deviceName: 'x' }],
    ];
    for (const [method, input] of bad) {
      const r = await ws.handlers[method](input);
      expect(r.ok, `${method} ${JSON.stringify(input).slice(0, 60)}`).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('bad_request');
        expect(r.error.message).toMatch(/^请求参数有误：/);
        expect(r.error.message.length).toBeLessThan(200);
      }
    }
    const pin = await ws.handlers['session.signIn']({ staffId: '1001', pin: '12', windowId: 'qihe-county/1' });
    expect(!pin.ok && pin.error.message).toContain('PIN 为 4–8 位数字');
    const unknown = await ws.handlers['queue.start']({ now: true });
    expect(!unknown.ok && unknown.error.message).toContain('“now”');
    const after = await state(ws);
    expect(after.panel?.current).toEqual(before.panel?.current);
    expect(after.sync.pending).toBe(0);
  });

  it('refuse an action the ticket cannot take with the reducer\'s reason', async () => {
    const s = await state(ws);
    expect(s.panel?.current?.status).toBe('CALLED');
    const r = await ws.handlers['queue.finish']({});
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_transition' } });
    expect(!r.ok && r.error.message).toMatch(/当前状态为“已呼叫”，不能办结/);
    expect((await state(ws)).sync.pending).toBe(0);
    // Calling again while a ticket is at the window is refused too.
    expect(await ws.handlers['queue.callNext']({})).toMatchObject({ ok: false, error: { code: 'invalid_transition' } });
  });

  it('refuse session-only methods without a signed-in clerk', async () => {
    value(await ws.handlers['session.signOut']({}));
    for (const m of ['queue.callNext', 'queue.recall', 'queue.noShow', 'queue.start', 'queue.unpause', 'session.signOut', 'sync.retryParked'] as const) {
      expect(await ws.handlers[m]({}), m).toEqual({ ok: false, error: { code: 'unauthorized', message: '请先登录' } });
    }
    expect(await ws.handlers['queue.finish']({})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const s = value(await ws.handlers['queue.state']({}));
    expect(s.session).toBeNull();
    expect(s.canCallNext).toBe(false);
    expect(s.callBlockedReason).toBe('请先登录');
  });

  it('refuse a wrong PIN with the hall\'s message', async () => {
    const r = await ws.handlers['session.signIn']({ staffId: '1001', pin: '000000', windowId: 'qihe-county/1' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('report the device status with the public page addresses', async () => {
    const d = value(await ws.handlers['device.status']({}));
    expect(d).toMatchObject({ enrolled: true, office: 'qihe-county', embeddedHall: false, hallUrl: hall.url });
    expect(d.windows.length).toBeGreaterThan(0);
    expect(d.publicPages?.kiosk).toBe(`${hall.url}/kiosk?office=qihe-county`);
    expect(d.publicPages?.evaluator).toBe(`${hall.url}/evaluator?windowId=qihe-county%2F1`);
  });

  it('push a hall change to the UI within 100 ms of the kiosk issuing a ticket', async () => {
    value(await signIn(ws, 2, '1002'));
    const before = (await state(ws)).panel?.boards.find((b) => b.code === 'A')?.waiting ?? 0;
    const seen = new Promise<number>((resolve) => {
      const off = ws.events.on('queue.state', (s) => {
        const a = s.panel?.boards.find((b) => b.code === 'A');
        if (a && a.waiting > before) {
          off();
          resolve(performance.now());
        }
      });
    });
    const t0 = performance.now();
    await issueTicket(hall.url);
    const t1 = await seen;
    expect(t1 - t0).toBeLessThan(100);
  });

  it('implement every case and catalog method of the contract, refusing bad input and calls without a clerk', async () => {
    const bad: Array<[keyof Workstation['handlers'], unknown]> = [
      ['case.get', { caseId: 'not-a-case-id' }],
      ['case.saveForm', { caseId: 'c-abcdef-1', values: { 'applicant.name': 12 } }],
      ['case.markMaterial', { caseId: 'c-abcdef-1', materialId: 'x.y', status: 'lost' }],
      ['case.attach', { caseId: 'c-abcdef-1', materialId: 'x.y', name: 'a.png', mime: 'image/png' }],
      ['case.notAccept', { caseId: 'c-abcdef-1', reason: '   ' }],
      ['case.today', { scope: 'hall' }],
      ['catalog.search', { query: 'x'.repeat(61) }],
      ['catalog.subject', { kind: 'service', code: 'x' }],
    ];
    for (const [method, input] of bad) {
      const r = await ws.handlers[method](input);
      expect(r, method).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/^请求参数有误：/) } });
    }
    expect(value(await ws.handlers['case.today']({})).cases).toEqual([]);
    expect(value(await ws.handlers['catalog.search']({ query: 'qykb' })).hits[0]?.name).toBe('企业开办');
    value(await ws.handlers['session.signOut']({}));
    for (const m of ['case.today', 'catalog.search', 'case.open'] as const) {
      const input = m === 'catalog.search' ? { query: 'qykb' } : m === 'case.open' ? { subject: { kind: 'bundle', code: 'enterprise-opening' } } : {};
      expect(await ws.handlers[m](input as never), m).toEqual({ ok: false, error: { code: 'unauthorized', message: '请先登录' } });
    }
    expect((await state(ws)).sync.pending).toBe(0);
  });

  it('sign a supervisor in without a window (值班登录): dashboard yes, calling and cases no; a clerk must choose a window', async () => {
    const clerk = await ws.handlers['session.signIn']({ staffId: '1001', pin: '123456' });
    expect(clerk).toEqual({ ok: false, error: { code: 'forbidden', message: SEAT_REQUIRED_MESSAGE } });

    const s = value(await ws.handlers['session.signIn']({ staffId: '9001', pin: '123456' }));
    expect(s.session).toMatchObject({ staff: { id: '9001' }, window: null });
    expect(s.panel).toBeNull();
    expect(s).toMatchObject({ canCallNext: false, callBlockedReason: NO_SEAT_MESSAGE });
    expect(await ws.handlers['queue.callNext']({})).toEqual({ ok: false, error: { code: 'forbidden', message: NO_SEAT_MESSAGE } });
    const opened = await ws.handlers['case.open']({ subject: { kind: 'bundle', code: 'enterprise-opening' } });
    expect(opened).toEqual({ ok: false, error: { code: 'forbidden', message: NO_SEAT_MESSAGE } });
    expect(value(await ws.handlers['dashboard.live']({ queueAlarmLength: 20 })).windows.length).toBeGreaterThan(0);
    expect(value(await ws.handlers['device.status']({})).windowId).not.toBe(null); // the remembered window stays as it was
    value(await ws.handlers['session.signOut']({}));
    expect((await state(ws)).sync.pending).toBe(0);
  });
});
