/**
 * `node --import tsx tests/bench/checks.bench.ts [--runs 2000]`
 *
 * Comparison checks (智能比对) on the six-matter 企业开办 bundle (名称申报, 设立登记, 新办纳税人,
 * 社保, 医保, 公积金; premises rented): a full form, two ID-card sides, a lease and a property
 * certificate, an open case and registry answers, with a handful of findings to produce.
 * - warm: the resolution object is reused, as when the clerk edits the form (rules memoised);
 * - cold: a new resolution object each run (rules derived and hashed again).
 * Target: ≤ 50 ms per run. The budget is for cold runs, whose figures are p50_ms / p99_ms.
 * The last line printed is one JSON object.
 */
import { parseArgs } from 'node:util';
import { checkCase } from '../../shared/checks/engine.js';
import { prepareChecks } from '../../shared/checks/normalize-text.js';
import { enterpriseInput, enterpriseOpening, form, GOOD_DOCUMENTS, GOOD_FORM, idCard } from '../../shared/checks/test-fixtures.js';
import type { CheckInput } from '../../shared/checks/types.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '2000' } }, strict: true });
const RUNS = Number(values.runs);

function input(resolution = enterpriseOpening().resolution): CheckInput {
  const base = enterpriseInput({
    resolution,
    form: form({ ...GOOD_FORM, 'legalRep.name': '张纬', 'legalRep.phone': '1385341234', 'housingFund.depositRate': '15' }),
    documents: [
      idCard('legalRep.idCard', { name: '張偉', idNumber: '371425199003070018', birthDate: '1990年3月7日', address: '山东省齐河县晏城街道齐鲁大街88号' }, 1),
      idCard('legalRep.idCard', { issuer: '齐河县公安局', validUntil: '2016.05.20-2026.05.20' }, 2),
      ...GOOD_DOCUMENTS.slice(2),
    ],
    openCases: Array.from({ length: 50 }, (_, i) => ({ caseId: `c-bench-${String(i).padStart(6, '0')}`, matters: ['37142500-XZSP-002'], applicantKeys: [i === 7 ? 'name:齐河县鲁齐商贸有限公司' : `name:其他公司${i}`] })),
    registry: [{ registry: 'certificates', key: '371425199003070018', stale: true, fetchedAt: '2026-05-10T17:00:00+08:00', certificates: [] }],
  });
  return { ...base, materials: { ...base.materials, 'enterprise.articles': { status: 'missing' }, 'premises.propertyCertificate': { status: 'commitment' } } };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}
const round = (x: number) => Math.round(x * 1000) / 1000;

const firstInput = input();
const tp = performance.now();
prepareChecks();
const prepareMs = performance.now() - tp;
const t0 = performance.now();
const first = checkCase(firstInput);
const firstMs = performance.now() - t0;

const warmInput = input();
const warm: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t = performance.now();
  checkCase(warmInput);
  warm.push(performance.now() - t);
}

// A new resolution each run, made before the clock starts: the timing covers the checks, not resolveBundle.
const cold: number[] = [];
let findings = 0;
for (let i = 0; i < RUNS; i++) {
  const inp = input(enterpriseOpening().resolution);
  const t = performance.now();
  findings = checkCase(inp).findings.length;
  cold.push(performance.now() - t);
}
warm.sort((a, b) => a - b);
cold.sort((a, b) => a - b);

const resolution = warmInput.resolution;
console.log(`six-matter bundle 企业开办: ${resolution.matters.length} matters, ${resolution.fields.length} fields, ${resolution.materials.length} materials, ${findings} findings, rules ${first.rulesVersion.slice(0, 12)}…`);
for (const f of first.findings) console.log(`  ${f.severity.padEnd(8)} ${f.ruleId}: ${f.message}`);
console.log(`prepareChecks (opencc converter, once at start): ${round(prepareMs)} ms; first run after it (JIT): ${round(firstMs)} ms`);
console.log(`warm (resolution reused) over ${RUNS} runs: p50 ${round(percentile(warm, 50))} ms, p99 ${round(percentile(warm, 99))} ms, max ${round(warm[warm.length - 1]!)} ms`);
console.log(`cold (new resolution)    over ${RUNS} runs: p50 ${round(percentile(cold, 50))} ms, p99 ${round(percentile(cold, 99))} ms, max ${round(cold[cold.length - 1]!)} ms`);
console.log(`budget 50 ms: ${percentile(cold, 99) <= 50 ? 'met' : 'NOT met'}`);
console.log(
  JSON.stringify({
    matters: resolution.matters.length,
    fields: resolution.fields.length,
    findings,
    p50_ms: round(percentile(cold, 50)),
    p99_ms: round(percentile(cold, 99)),
    warm_p50_ms: round(percentile(warm, 50)),
    warm_p99_ms: round(percentile(warm, 99)),
    prepare_ms: round(prepareMs),
    first_ms: round(firstMs),
    runs: RUNS,
  }),
);
