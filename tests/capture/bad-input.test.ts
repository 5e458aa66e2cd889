import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureService, searchablePdf } from '../../electron/backend/capture/index.js';
import { encryptedPdf, truncated } from './bad-files.js';
import { generateDocument } from './generator/index.js';
import { refusal } from '../support/refusal.js';

/**
 * Bad input on purpose, through the capture service as the workstation uses it: each file gets a
 * clear Chinese message, the worker survives, and nothing is left behind. Also: PDFs become pages,
 * blank pages are set aside, and a searchable PDF carries the recognised text.
 */

let service: CaptureService;
let idCard: Buffer;
beforeAll(async () => {
  service = new CaptureService();
  await service.warm();
  idCard = (await generateDocument('idcard_front', 7, 'clean')).image;
});
afterAll(() => service.close());

const pdfTemps = (): string[] => readdirSync(tmpdir()).filter((f) => f.startsWith('onewindow-pdf-'));

describe('files that cannot be used get a clear message', () => {
  it('a zero-byte file', async () => {
    expect((await refusal(service.importFile(new Uint8Array(), { fileName: 'scan.jpg' }))).message).toMatch(/文件为空/);
  });

  it('a truncated photo', async () => {
    const jpeg = await sharp(idCard).jpeg({ quality: 80 }).toBuffer();
    const e = await refusal(service.importFile(truncated(jpeg, 0.4), { fileName: 'photo.jpg' }));
    expect(e.message).toMatch(/图片文件已损坏或不完整/);
  });

  it('a text file named .jpg', async () => {
    const e = await refusal(service.importFile(Buffer.from('这不是图片\n'.repeat(50)), { fileName: '身份证.jpg' }));
    expect(e.message).toMatch(/内容不是图片或 PDF/);
  });

  it('a 100 MB file', async () => {
    const big = Buffer.alloc(100 * 1024 * 1024);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    const e = await refusal(service.importFile(big, { fileName: 'huge.jpg' }));
    expect(e.code).toBe('payload_too_large');
    expect(e.message).toMatch(/文件过大（超过 50 MB）/);
  });

  it('an image claiming more pixels than allowed is refused before decoding', async () => {
    // a PNG whose header says 20000 × 20000 (400 megapixels)
    const small = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } }).png().toBuffer();
    const liar = Buffer.from(small);
    liar.writeUInt32BE(20000, 16);
    liar.writeUInt32BE(20000, 20);
    const e = await refusal(service.importFile(liar, { fileName: 'giant.png' }));
    expect(e.message).toMatch(/图片尺寸过大/);
  });

  it('an encrypted PDF, leaving no temporary files', async () => {
    const before = pdfTemps().length;
    const e = await refusal(service.importFile(encryptedPdf(), { fileName: '合同.pdf' }));
    expect(e.message).toMatch(/PDF 文件已加密/);
    expect(pdfTemps().length).toBe(before);
  });

  it('a damaged PDF', async () => {
    const e = await refusal(service.importFile(Buffer.from('%PDF-1.4\n1 0 obj\n<<'), { fileName: 'x.pdf' }));
    expect(e.message).toMatch(/PDF 文件已损坏/);
  });

  it('a blank page', async () => {
    const blank = await sharp({ create: { width: 1240, height: 1754, channels: 3, background: '#fbfbf8' } }).jpeg().toBuffer();
    const e = await refusal(service.importFile(blank, { fileName: 'blank.jpg' }));
    expect(e.message).toMatch(/空白页/);
  });

  it('the worker still reads a good page after all of that', async () => {
    const page = await service.capturePage(idCard);
    expect(page.docType).toBe('idcard_front');
  });
});

describe('large and multi-page input', () => {
  it('a 12000 × 12000 photo is scaled down while decoding and read', async () => {
    const card = await sharp(idCard).resize(6000).png().toBuffer();
    const huge = await sharp({ create: { width: 12000, height: 12000, channels: 3, background: '#ffffff' } })
      .composite([{ input: card, left: 3000, top: 4000 }])
      .jpeg({ quality: 60 })
      .toBuffer();
    const page = await service.capturePage(huge, { fileName: 'huge.jpg' });
    expect(page.source).toMatchObject({ width: 12000, height: 12000 });
    expect(Math.max(page.stored.width, page.stored.height)).toBeLessThanOrEqual(2480);
    expect(page.docType).toBe('idcard_front');
  }, 180_000);

  it('a PDF becomes pages, its blank page set aside, and a searchable PDF carries the text', async () => {
    const doc = await PDFDocument.create();
    const img = await doc.embedPng(idCard);
    doc.addPage([428, 270]).drawImage(img, { x: 0, y: 0, width: 428, height: 270 });
    doc.addPage([595, 842]);
    const result = await service.importFile(await doc.save(), { fileName: '材料.pdf' });
    expect(result.source).toMatchObject({ mime: 'application/pdf', pages: 2 });
    expect(result.pages.map((p) => [p.index, p.docType])).toEqual([[0, 'idcard_front']]);
    expect(result.skipped).toEqual([{ index: 1, reason: '这是一张空白页，已跳过。' }]);

    const page = result.pages[0]!;
    const pdf = await searchablePdf([{ jpeg: page.stored.bytes, width: page.stored.width, height: page.stored.height, lines: page.lines }]);
    const dir = mkdtempSync(path.join(tmpdir(), 'ow-spdf-'));
    try {
      writeFileSync(path.join(dir, 'a.pdf'), pdf);
      const text = execFileSync('pdftotext', [path.join(dir, 'a.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
      const idNumber = page.fields.find((f) => f.name === 'idNumber')!.value;
      const name = page.fields.find((f) => f.name === 'name')!.value;
      expect(text).toContain(idNumber);
      expect(text).toContain(name);
      // the text is invisible: the page renders as the picture alone
      expect(execFileSync('pdffonts', [path.join(dir, 'a.pdf')], { encoding: 'utf8' })).toMatch(/NotoSerifSC/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
