/**
 * `npm run bench:sync [-- --cases 1000 --pages 200 --kb 200 --day-mutations 20000 --day-pages 2000 --windows 4 --pull on --profile DIR]`
 *
 * OneWindow's sync, end to end on loopback, against a real hall server process:
 *  A. one window's backlog of 10,000 case mutations (1,000 realistic, valid cases written through the
 *     real case store and outbox, one local transaction per action) and 200 scanned pages of 200 KB:
 *     the real Pusher until the outbox is empty (mutations/s), then the real AttachmentUploader until
 *     every page is confirmed (MB/s);
 *  B. a day of offline work converging from scratch: 4 windows (3 county, 1 branch) enrolled to a
 *     fresh hall write 20,000 mutations and 2,000 pages of 60–150 KB (one in ten the same page at
 *     every window) while the hall is down; then the hall starts and every window's sync agents with
 *     it; the time until every outbox is empty, every page confirmed and every window's case replica
 *     pulled to the end.
 * Both are then judged from the hall's database (read-only, hall stopped) against each window's:
 * lost / duplicated / failed mutations, one official number per case, pages verified by hash
 * (tests/bench/sync/verify.ts).
 *
 * Target on 2 cores: ≥ 5,000 mutations/s, a day converges in ≤ 30 s, 0 lost, 0 duplicated.
 * Last line: {"mutations","attachments","mutations_per_s","attach_mb_per_s","day_converge_s","lost","duplicated","failed"}.
 * `--profile DIR` writes the hall process's V8 CPU profiles there, and part A's window's over the push
 * (window-push.cpuprofile) and over the uploads (window-uploads.cpuprofile), and part B's windows' over
 * the sync and the final pull (window-bN-sync / -final-pull) — see tests/bench/cpuprofile-summary.ts;
 * `--part A|B` runs one part; `--pull off` leaves the replicas out of part B; `--hall-env K=V` sets the
 * hall process's environment (experiments such as UV_THREADPOOL_SIZE=16); `--keep` keeps the data.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runPartA } from './sync/part-a.js';
import { runPartB } from './sync/part-b.js';
import { Timings } from './sync/timings.js';
import type { Verdict } from './sync/verify.js';

process.env.ONEWINDOW_LOG ??= 'warn';
const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000' },
    pages: { type: 'string', default: '200' },
    kb: { type: 'string', default: '200' },
    'day-mutations': { type: 'string', default: '20000' },
    'day-pages': { type: 'string', default: '2000' },
    windows: { type: 'string', default: '4' },
    pull: { type: 'string', default: 'on' },
    part: { type: 'string', default: 'AB' },
    profile: { type: 'string' },
    'hall-env': { type: 'string', multiple: true, default: [] },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});
const log = (s: string) => process.stdout.write(`${s}\n`);
const hallNodeArgs = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values.profile)}`] : [];
/** `--hall-env UV_THREADPOOL_SIZE=16`: environment for the hall process (experiments). */
const hallEnv = Object.fromEntries(values['hall-env'].map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
if (values.profile) mkdirSync(path.resolve(values.profile), { recursive: true });
const root = mkdtempSync(path.join(tmpdir(), 'onewindow-bench-sync-'));

function describe(label: string, v: Verdict): void {
  log(
    `${label} verified from the hall's database: ${v.applied}/${v.written} mutations applied, lost ${v.lost} (pages ${v.attachmentsLost}), ` +
      `duplicated ${v.duplicated}, failed ${v.failed}; ${v.casesNumbered} cases with exactly one official number (problems ${v.numbering}); ` +
      `${v.attachmentsVerified} distinct pages hash-verified on the hall` +
      (v.diverged === null ? '' : `; replicas: ${v.replicaCases} case copies compared, diverged ${v.diverged}`),
  );
  for (const p of v.problems) log(`  ! ${p}`);
}

const round = (n: number, d = 2) => Number(n.toFixed(d));
/** The figures depend on what else the machine runs: said with them. */
const machine = () => `${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)}`;
log(`machine: ${machine()}`);
let exitCode = 0;
try {
  const a = values.part.includes('A')
    ? await runPartA(root, { cases: Number(values.cases), pages: Number(values.pages), kb: Number(values.kb), hallNodeArgs, hallEnv, profileDir: values.profile ? path.resolve(values.profile) : undefined, log })
    : null;
  if (a) {
    log(
      `A push: ${a.mutations} mutations acknowledged in ${a.pushS.toFixed(2)} s = ${Math.round(a.mutations / a.pushS)} mutations/s ` +
        `(CPU: hall ${a.hallCpuPushS?.toFixed(2) ?? '?'} s, window ${a.windowCpuPushS.toFixed(2)} s; failed runs retried: ${a.failedRuns})`,
    );
    log(`  window's calls during the push (wall time):\n${Timings.format(a.pushTimings)}`);
    log(`A attachments: ${a.attachments} pages, ${a.attachMb.toFixed(1)} MB confirmed in ${a.attachS.toFixed(2)} s = ${(a.attachMb / a.attachS).toFixed(1)} MB/s (CPU: hall ${a.hallCpuAttachS?.toFixed(2) ?? '?'} s, window ${a.windowCpuAttachS.toFixed(2)} s)`);
    log(`  window's calls during the uploads (wall time; 4 uploads at once):\n${Timings.format(a.attachTimings)}`);
    describe('A', a.verdict);
  }
  const b = values.part.includes('B')
    ? await runPartB(root, { windows: Number(values.windows), mutations: Number(values['day-mutations']), pages: Number(values['day-pages']), pull: values.pull !== 'off', hallNodeArgs, hallEnv, profileDir: values.profile ? path.resolve(values.profile) : undefined, log })
    : null;
  if (b) {
    log(
      `B day: ${b.windows} windows, ${b.mutations} mutations and ${b.pages} pages (${b.uniquePages} distinct, ${b.pageMb.toFixed(1)} MB) converged in ${b.convergeS.toFixed(2)} s ` +
        `from starting the hall (hall up after ${b.hallStartS.toFixed(2)} s; outboxes empty and pages confirmed at ${b.pushedS.toFixed(2)} s; ` +
        `CPU: hall ${b.hallCpuS?.toFixed(2) ?? '?'} s, windows ${b.windowsCpuS.toFixed(2)} s; failed runs retried: ${b.failedRuns})`,
    );
    log(`  all windows' calls (wall time, summed over windows):\n${Timings.format(b.timings)}`);
    for (const e of b.pullErrors) log(`  ! a final pull failed: ${e}`);
    describe('B', b.verdict);
  }
  log(`machine after the run: ${machine()}`);
  const verdicts = [a?.verdict, b?.verdict].filter((v): v is Verdict => v !== undefined);
  const sum = (f: (v: Verdict) => number) => verdicts.reduce((s, v) => s + f(v), 0);
  const summary = {
    mutations: (a?.mutations ?? 0) + (b?.mutations ?? 0),
    attachments: (a?.attachments ?? 0) + (b?.pages ?? 0),
    mutations_per_s: a ? Math.round(a.mutations / a.pushS) : null,
    attach_mb_per_s: a ? round(a.attachMb / a.attachS) : null,
    day_converge_s: b ? round(b.convergeS) : null,
    lost: sum((v) => v.lost),
    duplicated: sum((v) => v.duplicated),
    failed: sum((v) => v.failed),
  };
  const wrong = summary.lost + summary.duplicated + summary.failed + sum((v) => v.numbering) + sum((v) => v.diverged ?? 0);
  if (wrong > 0) exitCode = 1;
  log(JSON.stringify(summary));
} catch (err) {
  process.stderr.write(`bench:sync failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  log(JSON.stringify({ mutations: 0, attachments: 0, mutations_per_s: null, attach_mb_per_s: null, day_converge_s: null, lost: -1, duplicated: -1, failed: -1 }));
  exitCode = 1;
} finally {
  if (values.keep) process.stderr.write(`data kept in ${root}\n`);
  else rmSync(root, { recursive: true, force: true });
}
process.exit(exitCode);
