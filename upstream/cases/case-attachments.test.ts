import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseAction } from '../../shared/case/types.js';
import { attachmentPath } from '../../shared/hall/api.js';
import { sha256Of } from '../attachments/blob-files.js';
import { loadHallConfig } from '../config.js';
import { openHallStore } from '../store/hall-store.js';
import { startTestHall, testClock, type TestHall } from '../testing.js';
import { CaseService } from './case-service.js';
import { openCaseTables } from './case-store.js';
import { caseWindow, newCaseId, newKey, openAction, type CaseWindow } from './test-support.js';

/** "A case is complete upstream only when all its attachments are", as the hall knows it. */
let t: TestHall;
let w: CaseWindow;
let token: string;

beforeEach(async () => {
  t = await startTestHall();
  w = await caseWindow(t, 'qihe-county', 'qihe-county/1', '1001');
  token = w.deviceToken;
});
afterEach(async () => {
  await t.stop();
});

function page(): Buffer {
  return randomBytes(4096);
}

function added(bytes: Buffer, materialId = 'm1'): Extract<CaseAction, { type: 'attachment_added' }> {
  return { type: 'attachment_added', materialId, attachment: { sha256: sha256Of(bytes), name: '扫描件.jpg', mime: 'image/jpeg', size: bytes.length } };
}

async function upload(bytes: Buffer): Promise<void> {
  const res = await fetch(`${t.hall.url}${attachmentPath(sha256Of(bytes))}?offset=0`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream', 'X-Total-Size': String(bytes.length) },
    body: bytes as Uint8Array<ArrayBuffer>,
  });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { complete: boolean }).complete).toBe(true);
}

/** The hall's case tables read from its database (every reply waits for the commit). */
function hallCases<T>(fn: (cases: ReturnType<typeof openCaseTables>) => T): T {
  const db = new Database(path.join(t.dataDir, 'hall.db'), { readonly: true });
  try {
    return fn(openCaseTables(db));
  } finally {
    db.close();
  }
}

describe('a case is complete upstream only when all its attachments are', () => {
  it('two attachments, one uploaded: incomplete, the other named missing; both uploaded: complete', async () => {
    const { caseId } = await w.open();
    const [a, b] = [page(), page()];
    expect((await w.act(caseId, added(a))).status).toBe('applied');
    expect((await w.act(caseId, added(b, 'm2'))).status).toBe('applied');
    expect(hallCases((c) => c.attachments(caseId))).toEqual({ referenced: 2, missing: [sha256Of(a), sha256Of(b)].sort(), complete: false });

    await upload(a);
    expect(hallCases((c) => c.attachments(caseId))).toEqual({ referenced: 2, missing: [sha256Of(b)], complete: false });
    expect(hallCases((c) => c.incomplete(['qihe-county']))).toEqual([{ caseId, missing: 1 }]);

    await upload(b);
    expect(hallCases((c) => c.attachments(caseId))).toEqual({ referenced: 2, missing: [], complete: true });
    expect(hallCases((c) => c.incomplete(['qihe-county']))).toEqual([]);
  });

  it('an attachment uploaded before the case action arrives makes the case complete on arrival', async () => {
    const { caseId } = await w.open();
    const a = page();
    await upload(a);
    expect(hallCases((c) => c.attachments(caseId))).toEqual({ referenced: 0, missing: [], complete: true });
    expect((await w.act(caseId, added(a))).status).toBe('applied');
    expect(hallCases((c) => c.attachments(caseId))).toEqual({ referenced: 1, missing: [], complete: true });
  });

  it('the same page on two materials counts once; a removed attachment no longer counts; an unknown case has no answer', async () => {
    const { caseId } = await w.open();
    const a = page();
    const b = page();
    await w.act(caseId, added(a));
    await w.act(caseId, added(a, 'm2'));
    await w.act(caseId, added(b, 'm2'));
    expect(hallCases((c) => c.attachments(caseId))).toMatchObject({ referenced: 2, complete: false });
    await w.act(caseId, { type: 'attachment_removed', materialId: 'm2', sha256: sha256Of(b) });
    await upload(a);
    expect(hallCases((c) => c.attachments(caseId))).toEqual({ referenced: 1, missing: [], complete: true });
    expect(hallCases((c) => c.attachments(newCaseId()))).toBeUndefined();
  });
});

describe('CaseService.attachments', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('answers for a case the device’s office may see, and nothing for another office’s', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'onewindow-case-att-'));
    dirs.push(dir);
    const store = openHallStore(dir);
    try {
      const clock = testClock();
      const cases = new CaseService(store, loadHallConfig(), clock.now);
      const device = { id: 'd1', office: 'qihe-county', enrolledAt: clock.now() - 1000 };
      const caseId = newCaseId();
      const bytes = page();
      const base = { kind: 'case_action' as const, caseId, windowId: 'qihe-county/1', staffId: '1001', at: clock.now() };
      store.transaction(() => {
        cases.apply(device, 'c:1', { ...base, mutationId: 1, key: newKey(), action: openAction() });
        cases.apply(device, 'c:2', { ...base, mutationId: 2, key: newKey(), action: added(bytes) });
      });
      expect(cases.attachments('qihe-county', caseId)).toEqual({ referenced: 1, missing: [sha256Of(bytes)], complete: false });
      expect(cases.attachments('qihe-edz', caseId)).toBeUndefined();
      store.transaction(() => store.recordAttachment({ sha256: sha256Of(bytes), size: bytes.length, office: 'qihe-county', deviceId: 'd1', completedAt: clock.now() }));
      expect(cases.attachments('qihe-county', caseId)?.complete).toBe(true);
    } finally {
      store.close();
    }
  });
});
