import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { blobPath, sha256Of, sha256OfFile } from '../../../upstream/attachments/blob-files.js';
import { startHallServer, type HallServer } from '../../../upstream/server.js';
import { HallHttp } from '../hall-client/http.js';
import { openDatabase } from '../store/database.js';
import { tempDir, testHallConfig } from '../test-helpers.js';
import { AttachmentHttp } from './attachment-client.js';
import { AttachmentStore } from './attachment-store.js';
import { AttachmentUploader } from './uploader.js';

/** A page the uploader never tried starts at offset 0 without a HEAD; whatever the hall holds already, it ends verified. */
const KB = 1024;
const CHUNK = 64 * KB;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function hall(): Promise<{ hall: HallServer; dir: string; deviceToken: string }> {
  const dir = tempDir('hall');
  const h = await startHallServer({ dataDir: dir, port: 0, config: testHallConfig(), log: () => {} });
  cleanups.push(() => h.close());
  const r = await new HallHttp(h.url).call('enroll', { code: h.createEnrolmentCode('qihe-county'), deviceName: '附件测试' });
  return { hall: h, dir, deviceToken: r.deviceToken };
}

function uploaderFor(h: { hall: HallServer; deviceToken: string }) {
  const dir = tempDir('att-first');
  const db = openDatabase(path.join(dir, 'workstation.db'));
  const store = new AttachmentStore(db, dir);
  const uploader = new AttachmentUploader(store, { target: () => ({ baseUrl: h.hall.url, deviceToken: h.deviceToken }), onChange: () => {} }, { chunkBytes: CHUNK });
  cleanups.push(() => {
    uploader.close();
    db.close();
  });
  return { store, uploader };
}

async function hallHolds(hallDir: string, sha: string): Promise<boolean> {
  const file = blobPath(path.join(hallDir, 'attachments'), sha);
  return fs.existsSync(file) && (await sha256OfFile(file)) === sha;
}

describe('attachment uploader: the first try of a page', () => {
  it('new pages go up from offset 0 without asking first, each byte sent once', async () => {
    const h = await hall();
    const heads = vi.spyOn(AttachmentHttp.prototype, 'head');
    const { store, uploader } = uploaderFor(h);
    const sizes = [10, 3 * CHUNK + 5, CHUNK];
    const shas: string[] = [];
    for (const size of sizes) shas.push((await store.put(randomBytes(size), { mime: 'image/jpeg' })).sha256);
    await uploader.flush();
    expect(heads).not.toHaveBeenCalled();
    expect(uploader.bytesSent).toBe(sizes.reduce((a, b) => a + b, 0));
    for (const sha of shas) expect(await hallHolds(h.dir, sha)).toBe(true);
    expect(store.pending()).toEqual([]);
  });

  it('a page the hall partly holds (an earlier run) resumes where the hall is; one the hall holds whole costs at most one chunk', async () => {
    const h = await hall();
    const partly = randomBytes(4 * CHUNK + 1);
    const whole = randomBytes(2 * CHUNK + 3);
    const direct = new AttachmentHttp(h.hall.url, h.deviceToken);
    // an earlier run sent two chunks of `partly`; another device uploaded all of `whole`
    await direct.putChunk(sha256Of(partly), 0, partly.length, partly.subarray(0, CHUNK));
    await direct.putChunk(sha256Of(partly), CHUNK, partly.length, partly.subarray(CHUNK, 2 * CHUNK));
    for (let off = 0; off < whole.length; off += CHUNK) await direct.putChunk(sha256Of(whole), off, whole.length, whole.subarray(off, off + CHUNK));
    expect(await hallHolds(h.dir, sha256Of(whole))).toBe(true);

    const { store, uploader } = uploaderFor(h);
    await store.put(partly, { mime: 'application/pdf' });
    await store.put(whole, { mime: 'application/pdf' });
    await uploader.flush();
    expect(store.pending()).toEqual([]);
    expect(await hallHolds(h.dir, sha256Of(partly))).toBe(true);
    expect(await hallHolds(h.dir, sha256Of(whole))).toBe(true);
    // partly: its first chunk is refused (409, the hall holds two; bytesSent counts accepted PUTs only),
    // then the rest goes once; whole: its first chunk, answered complete without being stored again
    expect(uploader.bytesSent).toBe(partly.length - 2 * CHUNK + CHUNK);
  });
});
