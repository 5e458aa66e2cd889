/**
 * `npx tsx tests/bench/cpuprofile-summary.ts FILE.cpuprofile [N]`
 *
 * Where a V8 CPU profile (e.g. from `npm run bench:queue -- --profile DIR`) spends its time: the top N
 * functions by self time and by inclusive time (a function's own samples plus its callees'). Time
 * spent inside a synchronous SQLite commit (fsync) shows as self time of better-sqlite3's wrappers.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, nArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: cpuprofile-summary FILE.cpuprofile [N]\n');
  process.exit(2);
}
const topN = Number(nArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const label = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'}  ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;

const perNode = new Map<number, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  perNode.set(id, (perNode.get(id) ?? 0) + dt);
  total += dt;
});

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const [id, dt] of perNode) {
  const k = label(byId.get(id)!);
  self.set(k, (self.get(k) ?? 0) + dt);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const key = label(byId.get(cur)!);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
  }
}

const table = (m: Map<string, number>) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, topN)
    .map(([k, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`)
    .join('\n');

process.stdout.write(`profile ${file}: ${(total / 1000).toFixed(0)} ms sampled\n\nby self time\n${table(self)}\n\nby inclusive time\n${table(inclusive)}\n`);
