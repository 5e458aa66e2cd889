/**
 * `npm run test:faults`: exactly-once sync under real crashes, with real processes on loopback.
 *
 * A hall server process (`node --import tsx upstream/main.ts`) and a workstation backend process
 * (tests/faults/window-worker.ts, enrolled with a code from `node bin/onewindow.mjs hall enroll`) that
 * keeps doing real work. The runner kills the worker with SIGKILL at random moments, and the worker
 * also kills itself right after an acknowledgement arrived and before the outbox delete
 * (ONEWINDOW_FAULT=crash-after-ack); it kills the hall with SIGKILL too and restarts it on the same
 * port and data while the worker goes on. Then everything drains, the hall is stopped, and both
 * databases are compared read-only:
 *  - lost: a mutation the window queued (its local log, or the journal) that is not on the hall;
 *  - duplicated: a hall event of this client applied more than once, or one the window never queued,
 *    or one whose content differs from what the window queued under that id;
 *  - diverged: a ticket the window acted on whose replica (pulled) state differs from the hall's
 *    state replayed from its log, or whose sequence of this window's actions differs between the two.
 * Last line: {"backend_kills","server_kills","mutations","lost","duplicated","diverged"}; exits 1 unless
 * the last three are 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cliEnrolmentCode } from '../support/cli.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { reduceTicketLog } from '../../shared/queue/ticket-reducer.js';
import type { TicketEvent, TicketState } from '../../shared/queue/types.js';
import { freePort, REPO_ROOT, startHallProcess, type HallProcess } from '../support/hall-process.js';
import { makeTestHallConfig, writeHallConfig } from '../support/test-hall-config.js';

const BACKEND_KILLS = Number(process.env.FAULTS_BACKEND_KILLS ?? 60);
const SERVER_KILLS = Number(process.env.FAULTS_SERVER_KILLS ?? 12);
const CRASH_AFTER_ACK_P = process.env.FAULTS_CRASH_AFTER_ACK_P ?? '0.15';
const KEEP = process.env.FAULTS_KEEP === '1';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rand = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Worker {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  ready: Promise<boolean>;
  output(): string;
}

function startWorker(args: string[], env: NodeJS.ProcessEnv): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/faults/window-worker.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ONEWINDOW_LOG: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let readyResolve: (v: boolean) => void = () => undefined;
  const ready = new Promise<boolean>((r) => (readyResolve = r));
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('WORKER_SIGNED_IN') || out.includes('DRAINED') || out.includes('WORKER_READY')) readyResolve(true);
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      readyResolve(false);
      resolve({ code, signal });
    }),
  );
  return { child, exited, ready, output: () => out };
}

async function main(): Promise<void> {
  const started = Date.now();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ow-faults-'));
  const hallDir = path.join(root, 'hall');
  const wsDir = path.join(root, 'window');
  const journal = path.join(root, 'journal.ndjson');
  fs.mkdirSync(hallDir, { recursive: true });
  const { config, office, staff } = await makeTestHallConfig({ windows: 2 });
  const configFile = writeHallConfig(root, config);
  const port = await freePort();

  let hall: HallProcess = await startHallProcess({ dataDir: hallDir, configFile, port });
  log(`hall ${hall.url} (pid ${hall.pid}); data in ${root}`);
  const code = await cliEnrolmentCode(hallDir, office, configFile);
  log(`enrolment code ${code}`);

  const workerArgs = ['--data', wsDir, '--hall', hall.url, '--journal', journal, '--office', office, '--window', staff[0]!.windowId, '--staff', staff[0]!.staffId];
  let backendKills = 0;
  let selfKills = 0;
  let runnerKills = 0;
  let serverKills = 0;
  let hallRestarting: Promise<void> | null = null;
  let iteration = 0;

  const killHall = async () => {
    await hall.kill('SIGKILL');
    serverKills += 1;
    await sleep(rand(100, 1200)); // the hall stays down for a while; the window works offline
    hall = await startHallProcess({ dataDir: hallDir, configFile, port });
  };

  while (backendKills < BACKEND_KILLS || serverKills < SERVER_KILLS) {
    iteration += 1;
    const w = startWorker(iteration === 1 ? [...workerArgs, '--code', code] : workerArgs, {
      ONEWINDOW_FAULT: 'crash-after-ack',
      ONEWINDOW_FAULT_P: CRASH_AFTER_ACK_P,
    });
    const ready = await Promise.race([w.ready, sleep(30_000).then(() => false)]);
    if (!ready && w.child.exitCode === null && w.child.signalCode === null) throw new Error(`worker did not start:\n${w.output()}`);
    // Now and then the hall dies while the window works (and comes back after a while).
    if (!hallRestarting && serverKills < SERVER_KILLS && Math.random() < 0.35) {
      hallRestarting = sleep(rand(50, 800))
        .then(killHall)
        .finally(() => (hallRestarting = null));
    }
    const life = rand(150, 1500);
    const ended = await Promise.race([w.exited.then(() => true), sleep(life).then(() => false)]);
    if (ended) {
      const e = await w.exited;
      if (e.signal !== 'SIGKILL') throw new Error(`worker exited by itself (${e.code ?? e.signal}):\n${w.output().slice(-4000)}`);
      selfKills += 1; // crash-after-ack: between the hall's ack and the local delete
    } else {
      w.child.kill('SIGKILL');
      await w.exited;
      runnerKills += 1;
    }
    backendKills += 1;
    if (backendKills % 10 === 0) log(`… ${backendKills} backend kills (${selfKills} after an ack), ${serverKills} hall kills, ${Math.round((Date.now() - started) / 1000)} s`);
  }
  if (hallRestarting) await hallRestarting;

  // Quiet: the window drains (no faults now), the hall stops cleanly.
  const d = startWorker([...workerArgs, '--drain'], {});
  const drained = await d.exited;
  if (drained.code !== 0) throw new Error(`drain failed (${drained.code ?? drained.signal}):\n${d.output().slice(-4000)}`);
  log(d.output().split('\n').find((l) => l.startsWith('DRAINED')) ?? 'DRAINED');
  await hall.stop();

  const result = compare(hallDir, wsDir, journal);
  log(
    `backend kills: ${backendKills} (${runnerKills} at random by the runner, ${selfKills} right after an ack before the local delete); ` +
      `hall kills: ${serverKills}; mutations: ${result.mutations} (journal ${result.journal}, outbox left ${result.outboxLeft}, parked ${result.parked}); ` +
      `tickets compared: ${result.tickets}; ${Math.round((Date.now() - started) / 1000)} s`,
  );
  for (const p of result.problems.slice(0, 20)) log(`PROBLEM ${p}`);
  if (!KEEP && result.problems.length === 0) fs.rmSync(root, { recursive: true, force: true });
  const summary = { backend_kills: backendKills, server_kills: serverKills, mutations: result.mutations, lost: result.lost, duplicated: result.duplicated, diverged: result.diverged };
  log(JSON.stringify(summary));
  const ok = result.lost === 0 && result.duplicated === 0 && result.diverged === 0 && result.outboxLeft === 0 && result.mutations > 0;
  process.exit(ok ? 0 : 1);
}

interface LocalEvent {
  mutation_id: number;
  client_id: string;
  ticket_id: string;
  action: string;
}

function compare(hallDir: string, wsDir: string, journalFile: string) {
  const problems: string[] = [];
  const hallDb = new Database(path.join(hallDir, 'hall.db'), { readonly: true, fileMustExist: true });
  const wsDb = new Database(path.join(wsDir, 'workstation.db'), { readonly: true, fileMustExist: true });
  try {
    const clientId = (wsDb.prepare("SELECT value FROM meta WHERE key = 'outbox.client_id'").get() as { value: string }).value;
    const outboxLeft = (wsDb.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
    const parkedRows = wsDb.prepare('SELECT mutation_id, summary, parked_reason FROM outbox WHERE parked_reason IS NOT NULL').all() as Array<{
      mutation_id: number;
      summary: string;
      parked_reason: string;
    }>;
    const parked = parkedRows.length;
    if (outboxLeft > 0) problems.push(`${outboxLeft} outbox entr(y/ies) left after the drain`);
    // A parked entry is one the hall refused: the window took an action its state should not have allowed.
    for (const p of parkedRows) problems.push(`mutation ${p.mutation_id} (${p.summary}) refused by the hall: ${p.parked_reason}`);

    // What the window queued: its local log (committed with the outbox entry), plus the journal.
    const local = wsDb.prepare('SELECT mutation_id, client_id, ticket_id, action FROM ticket_event WHERE mutation_id IS NOT NULL ORDER BY id').all() as LocalEvent[];
    const queued = new Map<string, { ticketId: string; type: string }>();
    for (const e of local) queued.set(`${e.client_id}:${e.mutation_id}`, { ticketId: e.ticket_id, type: (JSON.parse(e.action) as { type: string }).type });
    const journalLines = fs.existsSync(journalFile) ? fs.readFileSync(journalFile, 'utf8').split('\n').filter(Boolean) : [];
    let lost = 0;
    for (const line of journalLines) {
      let j: { clientId: string; mutationId: number; ticketId: string; action: string };
      try {
        j = JSON.parse(line) as typeof j;
      } catch {
        continue; // a line cut by SIGKILL mid-write
      }
      const id = `${j.clientId}:${j.mutationId}`;
      const q = queued.get(id);
      if (!q) {
        lost += 1;
        problems.push(`journal entry ${id} (${j.action}) missing from the window's own log`);
      } else if (q.ticketId !== j.ticketId || q.type !== j.action) {
        problems.push(`journal entry ${id} differs from the window's log`);
        lost += 1;
      }
    }

    // What the hall applied for this client.
    const hallEvents = hallDb.prepare("SELECT event_id, ticket_id, json FROM ticket_event WHERE event_id LIKE ? || ':%' ORDER BY seq").all(clientId) as {
      event_id: string;
      ticket_id: string;
      json: string;
    }[];
    const failed = new Set(
      (hallDb.prepare('SELECT mutation_id FROM mutation_result WHERE client_id = ?').all(clientId) as { mutation_id: number }[]).map((r) => `${clientId}:${r.mutation_id}`),
    );
    const onHall = new Map<string, number>();
    let duplicated = 0;
    for (const h of hallEvents) {
      onHall.set(h.event_id, (onHall.get(h.event_id) ?? 0) + 1);
      const q = queued.get(h.event_id);
      const e = JSON.parse(h.json) as TicketEvent;
      if (!q) {
        duplicated += 1;
        problems.push(`hall event ${h.event_id} (${e.action.type}) was never queued by the window`);
      } else if (q.ticketId !== h.ticket_id || q.type !== e.action.type) {
        duplicated += 1;
        problems.push(`hall event ${h.event_id} is ${e.action.type} on ${h.ticket_id}, the window queued ${q.type} on ${q.ticketId}`);
      }
    }
    for (const [id, n] of onHall) {
      if (n > 1) {
        duplicated += n - 1;
        problems.push(`hall applied ${id} ${n} times`);
      }
    }
    for (const [id, q] of queued) {
      if (!onHall.has(id) && !failed.has(id)) {
        lost += 1;
        problems.push(`mutation ${id} (${q.type} on ${q.ticketId}) never reached the hall`);
      }
    }
    const progress = hallDb.prepare('SELECT last_applied FROM client_progress WHERE client_id = ?').get(clientId) as { last_applied: number } | undefined;
    const maxLocal = Math.max(0, ...local.filter((e) => e.client_id === clientId).map((e) => e.mutation_id));
    if ((progress?.last_applied ?? 0) !== maxLocal) problems.push(`hall's last applied id ${progress?.last_applied ?? 0} ≠ window's last id ${maxLocal}`);

    // Replicas: for every ticket the window acted on, its pulled state equals the hall's log replayed,
    // and the window's actions appear on the hall in the same order.
    const tickets = [...new Set(local.map((e) => e.ticket_id))];
    let diverged = 0;
    for (const ticketId of tickets) {
      const hallLog = (hallDb.prepare('SELECT json FROM ticket_event WHERE ticket_id = ? ORDER BY seq').all(ticketId) as { json: string }[]).map(
        (r) => JSON.parse(r.json) as TicketEvent,
      );
      const hallState = reduceTicketLog(hallLog);
      const stored = hallDb.prepare('SELECT json FROM ticket WHERE ticket_id = ?').get(ticketId) as { json: string } | undefined;
      const replica = wsDb.prepare('SELECT state_json FROM replica_ticket WHERE ticket_id = ?').get(ticketId) as { state_json: string } | undefined;
      const mine = local.filter((e) => e.ticket_id === ticketId).map((e) => `${e.client_id}:${e.mutation_id}`);
      const theirs = hallLog.filter((e) => e.eventId.startsWith(`${clientId}:`)).map((e) => e.eventId);
      let why = '';
      if (!stored || !hallState || !sameState(JSON.parse(stored.json) as TicketState, hallState)) why = "hall's projection differs from its log";
      else if (!replica) why = 'no replica of the ticket at the window';
      else if (!sameState(JSON.parse(replica.state_json) as TicketState, hallState)) why = "window's replica differs from the hall's state";
      else if (JSON.stringify(mine.filter((id) => !failed.has(id))) !== JSON.stringify(theirs)) why = `order of actions differs: window ${mine.join(',')} hall ${theirs.join(',')}`;
      if (why) {
        diverged += 1;
        problems.push(`ticket ${ticketId}: ${why}`);
      }
    }
    return { mutations: queued.size, journal: journalLines.length, outboxLeft, parked, lost, duplicated, diverged, tickets: tickets.length, problems };
  } finally {
    hallDb.close();
    wsDb.close();
  }
}

/** Equal as JSON, whatever the key order (undefined fields dropped as JSON does). */
function sameState(a: TicketState, b: TicketState): boolean {
  const canon = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canon) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(canon(JSON.parse(JSON.stringify(a)))) === JSON.stringify(canon(JSON.parse(JSON.stringify(b))));
}

main().catch((err: unknown) => {
  process.stderr.write(`test:faults failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.stdout.write(`${JSON.stringify({ backend_kills: 0, server_kills: 0, mutations: 0, lost: -1, duplicated: -1, diverged: -1 })}\n`);
  process.exit(1);
});
