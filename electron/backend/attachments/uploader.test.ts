import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { blobPath, sha256Of, sha256OfFile } from '../../../upstream/attachments/blob-files.js';
import { startHallServer, type HallServer } from '../../../upstream/server.js';
import { HallHttp } from '../hall-client/http.js';
import { openDatabase } from '../store/database.js';
import { enrolledWorkstation, tempDir, testHallConfig, waitFor } from '../test-helpers.js';
import { AttachmentStore } from './attachment-store.js';
import { AttachmentUploader, UPLOAD_CHUNK_BYTES } from './uploader.js';

const MB = 1024 * 1024;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function hallAt(dataDir: string, port = 0): Promise<HallServer> {
  const hall = await startHallServer({ dataDir, port, config: testHallConfig(), log: () => {} });
  return hall;
}

async function enrol(hall: HallServer): Promise<string> {
  const r = await new HallHttp(hall.url).call('enroll', { code: hall.createEnrolmentCode('qihe-county'), deviceName: '附件测试' });
  return r.deviceToken;
}

function localStore() {
  const dir = tempDir('att-up');
  const db = openDatabase(path.join(dir, 'workstation.db'));
  cleanups.push(() => {
    db.close();
  });
  return new AttachmentStore(db, dir);
}

async function hallHolds(hallDir: string, sha: string): Promise<boolean> {
  const file = blobPath(path.join(hallDir, 'attachments'), sha);
  return fs.existsSync(file) && (await sha256OfFile(file)) === sha;
}

describe('attachment uploader against a real hall', () => {
  it('uploads every pending attachment, resuming none needlessly, and marks each uploaded only once the hall has verified it', async () => {
    const hallDir = tempDir('hall');
    const hall = await hallAt(hallDir);
    cleanups.push(() => hall.close());
    const deviceToken = await enrol(hall);
    const store = localStore();
    const shas: string[] = [];
    for (const size of [10, 200_000, 3 * MB + 17]) shas.push((await store.put(randomBytes(size), { mime: 'image/jpeg' })).sha256);
    const uploader = new AttachmentUploader(store, { target: () => ({ baseUrl: hall.url, deviceToken }), onChange: () => {} });
    cleanups.push(() => uploader.close());
    await uploader.flush();
    expect(store.pending()).toEqual([]);
    for (const sha of shas) expect(await hallHolds(hallDir, sha)).toBe(true);
    expect(uploader.bytesSent).toBe(10 + 200_000 + 3 * MB + 17);

    // uploading again (e.g. another workstation with the same pages): a page this uploader never tried goes
    // from offset 0 without a HEAD, so only its first chunk goes; the hall answers complete and stores nothing again
    const other = localStore();
    for (const sha of shas) await other.put(await store.get(sha), { mime: 'image/jpeg' });
    const second = new AttachmentUploader(other, { target: () => ({ baseUrl: hall.url, deviceToken }), onChange: () => {} });
    cleanups.push(() => second.close());
    await second.flush();
    expect(other.pending()).toEqual([]);
    expect(second.bytesSent).toBe([10, 200_000, 3 * MB + 17].reduce((sum, n) => sum + Math.min(n, UPLOAD_CHUNK_BYTES), 0));
  });

  it('the hall stopped mid-upload and started again: the upload resumes by itself from what the hall holds, completes and is verified', async () => {
    const hallDir = tempDir('hall');
    let hall = await hallAt(hallDir);
    const port = hall.port;
    cleanups.push(() => hall.close());
    const deviceToken = await enrol(hall);
    const store = localStore();
    const bytes = randomBytes(12 * MB + 3);
    const sha = sha256Of(bytes);
    let changes = 0;
    const uploader = new AttachmentUploader(store, { target: () => ({ baseUrl: `http://127.0.0.1:${port}`, deviceToken }), onChange: () => changes++ });
    cleanups.push(() => uploader.close());
    await store.put(bytes, { mime: 'application/pdf' });
    uploader.kick();

    const part = path.join(hallDir, 'attachments', 'partial', `${sha}.part`);
    await waitFor('3 MB at the hall', () => fs.existsSync(part) && fs.statSync(part).size >= 3 * MB, 15_000);
    await hall.close();
    await waitFor('the uploader to notice', () => uploader.lastError !== null);
    expect(store.stat(sha)!.uploadedAt).toBeNull();
    const heldWhileDown = fs.statSync(part).size;
    expect(heldWhileDown).toBeLessThan(bytes.length);
    await new Promise((r) => setTimeout(r, 500));

    hall = await hallAt(hallDir, port);
    await waitFor('uploaded', () => store.stat(sha)!.uploadedAt !== null, 15_000);
    expect(await hallHolds(hallDir, sha)).toBe(true);
    expect(uploader.lastError).toBeNull();
    expect(store.pendingCounts()).toEqual({ pendingAttachments: 0, pendingAttachmentBytes: 0 });
    // resumed, not restarted: at most the chunks in flight when the hall went away were sent twice
    expect(uploader.bytesSent).toBeLessThanOrEqual(bytes.length + 3 * MB);
    expect(uploader.bytesSent).toBeLessThan(bytes.length + heldWhileDown);
    // the local blob is still there after upload (never deleted by the uploader)
    expect(await store.verify(sha)).toBe(true);
  }, 40_000);

  it('a workstation uploads a page it stores by itself, without any other action', async () => {
    const hallDir = tempDir('hall');
    const hall = await hallAt(hallDir);
    cleanups.push(() => hall.close());
    const { ws } = await enrolledWorkstation(hall);
    cleanups.push(() => ws.close());
    const page = randomBytes(250_000);
    const { sha256 } = await ws.attachments.store.put(page, { mime: 'image/jpeg' });
    await waitFor('uploaded', () => ws.attachments.store.stat(sha256)!.uploadedAt !== null);
    expect(await hallHolds(hallDir, sha256)).toBe(true);
  });
});
