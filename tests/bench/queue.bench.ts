/**
 * `npm run bench:queue [-- --windows 50 --seconds 10 --rate 1200]`
 *
 * N windows against a real hall server process on loopback, each a workstation with its own
 * keep-alive connection, looping: issue a ticket at the kiosk → call next → finish (started +
 * finished pushed as outbox mutations). Measures call-next latency (nearest-rank p50/p99), total
 * operations per second, and afterwards, from the hall's own database, double calls and lost tickets.
 * First it measures this machine's raw durable SQLite commit rate (WAL, synchronous=FULL, one row per
 * transaction): the ceiling for a server that commits once per request.
 *
 * `--rate R` paces the windows to R operations per second in total (latency at a given load);
 * `--rate 0` runs them flat out (maximum throughput; latency then is mostly queueing).
 * `--profile DIR` writes a V8 CPU profile of the hall process to DIR.
 * The last line printed is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { startHallProcess } from '../support/hall-process.js';
import { auditHallDb, openWindows, prepareHall } from '../support/hall-setup.js';
import { percentile } from '../support/stats.js';
import { issueAtKiosk, type WindowClerk } from '../support/window-clerk.js';

const { values } = parseArgs({
  options: {
    windows: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '1200' },
    profile: { type: 'string' },
  },
  strict: true,
});
const WINDOWS = Number(values.windows);
const SECONDS = Number(values.seconds);
const RATE = Number(values.rate);
if (!Number.isInteger(WINDOWS) || WINDOWS < 1 || WINDOWS > 999) throw new Error('--windows must be 1..999');
if (!(SECONDS > 0)) throw new Error('--seconds must be positive');
if (!(RATE >= 0)) throw new Error('--rate must be ≥ 0');

function log(line: string) {
  process.stdout.write(`${line}\n`);
}

/** Durable commits per second of this machine: WAL, synchronous=FULL, one small insert per transaction. */
function sqliteCommitRate(ms = 1_500): number {
  const dir = mkdtempSync(path.join(tmpdir(), 'onewindow-commit-'));
  try {
    const db = new Database(path.join(dir, 'commit.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, json TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (at, json) VALUES (?, ?)');
    const tx = db.transaction((at: number) => insert.run(at, JSON.stringify({ type: 'called', at, windowId: 'bench/1' })));
    for (let i = 0; i < 50; i++) tx(Date.now()); // warm up
    let n = 0;
    const t0 = performance.now();
    let elapsed = 0;
    while ((elapsed = performance.now() - t0) < ms) {
      tx(Date.now());
      n++;
    }
    db.close();
    return n / (elapsed / 1000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

async function main() {
  log(`OneWindow queue bench: ${WINDOWS} windows, ${SECONDS} s, ${RATE > 0 ? `paced at ${RATE} ops/s` : 'flat out'}`);
  const commits = sqliteCommitRate();
  log(`raw durable SQLite commits (WAL, synchronous=FULL, 1 insert/tx): ${Math.round(commits)} /s`);

  const boards = ['A', 'B', 'C', 'D', 'E'];
  const hall = await prepareHall({ windows: WINDOWS, boards, minCallGapMs: 0 });
  const hallProc = await startHallProcess({
    dataDir: hall.dataDir,
    configFile: hall.configFile,
    nodeArgs: values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values.profile)}`] : [],
  });
  let clerks: WindowClerk[] = [];
  try {
    const deadline = Date.now() + SECONDS * 1000 + 120_000;
    clerks = await openWindows(hallProc.url, hall, { deadline, validate: false });
    log(`hall process ${hallProc.pid} at ${hallProc.url}; ${clerks.length} windows enrolled and signed in`);

    const acked: Array<{ ticketId: string; number: string }> = [];
    const issueMs: number[] = [];
    const finishMs: number[] = [];
    let timedOps = 0;
    let measuring = false;
    let issuing = true;
    const count = () => {
      if (measuring) timedOps++;
    };
    // Each window does issue + call + finish per round: 3 operations.
    const periodMs = RATE > 0 ? (WINDOWS * 3 * 1000) / RATE : 0;

    const loops = clerks.map(async (c, i) => {
      let next = performance.now() + (periodMs * i) / WINDOWS;
      while (issuing) {
        if (periodMs > 0) {
          const wait = next - performance.now();
          if (wait > 0) await sleep(wait);
          next = Math.max(next + periodMs, performance.now() - periodMs);
          if (!issuing) break;
        }
        let t0 = performance.now();
        const t = await issueAtKiosk(c.client, { office: hall.office, board: boards[(i + acked.length) % boards.length]!, deadline });
        issueMs.push(performance.now() - t0);
        acked.push(t);
        count();
        const called = await c.callNext();
        count();
        if (!called) continue;
        t0 = performance.now();
        await c.serve(called.ticketId);
        finishMs.push(performance.now() - t0);
        count();
      }
    });

    // warm up for a second, then measure
    await sleep(1_000);
    for (const c of clerks) c.callLatencyMs.length = 0;
    issueMs.length = 0;
    finishMs.length = 0;
    measuring = true;
    const t0 = performance.now();
    const hallCpu0 = processCpuSeconds(hallProc.pid);
    const benchCpu0 = process.cpuUsage();
    await sleep(SECONDS * 1000);
    measuring = false;
    const elapsedS = (performance.now() - t0) / 1000;
    const hallCpuS = processCpuSeconds(hallProc.pid) - hallCpu0;
    const benchCpu = process.cpuUsage(benchCpu0);
    const benchCpuS = (benchCpu.user + benchCpu.system) / 1e6;
    const callMs = clerks.flatMap((c) => c.callLatencyMs).sort((a, b) => a - b);
    const issueSorted = [...issueMs].sort((a, b) => a - b);
    const finishSorted = [...finishMs].sort((a, b) => a - b);
    issuing = false;
    await Promise.all(loops);

    // drain: whatever is still waiting is called and finished, so every ticket can be checked
    await Promise.all(clerks.map((c) => c.workThroughLine()));
    const failed = clerks.flatMap((c) => c.failedAcks);
    await hallProc.stop();

    const audit = auditHallDb(hall.dataDir);
    const stored = new Map(audit.tickets.map((t) => [t.ticketId, t]));
    const lost = acked.filter((a) => stored.get(a.ticketId)?.status !== 'DONE').length;
    const handedOut = clerks.flatMap((c) => c.called);
    const handedTwice = handedOut.length - new Set(handedOut).size;
    const doubleCalls = audit.doubleCalls.length + handedTwice;
    const opsPerS = timedOps / elapsedS;

    log('');
    log(`operations in ${round(elapsedS, 1)} s: ${timedOps} (issue + call next + finish) → ${Math.round(opsPerS)} ops/s`);
    log(`call next:  n=${callMs.length}  p50 ${round(percentile(callMs, 50))} ms  p90 ${round(percentile(callMs, 90))} ms  p99 ${round(percentile(callMs, 99))} ms  max ${round(callMs.at(-1) ?? NaN)} ms`);
    log(`issue:      n=${issueSorted.length}  p50 ${round(percentile(issueSorted, 50))} ms  p99 ${round(percentile(issueSorted, 99))} ms`);
    log(`finish:     n=${finishSorted.length}  p50 ${round(percentile(finishSorted, 50))} ms  p99 ${round(percentile(finishSorted, 99))} ms`);
    log(`tickets issued (acknowledged): ${acked.length}; in the hall's database: ${audit.tickets.length}, DONE: ${audit.tickets.filter((t) => t.status === 'DONE').length}`);
    log(`double calls: ${doubleCalls}; lost: ${lost}; failed mutations: ${failed.length}`);
    log(
      `CPU during the run: hall process ${round(hallCpuS, 1)} s (${Math.round((100 * hallCpuS) / elapsedS)}% of a core, ${round((hallCpuS * 1000) / timedOps, 3)} ms per op), ` +
        `bench clients ${round(benchCpuS, 1)} s (${Math.round((100 * benchCpuS) / elapsedS)}%)`,
    );
    log(`raw SQLite commit ceiling: ${Math.round(commits)} commits/s (the limit of a server that makes each write durable on its own)`);
    const target = percentile(callMs, 99) <= 15 && opsPerS >= 1_000 && doubleCalls === 0 && lost === 0;
    log(`target (2 cores: call-next p99 ≤ 15 ms at ≥ 1,000 ops/s, 0 double calls, 0 lost): ${target ? 'met' : 'NOT met'}`);
    log(
      JSON.stringify({
        windows: WINDOWS,
        ops_per_s: Math.round(opsPerS),
        call_next_p50_ms: round(percentile(callMs, 50)),
        call_next_p99_ms: round(percentile(callMs, 99)),
        double_calls: doubleCalls,
        lost,
        sqlite_commits_per_s: Math.round(commits),
      }),
    );
  } finally {
    for (const c of clerks) c.client.close();
    await hallProc.kill('SIGKILL');
    hall.cleanup();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
