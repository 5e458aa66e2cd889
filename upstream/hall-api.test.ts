import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_BODY_BYTES } from '../shared/hall/api.js';
import { HallPush } from '../shared/hall/api.js';
import { NO_SEAT_MESSAGE, SEAT_REQUIRED_MESSAGE } from '../shared/office/config.js';
import { lastAppliedOf, reusedFrom } from './sync/progress.js';
import { SESSION_TOO_OLD_MESSAGE } from './auth/access.js';
import { readSettingsAudit } from './sync/settings-audit.js';
import { authHeaders, requestId, startTestHall, type TestHall } from './testing.js';

const COUNTY = 'qihe-county';
const W1 = 'qihe-county/1';
const W2 = 'qihe-county/2';
const W3 = 'qihe-county/3';

let t: TestHall;
beforeEach(async () => {
  t = await startTestHall();
});
afterEach(async () => {
  await t.stop();
});

async function issue(board = 'A', office = COUNTY, extra: Record<string, unknown> = {}) {
  const r = await t.request('POST', '/api/kiosk/tickets', { office, board, requestId: requestId(), ...extra });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { ticketId: string; number: string; ahead: number; estimateMinutes: number | null };
}

async function waiting(office = COUNTY): Promise<Record<string, number>> {
  const r = await t.request('GET', `/api/public/office?office=${office}`);
  return Object.fromEntries((r.body.boards as Array<{ code: string; waiting: number }>).map((b) => [b.code, b.waiting]));
}

async function callNext(auth: { device: string; session: string }) {
  t.clock.advance(5_000);
  return t.request('POST', '/api/window/call-next', { requestId: requestId() }, authHeaders(auth));
}

async function window(windowId: string, staffId = '1001') {
  const dev = await t.enroll();
  const auth = await t.signIn(dev.deviceToken, windowId, staffId);
  let mutationId = 0;
  return {
    auth,
    dev,
    async act(ticketId: string, action: Record<string, unknown>) {
      mutationId += 1;
      const r = await t.request(
        'POST',
        '/api/sync/push',
        { clientId: dev.clientId, mutations: [{ mutationId, kind: 'ticket_action', ticketId, windowId, staffId, at: t.clock.now(), action }] },
        authHeaders({ device: dev.deviceToken }),
      );
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.acks[0] as { status: string; reason?: string };
    },
    panel: () => t.request('GET', '/api/window/panel', undefined, authHeaders(auth)),
  };
}

describe('enrolment and sign-in', () => {
  it('an enrolment code works once; a second use is refused', async () => {
    const code = t.hall.createEnrolmentCode(COUNTY);
    expect(code).toMatch(/^[A-Z]{4}-\d{4}$/);
    const first = await t.request('POST', '/api/enroll', { code, deviceName: '1号窗口电脑' });
    expect(first.status).toBe(200);
    expect(first.body.office).toBe(COUNTY);
    expect(first.body.windows).toHaveLength(12);
    const second = await t.request('POST', '/api/enroll', { code, deviceName: '另一台电脑' });
    expect(second.status).toBe(401);
    expect(second.body.error.message).toContain('登记码已使用过');
  });

  it('an expired enrolment code is refused', async () => {
    const code = t.hall.createEnrolmentCode(COUNTY, 60_000);
    t.clock.advance(61_000);
    const r = await t.request('POST', '/api/enroll', { code, deviceName: 'x' });
    expect(r.status).toBe(401);
    expect(r.body.error.message).toContain('已过期');
  });

  it('a wrong PIN is refused, and five failures lock the staff id out, also across a restart', async () => {
    const dev = await t.enroll();
    const h = { Authorization: `Bearer ${dev.deviceToken}` };
    const bad = await t.request('POST', '/api/session/sign-in', { staffId: '1001', pin: '654321', windowId: W1 }, h);
    expect(bad.status).toBe(401);
    expect(bad.body.error.message).toBe('工号或密码错误');
    const unknown = await t.request('POST', '/api/session/sign-in', { staffId: '4242', pin: '123456', windowId: W1 }, h);
    expect(unknown.status).toBe(401);
    for (let i = 0; i < 3; i++) await t.request('POST', '/api/session/sign-in', { staffId: '1001', pin: '000000', windowId: W1 }, h);
    await t.restart(); // the count survives a restart of the hall
    await t.request('POST', '/api/session/sign-in', { staffId: '1001', pin: '000000', windowId: W1 }, h);
    const locked = await t.request('POST', '/api/session/sign-in', { staffId: '1001', pin: '123456', windowId: W1 }, h);
    expect(locked.status).toBe(429);
    expect(locked.body.error.message).toBe('密码错误次数过多，请 10 分钟后再试，或联系管理员。');
    t.clock.advance(10 * 60_000 + 1);
    const ok = await t.request('POST', '/api/session/sign-in', { staffId: '1001', pin: '123456', windowId: W1 }, h);
    expect(ok.status).toBe(200);
    expect(ok.body.staff.name).toBe('王丽');
  });

  it('an unenrolled device and a revoked-looking token are refused', async () => {
    const r = await t.request('POST', '/api/session/sign-in', { staffId: '1001', pin: '123456', windowId: W1 }, { Authorization: 'Bearer not-a-device' });
    expect(r.status).toBe(401);
    expect(r.body.error.message).toBe('该工作站尚未登记或已被停用，请联系管理员登记');
    const none = await t.request('POST', '/api/sync/push', { clientId: 'c', mutations: [] });
    expect(none.status).toBe(401);
  });

  it('staff may sign in only at windows of their own office; branch staff at their branch', async () => {
    const county = await t.enroll(COUNTY);
    const branch = await t.enroll('qihe-edz');
    const h = (d: string) => ({ Authorization: `Bearer ${d}` });
    const otherOfficeWindow = await t.request('POST', '/api/session/sign-in', { staffId: '1001', pin: '123456', windowId: 'qihe-edz/1' }, h(county.deviceToken));
    expect(otherOfficeWindow.status).toBe(403);
    const branchStaffAtCounty = await t.request('POST', '/api/session/sign-in', { staffId: '2001', pin: '123456', windowId: W1 }, h(county.deviceToken));
    expect(branchStaffAtCounty.status).toBe(403);
    const branchOk = await t.request('POST', '/api/session/sign-in', { staffId: '2001', pin: '123456', windowId: 'qihe-edz/1' }, h(branch.deviceToken));
    expect(branchOk.status).toBe(200);
  });

  it('a supervisor signs in without a window (值班登录): no window opened or taken over, no queue work; a clerk may not', async () => {
    const clerkAt12 = await window('qihe-county/12', '1002');
    const sup = await t.enroll();
    const h = { Authorization: `Bearer ${sup.deviceToken}` };
    const clerkNoSeat = await t.request('POST', '/api/session/sign-in', { staffId: '1001', pin: '123456' }, h);
    expect(clerkNoSeat.status).toBe(403);
    expect(clerkNoSeat.body.error.message).toBe(SEAT_REQUIRED_MESSAGE);

    const ok = await t.request('POST', '/api/session/sign-in', { staffId: '9001', pin: '123456' }, h);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.window).toBeNull();
    const auth = { device: sup.deviceToken, session: ok.body.sessionToken as string };
    // The office's windows as an enrolling workstation sees them: only the clerk's window is open.
    const seen = await t.request('POST', '/api/enroll', { code: t.hall.createEnrolmentCode(COUNTY), deviceName: '另一台电脑' });
    const open = (seen.body.windows as Array<{ id: string; status: string; staffId: string | null }>).filter((w) => w.status !== 'closed');
    expect(open.map((w) => [w.id, w.staffId])).toEqual([['qihe-county/12', '1002']]);
    expect((await clerkAt12.panel()).status).toBe(200); // the supervisor displaced nobody

    await issue('A');
    const call = await callNext(auth);
    expect(call.status).toBe(403);
    expect(call.body.error.message).toBe(NO_SEAT_MESSAGE);
    expect((await t.request('GET', '/api/window/panel', undefined, authHeaders(auth))).status).toBe(403);
    expect(await waiting()).toMatchObject({ A: 1 });
    expect((await t.request('POST', '/api/session/sign-out', {}, authHeaders(auth))).status).toBe(200);
    expect((await clerkAt12.panel()).status).toBe(200);
  });

  it('a sign-in ends after 12 hours: the next request is refused with the reason and the window is closed', async () => {
    const a = await window(W1);
    t.clock.advance(12 * 3_600_000 - 1000);
    expect((await a.panel()).status).toBe(200);
    t.clock.advance(2000);
    const late = await a.panel();
    expect(late.status).toBe(401);
    expect(late.body.error.message).toBe(SESSION_TOO_OLD_MESSAGE);
    expect((await a.panel()).body.error.message).toBe('登录已失效，请重新登录'); // ended, not merely refused
    const seen = await t.request('POST', '/api/enroll', { code: t.hall.createEnrolmentCode(COUNTY), deviceName: '另一台电脑' });
    expect((seen.body.windows as Array<{ id: string; status: string }>).find((w) => w.id === W1)?.status).toBe('closed');
    expect((await t.request('POST', '/api/session/sign-in', { staffId: '1001', pin: '123456', windowId: W1 }, { Authorization: `Bearer ${a.dev.deviceToken}` })).status).toBe(200);
  });

  it('a session token works only with its own device, and not after sign-out', async () => {
    const a = await window(W1);
    const other = await t.enroll();
    const stolen = await t.request('GET', '/api/window/panel', undefined, authHeaders({ device: other.deviceToken, session: a.auth.session }));
    expect(stolen.status).toBe(401);
    expect(stolen.body.error.message).toBe('登录已失效，请重新登录');
    expect((await a.panel()).status).toBe(200);
    expect((await t.request('POST', '/api/session/sign-out', {}, authHeaders(a.auth))).status).toBe(200);
    expect((await a.panel()).status).toBe(401);
  });
});

describe('bad requests are refused and change nothing', () => {
  it('kiosk without a token calling call-next gets 401', async () => {
    await issue('A');
    const r = await t.request('POST', '/api/window/call-next', { requestId: requestId() });
    expect(r.status).toBe(401);
    expect(await waiting()).toMatchObject({ A: 1 });
  });

  it('malformed JSON, oversized body, wrong types, unknown route, wrong method', async () => {
    await issue('A');
    const before = await waiting();
    const bad = await t.raw('POST', '/api/kiosk/tickets', '{"office": "qihe-county", "board": ');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');

    const huge = JSON.stringify({ office: COUNTY, board: 'A', requestId: requestId(), pad: 'x'.repeat(MAX_BODY_BYTES + 10) });
    const big = await t.raw('POST', '/api/kiosk/tickets', huge);
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    expect(big.body.error.message).toMatch(/过大/);

    const types = await t.request('POST', '/api/kiosk/tickets', { office: COUNTY, board: 7, requestId: requestId() });
    expect(types.status).toBe(400);
    expect(types.body.error.detail).toContain('board');

    const extra = await t.request('POST', '/api/kiosk/tickets', { office: COUNTY, board: 'A', requestId: requestId(), admin: true });
    expect(extra.status).toBe(400);

    const unknownBoard = await t.request('POST', '/api/kiosk/tickets', { office: COUNTY, board: 'Z', requestId: requestId() });
    expect(unknownBoard.status).toBe(404);

    expect((await t.request('GET', '/api/nothing-here')).status).toBe(404);
    const method = await t.request('GET', '/api/kiosk/tickets');
    expect(method.status).toBe(404);
    expect(method.body.error.message).toContain('请求方式');

    expect(await waiting()).toEqual(before);
    // the server still answers normally after all that
    expect((await issue('A')).number).toBe('A002');
  });

  it('static assets cannot escape the web folder', async () => {
    for (const p of ['/assets/../../package.json', '/assets/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json']) {
      const r = await t.raw('GET', p, undefined as unknown as string);
      expect(r.status, p).toBe(404);
      expect(JSON.stringify(r.body)).not.toContain('"devDependencies"');
    }
  });
});

describe('the queue', () => {
  it('numbers per board; the same kiosk requestId never issues twice', async () => {
    const id = requestId();
    const a = await t.request('POST', '/api/kiosk/tickets', { office: COUNTY, board: 'A', requestId: id });
    const again = await t.request('POST', '/api/kiosk/tickets', { office: COUNTY, board: 'A', requestId: id });
    expect(again.body).toEqual(a.body);
    expect((await issue('B')).number).toBe('B001');
    const a2 = await issue('A');
    expect(a2.number).toBe('A002');
    expect(a2.ahead).toBe(1);
    expect(await waiting()).toMatchObject({ A: 2, B: 1 });
  });

  it('the branch office numbers with its prefix: KA001', async () => {
    expect((await issue('A', 'qihe-edz')).number).toBe('KA001');
    expect((await issue('A', COUNTY)).number).toBe('A001');
  });

  it('numbers restart each business day (Asia/Shanghai)', async () => {
    expect((await issue('A')).number).toBe('A001');
    expect((await issue('A')).number).toBe('A002');
    t.clock.t = Date.parse('2025-03-03T23:59:00+08:00');
    expect((await issue('A')).number).toBe('A003');
    t.clock.t = Date.parse('2025-03-04T00:01:00+08:00');
    expect((await issue('A')).number).toBe('A001');
    expect(await waiting()).toMatchObject({ A: 1 });
  });

  it('call-next: a window with a current ticket, a paused window and a too-fast window cannot call', async () => {
    const w = await window(W1);
    await issue('A');
    await issue('A');
    const first = await callNext(w.auth);
    expect(first.status).toBe(200);
    expect(first.body.ticket.number).toBe('A001');
    const busy = await t.request('POST', '/api/window/call-next', { requestId: requestId() }, authHeaders(w.auth));
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toContain('A001');
    await w.act(first.body.ticket.ticketId, { type: 'started' });
    await w.act(first.body.ticket.ticketId, { type: 'finished' });
    const tooFast = await t.request('POST', '/api/window/call-next', { requestId: requestId() }, authHeaders(w.auth));
    expect(tooFast.status).toBe(429);
    expect(tooFast.body.error.code).toBe('too_fast');
    expect((await t.request('POST', '/api/window/pause', { reason: '午休' }, authHeaders(w.auth))).body.window.status).toBe('paused');
    const paused = await callNext(w.auth);
    expect(paused.status).toBe(409);
    expect(paused.body.error.message).toContain('暂停');
    await t.request('POST', '/api/window/unpause', {}, authHeaders(w.auth));
    const second = await callNext(w.auth);
    expect(second.body.ticket.number).toBe('A002');
    const empty = await (async () => {
      await w.act(second.body.ticket.ticketId, { type: 'no_show' });
      return callNext(w.auth);
    })();
    expect(empty.status).toBe(200);
    expect(empty.body.ticket).toBeNull();
  });

  it('a retried call-next with the same requestId returns the same ticket and calls nothing more', async () => {
    const w = await window(W1);
    await issue('A');
    await issue('A');
    const id = requestId();
    t.clock.advance(5_000);
    const a = await t.request('POST', '/api/window/call-next', { requestId: id }, authHeaders(w.auth));
    t.clock.advance(5_000);
    const b = await t.request('POST', '/api/window/call-next', { requestId: id }, authHeaders(w.auth));
    expect(b.status).toBe(200);
    expect(b.body.ticket.ticketId).toBe(a.body.ticket.ticketId);
    expect(await waiting()).toMatchObject({ A: 1 });
  });

  it('green channel (confirmed by staff PIN) is called before earlier normal tickets', async () => {
    await issue('A');
    await issue('A');
    const refused = await t.request('POST', '/api/kiosk/tickets', { office: COUNTY, board: 'A', requestId: requestId(), green: { staffId: '1002', pin: '999999' } });
    expect(refused.status).toBe(401);
    const green = await issue('A', COUNTY, { green: { staffId: '1002', pin: '123456' } });
    expect(green.number).toBe('A003');
    const w = await window(W1);
    const r = await callNext(w.auth);
    expect(r.body.ticket.number).toBe('A003');
    expect(r.body.ticket.priority).toBe('green');
  });

  it('appointment check-in issues an appointment ticket once', async () => {
    const { addAppointment } = await appointmentHelper();
    const code = addAppointment('B', t.clock.now() - 60_000);
    const r = await t.request('POST', '/api/kiosk/appointments/check-in', { office: COUNTY, code, requestId: requestId() });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.priority).toBe('appointment');
    expect(r.body.number).toBe('B001');
    const again = await t.request('POST', '/api/kiosk/appointments/check-in', { office: COUNTY, code, requestId: requestId() });
    expect(again.status).toBe(409);
    const unknown = await t.request('POST', '/api/kiosk/appointments/check-in', { office: COUNTY, code: 'ZZZZ9999', requestId: requestId() });
    expect(unknown.status).toBe(404);
  });

  it('transfer to the front and to the back of another board', async () => {
    const w1 = await window(W1); // A:2, B:1
    const w6 = await window('qihe-county/6', '1002'); // D:2, B:1
    await issue('A');
    const b1 = await issue('B');
    const b2 = await issue('B');
    const called = await callNext(w1.auth);
    expect(called.body.ticket.number).toBe('A001');
    expect(await w1.act(called.body.ticket.ticketId, { type: 'transferred', toBoard: 'B', position: 'front' })).toMatchObject({ status: 'applied' });
    const next = await callNext(w6.auth);
    expect(next.body.ticket.number).toBe('A001');
    await w6.act(next.body.ticket.ticketId, { type: 'started' });
    expect(await w6.act(next.body.ticket.ticketId, { type: 'transferred', toBoard: 'D', position: 'back' })).toMatchObject({ status: 'applied' });
    const third = await callNext(w6.auth); // D:2 → D line has only A001 at the back
    expect(third.body.ticket.number).toBe('A001');
    expect([b1.number, b2.number]).toEqual(['B001', 'B002']);
    // to a named window of the office only
    expect(await w6.act(third.body.ticket.ticketId, { type: 'transferred', toBoard: 'B', toWindowId: 'qihe-county/99', position: 'back' })).toMatchObject({ status: 'failed' });
    expect(await w6.act(third.body.ticket.ticketId, { type: 'transferred', toBoard: 'E', toWindowId: W3, position: 'back' })).toMatchObject({ status: 'applied' });
    const w3 = await window(W3, '1003');
    expect((await callNext(w3.auth)).body.ticket.number).toBe('A001');
  });

  it('a held ticket resumes at another window serving its board, without queueing again', async () => {
    const w1 = await window(W1);
    const w2 = await window(W2, '1002');
    const w8 = await window('qihe-county/8', '1003'); // E only
    await issue('A');
    const c = await callNext(w1.auth);
    const id = c.body.ticket.ticketId as string;
    await w1.act(id, { type: 'started' });
    t.clock.advance(60_000);
    expect(await w1.act(id, { type: 'held', kind: 'without_materials' })).toMatchObject({ status: 'applied' });
    expect((await w2.panel()).body.resumable.map((x: { ticketId: string }) => x.ticketId)).toEqual([id]);
    expect((await w8.panel()).body.resumable).toEqual([]);
    const refused = await t.request('POST', '/api/window/resume', { ticketId: id, requestId: requestId() }, authHeaders(w8.auth));
    expect(refused.status).toBe(403);
    t.clock.advance(120_000);
    const r = await t.request('POST', '/api/window/resume', { ticketId: id, requestId: requestId() }, authHeaders(w2.auth));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.ticket.status).toBe('SERVING');
    expect(r.body.ticket.windowId).toBe(W2);
    expect(r.body.ticket.holdMs).toBe(120_000);
    expect(r.body.panel.current.ticketId).toBe(id);
  });

  it('a 持件 hold resumes only at the window that holds the papers', async () => {
    const w1 = await window(W1);
    const w2 = await window(W2, '1002');
    await issue('A');
    const c = await callNext(w1.auth);
    const id = c.body.ticket.ticketId as string;
    await w1.act(id, { type: 'started' });
    await w1.act(id, { type: 'held', kind: 'with_materials' });
    expect((await w2.panel()).body.resumable).toEqual([]);
    const elsewhere = await t.request('POST', '/api/window/resume', { ticketId: id, requestId: requestId() }, authHeaders(w2.auth));
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.message).toContain('原窗口');
    const pushedElsewhere = await w2.act(id, { type: 'resumed' });
    expect(pushedElsewhere.status).toBe('failed');
    const home = await t.request('POST', '/api/window/resume', { ticketId: id, requestId: requestId() }, authHeaders(w1.auth));
    expect(home.status).toBe(200);
  });
});

async function appointmentHelper() {
  const { openHallStore } = await import('./store/hall-store.js');
  const { newAppointmentCode } = await import('./auth/tokens.js');
  return {
    addAppointment(board: string, slotStart: number) {
      const store = openHallStore(t.dataDir);
      try {
        const code = newAppointmentCode();
        store.addAppointment({ code, office: COUNTY, board, slotStart, createdAt: t.clock.now() });
        return code;
      } finally {
        store.close();
      }
    },
  };
}

describe('concurrent windows', () => {
  it('four windows calling at once through 40 tickets call each exactly once', async () => {
    const windows = [await window(W1, '1001'), await window(W2, '1002'), await window(W3, '1003'), await window('qihe-county/4', '1004')];
    for (let i = 0; i < 40; i++) await issue('A');
    const called: string[] = [];
    await Promise.all(
      windows.map(async (w) => {
        for (;;) {
          const r = await callNext(w.auth);
          expect(r.status, JSON.stringify(r.body)).toBe(200);
          if (r.body.ticket === null) return;
          called.push(r.body.ticket.number);
          expect(await w.act(r.body.ticket.ticketId, { type: 'started' })).toMatchObject({ status: 'applied' });
          expect(await w.act(r.body.ticket.ticketId, { type: 'finished' })).toMatchObject({ status: 'applied' });
        }
      }),
    );
    expect(called).toHaveLength(40);
    expect(new Set(called).size).toBe(40);
    expect(await waiting()).toMatchObject({ A: 0 });
  });
});

describe('sync push', () => {
  it('applies a mutation once: the same mutation again is a duplicate', async () => {
    const w = await window(W1);
    await issue('A');
    const c = await callNext(w.auth);
    const m = { mutationId: 1, kind: 'ticket_action', ticketId: c.body.ticket.ticketId, windowId: W1, staffId: '1001', at: t.clock.now(), action: { type: 'started' } };
    const h = authHeaders({ device: w.dev.deviceToken });
    const first = await t.request('POST', '/api/sync/push', { clientId: w.dev.clientId, mutations: [m] }, h);
    expect(first.body).toEqual({ acks: [{ mutationId: 1, status: 'applied' }], lastApplied: 1 });
    const second = await t.request('POST', '/api/sync/push', { clientId: w.dev.clientId, mutations: [m] }, h);
    expect(second.body).toEqual({ acks: [{ mutationId: 1, status: 'duplicate' }], lastApplied: 1 });
    expect((await w.panel()).body.current.status).toBe('SERVING');
  });

  it('a gap is refused with out_of_order and applies nothing; a failing mutation is recorded and later ones still apply', async () => {
    const w = await window(W1);
    await issue('A');
    const c = await callNext(w.auth);
    const id = c.body.ticket.ticketId as string;
    const h = authHeaders({ device: w.dev.deviceToken });
    const mk = (mutationId: number, action: Record<string, unknown>) => ({ mutationId, kind: 'ticket_action', ticketId: id, windowId: W1, staffId: '1001', at: t.clock.now(), action });
    const gap = await t.request('POST', '/api/sync/push', { clientId: w.dev.clientId, mutations: [mk(1, { type: 'started' }), mk(3, { type: 'finished' })] }, h);
    expect(gap.status).toBe(409);
    expect(gap.body.error.code).toBe('out_of_order');
    expect(gap.body.error.detail).toContain('lastApplied=0');
    expect((await w.panel()).body.current.status).toBe('CALLED');

    const mixed = await t.request(
      'POST',
      '/api/sync/push',
      { clientId: w.dev.clientId, mutations: [mk(1, { type: 'finished' }), mk(2, { type: 'started' }), mk(3, { type: 'finished' })] },
      h,
    );
    expect(mixed.status).toBe(200);
    expect(mixed.body.lastApplied).toBe(3);
    expect(mixed.body.acks.map((a: { status: string }) => a.status)).toEqual(['failed', 'applied', 'applied']);
    expect(mixed.body.acks[0].reason).toContain('不能办结');
    expect((await w.panel()).body.current).toBeNull();
  });

  it('an applied id sent again with other content (a window restored from an older disk image) is refused, naming the first reused id', async () => {
    const w = await window(W1);
    await issue('A');
    await issue('A');
    const first = (await callNext(w.auth)).body.ticket.ticketId as string;
    const h = authHeaders({ device: w.dev.deviceToken });
    const mk = (mutationId: number, ticketId: string, type: string, at: number) => ({ mutationId, kind: 'ticket_action', ticketId, windowId: W1, staffId: '1001', at, action: { type } });
    const at = t.clock.now();
    const applied = [mk(1, first, 'started', at), mk(2, first, 'finished', at + 1)];
    expect((await t.request('POST', '/api/sync/push', { clientId: w.dev.clientId, mutations: applied }, h)).body.lastApplied).toBe(2);

    // The restored window still holds id 1 (a genuine retry) and gives id 2 to new work.
    const second = (await callNext(w.auth)).body.ticket.ticketId as string;
    const reused = await t.request('POST', '/api/sync/push', { clientId: w.dev.clientId, mutations: [applied[0], mk(2, second, 'started', at + 5)] }, h);
    expect(reused.status).toBe(409);
    expect(reused.body.error).toMatchObject({ code: 'out_of_order', message: expect.stringContaining('旧的磁盘备份') });
    expect(reusedFrom(reused.body.error.detail)).toBe(2);
    expect(lastAppliedOf(reused.body.error.detail)).toBe(2);
    expect((await w.panel()).body.current).toMatchObject({ ticketId: second, status: 'CALLED' }); // nothing applied

    // A genuine retry is still a duplicate; the new work numbered after the hall's progress applies.
    const retry = await t.request('POST', '/api/sync/push', { clientId: w.dev.clientId, mutations: [applied[0], applied[1], mk(3, second, 'started', at + 5)] }, h);
    expect(retry.body).toEqual({ acks: [{ mutationId: 1, status: 'duplicate' }, { mutationId: 2, status: 'duplicate' }, { mutationId: 3, status: 'applied' }], lastApplied: 3 });
    expect((await w.panel()).body.current).toMatchObject({ ticketId: second, status: 'SERVING' });
  });

  it('a seal change is recorded for the audit only from an administrator of the device’s office; only it may name no window', async () => {
    const dev = await t.enroll();
    const h = authHeaders({ device: dev.deviceToken });
    const seal = (mutationId: number, over: Record<string, unknown>) => ({
      mutationId, kind: 'settings_audit', windowId: null, staffId: '9999', at: t.clock.now(), what: 'seal.imported', officeId: COUNTY, fingerprint: 'ab'.repeat(32), subject: '齐河县行政审批服务局', ...over,
    });
    const res = await t.request('POST', '/api/sync/push', { clientId: dev.clientId, mutations: [seal(1, {}), seal(2, { staffId: '1001' }), seal(3, { officeId: 'qihe-edz' }), seal(4, { what: 'seal.removed', windowId: W1 })] }, h);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.acks).toEqual([
      { mutationId: 1, status: 'applied' },
      { mutationId: 2, status: 'failed', reason: '只有系统管理员可以修改印章设置。' },
      { mutationId: 3, status: 'failed', reason: '只能记录本工作站所属机构的印章设置。' },
      { mutationId: 4, status: 'applied' },
    ]);
    const db = new Database(path.join(t.dataDir, 'hall.db'), { readonly: true });
    const audit = readSettingsAudit(db, 0, Number.MAX_SAFE_INTEGER);
    db.close();
    expect(audit.map((a) => [a.what, a.staffId, a.windowId, a.deviceId])).toEqual([
      ['seal.imported', '9999', null, dev.deviceId],
      ['seal.removed', '9999', W1, dev.deviceId],
    ]);
    // No other kind may leave out the window.
    const ticket = await t.request('POST', '/api/sync/push', { clientId: dev.clientId, mutations: [{ mutationId: 5, kind: 'ticket_action', ticketId: 't-1', windowId: null, staffId: '1001', at: 0, action: { type: 'started' } }] }, h);
    expect(ticket.status).toBe(400);
  });

  it('a push for another device’s clientId is forbidden; another office’s window fails', async () => {
    const w = await window(W1);
    const other = await t.enroll();
    await issue('A');
    const c = await callNext(w.auth);
    const m = { mutationId: 1, kind: 'ticket_action', ticketId: c.body.ticket.ticketId, windowId: W1, staffId: '1001', at: 0, action: { type: 'started' } };
    const stolen = await t.request('POST', '/api/sync/push', { clientId: w.dev.clientId, mutations: [m] }, authHeaders({ device: other.deviceToken }));
    expect(stolen.status).toBe(403);
    const wrongOffice = await t.request(
      'POST',
      '/api/sync/push',
      { clientId: w.dev.clientId, mutations: [{ ...m, windowId: 'qihe-edz/1' }] },
      authHeaders({ device: w.dev.deviceToken }),
    );
    expect(wrongOffice.body.acks[0].status).toBe('failed');
    expect((await w.panel()).body.current.status).toBe('CALLED');
  });

  it('a window clock far in the past or future is clamped into [previous event, server now]', async () => {
    const w = await window(W1);
    await issue('A');
    const c = await callNext(w.auth);
    const id = c.body.ticket.ticketId as string;
    const h = authHeaders({ device: w.dev.deviceToken });
    const push = (mutationId: number, at: number, action: Record<string, unknown>) =>
      t.request('POST', '/api/sync/push', { clientId: w.dev.clientId, mutations: [{ mutationId, kind: 'ticket_action', ticketId: id, windowId: W1, staffId: '1001', at, action }] }, h);
    await push(1, 0, { type: 'started' });
    const p = await w.panel();
    expect(p.body.current.startedAt).toBe(c.body.ticket.calledAt);
    t.clock.advance(1000);
    await push(2, t.clock.now() + 3_600_000, { type: 'held', kind: 'waiting' });
    expect((await w.panel()).body.resumable[0].hold.since).toBe(t.clock.now());
  });
});

describe('rating', () => {
  it('a finished service is rated once; a low rating needs a reason; a wrong token is refused', async () => {
    const w = await window(W1);
    await issue('A');
    const c = await callNext(w.auth);
    const id = c.body.ticket.ticketId as string;
    await w.act(id, { type: 'started' });
    expect((await t.request('GET', `/api/evaluator/pending?windowId=${encodeURIComponent(W1)}`)).body.request).toBeNull();
    await w.act(id, { type: 'finished' });
    const pending = await t.request('GET', `/api/evaluator/pending?windowId=${encodeURIComponent(W1)}`);
    const req = pending.body.request;
    expect(req).toMatchObject({ ticketId: id, number: 'A001', windowId: W1, staffName: '王丽' });
    const wrong = await t.request('POST', '/api/evaluator/rate', { ticketId: id, ratingToken: 'nope', level: 5 });
    expect(wrong.status).toBe(403);
    const low = await t.request('POST', '/api/evaluator/rate', { ticketId: id, ratingToken: req.ratingToken, level: 1 });
    expect(low.status).toBe(400);
    expect(low.body.error.message).toContain('原因');
    const ok = await t.request('POST', '/api/evaluator/rate', { ticketId: id, ratingToken: req.ratingToken, level: 2, reason: '等待时间太长' });
    expect(ok.status).toBe(200);
    const twice = await t.request('POST', '/api/evaluator/rate', { ticketId: id, ratingToken: req.ratingToken, level: 5 });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain('只能评价一次');
    expect((await t.request('GET', `/api/evaluator/pending?windowId=${encodeURIComponent(W1)}`)).body.request).toBeNull();
  });
});

describe('WebSocket', () => {
  it('the display hears hello, the call (number and window only) and queue.changed; the evaluator hears rating.request', async () => {
    const w = await window(W1);
    const base = t.hall.url.replace('http', 'ws');
    const display = new WebSocket(`${base}/ws?channel=office&office=${COUNTY}`);
    const evaluator = new WebSocket(`${base}/ws?channel=evaluator&windowId=${encodeURIComponent(W1)}`);
    const got: { display: HallPush[]; evaluator: HallPush[] } = { display: [], evaluator: [] };
    display.on('message', (d) => got.display.push(HallPush.parse(JSON.parse(String(d)))));
    evaluator.on('message', (d) => got.evaluator.push(HallPush.parse(JSON.parse(String(d)))));
    await Promise.all([display, evaluator].map((s) => new Promise((r) => s.once('open', r))));
    await issue('A');
    const c = await callNext(w.auth);
    await w.act(c.body.ticket.ticketId, { type: 'started' });
    await w.act(c.body.ticket.ticketId, { type: 'finished' });
    await new Promise((r) => setTimeout(r, 100));
    expect(got.display[0]).toMatchObject({ type: 'hello' });
    const call = got.display.find((m) => m.type === 'call');
    expect(call).toMatchObject({ type: 'call', call: { number: 'A001', windowNo: 1, recall: false } });
    expect(JSON.stringify(call)).not.toContain('王丽');
    expect(got.display.filter((m) => m.type === 'queue.changed').length).toBeGreaterThanOrEqual(3);
    const rating = got.evaluator.find((m) => m.type === 'rating.request');
    expect(rating).toMatchObject({ windowId: W1, request: { number: 'A001' } });
    const bad = new WebSocket(`${base}/ws?channel=window&token=nope`);
    const status = await new Promise<number>((r) => bad.on('unexpected-response', (_req, res) => r(res.statusCode ?? 0)));
    expect(status).toBe(401);
    display.close();
    evaluator.close();
  });
});

describe('restart', () => {
  it('a restart on the same data restores tickets, windows and counters (no number reused)', async () => {
    const w = await window(W1);
    await issue('A');
    await issue('A');
    await issue('B');
    const c = await callNext(w.auth);
    await w.act(c.body.ticket.ticketId, { type: 'started' });
    await t.request('POST', '/api/window/pause', { reason: '接电话' }, authHeaders(w.auth));
    const before = await w.panel();
    await t.restart();
    const after = await w.panel();
    expect(after.status).toBe(200);
    expect(after.body.current).toEqual(before.body.current);
    expect(after.body.window.status).toBe('paused');
    expect(after.body.boards).toEqual(before.body.boards.map((b: object) => ({ ...b })));
    expect((await issue('A')).number).toBe('A003');
    expect((await issue('B')).number).toBe('B002');
  });
});
