import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { qrMatrix } from './qr.js';
import { renderDocument } from './render.js';
import { sampleFields } from './sample-fields.js';
import { getTemplate } from './templates.js';
import { specimenSeal, testOffice } from './test-support.js';

const office = testOffice();

/** Rasterises the page at 150 dpi and reads every QR code on it with zbarimg (Debian zbar-tools). */
function scan(pdf: Uint8Array): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'ow-qr-'));
  try {
    writeFileSync(path.join(dir, 'doc.pdf'), pdf);
    execFileSync('pdftoppm', ['-png', '-r', '150', '-singlefile', path.join(dir, 'doc.pdf'), path.join(dir, 'page')]);
    const out = execFileSync('zbarimg', ['-q', '--raw', path.join(dir, 'page.png')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\n').filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the verification QR code', () => {
  it('encodes the verification URL at error correction M in a small version', () => {
    const m = qrMatrix('https://zwfw.qihe.gov.cn/verify/QHEJRLUMFOWTCCRZCVLNFVXKF4');
    expect(m.version).toBeLessThanOrEqual(5);
  });

  // One template of each paper shape: A4 notice, A4-landscape licence, A3 spread, booklet spread, small page.
  for (const id of ['one_time_notice', 'food_business_licence', 'construction_permit', 'real_estate_certificate', 'household_register_page']) {
    it(`scans from the printed ${id} to <hall>/verify/<id>`, async () => {
      const t = getTemplate(id);
      const doc = await renderDocument({ template: t, fields: sampleFields(t), office, seal: specimenSeal(office), number: '1', issuedAt: new Date(), hallUrl: 'https://zwfw.qihe.gov.cn/' });
      expect(scan(doc.pdf)).toEqual([`https://zwfw.qihe.gov.cn/verify/${doc.id}`]);
    });
  }
});
