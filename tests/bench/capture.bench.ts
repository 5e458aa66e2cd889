/**
 * `npm run bench:capture [-- --count 10 --kind mixed --seed 1000]`   synthetic documents, made on the fly
 * `npm run bench:capture -- --dir DIR`                               any folder: x.jpg/x.png + x.json ground truth
 * `--types idcard_front,business_license` limits the synthetic set; `--threads N` sets onnxruntime's threads.
 *
 * Document capture end to end, as the workstation runs it: each page goes through the capture
 * worker (orientation, deskew, crop, OCR, type recognition, extraction) one after another; the
 * time per document is the wall time of that call. Ground truth: {"type", "fields"}; a field is
 * right when it matches after removing whitespace and folding full-width letters, digits and
 * brackets. Prints accuracy per type and field, then (last line) one JSON object. Time is wall
 * time (what the clerk waits); cpu_p50_ms adds up all threads and says more on a busy machine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CaptureService } from '../../electron/backend/capture/index.js';
import { DOC_TYPES, generateDocument, type DocType } from '../capture/generator/index.js';
import { KINDS, setItems, type SetKind } from '../capture/generate.js';
import { scorePage, summarize, type Score, type Truth } from '../capture/scoring.js';
import { percentile } from '../support/stats.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    count: { type: 'string', default: '10' },
    kind: { type: 'string', default: 'mixed' },
    seed: { type: 'string', default: '1000' },
    threads: { type: 'string' },
    // pipeline settings to measure other choices with (defaults: electron/backend/capture/types.ts)
    'detection-max-side': { type: 'string' },
    'analysis-max-side': { type: 'string' },
    types: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
  strict: true,
});
if (!(KINDS as readonly string[]).includes(values.kind)) throw new Error(`--kind must be one of ${KINDS.join(', ')}`);

interface Doc {
  name: string;
  load: () => Promise<{ bytes: Buffer; truth: Truth }>;
}

function fromDir(dir: string): Doc[] {
  return readdirSync(dir)
    .filter((f) => /\.(jpe?g|png)$/i.test(f))
    .sort()
    .map((f) => ({
      name: f,
      load: async () => ({ bytes: readFileSync(path.join(dir, f)), truth: JSON.parse(readFileSync(path.join(dir, f.replace(/\.[^.]+$/, '.json')), 'utf8')) as Truth }),
    }));
}

function generated(): Doc[] {
  const types = values.types ? (values.types.split(',') as DocType[]) : DOC_TYPES;
  return setItems(Number(values.count), values.kind as SetKind, Number(values.seed), types).map((item) => ({
    name: `${item.name} (${item.kind})`,
    load: async () => {
      const d = await generateDocument(item.type, item.seed, item.kind);
      return { bytes: d.image, truth: d.truth };
    },
  }));
}

const docs = values.dir ? fromDir(values.dir) : generated();
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const settings = {
  ...(values['detection-max-side'] ? { detectionMaxSide: Number(values['detection-max-side']) } : {}),
  ...(values['analysis-max-side'] ? { analysisMaxSide: Number(values['analysis-max-side']) } : {}),
};
const service = new CaptureService({ ...(values.threads ? { threads: Number(values.threads) } : {}), settings });
await service.warm();
const times: number[] = [];
const cpuTimes: number[] = [];
const scores: Score[] = [];
const stages: Record<string, number[]> = {};
let failed = 0;
for (const doc of docs) {
  const { bytes, truth } = await doc.load();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  try {
    const page = await service.capturePage(bytes, { fileName: doc.name });
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuTimes.push((c.user + c.system) / 1000);
    for (const [k, v] of Object.entries(page.timings)) (stages[k] ??= []).push(v);
    const s = scorePage(page, truth);
    scores.push(s);
    if (values.verbose || s.wrong.length > 0) {
      for (const w of s.wrong) console.log(`  ${doc.name}: ${w.field} want ${JSON.stringify(w.want)} got ${JSON.stringify(w.got)}${s.typeRight ? '' : ` (type ${page.docType})`}`);
    }
  } catch (err) {
    failed++;
    times.push(performance.now() - t0);
    scores.push({ type: truth.type, typeRight: false, right: [], wrong: Object.entries(truth.fields).map(([field, want]) => ({ field, want, got: undefined })) });
    console.log(`  ${doc.name}: failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
clearInterval(sampler);
await service.close();

const sum = summarize(scores);
const byType = new Map<string, Score[]>();
for (const s of scores) byType.set(s.type, [...(byType.get(s.type) ?? []), s]);
for (const [type, list] of byType) {
  const t = summarize(list);
  console.log(`${type}: ${list.length} documents, field accuracy ${(t.fieldAccuracy * 100).toFixed(2)} %, documents all right ${(t.documentAccuracy * 100).toFixed(1)} %`);
  for (const [k, v] of Object.entries(sum.perField).filter(([k]) => k.startsWith(`${type}.`))) {
    console.log(`    ${k.slice(type.length + 1).padEnd(22)} ${v.right}/${v.total}`);
  }
}
const sorted = [...times].sort((a, b) => a - b);
const cpuSorted = [...cpuTimes].sort((a, b) => a - b);
const stageLine = Object.entries(stages)
  .map(([k, v]) => `${k} ${percentile([...v].sort((a, b) => a - b), 50)}`)
  .join(', ');
console.log(`per document: p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms (CPU time, all threads: p50 ${percentile(cpuSorted, 50).toFixed(0)} ms); stage p50 (ms): ${stageLine}; failed ${failed}; peak RSS ${(peakRss / 1048576).toFixed(0)} MB`);
console.log(
  JSON.stringify({
    documents: sum.documents,
    fields: sum.fields,
    field_accuracy: Number(sum.fieldAccuracy.toFixed(4)),
    document_accuracy: Number(sum.documentAccuracy.toFixed(4)),
    type_accuracy: Number(sum.typeAccuracy.toFixed(4)),
    p50_ms: Math.round(percentile(sorted, 50)),
    p95_ms: Math.round(percentile(sorted, 95)),
    cpu_p50_ms: Math.round(percentile(cpuSorted, 50)),
    peak_rss_mb: Math.round(peakRss / 1048576),
    failed,
  }),
);
