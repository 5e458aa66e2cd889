import { describe, expect, it } from 'vitest';
import type { PlacedText } from './layout.js';
import { renderDocument } from './render.js';
import { LONG_COMPANY_NAME, sampleFields } from './sample-fields.js';
import { allTemplates } from './templates.js';
import { pdfFonts, pdfWords, poppler, specimenSeal, testOffice, type Word } from './test-support.js';
import { verifyPdf } from './verify.js';

const office = testOffice();
const strip = (s: string) => s.replace(/[\s\u3000]/gu, '');

function wordsOf(line: PlacedText, words: Word[]): Word[] {
  return words.filter((w) => {
    const cx = (w.xMin + w.xMax) / 2;
    const cy = (w.yMin + w.yMax) / 2;
    return cx >= line.x - 1 && cx <= line.x + line.width + 1 && cy >= line.baseline - 0.3 * line.size && cy <= line.baseline + 0.9 * line.size;
  });
}

describe('every template rendered with 60-character names and 𠮷', () => {
  for (const template of allTemplates().values()) {
    it(`${template.id}: text comes back exactly, inside its boxes, in embedded subset fonts, signed`, async () => {
      const doc = await renderDocument({
        template,
        fields: sampleFields(template, 'stress'),
        office,
        seal: specimenSeal(office),
        number: '齐审批〔2026〕123号',
        issuedAt: '2026-05-06T10:00:00+08:00',
        hallUrl: 'https://zwfw.qihe.gov.cn/',
      });
      const lines = doc.layout.items.filter((i): i is PlacedText => i.kind === 'text');
      expect(lines.length).toBeGreaterThan(5);

      // Measured widths: every line inside the box it was fitted to.
      for (const l of lines) {
        expect(l.x, `${l.source} "${l.text}" starts left of its box`).toBeGreaterThanOrEqual(l.box.x - 0.01);
        expect(l.x + l.width, `${l.source} "${l.text}" overflows its box`).toBeLessThanOrEqual(l.box.x + l.box.w + 0.01);
        expect(l.baseline, `${l.source} "${l.text}" below its box`).toBeGreaterThanOrEqual(l.box.y - 0.01);
        expect(l.baseline + 0.88 * l.size, `${l.source} "${l.text}" above its box`).toBeLessThanOrEqual(l.box.y + l.box.h + 0.01);
      }

      // pdftotext returns each line's text exactly, where it was placed, and nothing else.
      const words = pdfWords(doc.pdf);
      const used = new Set<Word>();
      for (const l of lines) {
        const mine = wordsOf(l, words).sort((a, b) => a.xMin - b.xMin);
        mine.forEach((w) => used.add(w));
        expect(strip(mine.map((w) => w.text).join('')), `${l.source}`).toBe(strip(l.text));
        for (const w of mine) expect(w.xMax, `"${w.text}" drawn past its box`).toBeLessThanOrEqual(l.box.x + l.box.w + 0.5);
      }
      expect(words.filter((w) => !used.has(w)).map((w) => w.text)).toEqual([]);
      const all = strip(lines.map((l) => l.text).join(''));
      expect(all).toContain('𠮷');
      if (doc.record.record.holder === LONG_COMPANY_NAME) expect(all).toContain(strip(LONG_COMPANY_NAME));

      // Fonts: embedded subsets with a ToUnicode map; 𠮷 from the Ext-B fallback.
      const fonts = pdfFonts(doc.pdf);
      expect(fonts.length).toBeGreaterThan(0);
      for (const f of fonts) {
        expect(f, f.name).toMatchObject({ embedded: true, subset: true, unicode: true });
        expect(f.name).toMatch(/^[A-Z]{6}\+/);
      }
      expect(fonts.map((f) => f.name).some((n) => n.endsWith('+HanaMinB'))).toBe(true);

      // Signature and record.
      expect(poppler('pdfsig', doc.pdf)).toContain('Signature is Valid');
      const v = await verifyPdf(doc.pdf, { officeKeys: { [office.officeId]: [office.sm2.publicKey] } });
      expect(v).toMatchObject({ ok: true, signature: 'valid', qr_record: 'valid', hash_match: true, recordTrusted: true, specimen: true, number: '齐审批〔2026〕123号' });
      expect(v.record?.holder).not.toBe('');
    });
  }
});
