/**
 * `npx tsx tests/bench/attachments.bench.ts [-- --count 200 --kb 200]`
 *
 * Attachment upload throughput on loopback: a real hall server process, one workstation's attachment
 * store with N random attachments of K KB, uploaded by the AttachmentUploader (HEAD → PUT chunks →
 * hall hashes and stores) until every one is confirmed. Then checks from the hall's side that each
 * is stored once and hash-verified. The last line printed is one JSON object.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AttachmentStore } from '../../electron/backend/attachments/attachment-store.js';
import { AttachmentUploader } from '../../electron/backend/attachments/uploader.js';
import { HallHttp } from '../../electron/backend/hall-client/http.js';
import { openDatabase } from '../../electron/backend/store/database.js';
import { blobPath, sha256OfFile } from '../../upstream/attachments/blob-files.js';
import { REPO_ROOT, startHallProcess } from '../support/hall-process.js';
import { cliEnrolmentCode } from '../support/hall-setup.js';

process.env.ONEWINDOW_LOG ??= 'warn';
const { values } = parseArgs({ options: { count: { type: 'string', default: '200' }, kb: { type: 'string', default: '200' } }, strict: true });
const COUNT = Number(values.count);
const KB = Number(values.kb);

const root = mkdtempSync(path.join(tmpdir(), 'onewindow-bench-att-'));
const hallDir = path.join(root, 'hall');
const configFile = path.join(REPO_ROOT, 'resources/offices/qihe.json');
const code = await cliEnrolmentCode(hallDir, 'qihe-county', configFile);
const hall = await startHallProcess({ dataDir: hallDir, configFile });
try {
  const { deviceToken } = await new HallHttp(hall.url).call('enroll', { code, deviceName: 'bench' });
  const db = openDatabase(path.join(root, 'ws', 'workstation.db'));
  const store = new AttachmentStore(db, path.join(root, 'ws'));
  const shas: string[] = [];
  for (let i = 0; i < COUNT; i++) shas.push((await store.put(randomBytes(KB * 1024), { mime: 'image/jpeg' })).sha256);
  const uploader = new AttachmentUploader(store, { target: () => ({ baseUrl: hall.url, deviceToken }), onChange: () => {} });
  const t0 = performance.now();
  await uploader.flush();
  const seconds = (performance.now() - t0) / 1000;
  uploader.close();
  const left = store.pendingCounts().pendingAttachments;
  let verified = 0;
  for (const sha of shas) {
    const f = blobPath(path.join(hallDir, 'attachments'), sha);
    if (existsSync(f) && (await sha256OfFile(f)) === sha) verified++;
  }
  db.close();
  const mb = (COUNT * KB * 1024) / (1024 * 1024);
  console.log(`uploaded ${COUNT} × ${KB} KB (${mb.toFixed(1)} MB) in ${seconds.toFixed(2)} s; verified at the hall: ${verified}; still pending: ${left}; bytes sent ${uploader.bytesSent}`);
  console.log(JSON.stringify({ attachments: COUNT, mb_per_s: Number((mb / seconds).toFixed(2)), seconds: Number(seconds.toFixed(3)), verified, pending: left }));
} finally {
  await hall.stop();
  rmSync(root, { recursive: true, force: true });
}
