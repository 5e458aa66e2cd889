import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ATTACHMENT_HASH_MISMATCH_MESSAGE, ATTACHMENT_MAX_BYTES, attachmentPath } from '../../shared/hall/api.js';
import { startTestHall, type TestHall } from '../testing.js';
import { blobPath, sha256Of } from './blob-files.js';

const MB = 1024 * 1024;
let t: TestHall;
let token: string;

beforeEach(async () => {
  t = await startTestHall();
  token = (await t.enroll()).deviceToken;
});
afterEach(async () => {
  await t.stop();
});

async function head(sha: string, auth = token) {
  const res = await fetch(t.hall.url + attachmentPath(sha), { method: 'HEAD', headers: { Authorization: `Bearer ${auth}` } });
  return { status: res.status, received: Number(res.headers.get('x-received-bytes')), complete: res.headers.get('x-complete') === '1' };
}

async function put(sha: string, offset: number, total: number, chunk: Uint8Array, auth = token) {
  const res = await fetch(`${t.hall.url}${attachmentPath(sha)}?offset=${offset}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${auth}`, 'Content-Type': 'application/octet-stream', 'X-Total-Size': String(total) },
    body: chunk as Uint8Array<ArrayBuffer>,
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as any, received: res.headers.get('x-received-bytes') }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Uploads `bytes` from `from` in chunks of `chunk`, stopping after `maxChunks` chunks. */
async function upload(bytes: Buffer, opts: { from?: number; chunk?: number; maxChunks?: number; sha?: string; auth?: string } = {}) {
  const sha = opts.sha ?? sha256Of(bytes);
  const size = opts.chunk ?? MB;
  let offset = opts.from ?? 0;
  let last: Awaited<ReturnType<typeof put>> | undefined;
  let sent = 0;
  while (offset < bytes.length && sent < (opts.maxChunks ?? Infinity)) {
    last = await put(sha, offset, bytes.length, bytes.subarray(offset, offset + size), opts.auth);
    if (last.status !== 200) return last;
    offset = last.body.receivedBytes;
    sent++;
  }
  return last!;
}

function storedRows(): Array<{ sha256: string; size: number; office: string }> {
  const db = new Database(path.join(t.dataDir, 'hall.db'), { readonly: true });
  try {
    return db.prepare('SELECT sha256, size, office FROM attachment').all() as Array<{ sha256: string; size: number; office: string }>;
  } finally {
    db.close();
  }
}

describe('attachment upload', () => {
  it('an upload interrupted after 2 chunks resumes from the received bytes HEAD reports, and is stored hash-verified', async () => {
    const bytes = randomBytes(5 * MB + 123);
    const sha = sha256Of(bytes);
    expect((await head(sha)).status).toBe(404);

    const first = await upload(bytes, { maxChunks: 2 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ receivedBytes: 2 * MB, complete: false });

    const h = await head(sha);
    expect(h).toEqual({ status: 200, received: 2 * MB, complete: false });
    const rest = await upload(bytes, { from: h.received });
    expect(rest.status).toBe(200);
    expect(rest.body).toEqual({ sha256: sha, receivedBytes: bytes.length, totalBytes: bytes.length, complete: true });

    expect(await head(sha)).toEqual({ status: 200, received: bytes.length, complete: true });
    const file = blobPath(path.join(t.dataDir, 'attachments'), sha);
    expect(sha256Of(readFileSync(file))).toBe(sha);
    expect(readdirSync(path.join(t.dataDir, 'attachments', 'partial'))).toEqual([]);
    expect(storedRows()).toEqual([{ sha256: sha, size: bytes.length, office: 'qihe-county' }]);
  });

  it('a chunk at the wrong offset is refused with 409 and the bytes received so far', async () => {
    const bytes = randomBytes(3 * MB);
    const sha = sha256Of(bytes);
    await upload(bytes, { maxChunks: 1 });
    const ahead = await put(sha, 2 * MB, bytes.length, bytes.subarray(2 * MB));
    expect(ahead.status).toBe(409);
    expect(ahead.received).toBe(String(MB));
    expect(ahead.body.error.code).toBe('conflict');
    const again = await put(sha, 0, bytes.length, bytes.subarray(0, MB));
    expect(again.status).toBe(409);
    expect(again.received).toBe(String(MB));
    expect((await head(sha)).received).toBe(MB);
  });

  it('bytes that do not hash to the sha are refused with 422 and nothing is stored', async () => {
    const bytes = randomBytes(2 * MB);
    const sha = sha256Of(bytes);
    const corrupted = Buffer.from(bytes);
    corrupted[MB + 7] = corrupted[MB + 7]! ^ 0xff;
    const r = await upload(corrupted, { sha });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toBe(ATTACHMENT_HASH_MISMATCH_MESSAGE);
    expect(await head(sha)).toEqual({ status: 404, received: 0, complete: false });
    expect(storedRows()).toEqual([]);
    expect(existsSync(blobPath(path.join(t.dataDir, 'attachments'), sha))).toBe(false);
    expect(readdirSync(path.join(t.dataDir, 'attachments', 'partial'))).toEqual([]);
    // and the right bytes go through afterwards
    expect((await upload(bytes)).body.complete).toBe(true);
  });

  it('refuses a malformed sha (400), an oversized total or chunk (413) and an unenrolled device (401)', async () => {
    const bytes = randomBytes(1000);
    const sha = sha256Of(bytes);
    expect((await put('abc', 0, 1000, bytes)).status).toBe(400);
    expect((await put('g'.repeat(64), 0, 1000, bytes)).status).toBe(400);
    expect((await head('xyz')).status).toBe(400);
    const tooBig = await put(sha, 0, ATTACHMENT_MAX_BYTES + 1, bytes);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.message).toContain('50 MB');
    const bigChunk = randomBytes(4 * MB + 1);
    expect((await put(sha256Of(bigChunk), 0, bigChunk.length, bigChunk)).status).toBe(413);
    expect((await put(sha, 0, 1000, bytes, 'not-a-token')).status).toBe(401);
    expect((await head(sha, 'not-a-token')).status).toBe(401);
    const noAuth = await fetch(t.hall.url + attachmentPath(sha), { method: 'HEAD' });
    expect(noAuth.status).toBe(401);
    expect((await put(sha, 0, 0, Buffer.alloc(0))).status).toBe(400);
    expect(storedRows()).toEqual([]);
  });

  it('the same content uploaded by two devices is stored once; the second upload is answered complete at once', async () => {
    const other = (await t.enroll('qihe-edz')).deviceToken;
    const bytes = randomBytes(1.5 * MB);
    const sha = sha256Of(bytes);
    expect((await upload(bytes)).body.complete).toBe(true);
    expect(await head(sha, other)).toEqual({ status: 200, received: bytes.length, complete: true });
    // a device that did not ask first and sends its first chunk is told at once that it is complete
    const r = await put(sha, 0, bytes.length, bytes.subarray(0, MB), other);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ complete: true, receivedBytes: bytes.length });
    expect(storedRows()).toEqual([{ sha256: sha, size: bytes.length, office: 'qihe-county' }]);
    expect(readdirSync(path.join(t.dataDir, 'attachments', 'partial'))).toEqual([]);
  });

  it('does not let the JSON routes or methods other than HEAD and PUT through on attachment paths', async () => {
    const r = await t.request('POST', attachmentPath('a'.repeat(64)), { x: 1 }, { Authorization: `Bearer ${token}` });
    expect(r.status).toBe(404);
  });

  it('a last chunk whose verification was cut off (hall restarted) finishes with an empty chunk; old partials are cleaned', async () => {
    const bytes = randomBytes(MB + 10);
    const sha = sha256Of(bytes);
    // as if the hall died after appending the last chunk and before verifying it
    writeFileSync(path.join(t.dataDir, 'attachments', 'partial', `${sha}.part`), bytes);
    expect(await head(sha)).toEqual({ status: 200, received: bytes.length, complete: false });
    const r = await put(sha, bytes.length, bytes.length, Buffer.alloc(0));
    expect(r.body).toMatchObject({ complete: true });

    const stale = path.join(t.dataDir, 'attachments', 'partial', `${'b'.repeat(64)}.part`);
    writeFileSync(stale, 'x');
    const old = (Date.now() - 25 * 3_600_000) / 1000;
    utimesSync(stale, old, old);
    await t.restart(); // clean-up runs at start
    await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(stale)).toBe(false);
  });
});
