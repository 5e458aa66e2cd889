import path from 'node:path';
import type { CaseActor } from '../../../shared/case/types.js';
import { loadHallConfig } from '../../../upstream/config.js';
import { startHallProcess } from '../../support/hall-process.js';
import { MUTATIONS_PER_CASE } from './case-plan.js';
import { processCpuSeconds } from './cpu.js';
import { CONFIG_FILE, freshHall } from './hall.js';
import { Timings, type TimingTable } from './timings.js';
import { verifyRun, type Verdict } from './verify.js';
import { WindowClient } from './window-client.js';

/** The windows of the day: county hall windows 1–3 and the development-zone branch's window 1. */
const ACTORS: readonly CaseActor[] = [
  { staffId: '1001', windowId: 'qihe-county/1', office: 'qihe-county' },
  { staffId: '1002', windowId: 'qihe-county/2', office: 'qihe-county' },
  { staffId: '1003', windowId: 'qihe-county/3', office: 'qihe-county' },
  { staffId: '2001', windowId: 'qihe-edz/1', office: 'qihe-edz' },
];
/** One page in ten is one every window scanned (the same document brought to each): uploaded once. */
const SHARED_EVERY = 10;

export interface PartBResult {
  windows: number;
  mutations: number;
  pages: number;
  uniquePages: number;
  pageMb: number;
  setupS: number;
  hallStartS: number;
  pushedS: number;
  convergeS: number;
  hallCpuS: number | null;
  windowsCpuS: number;
  /** Push or upload runs that failed and were retried. */
  failedRuns: number;
  pullErrors: string[];
  /** All windows' sync calls, summed. */
  timings: TimingTable;
  verdict: Verdict;
}

/**
 * Part B: a day of offline work converging from scratch. The windows — each its own process
 * (window-process.ts), each enrolled to a fresh hall and (with `pull`) having pulled once, as a window
 * does at enrolment to get the catalog — work all day while the hall is down:
 * `mutations` case mutations and `pages` scanned pages of 60–150 KB in all. Then the hall process
 * starts and every window's sync agents (Pusher, AttachmentUploader and, with `pull`, the Puller)
 * start as soon as it answers. Converged = every outbox empty, every page confirmed, and (with
 * `pull`) every window's case replica pulled to the end of the hall's case log. The time counts from
 * starting the hall process.
 */
export async function runPartB(
  root: string,
  o: { windows: number; mutations: number; pages: number; pull: boolean; hallNodeArgs?: readonly string[]; hallEnv?: Record<string, string>; profileDir?: string | undefined; log: (s: string) => void },
): Promise<PartBResult> {
  const actors = Array.from({ length: o.windows }, (_, i) => ACTORS[i % ACTORS.length]!).map((a, i) =>
    i < ACTORS.length ? a : { ...a, windowId: `${a.office}/${5 + i}` },
  );
  const hallDir = path.join(root, 'hall-b');
  const first = await freshHall(hallDir, actors.map((a) => a.office));
  const port = first.hall.port;
  const windows = actors.map((a) => new WindowClient(`window ${a.windowId}`));
  const dirs = actors.map((_, i) => path.join(root, `window-b${i + 1}`));
  let r: Omit<PartBResult, 'verdict'>;
  try {
    try {
      await Promise.all(
        windows.map((w, i) =>
          w.ask(
            { type: 'open', name: `window-b${i + 1}`, dir: dirs[i]!, enrolment: first.enrolments[i]!, actor: actors[i]!, firstPullFrom: o.pull ? first.hall.url : null, profileDir: o.profileDir },
            'opened',
          ),
        ),
      );
    } finally {
      await first.hall.stop(); // the hall is down for the whole day
    }
    const t0 = performance.now();
    const cases = Math.round(o.mutations / o.windows / MUTATIONS_PER_CASE);
    const pagesEach = Math.round(o.pages / o.windows);
    const ready = await Promise.all(windows.map((w, i) => w.ask({ type: 'work', cases, pages: pagesEach, seed: 100 + i, sharedEvery: SHARED_EVERY }, 'ready')));
    const setupS = (performance.now() - t0) / 1000;
    const mutations = ready.reduce((s, x) => s + x.mutations, 0);
    const pages = ready.reduce((s, x) => s + x.pages.length, 0);
    const unique = new Map(ready.flatMap((x) => x.pages.map((p) => [p.sha256, p.size] as const)));
    const pageMb = [...unique.values()].reduce((s, n) => s + n, 0) / (1024 * 1024);
    o.log(`B setup: ${o.windows} windows wrote ${mutations} mutations and ${pages} pages (${unique.size} distinct, ${pageMb.toFixed(1)} MB) offline in ${setupS.toFixed(1)} s`);

    const t1 = performance.now();
    const hall = await startHallProcess({ dataDir: hallDir, configFile: CONFIG_FILE, port, nodeArgs: o.hallNodeArgs ?? [], env: o.hallEnv ?? {} });
    try {
      const hallStartS = (performance.now() - t1) / 1000;
      const hallCpu0 = processCpuSeconds(hall.pid);
      const drained = await Promise.all(windows.map((w) => w.ask({ type: 'sync', hallUrl: hall.url, pull: o.pull }, 'drained')));
      const pushedS = (performance.now() - t1) / 1000;
      // Every window's replica to the end of the hall's case log: one more pull each, now that nothing
      // is pending anywhere (in the app the hall's queue.changed asks for it).
      const pulled = o.pull ? await Promise.all(windows.map((w) => w.ask({ type: 'pull' }, 'pulled'))) : [];
      const convergeS = (performance.now() - t1) / 1000;
      const hallCpu1 = processCpuSeconds(hall.pid);
      r = {
        windows: o.windows,
        mutations,
        pages,
        uniquePages: unique.size,
        pageMb,
        setupS,
        hallStartS,
        pushedS,
        convergeS,
        hallCpuS: hallCpu0 === null || hallCpu1 === null ? null : hallCpu1 - hallCpu0,
        windowsCpuS: (o.pull ? pulled : drained).reduce((s, x) => s + x.cpuS, 0),
        failedRuns: drained.reduce((s, x) => s + x.failedRuns, 0),
        pullErrors: pulled.flatMap((x) => (x.pullError ? [x.pullError] : [])),
        timings: Timings.merge((o.pull ? pulled : drained).map((x) => x.timings)),
      };
    } finally {
      await hall.stop();
    }
  } finally {
    await Promise.all(windows.map((w) => w.close()));
  }
  const verdict = await verifyRun(
    hallDir,
    dirs.map((dir, i) => ({ file: path.join(dir, 'workstation.db'), office: actors[i]!.office })),
    { config: loadHallConfig(CONFIG_FILE), replicas: o.pull },
  );
  return { ...r, verdict };
}
