/**
 * `node --import tsx tests/capture/measure-orientation.ts [--count 8] [--seed 3000]`
 *
 * How well pages are turned upright and levelled: every synthetic document type, `count` seeds,
 * each turned 0°, 90°, 180° and 270° on top of its camera degradation (skew up to ±8°). A page is
 * right when the total rotation applied undoes the degradation within 1.5°. Prints the misses and
 * the CPU time of the normalisation step; last line one JSON object.
 */
import { parseArgs } from 'node:util';
import { decodePage } from '../../electron/backend/capture/image/decode.js';
import { DEFAULT_NORMALIZE, normalizePage } from '../../electron/backend/capture/image/normalize-page.js';
import { OcrEngine } from '../../electron/backend/capture/ocr/engine.js';
import { percentile } from '../support/stats.js';
import { DOC_TYPES, generateDocument } from './generator/index.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '8' }, seed: { type: 'string', default: '3000' } }, strict: true });
const engine = await OcrEngine.create();
let right = 0;
let total = 0;
let skewErr = 0;
const cpu: number[] = [];
for (const type of DOC_TYPES) {
  for (let i = 0; i < Number(values.count); i++) {
    for (const rotation of [0, 90, 180, 270] as const) {
      const doc = await generateDocument(type, Number(values.seed) + i, 'camera', { rotation });
      const src = await decodePage(doc.image, { maxSide: 2480 });
      const c0 = process.cpuUsage();
      const n = await normalizePage(src, engine, DEFAULT_NORMALIZE);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      const applied = (n.rotation + n.skew + 360) % 360;
      const wanted = (((-(doc.degradation.skew + rotation)) % 360) + 360) % 360;
      let err = Math.abs(applied - wanted);
      if (err > 180) err = 360 - err;
      total++;
      if (err < 1.5) {
        right++;
        skewErr += err;
      } else console.log(`  miss ${type}#${Number(values.seed) + i} turned ${rotation}° skew ${doc.degradation.skew.toFixed(1)}°: applied ${n.rotation}° + ${n.skew.toFixed(1)}°`);
    }
  }
}
await engine.release();
cpu.sort((a, b) => a - b);
console.log(`upright and level: ${right}/${total}; mean residual skew ${(skewErr / Math.max(1, right)).toFixed(2)}°; normalisation CPU p50 ${percentile(cpu, 50).toFixed(0)} ms`);
console.log(JSON.stringify({ pages: total, right, accuracy: Number((right / total).toFixed(4)), residual_skew_deg: Number((skewErr / Math.max(1, right)).toFixed(2)), cpu_p50_ms: Math.round(percentile(cpu, 50)) }));
