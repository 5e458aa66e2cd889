import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HallHttp } from '../../../electron/backend/hall-client/http.js';
import { blobPath } from '../../../upstream/attachments/blob-files.js';
import { loadHallConfig } from '../../../upstream/config.js';
import { startHallServer } from '../../../upstream/server.js';
import { BenchWindow } from './bench-window.js';
import { planCases } from './case-plan.js';
import { CONFIG_FILE } from './hall.js';
import { jpegLikePage } from './pages.js';
import { verifyRun } from './verify.js';

/**
 * The bench's "0 lost, 0 duplicated" is only worth something if the verifier sees a lost or a
 * duplicated mutation when there is one: a real run (in-process hall, one bench window, 3 cases with
 * a page each), then copies of the hall's database tampered with in each way the verifier must catch.
 */
process.env.ONEWINDOW_LOG ??= 'silent';
const config = loadHallConfig(CONFIG_FILE);
let root: string;
let hallDir: string;
let windowDb: string;

/** A copy of the hall's database changed by `change`; its attachments folder is the real one unless `pages` is false. */
function tampered(name: string, change: (db: Database.Database) => void, pages = true): string {
  const dir = path.join(root, name);
  const file = path.join(dir, 'hall.db');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(hallDir, 'hall.db'), file);
  if (pages) symlinkSync(path.join(hallDir, 'attachments'), path.join(dir, 'attachments'));
  const db = new Database(file);
  try {
    change(db);
  } finally {
    db.close();
  }
  return dir;
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'onewindow-verify-'));
  hallDir = path.join(root, 'hall');
  const hall = await startHallServer({ dataDir: hallDir, config, port: 0, log: () => {} });
  try {
    const e = await new HallHttp(hall.url).call('enroll', { code: hall.createEnrolmentCode('qihe-county'), deviceName: 'verify-test' });
    const w = new BenchWindow(path.join(root, 'window'), { deviceToken: e.deviceToken, clientId: e.clientId, office: e.office }, { staffId: '1001', windowId: 'qihe-county/1', office: 'qihe-county' });
    for (let i = 0; i < 3; i++) await w.storePage(i, jpegLikePage(20 * 1024));
    for (const plan of planCases(3, 5, (i) => i)) w.writeCase(plan);
    w.startSync(hall.url, { pull: true });
    await w.drain();
    await w.puller!.request();
    w.close();
    windowDb = path.join(w.dir, 'workstation.db');
  } finally {
    await hall.close();
  }
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the sync bench verifier', () => {
  it('passes a clean run: every mutation applied once, one official number per case, pages verified, replica equal', async () => {
    const v = await verifyRun(hallDir, [{ file: windowDb, office: 'qihe-county' }], { config, replicas: true });
    expect(v.problems).toEqual([]);
    expect(v).toMatchObject({ written: 30, applied: 30, lost: 0, duplicated: 0, failed: 0, numbering: 0, casesNumbered: 3, attachmentsVerified: 3, diverged: 0 });
  });

  it('counts a mutation the hall never applied as lost, and a refused one as failed', async () => {
    const dir = tampered('lost', (db) => {
      db.prepare("DELETE FROM case_event WHERE event_id = (SELECT event_id FROM case_event WHERE type = 'form_saved' LIMIT 1)").run();
      db.prepare("DELETE FROM audit WHERE seq = (SELECT MIN(seq) FROM audit)").run();
    });
    const v = await verifyRun(dir, [{ file: windowDb, office: 'qihe-county' }], { config, replicas: false });
    expect(v.lost).toBe(2);
    const failed = tampered('failed', (db) => {
      const e = db.prepare("SELECT event_id FROM case_event WHERE type = 'material_marked' LIMIT 1").get() as { event_id: string };
      db.prepare('DELETE FROM case_event WHERE event_id = ?').run(e.event_id);
      const [client, id] = e.event_id.split(':');
      db.prepare("INSERT INTO mutation_result (client_id, mutation_id, status, reason, at) VALUES (?, ?, 'failed', 'refused', 0)").run(client, Number(id));
    });
    expect(await verifyRun(failed, [{ file: windowDb, office: 'qihe-county' }], { config, replicas: false })).toMatchObject({ lost: 0, failed: 1 });
  });

  it('counts an event the window never wrote under that id, or with other content, as duplicated', async () => {
    const dir = tampered('dup', (db) => {
      const e = db.prepare("SELECT * FROM case_event WHERE type = 'form_saved' LIMIT 1").get() as Record<string, unknown>;
      const seq = (db.prepare('SELECT MAX(seq) AS s FROM case_event').get() as { s: number }).s + 1;
      const [client, id] = String(e.event_id).split(':');
      // the same action applied again under a new id (as if resent as a new mutation)
      db.prepare('INSERT INTO case_event (seq, event_id, case_id, office, key, type, at, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
        seq, `${client}:${Number(id) + 1000}`, e.case_id, e.office, `${String(e.key)}-again`, e.type, e.at, e.json,
      );
      // and an event whose content differs from what the window wrote under its id
      db.prepare("UPDATE case_event SET type = 'form_saved' WHERE event_id = (SELECT event_id FROM case_event WHERE type = 'material_marked' LIMIT 1)").run();
    });
    const v = await verifyRun(dir, [{ file: windowDb, office: 'qihe-county' }], { config, replicas: false });
    expect(v.duplicated).toBe(2);
  });

  it('counts a case numbered twice, a page missing or corrupt on the hall, and a replica that differs', async () => {
    const dir = tampered('numbers', (db) => {
      const e = db.prepare("SELECT * FROM case_event WHERE type = 'numbered' LIMIT 1").get() as Record<string, unknown>;
      const seq = (db.prepare('SELECT MAX(seq) AS s FROM case_event').get() as { s: number }).s + 1;
      db.prepare('INSERT INTO case_event (seq, event_id, case_id, office, key, type, at, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
        seq, `s${seq}`, e.case_id, e.office, `hall-numbered-s${seq}`, 'numbered', e.at, e.json,
      );
      db.prepare('UPDATE "case" SET json = json_set(json, \'$.status\', \'REFUSED\') WHERE case_id = ?').run(e.case_id);
    }, false);
    const ws = new Database(windowDb, { readonly: true });
    const shas = (ws.prepare('SELECT sha256 FROM attachment').all() as Array<{ sha256: string }>).map((r) => r.sha256);
    ws.close();
    // This copy has no attachments folder: every page is missing there.
    const v = await verifyRun(dir, [{ file: windowDb, office: 'qihe-county' }], { config, replicas: true });
    expect(v.numbering).toBe(1);
    expect(v.attachmentsLost).toBe(3);
    expect(v.diverged).toBe(1);
    // On the real hall folder: one page's bytes changed → not verified.
    const blob = blobPath(path.join(hallDir, 'attachments'), shas[0]!);
    const saved = path.join(root, 'saved-blob');
    copyFileSync(blob, saved);
    try {
      unlinkSync(blob);
      writeFileSync(blob, jpegLikePage(20 * 1024));
      expect((await verifyRun(hallDir, [{ file: windowDb, office: 'qihe-county' }], { config, replicas: false })).attachmentsLost).toBe(1);
    } finally {
      copyFileSync(saved, blob);
    }
  });
});
