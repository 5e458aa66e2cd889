import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SHIPPED_CALENDAR_DIR, SHIPPED_CATALOG_DIR } from '../../shared/catalog/test-support.js';
import { validateCatalog } from '../../shared/catalog/validate.js';
import { PullPage } from '../../shared/hall/api.js';
import { startHallServer } from '../server.js';
import { caseWindow } from '../cases/test-support.js';
import { authHeaders, requestId, startTestHall, type TestHall } from '../testing.js';

const COUNTY = 'qihe-county';
const BRANCH = 'qihe-edz';

let t: TestHall;
beforeEach(async () => {
  t = await startTestHall();
});
afterEach(async () => {
  await t.stop();
});

async function issue(office: string, board = 'A'): Promise<string> {
  const r = await t.request('POST', '/api/kiosk/tickets', { office, board, requestId: requestId() });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.ticketId as string;
}

async function pull(deviceToken: string, query: string): Promise<{ status: number; page: PullPage; raw: string; body: any }> {
  const r = await t.request('GET', `/api/sync/pull${query}`, undefined, authHeaders({ device: deviceToken }));
  const raw = JSON.stringify(r.body);
  if (r.status !== 200) return { status: r.status, page: undefined as unknown as PullPage, raw, body: r.body };
  return { status: r.status, page: PullPage.parse(r.body), raw, body: r.body };
}

describe('GET /api/sync/pull', () => {
  it('a branch sees only its own tickets; the county hall sees its own and its branches', async () => {
    const c1 = await issue(COUNTY);
    const b1 = await issue(BRANCH);
    const c2 = await issue(COUNTY, 'B');
    const branch = await t.enroll(BRANCH);
    const county = await t.enroll(COUNTY);

    const bp = (await pull(branch.deviceToken, '?cursor=0')).page;
    expect(bp.events.map((e) => e.event.ticketId)).toEqual([b1]);
    expect(bp.events.every((e) => e.office === BRANCH)).toBe(true);

    const cp = (await pull(county.deviceToken, '?cursor=0')).page;
    expect(cp.events.map((e) => e.event.ticketId)).toEqual([c1, b1, c2]);
    expect(cp.events.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('refuses a workstation that is not enrolled (401, Chinese message)', async () => {
    await issue(COUNTY);
    const none = await t.request('GET', '/api/sync/pull?cursor=0');
    expect(none.status).toBe(401);
    expect(none.body.error.message).toMatch(/尚未登记/);
    const bad = await pull('not-a-real-token', '?cursor=0');
    expect(bad.status).toBe(401);
    expect(bad.raw).not.toContain('ticketId');
  });

  it('pages by limit with hasMore and nextCursor, and a caught-up window does not rescan others’ events', async () => {
    for (let i = 0; i < 5; i++) await issue(COUNTY);
    const county = await t.enroll(COUNTY);
    const p1 = (await pull(county.deviceToken, '?cursor=0&limit=2')).page;
    expect(p1.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(p1).toMatchObject({ hasMore: true, nextCursor: 2 });
    const p2 = (await pull(county.deviceToken, `?cursor=${p1.nextCursor}&limit=2`)).page;
    expect(p2.events.map((e) => e.seq)).toEqual([3, 4]);
    expect(p2.hasMore).toBe(true);
    const p3 = (await pull(county.deviceToken, `?cursor=${p2.nextCursor}&limit=2`)).page;
    expect(p3.events.map((e) => e.seq)).toEqual([5]);
    expect(p3).toMatchObject({ hasMore: false, nextCursor: 5 });
    const p4 = (await pull(county.deviceToken, '?cursor=5')).page;
    expect(p4).toMatchObject({ events: [], hasMore: false, nextCursor: 5 });

    // A branch with nothing of its own is moved past the county's events it may not see.
    const branch = await t.enroll(BRANCH);
    const bp = (await pull(branch.deviceToken, '?cursor=0&limit=2')).page;
    expect(bp).toMatchObject({ events: [], hasMore: false, nextCursor: 5 });
  });

  it('sends the reference data only when the window’s version differs, never with a PIN hash', async () => {
    const county = await t.enroll(COUNTY);
    const branch = await t.enroll(BRANCH);
    const first = await pull(county.deviceToken, '');
    expect(first.page.reference?.offices.map((o) => o.id)).toEqual([COUNTY, BRANCH]);
    expect(first.page.reference?.staff.map((s) => s.id)).toContain('2001');
    expect(first.page.referenceVersion).toMatch(/^[a-f0-9]{64}$/);
    expect(first.raw).not.toMatch(/pinHash|scrypt/);

    const same = await pull(county.deviceToken, `?referenceVersion=${first.page.referenceVersion}`);
    expect(same.page.reference).toBeNull();
    expect(same.page.referenceVersion).toBe(first.page.referenceVersion);
    const other = await pull(county.deviceToken, `?referenceVersion=${'0'.repeat(64)}`);
    expect(other.page.reference).not.toBeNull();

    const b = await pull(branch.deviceToken, '');
    expect(b.page.reference?.offices.map((o) => o.id)).toEqual([BRANCH]);
    expect(b.page.reference?.staff.every((s) => s.office === BRANCH)).toBe(true);
    expect(b.page.referenceVersion).not.toBe(first.page.referenceVersion);
    expect(b.raw).not.toMatch(/pinHash|scrypt/);
  });

  it('answers bad parameters with 400 and a Chinese message, and changes nothing', async () => {
    await issue(COUNTY);
    const county = await t.enroll(COUNTY);
    const before = (await pull(county.deviceToken, '?cursor=0')).page;
    for (const q of ['?cursor=-1', '?cursor=abc', '?cursor=1.5', '?limit=0', '?limit=2001', '?limit=', '?cursor=0&extra=1', '?referenceVersion=XYZ']) {
      const r = await pull(county.deviceToken, q);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code, q).toBe('bad_request');
      expect(r.body.error.message, q).toMatch(/[\u4e00-\u9fff]/);
    }
    const after = (await pull(county.deviceToken, '?cursor=0')).page;
    expect(after.events).toEqual(before.events);
    expect(after.nextCursor).toBe(before.nextCursor);
    expect((await pull(county.deviceToken, '?limit=2000')).status).toBe(200);
  });

  it('carries the events of a window’s pushed mutations with the seq order of the hall', async () => {
    const ticketId = await issue(COUNTY);
    const dev = await t.enroll(COUNTY);
    const auth = await t.signIn(dev.deviceToken, 'qihe-county/1');
    t.clock.advance(5_000);
    const called = await t.request('POST', '/api/window/call-next', { requestId: requestId() }, authHeaders(auth));
    expect(called.status).toBe(200);
    const push = await t.request(
      'POST',
      '/api/sync/push',
      {
        clientId: dev.clientId,
        mutations: [{ mutationId: 1, kind: 'ticket_action', ticketId, windowId: 'qihe-county/1', staffId: '1001', at: 1, action: { type: 'started' } }],
      },
      authHeaders({ device: dev.deviceToken }),
    );
    expect(push.status).toBe(200);
    const page = (await pull(dev.deviceToken, '?cursor=0')).page;
    expect(page.events.map((e) => [e.seq, e.event.action.type])).toEqual([
      [1, 'issued'],
      [2, 'called'],
      [3, 'started'],
    ]);
    expect(page.events[2]!.event.eventId).toBe(`${dev.clientId}:1`);
  });

  it('sends the matter catalog and the holiday calendars once each, by their own versions, with nothing private', async () => {
    const county = await t.enroll(COUNTY);
    const branch = await t.enroll(BRANCH);
    const first = await pull(county.deviceToken, '');
    const p = first.page;
    expect(p.catalogVersion).toMatch(/^[a-f0-9]{64}$/);
    expect(p.calendarVersion).toMatch(/^[a-f0-9]{64}$/);
    const checked = validateCatalog(p.catalog!.files);
    expect(checked.ok).toBe(true);
    expect(checked.catalog?.matters.length).toBeGreaterThanOrEqual(60);
    expect(p.calendars?.map((y) => y.year)).toEqual([2026, 2027]);
    // Nothing private: no credential, no server path, no personal number; only relative catalog file names.
    expect(first.raw).not.toMatch(/pinHash|scrypt|deviceToken|sessionToken/);
    expect(first.raw).not.toContain(SHIPPED_CATALOG_DIR);
    expect(first.raw).not.toContain(t.dataDir);
    expect(first.raw).not.toMatch(/\b\d{17}[\dX]\b/); // a resident ID number
    expect(p.catalog!.files.every((f) => /^[a-z]/.test(f.file) && !f.file.includes('..'))).toBe(true);
    const kb = Buffer.byteLength(first.raw) / 1024;
    expect(kb).toBeLessThan(400);

    // Same versions: none of the three parts again; the page shrinks to the events.
    const q = `?referenceVersion=${p.referenceVersion}&catalogVersion=${p.catalogVersion}&calendarVersion=${p.calendarVersion}`;
    const again = await pull(county.deviceToken, q);
    expect(again.page).toMatchObject({ reference: null, catalog: null, calendars: null, catalogVersion: p.catalogVersion, calendarVersion: p.calendarVersion });
    expect(Buffer.byteLength(again.raw)).toBeLessThan(1024);
    // Each part independently: an up-to-date catalog with stale calendars sends the calendars only.
    const one = await pull(county.deviceToken, `?referenceVersion=${p.referenceVersion}&catalogVersion=${p.catalogVersion}&calendarVersion=${'0'.repeat(64)}`);
    expect(one.page.catalog).toBeNull();
    expect(one.page.reference).toBeNull();
    expect(one.page.calendars).not.toBeNull();
    // Catalog and calendars are the same for every office (office settings are not).
    const b = (await pull(branch.deviceToken, '')).page;
    expect([b.catalogVersion, b.calendarVersion]).toEqual([p.catalogVersion, p.calendarVersion]);
    expect(b.referenceVersion).not.toBe(p.referenceVersion);
  });
});

describe('GET /api/sync/pull: cases', () => {
  it('a branch sees only its own cases; the county hall its own and its branches’, numbers included', async () => {
    const cw = await caseWindow(t, COUNTY, 'qihe-county/2', '1002');
    const bw = await caseWindow(t, BRANCH, 'qihe-edz/1', '2001');
    const c1 = await cw.open();
    const b1 = await bw.open();
    await cw.act(c1.caseId, { type: 'form_saved', values: { 'applicant.name': '张三' } });
    const branchPull = await pull(bw.deviceToken, '?caseCursor=0');
    const bp = branchPull.page;
    expect(bp.caseEvents.map((e) => [e.office, e.event.caseId, e.event.action.type])).toEqual([
      [BRANCH, b1.caseId, 'opened'],
      [BRANCH, b1.caseId, 'numbered'],
    ]);
    expect(bp.caseEvents[1]!.event.action).toEqual({ type: 'numbered', caseNo: 'QIHE-K-2025-000001' });
    expect(branchPull.raw).not.toContain(c1.caseId);
    expect(branchPull.raw).not.toContain('张三');
    const cp = (await pull(cw.deviceToken, '?caseCursor=0')).page;
    expect(cp.caseEvents.map((e) => [e.seq, e.event.caseId, e.event.action.type])).toEqual([
      [1, c1.caseId, 'opened'],
      [2, c1.caseId, 'numbered'],
      [3, b1.caseId, 'opened'],
      [4, b1.caseId, 'numbered'],
      [5, c1.caseId, 'form_saved'],
    ]);
    expect(cp).toMatchObject({ nextCaseCursor: 5, caseHasMore: false });
    // the ticket log is apart: no ticket events, its own cursor untouched by the case log
    expect(cp).toMatchObject({ events: [], nextCursor: 0 });
  });

  it('pages the case log by limit with caseHasMore and nextCaseCursor, apart from the ticket cursor', async () => {
    const cw = await caseWindow(t, COUNTY, 'qihe-county/2', '1002');
    for (let i = 0; i < 3; i++) await cw.open(); // 6 case events
    for (let i = 0; i < 3; i++) await issue(COUNTY); // 3 ticket events
    const p1 = (await pull(cw.deviceToken, '?cursor=0&caseCursor=0&limit=4')).page;
    expect(p1.caseEvents.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(p1).toMatchObject({ caseHasMore: true, nextCaseCursor: 4, hasMore: false, nextCursor: 3 });
    const p2 = (await pull(cw.deviceToken, `?cursor=${p1.nextCursor}&caseCursor=${p1.nextCaseCursor}&limit=4`)).page;
    expect(p2.caseEvents.map((e) => e.seq)).toEqual([5, 6]);
    expect(p2).toMatchObject({ caseHasMore: false, nextCaseCursor: 6, events: [], nextCursor: 3 });
    const p3 = (await pull(cw.deviceToken, '?cursor=3&caseCursor=6')).page;
    expect(p3).toMatchObject({ caseEvents: [], caseHasMore: false, nextCaseCursor: 6 });
    // A branch with no case of its own is moved past the county's case events it may not see.
    const branch = await t.enroll(BRANCH);
    const bp = (await pull(branch.deviceToken, '?caseCursor=0&limit=2')).page;
    expect(bp).toMatchObject({ caseEvents: [], caseHasMore: false, nextCaseCursor: 6 });
    // A window without a case cursor (an older window) starts the case log from the beginning.
    expect((await pull(cw.deviceToken, '')).page.caseEvents).toHaveLength(6);
  });

  it('answers a bad case cursor with 400 and a Chinese message', async () => {
    const county = await t.enroll(COUNTY);
    for (const q of ['?caseCursor=-1', '?caseCursor=abc', '?caseCursor=1.5', '?caseCursor=']) {
      const r = await pull(county.deviceToken, q);
      expect(r.status, q).toBe(400);
      expect(r.body.error.message, q).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('hall start with the catalog', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'onewindow-catalog-'));
  });
  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('refuses to start with an invalid catalog, listing each error with its file and place', async () => {
    const dir = path.join(tmp, 'catalog');
    cpSync(SHIPPED_CATALOG_DIR, dir, { recursive: true });
    const file = path.join(dir, 'matters', 'market.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as { matters: Array<Record<string, unknown>> };
    json.matters[0]!.promisedDays = -3;
    json.matters[1]!.board = 'Z';
    writeFileSync(file, JSON.stringify(json));
    const err = await startHallServer({ dataDir: path.join(tmp, 'hall'), port: 0, catalogDir: dir, log: () => {} }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/^invalid matter catalog .*: \d+ errors/);
    expect(err?.message).toMatch(/matters\/market\.json: matters\[0\]\.promisedDays: /);
    expect(err?.message).toMatch(/matters\/market\.json: matters\[1\]\.board: /);
  });

  it('refuses to start with a bad holiday calendar or a missing directory', async () => {
    const cal = path.join(tmp, 'calendar');
    cpSync(SHIPPED_CALENDAR_DIR, cal, { recursive: true });
    writeFileSync(path.join(cal, '2026.json'), '{"year": 2026, "status": "official"');
    await expect(startHallServer({ dataDir: path.join(tmp, 'hall'), port: 0, calendarDir: cal, log: () => {} })).rejects.toThrow(/invalid holiday calendar .*2026\.json: not valid JSON/);
    await expect(startHallServer({ dataDir: path.join(tmp, 'hall'), port: 0, catalogDir: path.join(tmp, 'nope'), log: () => {} })).rejects.toThrow(/catalog directory not found/);
  });
});
