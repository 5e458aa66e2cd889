/**
 * `node --import tsx tests/bench/certificates.bench.ts [-- --rounds 3 --p12]`
 *
 * Certificate rendering on this machine: every template with typical values, ROUNDS times after a
 * warm-up round, each a complete document (fields checked, laid out, fonts subset, seal, QR, SM2
 * record, CMS signature). Prints per-template ms and KB, then the 拿地即开工 batch of four, and the
 * signing steps alone. --p12: sign with an imported PKCS#12 and seal image instead of the specimen.
 * The last line printed is one JSON object.
 */
import { parseArgs } from 'node:util';
import { signPdf } from '../../electron/backend/certificates/cms-signer.js';
import { issuePermitsTogether, LAND_TO_CONSTRUCTION_TEMPLATES } from '../../electron/backend/certificates/permits.js';
import { signRecord } from '../../electron/backend/certificates/record.js';
import { renderDocument, type RenderInput } from '../../electron/backend/certificates/render.js';
import { sampleFields } from '../../electron/backend/certificates/sample-fields.js';
import type { OfficeSeal } from '../../electron/backend/certificates/seal.js';
import { loadSigningIdentity } from '../../electron/backend/certificates/signing-identity.js';
import { allTemplates, getTemplate } from '../../electron/backend/certificates/templates.js';
import { makeP12, testOffice } from '../../electron/backend/certificates/test-support.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, p12: { type: 'boolean', default: false } }, strict: true });
const ROUNDS = Math.max(1, Number(values.rounds));
const office = testOffice();
let seal: OfficeSeal = { officeId: office.officeId, officeName: office.officeName };
if (values.p12) {
  const { p12 } = await makeP12({ commonName: '齐河县行政审批服务局', password: 'bench' });
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="420" height="420"><circle cx="210" cy="210" r="200" fill="none" stroke="#d40000" stroke-width="12"/></svg>';
  seal = { ...seal, p12, p12Password: 'bench', sealImage: new TextEncoder().encode(svg) };
}
const base = { office, seal, issuedAt: '2026-05-06T10:00:00+08:00', hallUrl: 'https://zwfw.qihe.gov.cn' };
const templates = [...allTemplates().values()];

function input(id: string): RenderInput {
  const t = getTemplate(id);
  return { ...base, template: t, fields: sampleFields(t), number: '齐审批〔2026〕123号' };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};
const r1 = (x: number) => Math.round(x * 10) / 10;

for (const t of templates) await renderDocument(input(t.id)); // warm-up: fonts parsed, code compiled

const times: number[] = [];
const sizes: number[] = [];
const perTemplate = new Map<string, { ms: number[]; kb: number }>();
for (let round = 0; round < ROUNDS; round++) {
  for (const t of templates) {
    const started = performance.now();
    const doc = await renderDocument(input(t.id));
    const ms = performance.now() - started;
    times.push(ms);
    sizes.push(doc.pdf.length / 1024);
    const entry = perTemplate.get(t.id) ?? { ms: [], kb: doc.pdf.length / 1024 };
    entry.ms.push(ms);
    perTemplate.set(t.id, entry);
  }
}
for (const [id, e] of perTemplate) {
  process.stdout.write(`${id.padEnd(42)} ${pct(e.ms, 50).toFixed(1).padStart(6)} ms/page ${e.kb.toFixed(1).padStart(6)} KB\n`);
}

const batch: number[] = [];
const shared = Object.assign({}, ...LAND_TO_CONSTRUCTION_TEMPLATES.map((id) => sampleFields(getTemplate(id))));
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  const docs = await issuePermitsTogether({ ...base, fields: shared, permits: LAND_TO_CONSTRUCTION_TEMPLATES.map((template, n) => ({ template, number: `齐审批〔2026〕${n + 1}号` })) });
  batch.push(performance.now() - started);
  if (docs.length !== 4) throw new Error('batch did not issue four permits');
}
process.stdout.write(`拿地即开工 batch of four: p50 ${pct(batch, 50).toFixed(1)} ms\n`);

// The signing steps alone: the CMS signature of a finished document, and the SM2 record signature.
const sample = await renderDocument(input('acceptance_notice'));
const text = Buffer.from(sample.pdf).toString('latin1');
const beforeSignature = sample.pdf.subarray(0, text.indexOf('%%EOF', sample.record.record.hash.length + 1) + 5);
const identity = await loadSigningIdentity(seal, new Date());
const cms: number[] = [];
const sm2: number[] = [];
for (let i = 0; i < 20; i++) {
  let started = performance.now();
  await signPdf(beforeSignature, identity, { reason: 'bench', location: 'bench', name: 'bench', signingTime: new Date() });
  cms.push(performance.now() - started);
  started = performance.now();
  signRecord(sample.record.record, office.sm2);
  sm2.push(performance.now() - started);
}
process.stdout.write(`CMS signature p50 ${pct(cms, 50).toFixed(1)} ms, SM2 record signature p50 ${pct(sm2, 50).toFixed(1)} ms\n`);

const result = {
  certificates: times.length,
  templates: templates.length,
  p50_ms: r1(pct(times, 50)),
  p99_ms: r1(pct(times, 99)),
  avg_kb: r1(sizes.reduce((a, b) => a + b, 0) / sizes.length),
  max_kb: r1(Math.max(...sizes)),
  batch4_ms: r1(pct(batch, 50)),
  sign_ms: r1(pct(cms, 50)),
  sm2_ms: r1(pct(sm2, 50)),
  seal: values.p12 ? 'imported' : 'specimen',
};
process.stdout.write(`${JSON.stringify(result)}\n`);
