import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanPageEvent } from '../../../shared/case/capture-contract.js';
import type { CaseView } from '../../../shared/case/view.js';
import type { InvokeResult } from '../../../shared/contract.js';
import { encryptedPdf, truncated } from '../../../tests/capture/bad-files.js';
import { generateDocument, type SyntheticDocument } from '../../../tests/capture/generator/index.js';
import type { HallServer } from '../../../upstream/server.js';
import { createWorkstation, type Workstation } from '../index.js';
import { memorySettingsStore } from '../settings/settings-store.js';
import { servingTicket, startTestHall, state, tempDir, value, waitFor } from '../test-helpers.js';

/**
 * Capture through the workstation's handler map, as the renderer calls it: a real hall, a real
 * workstation, the real capture worker on generated documents. A photo of an ID card on the legal
 * representative's ID-card material becomes a stored page, a recorded reading and suggestions for
 * the form; accepting fills the form with provenance and never overwrites what the clerk typed
 * unless chosen; bad files are refused with capture's Chinese message and leave nothing stored.
 */

const hasScanimage = spawnSync('scanimage', ['--version']).status === 0;
if (!hasScanimage) console.warn('scan test of capture-handlers.test.ts skipped: scanimage is not installed (apt-get install -y sane-utils)');
const saneDir = mkdtempSync(path.join(tmpdir(), 'ow-sane-'));
writeFileSync(path.join(saneDir, 'dll.conf'), 'test\n');

let hall: HallServer;
let ws: Workstation;
let dataDir: string;
let card: SyntheticDocument;
const scanEvents: ScanPageEvent[] = [];
const MATERIAL = 'legalRep.idCard';

beforeAll(async () => {
  hall = await startTestHall(tempDir('cap-hall'));
  dataDir = tempDir('cap-ws');
  ws = await createWorkstation({ dataDir, settings: memorySettingsStore(), hallUrl: hall.url, capture: { sane: { env: { ...process.env, SANE_CONFIG_DIR: saneDir } } } });
  value(await ws.handlers['device.enroll']({ hallUrl: hall.url, code: hall.createEnrolmentCode('qihe-county'), deviceName: '测试工作站' }));
  await waitFor('online', async () => (await state(ws)).connection.online);
  await servingTicket(ws, hall.url);
  ws.events.on('capture.scanPage', (p) => scanEvents.push(p));
  card = await generateDocument('idcard_front', 3, 'scan');
}, 60_000);

afterAll(async () => {
  await waitFor('uploads done', async () => ((await state(ws)).sync.pendingAttachments ?? 0) === 0, 5000).catch(() => undefined);
  await ws?.close();
  await hall?.close();
  rmSync(saneDir, { recursive: true, force: true });
});

async function openCase(): Promise<CaseView> {
  const v = value(await ws.handlers['case.open']({ subject: { kind: 'bundle', code: 'enterprise-opening' } }));
  return value(await ws.handlers['case.answer']({ caseId: v.summary.caseId, answers: { premises: 'owned', agent: 'no', seal: 'yes', invoice: 'no', taxpayer: 'small-scale' } }));
}

const capture = (caseId: string, bytes: Buffer, name: string) =>
  ws.handlers['case.capture']({ caseId, materialId: MATERIAL, name, mime: 'image/jpeg', dataBase64: bytes.toString('base64') });

/** Files in the attachment store (blobs/, its tmp/ folder left out). */
function storedFiles(): number {
  const walk = (dir: string): number =>
    readdirSync(dir).reduce((n, f) => (f === 'tmp' ? n : statSync(path.join(dir, f)).isDirectory() ? n + walk(path.join(dir, f)) : n + 1), 0);
  return walk(path.join(dataDir, 'blobs'));
}

function refused<T>(r: InvokeResult<T>): { code: string; message: string } {
  if (r.ok) throw new Error('expected a refusal');
  return r.error;
}

describe('case.capture and case.acceptSuggestions', () => {
  it('an ID card photo: stored on the material, read, suggested; accepting fills the form with provenance', async () => {
    const v0 = await openCase();
    const caseId = v0.summary.caseId;
    const r = value(await capture(caseId, card.image, '法人身份证.jpg'));

    expect(r.pages).toHaveLength(1);
    const page = r.pages[0]!;
    expect(page.docType).toBe('idcard_front');
    expect(page.docTypeName).toBe('居民身份证（人像面）');
    // Stored through the attachment path, as the normalised JPEG the sha256 names.
    const m = r.view.materials.find((x) => x.id === MATERIAL)!;
    expect(m.attachments.map((a) => a.sha256)).toEqual([page.sha256]);
    expect(m.status).toBe('present');
    const jpeg = value(await ws.handlers['capture.page']({ caseId, sha256: page.sha256 }));
    const bytes = Buffer.from(jpeg.dataBase64, 'base64');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(page.sha256);
    expect((await sharp(bytes).metadata()).width).toBe(page.width);
    // The reading is recorded in the case (document_read).
    expect(r.view.history.some((h) => h.label === '识别材料')).toBe(true);

    const byKey = new Map(r.suggestions.map((s) => [s.key, s]));
    expect(byKey.get('legalRep.name')).toMatchObject({ value: card.truth.fields.name, kind: 'new', current: '', sha256: page.sha256 });
    expect(byKey.get('legalRep.idNumber')).toMatchObject({ value: card.truth.fields.idNumber, kind: 'new', acceptAll: true, low: false });
    // Only the keys this case's form has.
    const formKeys = new Set(r.view.fields.map((f) => f.key));
    expect(r.suggestions.every((s) => formKeys.has(s.key))).toBe(true);
    // The region of the name lies on the page.
    const [x, y, w, h] = byKey.get('legalRep.name')!.region;
    expect(w).toBeGreaterThan(0);
    expect(x + w).toBeLessThanOrEqual(page.width);
    expect(y + h).toBeLessThanOrEqual(page.height);

    const all = r.suggestions.filter((s) => s.acceptAll);
    const v = value(await ws.handlers['case.acceptSuggestions']({ caseId, accept: all.map((s) => ({ key: s.key, value: s.value, sha256: s.sha256, expected: s.current })) }));
    const name = v.fields.find((f) => f.key === 'legalRep.name')!;
    expect(name.value).toBe(card.truth.fields.name);
    expect(name.source).toMatchObject({ kind: 'extracted', sha256: page.sha256, docType: 'idcard_front', field: 'name' });
    expect(name.source?.kind === 'extracted' && name.source.region).toEqual(byKey.get('legalRep.name')!.region);
  }, 60_000);

  it('a value the clerk typed is a conflict: left alone by accept-all, replaced only when chosen, refused if it changed since', async () => {
    const v0 = await openCase();
    const caseId = v0.summary.caseId;
    value(await ws.handlers['case.saveForm']({ caseId, values: { 'legalRep.name': '王小明' } }));
    const r = value(await capture(caseId, card.image, '身份证.jpg'));
    const name = r.suggestions.find((s) => s.key === 'legalRep.name')!;
    expect(name).toMatchObject({ kind: 'conflict', current: '王小明', acceptAll: false });

    const others = r.suggestions.filter((s) => s.acceptAll);
    let v = value(await ws.handlers['case.acceptSuggestions']({ caseId, accept: others.map((s) => ({ key: s.key, value: s.value, sha256: s.sha256, expected: s.current })) }));
    expect(v.fields.find((f) => f.key === 'legalRep.name')!.value).toBe('王小明');

    // A value the page never said is refused (provenance cannot be made up).
    const forged = refused(await ws.handlers['case.acceptSuggestions']({ caseId, accept: [{ key: 'legalRep.name', value: '李四', sha256: name.sha256 }] }));
    expect(forged.message).toMatch(/识别结果与材料页面不符/);
    // The clerk typed again after looking: the choice made on the old value is refused.
    value(await ws.handlers['case.saveForm']({ caseId, values: { 'legalRep.name': '王晓明' } }));
    const stale = refused(await ws.handlers['case.acceptSuggestions']({ caseId, accept: [{ key: 'legalRep.name', value: name.value, sha256: name.sha256, expected: '王小明' }] }));
    expect(stale.code).toBe('conflict');
    expect(stale.message).toMatch(/在识别后已被修改/);
    // Chosen explicitly on what is there now: replaced, with its provenance.
    v = value(await ws.handlers['case.acceptSuggestions']({ caseId, accept: [{ key: 'legalRep.name', value: name.value, sha256: name.sha256, expected: '王晓明' }] }));
    const f = v.fields.find((x) => x.key === 'legalRep.name')!;
    expect(f.value).toBe(card.truth.fields.name);
    expect(f.source?.kind).toBe('extracted');
  }, 60_000);

  it('bad files get capture’s Chinese message and leave nothing stored', async () => {
    const v0 = await openCase();
    const caseId = v0.summary.caseId;
    const files = storedFiles();
    const blank = await sharp({ create: { width: 1240, height: 1754, channels: 3, background: '#fbfbf8' } }).jpeg().toBuffer();
    const jpeg = await sharp(card.image).jpeg({ quality: 80 }).toBuffer();
    const cases: Array<[string, Buffer, RegExp]> = [
      ['截断.jpg', truncated(jpeg, 0.4), /图片文件已损坏或不完整/],
      ['身份证.jpg', Buffer.from('这不是图片\n'.repeat(50)), /文件扩展名为 \.jpg，但内容不是图片或 PDF/],
      ['合同.pdf', encryptedPdf(), /PDF 文件已加密/],
      ['空白.jpg', blank, /空白页/],
      ['空.jpg', Buffer.alloc(0), /文件为空/],
    ];
    for (const [name, bytes, message] of cases) {
      const e = refused(await capture(caseId, bytes, name));
      expect(e.message, name).toMatch(message);
    }
    // 100 MB: refused at the contract, before anything is decoded.
    const big = Buffer.alloc(100 * 1024 * 1024);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    expect(refused(await capture(caseId, big, '巨大.jpg')).message).toMatch(/过大/);

    const v = value(await ws.handlers['case.get']({ caseId }));
    expect(v.materials.find((m) => m.id === MATERIAL)!.attachments).toEqual([]);
    expect(v.history.some((h) => h.label === '识别材料' || h.label === '添加附件')).toBe(false);
    expect(storedFiles()).toBe(files);
  }, 60_000);

  it('refuses a material that is not on the checklist before reading anything', async () => {
    const v0 = await openCase();
    const e = refused(await ws.handlers['case.capture']({ caseId: v0.summary.caseId, materialId: 'nope.material', name: 'a.jpg', mime: 'image/jpeg', dataBase64: card.image.toString('base64') }));
    expect(e.message).toMatch(/不在本办件的材料清单中/);
  });
});

describe.skipIf(!hasScanimage)('capture.scan through SANE’s test backend', () => {
  it('lists the test scanner and scans a feeder batch onto the material, announcing each page as it arrives', async () => {
    const { scanners } = value(await ws.handlers['capture.scanners']({}));
    expect(scanners.map((s) => s.id)).toContain('test:0');
    const opts = value(await ws.handlers['capture.scannerOptions']({ device: 'test:0' }));
    expect(opts.paperSources).toContain('glass');
    expect(opts.modes).toContain('gray');

    const v0 = await openCase();
    const caseId = v0.summary.caseId;
    const before = scanEvents.length;
    const r = value(
      await ws.handlers['capture.scan']({ caseId, materialId: MATERIAL, device: 'test:0', source: 'feeder', dpi: 75, mode: 'gray', maxPages: 2, extra: { 'test-picture': 'Grid' } }),
    );
    expect(r.pages.map((p) => p.index)).toEqual([0, 1]);
    const events = scanEvents.slice(before);
    expect(events.map((e) => e.index).sort()).toEqual([0, 1]);
    expect((await sharp(Buffer.from(events[0]!.thumbBase64, 'base64')).metadata()).format).toBe('jpeg');
    const m = r.view.materials.find((x) => x.id === MATERIAL)!;
    // The test device's two grid pages are the same picture: stored once, by content hash.
    expect(m.attachments.map((a) => a.sha256).sort()).toEqual([...new Set(r.pages.map((p) => p.sha256))].sort());
  }, 60_000);

  it('a scan of blank sheets is refused, nothing stored', async () => {
    const v0 = await openCase();
    const caseId = v0.summary.caseId;
    const e = refused(
      await ws.handlers['capture.scan']({ caseId, materialId: MATERIAL, device: 'test:0', source: 'feeder', dpi: 75, mode: 'color', maxPages: 2, extra: { 'test-picture': 'Solid white' } }),
    );
    expect(e.message).toMatch(/空白页/);
    const v = value(await ws.handlers['case.get']({ caseId }));
    expect(v.materials.find((m) => m.id === MATERIAL)!.attachments).toEqual([]);
  }, 60_000);
});
