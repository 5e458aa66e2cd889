/**
 * Renders every template with sample values and rasterises each page with pdftoppm, for looking
 * at them (docs/screenshots/certificates/ by default):
 *   node --import tsx electron/backend/certificates/render-samples.ts [OUT_DIR] [--stress] [--only ID,ID] [--suffix=-long]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { repoRoot } from '../../../upstream/config.js';
import { documentNumberFor } from './document-number.js';
import { generateSm2KeyPair } from './record.js';
import { renderDocument } from './render.js';
import { sampleFields } from './sample-fields.js';
import { allTemplates } from './templates.js';

const { values, positionals } = parseArgs({
  options: { stress: { type: 'boolean' }, only: { type: 'string' }, dpi: { type: 'string' }, suffix: { type: 'string', default: '' } },
  allowPositionals: true,
});
const out = path.resolve(positionals[0] ?? path.join(repoRoot(), 'docs', 'screenshots', 'certificates'));
mkdirSync(out, { recursive: true });
const only = values.only?.split(',');
const office = { officeId: 'qihe-county', officeName: '齐河县行政审批服务局', sm2: generateSm2KeyPair() };

for (const t of allTemplates().values()) {
  if (only && !only.includes(t.id)) continue;
  const number = documentNumberFor(t.numbering, { abbreviation: '齐审批', year: 2026, serial: 123, division: '371425' });
  const started = performance.now();
  const doc = await renderDocument({
    template: t,
    fields: sampleFields(t, values.stress ? 'stress' : 'typical'),
    office,
    seal: { officeId: office.officeId, officeName: office.officeName },
    number,
    issuedAt: '2026-05-06T10:00:00+08:00',
    hallUrl: 'https://zwfw.qihe.gov.cn',
  });
  const ms = performance.now() - started;
  const name = `${t.id}${values.suffix}`;
  const pdfPath = path.join(out, `${name}.pdf`);
  writeFileSync(pdfPath, doc.pdf);
  const dpi = values.dpi ?? (t.page.width > 300 ? '60' : '80');
  execFileSync('pdftoppm', ['-png', '-singlefile', '-r', dpi, pdfPath, path.join(out, name)]);
  // A palette PNG is a third of the size and looks the same for a page of text, red and grey.
  const png = path.join(out, `${name}.png`);
  writeFileSync(png, await sharp(png).png({ palette: true, colours: 96 }).toBuffer());
  process.stdout.write(`${name}: ${(doc.pdf.length / 1024).toFixed(1)} KB, ${ms.toFixed(0)} ms\n`);
  if (!positionals[0]) execFileSync('rm', ['-f', pdfPath]);
}
