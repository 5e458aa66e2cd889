import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { PullPage } from '../../shared/hall/api.js';
import { caseWindow, newCaseId } from '../cases/test-support.js';
import { authHeaders, requestId, startTestHall, type TestHall } from '../testing.js';
import { lastAppliedOf } from './progress.js';

const COUNTY = 'qihe-county';
const halls: TestHall[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const h of halls.splice(0)) await h.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function hall(dataDir?: string): Promise<TestHall> {
  const h = await startTestHall(dataDir ? { dataDir } : {});
  halls.push(h);
  return h;
}

async function issue(t: TestHall, office = COUNTY): Promise<string> {
  const r = await t.request('POST', '/api/kiosk/tickets', { office, board: 'A', requestId: requestId() });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.ticketId as string;
}

async function pull(t: TestHall, token: string, query: string): Promise<PullPage> {
  const r = await t.request('GET', `/api/sync/pull${query}`, undefined, authHeaders({ device: token }));
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return PullPage.parse(r.body);
}

/** A consistent copy of a live hall database (what an administrator's backup is). */
function backup(t: TestHall, to: string): Promise<unknown> {
  const db = new Database(path.join(t.dataDir, 'hall.db'), { readonly: true });
  return db.backup(to).finally(() => db.close());
}

describe('the hall describes itself in every pull page', () => {
  it('an epoch created with its database: the same after a restart, another for another database', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'onewindow-epoch-'));
    dirs.push(dir);
    const t = await hall(dir);
    const dev = await t.enroll(COUNTY);
    const first = (await pull(t, dev.deviceToken, '?cursor=0')).hall!;
    expect(first.epoch).toMatch(/^[0-9a-f-]{36}$/);
    await t.restart();
    expect((await pull(t, dev.deviceToken, '?cursor=0')).hall!.epoch).toBe(first.epoch);

    const other = await hall();
    const otherDev = await other.enroll(COUNTY);
    expect((await pull(other, otherDev.deviceToken, '?cursor=0')).hall!.epoch).not.toBe(first.epoch);
  });

  it('each log’s latest seq and the marks at the asked and at the next cursor', async () => {
    const t = await hall();
    const dev = await t.enroll(COUNTY);
    for (let i = 0; i < 3; i++) await issue(t);
    const p0 = await pull(t, dev.deviceToken, '?cursor=0&limit=2');
    expect(p0.hall!.tickets).toMatchObject({ lastSeq: 3, atCursor: null });
    expect(p0.hall!.cases).toEqual({ lastSeq: 0, atCursor: null, atNext: null });
    const p1 = await pull(t, dev.deviceToken, `?cursor=${p0.nextCursor}&limit=2`);
    // The mark the window stored with its cursor is the one the hall finds there next time.
    expect(p1.hall!.tickets.atCursor).toBe(p0.hall!.tickets.atNext);
    expect(p1.hall!.tickets.atNext).not.toBe(p1.hall!.tickets.atCursor);
    expect((await pull(t, dev.deviceToken, `?cursor=${p1.nextCursor}`)).hall!.tickets.atCursor).toBe(p1.hall!.tickets.atNext);
  });

  it('a database restored from a backup: behind the window’s cursor, then (after new events) another mark there', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'onewindow-restore-'));
    dirs.push(dir);
    const t = await hall(dir);
    const dev = await t.enroll(COUNTY);
    await issue(t);
    const saved = path.join(dir, 'backup.db');
    await backup(t, saved);
    await issue(t);
    await issue(t);
    const before = await pull(t, dev.deviceToken, '?cursor=0');
    expect(before.nextCursor).toBe(3);

    await t.stop();
    rmSync(path.join(dir, 'hall.db-wal'), { force: true });
    rmSync(path.join(dir, 'hall.db-shm'), { force: true });
    copyFileSync(saved, path.join(dir, 'hall.db'));
    const restored = await hall(dir);
    const behind = await pull(restored, dev.deviceToken, `?cursor=${before.nextCursor}`);
    expect(behind.hall!.epoch).toBe(before.hall!.epoch); // a backup keeps its epoch…
    expect(behind.hall!.tickets.lastSeq).toBe(1); // …but is behind the window's cursor
    await issue(restored);
    await issue(restored);
    await issue(restored);
    const moved = await pull(restored, dev.deviceToken, `?cursor=${before.nextCursor}`);
    expect(moved.hall!.tickets.lastSeq).toBe(4);
    expect(moved.hall!.tickets.atCursor).not.toBe(before.hall!.tickets.atNext); // other events at seq 3
  });

  it('the progress of the client the window names, only for a client of its own office', async () => {
    const t = await hall();
    const w = await caseWindow(t, COUNTY, 'qihe-county/1', '1001');
    await w.open();
    await w.open();
    const other = await t.enroll('qihe-edz');
    expect((await pull(t, w.deviceToken, '?cursor=0')).hall!.lastApplied).toBeNull();
    expect((await pull(t, w.deviceToken, `?cursor=0&clientId=${w.clientId}`)).hall!.lastApplied).toBe(2);
    expect((await pull(t, w.deviceToken, `?cursor=0&clientId=${other.clientId}`)).hall!.lastApplied).toBeNull();
    expect((await pull(t, w.deviceToken, '?cursor=0&clientId=c-not-enrolled')).hall!.lastApplied).toBeNull();
  });

  it('a push refused as out of order names the hall’s progress, and the window can read it', async () => {
    const t = await hall();
    const w = await caseWindow(t, COUNTY, 'qihe-county/1', '1001');
    await w.open();
    const gap = await w.pushRaw([w.body(newCaseId(), { type: 'discarded', reason: '测试' }, { mutationId: 5 })]);
    expect(gap.status).toBe(409);
    expect(gap.body.error.code).toBe('out_of_order');
    expect(lastAppliedOf(`POST /api/sync/push: ${gap.body.error.detail as string}`)).toBe(1);
    expect(lastAppliedOf(undefined)).toBeNull();
    expect(lastAppliedOf('no progress here')).toBeNull();
  });
});
