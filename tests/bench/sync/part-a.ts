import path from 'node:path';
import { loadHallConfig } from '../../../upstream/config.js';
import { BenchWindow } from './bench-window.js';
import { MUTATIONS_PER_CASE, planCases } from './case-plan.js';
import { ownCpuSeconds, processCpuSeconds } from './cpu.js';
import { CONFIG_FILE, freshHall } from './hall.js';
import { jpegLikePage } from './pages.js';
import type { TimingTable } from './timings.js';
import { profiled } from './window-profile.js';
import { verifyRun, type Verdict } from './verify.js';

export interface PartAResult {
  mutations: number;
  attachments: number;
  attachMb: number;
  setupS: number;
  pushS: number;
  attachS: number;
  hallCpuPushS: number | null;
  windowCpuPushS: number;
  hallCpuAttachS: number | null;
  windowCpuAttachS: number;
  /** Push or upload runs that failed and were retried (none expected on loopback). */
  failedRuns: number;
  /** The window's sync calls during the push, then during the uploads. */
  pushTimings: TimingTable;
  attachTimings: TimingTable;
  verdict: Verdict;
}

/**
 * Part A: one window's backlog — `cases` cases of MUTATIONS_PER_CASE mutations written through the
 * real case store and outbox, and `pages` scanned pages of `kb` KB — pushed by the real Pusher and
 * uploaded by the real AttachmentUploader to a real hall process on loopback, each timed on its own
 * until the outbox is empty and every page is confirmed by the hall.
 */
export async function runPartA(root: string, o: { cases: number; pages: number; kb: number; hallNodeArgs?: readonly string[]; hallEnv?: Record<string, string>; profileDir?: string | undefined; log: (s: string) => void }): Promise<PartAResult> {
  const hallDir = path.join(root, 'hall-a');
  const { hall, enrolments } = await freshHall(hallDir, ['qihe-county'], { nodeArgs: o.hallNodeArgs ?? [], env: o.hallEnv ?? {} });
  const w = new BenchWindow(path.join(root, 'window-a'), enrolments[0]!, { staffId: '1001', windowId: 'qihe-county/1', office: 'qihe-county' });
  let r: Omit<PartAResult, 'verdict'>;
  try {
    const t0 = performance.now();
    for (let i = 0; i < o.pages; i++) await w.storePage(i, jpegLikePage(o.kb * 1024));
    for (const plan of planCases(o.cases, 1, (i) => (i < o.pages ? i : null))) w.writeCase(plan);
    const setupS = (performance.now() - t0) / 1000;
    const mutations = w.outbox.pendingCount();
    o.log(`A setup: ${mutations} mutations (${o.cases} cases × ${MUTATIONS_PER_CASE}) and ${o.pages} pages written locally in ${setupS.toFixed(1)} s`);

    // Let timers overdue after the synchronous writes run (HTTP keep-alive sockets the hall has closed meanwhile).
    await new Promise((res) => setTimeout(res, 100));
    w.startSync(hall.url, { pull: false });
    const hallCpu0 = processCpuSeconds(hall.pid);
    const ownCpu0 = ownCpuSeconds();
    const t1 = performance.now();
    const pushFailures = await profiled(o.profileDir, 'window-push', () => w.drainPush());
    const pushS = (performance.now() - t1) / 1000;
    const hallCpu1 = processCpuSeconds(hall.pid);
    const ownCpu1 = ownCpuSeconds();
    const pushTimings = structuredClone(w.timings.table);
    for (const k of Object.keys(w.timings.table)) delete w.timings.table[k];
    const t2 = performance.now();
    const uploadFailures = await profiled(o.profileDir, 'window-uploads', () => w.drainUploads());
    const attachS = (performance.now() - t2) / 1000;
    const hallCpu2 = processCpuSeconds(hall.pid);
    const ownCpu2 = ownCpuSeconds();
    w.stopSync();
    const bytes = [...w.pages.values()].reduce((s, p) => s + p.size, 0);
    r = {
      mutations,
      attachments: o.pages,
      attachMb: bytes / (1024 * 1024),
      setupS,
      pushS,
      attachS,
      hallCpuPushS: hallCpu0 === null || hallCpu1 === null ? null : hallCpu1 - hallCpu0,
      windowCpuPushS: ownCpu1 - ownCpu0,
      hallCpuAttachS: hallCpu1 === null || hallCpu2 === null ? null : hallCpu2 - hallCpu1,
      windowCpuAttachS: ownCpu2 - ownCpu1,
      failedRuns: pushFailures + uploadFailures,
      pushTimings,
      attachTimings: structuredClone(w.timings.table),
    };
  } catch (err) {
    const exited = await Promise.race([hall.exited, new Promise((res) => setTimeout(res, 10, null))]);
    throw new Error(`part A failed (hall ${exited ? `exited: ${JSON.stringify(exited)}` : 'running'}): ${String(err)}\n${hall.output().slice(-3000)}`);
  } finally {
    await hall.stop();
    w.close();
  }
  const verdict = await verifyRun(hallDir, [{ file: path.join(w.dir, 'workstation.db'), office: 'qihe-county' }], { config: loadHallConfig(CONFIG_FILE), replicas: false });
  return { ...r, verdict };
}
