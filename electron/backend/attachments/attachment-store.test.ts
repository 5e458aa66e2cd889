import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ATTACHMENT_TOO_LARGE_MESSAGE } from '../../../shared/hall/api.js';
import { sha256Of } from '../../../upstream/attachments/blob-files.js';
import { openDatabase } from '../store/database.js';
import { tempDir } from '../test-helpers.js';
import { AttachmentStore, EMPTY_ATTACHMENT_MESSAGE } from './attachment-store.js';

function setup(dir = tempDir('att')) {
  const db = openDatabase(path.join(dir, 'workstation.db'));
  return { dir, db, store: new AttachmentStore(db, dir, () => 1_000) };
}

function blobFiles(dir: string): string[] {
  const root = path.join(dir, 'blobs');
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

describe('attachment store', () => {
  it('stores bytes once by content hash under blobs/<ab>/<sha256>, with a metadata row', async () => {
    const { dir, db, store } = setup();
    const bytes = randomBytes(300_000);
    const sha = sha256Of(bytes);
    const a = await store.put(bytes, { mime: 'image/jpeg' });
    expect(a).toEqual({ sha256: sha, size: bytes.length, stored: true });
    const again = await store.put(Buffer.from(bytes), { mime: 'image/jpeg' });
    expect(again).toEqual({ sha256: sha, size: bytes.length, stored: false });
    expect(blobFiles(dir)).toEqual([path.join(sha.slice(0, 2), sha)]);
    expect(store.stat(sha)).toEqual({ sha256: sha, size: bytes.length, mime: 'image/jpeg', createdAt: 1_000, uploadedAt: null });
    expect(Buffer.compare(await store.get(sha), bytes)).toBe(0);
    expect(store.pendingCounts()).toEqual({ pendingAttachments: 1, pendingAttachmentBytes: bytes.length });
    db.close();
  });

  it('stores a file by path (streamed) and dedupes it against the same bytes', async () => {
    const { dir, db, store } = setup();
    const bytes = randomBytes(2 * 1024 * 1024 + 5);
    const src = path.join(dir, 'scan.pdf');
    fs.writeFileSync(src, bytes);
    const a = await store.put({ path: src }, { mime: 'application/pdf' });
    expect(a).toEqual({ sha256: sha256Of(bytes), size: bytes.length, stored: true });
    expect((await store.put(bytes, { mime: 'application/pdf' })).stored).toBe(false);
    const chunks: Buffer[] = [];
    for await (const c of store.open(a.sha256, { start: 10, end: 19 })) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks)).toEqual(bytes.subarray(10, 20));
    db.close();
  });

  it('verify recomputes the hash and notices a damaged blob', async () => {
    const { db, store } = setup();
    const a = await store.put(randomBytes(1000), { mime: 'image/png' });
    expect(await store.verify(a.sha256)).toBe(true);
    const file = store.filePath(a.sha256);
    fs.chmodSync(file, 0o644);
    const b = fs.readFileSync(file);
    b[0] = b[0]! ^ 1;
    fs.writeFileSync(file, b);
    expect(await store.verify(a.sha256)).toBe(false);
    db.close();
  });

  it('refuses empty input and input over the limit with a clear message, storing nothing', async () => {
    const { dir, db, store } = setup();
    await expect(store.put(Buffer.alloc(0), { mime: 'image/jpeg' })).rejects.toThrow(EMPTY_ATTACHMENT_MESSAGE);
    const small = new AttachmentStore(db, dir, Date.now, { maxBytes: 1000 });
    await expect(small.put(randomBytes(1001), { mime: 'image/jpeg' })).rejects.toThrow(ATTACHMENT_TOO_LARGE_MESSAGE);
    const big = path.join(dir, 'big.jpg');
    fs.writeFileSync(big, randomBytes(2000));
    await expect(small.put({ path: big }, { mime: 'image/jpeg' })).rejects.toMatchObject({ code: 'payload_too_large' });
    await expect(store.put({ path: path.join(dir, 'missing.jpg') }, { mime: 'image/jpeg' })).rejects.toMatchObject({ code: 'not_found' });
    expect(blobFiles(dir)).toEqual([]);
    expect(store.pendingCounts().pendingAttachments).toBe(0);
    db.close();
  });

  it('a crash mid-write leaves only a temp file, never a half file under the final name; it is removed at the next start', async () => {
    const { dir, db, store } = setup();
    const bytes = randomBytes(5000);
    const sha = sha256Of(bytes);
    // what a crash between the write and the rename leaves behind
    const leftover = path.join(dir, 'blobs', 'tmp', 'dead-beef.tmp');
    fs.writeFileSync(leftover, bytes.subarray(0, 1234));
    expect(store.stat(sha)).toBeUndefined();
    db.close();

    const reopened = setup(dir);
    expect(fs.existsSync(leftover)).toBe(false);
    expect(reopened.store.stat(sha)).toBeUndefined();
    const a = await reopened.store.put(bytes, { mime: 'image/jpeg' });
    expect(a.stored).toBe(true);
    expect(await reopened.store.verify(sha)).toBe(true);
    expect(blobFiles(dir)).toEqual([path.join(sha.slice(0, 2), sha)]);
    reopened.db.close();
  });

  it('marks an attachment uploaded once, and it leaves the pending list', async () => {
    const { db, store } = setup();
    const a = await store.put(randomBytes(10), { mime: 'image/jpeg' });
    const b = await store.put(randomBytes(20), { mime: 'image/jpeg' });
    store.markUploaded(a.sha256);
    expect(store.pending().map((r) => r.sha256)).toEqual([b.sha256]);
    expect(store.stat(a.sha256)!.uploadedAt).toBe(1_000);
    db.close();
  });
});
