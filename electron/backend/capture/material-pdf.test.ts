import Database from 'better-sqlite3';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../../shared/case/view.js';
import { generateDocument, type SyntheticDocument } from '../../../tests/capture/generator/index.js';
import type { HallServer } from '../../../upstream/server.js';
import { pdfWords, poppler } from '../certificates/test-support.js';
import { createWorkstation, type Workstation } from '../index.js';
import { memorySettingsStore } from '../settings/settings-store.js';
import { servingTicket, startTestHall, state, tempDir, value, waitFor } from '../test-helpers.js';

/**
 * case.materialPdf through the workstation's handler map: both sides of a generated ID card captured
 * onto one material come out as a 2-page PDF whose invisible text layer holds the card's name and ID
 * number where the picture shows them; reading it is an audited export; a page attached as a plain
 * image is an image only; a material without pages is refused.
 */

let hall: HallServer;
let ws: Workstation;
let dataDir: string;
let front: SyntheticDocument;
let back: SyntheticDocument;
const MATERIAL = 'legalRep.idCard';

beforeAll(async () => {
  hall = await startTestHall(tempDir('mpdf-hall'));
  dataDir = tempDir('mpdf-ws');
  ws = await createWorkstation({ dataDir, settings: memorySettingsStore(), hallUrl: hall.url });
  value(await ws.handlers['device.enroll']({ hallUrl: hall.url, code: hall.createEnrolmentCode('qihe-county'), deviceName: '测试工作站' }));
  await waitFor('online', async () => (await state(ws)).connection.online);
  await servingTicket(ws, hall.url);
  [front, back] = await Promise.all([generateDocument('idcard_front', 3, 'scan'), generateDocument('idcard_back', 3, 'scan')]);
}, 60_000);

afterAll(async () => {
  await waitFor('uploads done', async () => ((await state(ws)).sync.pendingAttachments ?? 0) === 0, 5000).catch(() => undefined);
  await ws?.close();
  await hall?.close();
});

async function openCase(): Promise<CaseView> {
  const v = value(await ws.handlers['case.open']({ subject: { kind: 'bundle', code: 'enterprise-opening' } }));
  return value(await ws.handlers['case.answer']({ caseId: v.summary.caseId, answers: { premises: 'owned', agent: 'no', seal: 'yes', invoice: 'no', taxpayer: 'small-scale' } }));
}

/** The audit entries of a case (what, in order), from the workstation's database. */
function auditOf(caseId: string): string[] {
  const db = new Database(path.join(dataDir, 'workstation.db'), { readonly: true });
  try {
    return (db.prepare('SELECT what FROM audit_local WHERE case_id = ? ORDER BY id').all(caseId) as Array<{ what: string }>).map((r) => r.what);
  } finally {
    db.close();
  }
}

const exports = (caseId: string) => auditOf(caseId).filter((w) => w === 'case.exported').length;
const squash = (s: string) => s.replace(/\s+/g, '');

describe('case.materialPdf', () => {
  it('an ID card captured front and back: 2 pages, the card’s words in the invisible text layer over the picture, audited as an export', async () => {
    const caseId = (await openCase()).summary.caseId;
    const capture = (doc: SyntheticDocument, name: string) =>
      ws.handlers['case.capture']({ caseId, materialId: MATERIAL, name, mime: 'image/jpeg', dataBase64: doc.image.toString('base64') });
    const f = value(await capture(front, '身份证人像面.jpg'));
    const b = value(await capture(back, '身份证国徽面.jpg'));
    expect([f.pages[0]?.docType, b.pages[0]?.docType]).toEqual(['idcard_front', 'idcard_back']);
    const before = exports(caseId);

    const r = value(await ws.handlers['case.materialPdf']({ caseId, materialId: MATERIAL }));
    const view = b.view;
    const material = view.materials.find((m) => m.id === MATERIAL)!;
    expect(r.fileName).toBe(`${material.name}-${view.summary.caseNo}.pdf`);
    expect(r.pages).toBe(2);
    const pdf = Buffer.from(r.pdfBase64, 'base64');
    expect(poppler('pdfinfo', pdf)).toMatch(/^Pages:\s+2$/m);

    // The text layer: name and ID number of the front (page 1), the issuing authority of the back (page 2).
    const page1 = squash(poppler('pdftotext', pdf, ['-f', '1', '-l', '1']));
    const page2 = squash(poppler('pdftotext', pdf, ['-f', '2', '-l', '2']));
    expect(page1).toContain(front.truth.fields.name);
    expect(page1).toContain(front.truth.fields.idNumber);
    expect(page2).toContain(squash(back.truth.fields.issuingAuthority!));

    // Aligned: the ID number's word lies over the region capture read it from (page pixels → points).
    const page = f.pages[0]!;
    const field = page.fields.find((x) => x.field === 'idNumber')!;
    const k = 842 / Math.max(page.width, page.height);
    const word = pdfWords(pdf).find((w) => w.text.includes(front.truth.fields.idNumber!))!;
    expect(word).toBeDefined();
    const [x, y, w, h] = field.region;
    const cx = (word.xMin + word.xMax) / 2;
    const cy = (word.yMin + word.yMax) / 2;
    expect(cx).toBeGreaterThan(x * k);
    expect(cx).toBeLessThan((x + w) * k);
    expect(cy).toBeGreaterThan(page.height * k - (y + h) * k - h * k);
    expect(cy).toBeLessThan(page.height * k - y * k + h * k);

    expect(auditOf(caseId).slice(-1)).toEqual(['case.exported']);
    expect(exports(caseId)).toBe(before + 1);
  }, 90_000);

  it('a page attached as a plain image goes in as an image only; a material without pages is refused, not audited', async () => {
    const v = await openCase();
    const caseId = v.summary.caseId;
    const asked = v.materials.filter((m) => !m.producedBy && m.id !== MATERIAL);
    const [plain, empty] = [asked[0]!, asked[1]!];
    const png = await sharp({ create: { width: 600, height: 800, channels: 3, background: '#f4f1e8' } }).png().toBuffer();
    value(await ws.handlers['case.attach']({ caseId, materialId: plain.id, name: '旧扫描件.png', mime: 'image/png', dataBase64: png.toString('base64') }));

    const r = value(await ws.handlers['case.materialPdf']({ caseId, materialId: plain.id }));
    const pdf = Buffer.from(r.pdfBase64, 'base64');
    expect(r.pages).toBe(1);
    expect(poppler('pdfinfo', pdf)).toMatch(/^Pages:\s+1$/m);
    expect(squash(poppler('pdftotext', pdf))).toBe('');
    // The image's own proportions, its long side A4's (842 pt).
    const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(poppler('pdfinfo', pdf));
    expect([Number(size?.[1]), Number(size?.[2])]).toEqual([(600 / 800) * 842, 842]);

    const before = exports(caseId);
    const refused = await ws.handlers['case.materialPdf']({ caseId, materialId: empty.id });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toContain(`“${empty.name}”还没有页面`);
    expect(exports(caseId)).toBe(before);

    const unknown = await ws.handlers['case.materialPdf']({ caseId, materialId: 'no.such.material' });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error.message).toMatch(/[\u4e00-\u9fff]/);
  }, 60_000);
});
