/**
 * One window of the sync bench's day (part B) as its own process, as a window is its own machine:
 * its SQLite cache, its synchronous commits and its sync agents do not share an event loop with the
 * other windows. Driven by tests/bench/sync/window-client.ts over IPC, one order at a time:
 *   open  → opens its cache; with `firstPullFrom`, pulls once (reference data, catalog) while the
 *           hall is still up, as a window does right after enrolment → `opened`
 *   work  → writes the day's cases and pages offline → `ready`
 *   sync  → starts the sync agents against the hall, drains outbox and uploads → `drained`
 *   pull  → one more pull to the end of the hall's case log → `pulled`
 *   close → closes the database and exits.
 */
import type { CaseActor } from '../../../shared/case/types.js';
import { BenchWindow, type Enrolment } from './bench-window.js';
import { planCases, prng } from './case-plan.js';
import { ownCpuSeconds } from './cpu.js';
import { jpegLikePage } from './pages.js';
import type { TimingTable } from './timings.js';
import { profiled } from './window-profile.js';

process.env.ONEWINDOW_LOG ??= 'warn';

export type Order =
  | {
      type: 'open';
      name: string;
      dir: string;
      enrolment: Enrolment;
      actor: CaseActor;
      firstPullFrom: string | null;
      /** Where to write CPU profiles of the sync and the final pull (none without). */
      profileDir?: string | undefined;
    }
  | {
      type: 'work';
      cases: number;
      pages: number;
      seed: number;
      /** Page j with j % sharedEvery === 0 is the same shared page at every window. */
      sharedEvery: number;
    }
  | { type: 'sync'; hallUrl: string; pull: boolean }
  | { type: 'pull' }
  | { type: 'close' };
export type Report =
  | { type: 'opened' }
  | { type: 'ready'; mutations: number; pages: Array<{ sha256: string; size: number }>; setupS: number }
  | { type: 'drained'; failedRuns: number; cpuS: number; timings: TimingTable }
  | { type: 'pulled'; cpuS: number; pullError: string | null; timings: TimingTable }
  | { type: 'error'; message: string };

/** 60–150 KB, the size of a scanned A4 page as the window keeps it. */
export function pageSize(rnd: () => number): number {
  return Math.round((60 + rnd() * 90) * 1024);
}

let w: BenchWindow | null = null;
let cpu0 = 0;
let profile: { dir: string | undefined; name: string } = { dir: undefined, name: 'window' };
const send = (r: Report) => process.send!(r);

async function handle(o: Order): Promise<void> {
  switch (o.type) {
    case 'open':
      profile = { dir: o.profileDir, name: o.name };
      w = new BenchWindow(o.dir, o.enrolment, o.actor);
      if (o.firstPullFrom) await w.firstPull(o.firstPullFrom);
      send({ type: 'opened' });
      return;
    case 'work': {
      const t0 = performance.now();
      const own = prng(o.seed);
      const shared = prng(1);
      const sharedSizes = Array.from({ length: Math.ceil(o.pages / o.sharedEvery) }, () => pageSize(shared));
      for (let j = 0; j < o.pages; j++) {
        const k = j / o.sharedEvery;
        await w!.storePage(j, j % o.sharedEvery === 0 ? jpegLikePage(sharedSizes[k]!, `shared-${k}`) : jpegLikePage(pageSize(own)));
      }
      for (const plan of planCases(o.cases, o.seed, (i) => (i < o.pages ? i : null))) w!.writeCase(plan);
      send({ type: 'ready', mutations: w!.outbox.pendingCount(), pages: [...w!.pages.values()], setupS: (performance.now() - t0) / 1000 });
      return;
    }
    case 'sync': {
      cpu0 = ownCpuSeconds();
      w!.startSync(o.hallUrl, { pull: o.pull });
      const failedRuns = await profiled(profile.dir, `${profile.name}-sync`, () => w!.drain());
      send({ type: 'drained', failedRuns, cpuS: ownCpuSeconds() - cpu0, timings: w!.timings.table });
      return;
    }
    case 'pull':
      await profiled(profile.dir, `${profile.name}-final-pull`, async () => w!.puller?.request());
      send({ type: 'pulled', cpuS: ownCpuSeconds() - cpu0, pullError: w!.puller?.lastError ?? null, timings: w!.timings.table });
      return;
    case 'close':
      w?.close();
      process.exit(0);
  }
}

process.on('message', (o: Order) => {
  handle(o).catch((err: unknown) => send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
});
