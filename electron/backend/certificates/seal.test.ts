import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { lineOutline } from './outline.js';
import { renderDocument, type RenderInput } from './render.js';
import { sampleFields } from './sample-fields.js';
import { specimenSealForm } from './seal.js';
import { getTemplate } from './templates.js';
import { makeP12, poppler, specimenSeal, testOffice } from './test-support.js';
import { refusal } from '../../../tests/support/refusal.js';

const office = testOffice();
const t = getTemplate('acceptance_notice');
const SEAL_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="420" height="420" viewBox="0 0 420 420">
  <circle cx="210" cy="210" r="200" fill="none" stroke="#d40000" stroke-width="12"/>
  <polygon points="210,120 231,180 294,180 243,217 262,278 210,241 158,278 177,217 126,180 189,180" fill="#d40000"/>
</svg>`;
let p12: Uint8Array;
let png: Uint8Array;

beforeAll(async () => {
  p12 = (await makeP12({ commonName: '齐河县行政审批服务局', password: 'pw' })).p12;
  png = new Uint8Array(await sharp(Buffer.from(SEAL_SVG), { density: 150 }).png().toBuffer());
});

function input(seal: RenderInput['seal']): RenderInput {
  return { template: t, fields: sampleFields(t), office, seal, number: '齐审批受〔2026〕9号', issuedAt: new Date(), hallUrl: 'http://127.0.0.1:7300' };
}

describe('seals', () => {
  it('draws a specimen seal that says 样章 and 行政审批专用章, and watermarks the page 样本, when the office has no seal', async () => {
    const form = inflateSync(specimenSealForm('齐河县行政审批服务局', 42).bytes).toString('latin1');
    const k = 72 / 25.4;
    expect(form).toContain(lineOutline('样章', 'songBold', 4.6 * k, 0, -16.0 * k, 1.25));
    expect(form).toContain(lineOutline('行政审批专用章', 'songBold', 4.3 * k, 0, -10.6 * k, 0.82));
    const doc = await renderDocument(input(specimenSeal(office)));
    expect(doc.specimen).toBe(true);
    expect(doc.record.record.specimen).toBe(true);
    const pdf = Buffer.from(doc.pdf).toString('latin1');
    expect(pdf).toContain('/ca 0.11'); // the watermark's transparency
    expect(poppler('pdfinfo', doc.pdf)).toMatch(/Subject:\s+受理通知书（样本）/);
    // Seal and watermark are drawn, not written: the text layer has neither.
    const text = poppler('pdftotext', doc.pdf);
    expect(text).not.toContain('样章');
    expect(text).not.toContain('样本');
  });

  it("presses the office's own PNG or SVG seal without specimen marks", async () => {
    for (const image of [png, new TextEncoder().encode(SEAL_SVG)]) {
      const doc = await renderDocument(input({ officeId: office.officeId, officeName: office.officeName, sealImage: image, p12, p12Password: 'pw' }));
      expect(doc.specimen).toBe(false);
      expect(doc.record.record.specimen).toBe(false);
      const pdf = Buffer.from(doc.pdf).toString('latin1');
      expect(pdf).toContain('/Subtype /Image');
      expect(pdf).not.toContain('/ca 0.11');
      expect(poppler('pdfsig', doc.pdf)).toContain('Signature is Valid');
    }
  });

  it('refuses a damaged or foreign seal image, and a seal image without a certificate; nothing is issued', async () => {
    const damaged = png.slice(0, 200);
    expect((await refusal(renderDocument(input({ officeId: office.officeId, officeName: office.officeName, sealImage: damaged, p12, p12Password: 'pw' })))).message).toContain('印章图片已损坏');
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]);
    expect((await refusal(renderDocument(input({ officeId: office.officeId, officeName: office.officeName, sealImage: jpeg, p12, p12Password: 'pw' })))).message).toContain('格式不支持');
    expect((await refusal(renderDocument(input({ officeId: office.officeId, officeName: office.officeName, sealImage: png })))).message).toContain('尚未导入数字证书');
    const tiny = new Uint8Array(await sharp({ create: { width: 40, height: 40, channels: 4, background: { r: 200, g: 0, b: 0, alpha: 1 } } }).png().toBuffer());
    expect((await refusal(renderDocument(input({ officeId: office.officeId, officeName: office.officeName, sealImage: tiny, p12, p12Password: 'pw' })))).message).toContain('分辨率过低');
  });

  it("refuses another office's seal", async () => {
    const err = await refusal(renderDocument(input({ officeId: 'qihe-edz', officeName: '齐河经济开发区政务服务分中心' })));
    expect(err.message).toContain('印章不属于出证单位');
  });
});

describe('pre-printed paper', () => {
  it('prints only the variable data, seal and QR code when the form is already on the paper', async () => {
    const plain = await renderDocument(input(specimenSeal(office)));
    const overlay = await renderDocument({ ...input(specimenSeal(office)), paper: 'preprinted', id: plain.id });
    const full = poppler('pdftotext', plain.pdf);
    const data = poppler('pdftotext', overlay.pdf);
    expect(full).toContain('本通知书一式两份');
    expect(data).not.toContain('本通知书一式两份');
    expect(data).toContain('齐河县黄河人家餐饮管理有限公司');
    expect(data).toContain('齐审批受〔2026〕9号');
    expect(overlay.url).toBe(plain.url);
  });
});
