/**
 * Exactly-once sync, as a property: several windows, each with its real Outbox (SQLite) and real
 * Pusher, push to one in-process hall (the real QueueEngine on its real store, replies only after the
 * group commit) through a simulated network that drops requests, drops responses (applied, ack lost),
 * duplicates requests, delivers requests late (after the window gave up and went on: reordering) and
 * delays everything in an order chosen by fast-check's scheduler. Afterwards, once quiet:
 *  - every mutation each window wrote is on the hall exactly once (event id `<clientId>:<mutationId>`),
 *    and nothing else of that client is;
 *  - every acknowledged entry was acknowledged once and is gone from the outbox; nothing is parked;
 *  - each window's replica of its tickets (the state it got when calling, plus its own local events)
 *    equals the hall's state, replayed from the hall's log with the shared reducer;
 *  - the case each window opens for a ticket it serves (opened, form saved, accepted: case mutations
 *    interleaved with the ticket's in the same outbox) is on the hall once per action, and the
 *    window's copy — with the official number taken from the acknowledgements — equals the hall's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, HTTP_STATUS } from '../../shared/errors.js';
import { HallApi, type HallInput, type HallOutput, type WindowTicketAction } from '../../shared/hall/api.js';
import { applyTicketEvent, reduceTicketLog } from '../../shared/queue/ticket-reducer.js';
import type { HoldKind, TicketEvent, TicketState } from '../../shared/queue/types.js';
import { HallHttpError, OFFLINE_MESSAGE } from '../../electron/backend/hall-client/http.js';
import { CaseStore, readCase, type WindowCaseAction } from '../../electron/backend/cases/case-store.js';
import { toTicketAction } from '../../electron/backend/queue/local-ticket.js';
import { openDatabase, type Db } from '../../electron/backend/store/database.js';
import { Outbox, type OutboxEntry } from '../../electron/backend/store/outbox.js';
import { Pusher, type PushHttp } from '../../electron/backend/sync/pusher.js';
import { QueueEngine } from '../../upstream/queue/engine.js';
import { openHallStore, type HallStore } from '../../upstream/store/hall-store.js';
import { makeTestHallConfig, type TestHall } from '../support/test-hall-config.js';

process.env.ONEWINDOW_LOG ??= 'silent';

const RUNS = Number(process.env.EXACTLY_ONCE_RUNS ?? 120);
const T0 = Date.parse('2025-03-03T09:00:00+08:00');

type Fate = 'ok' | 'drop_request' | 'drop_response' | 'duplicate' | 'late';
const FATES: readonly Fate[] = ['ok', 'drop_request', 'drop_response', 'duplicate', 'late'];
/** After this many failed pushes in a row the link lets one through, so every run ends. */
const MAX_FAILURES_IN_A_ROW = 6;

interface TicketScript {
  noShow: boolean;
  holds: HoldKind[];
  endHeld: HoldKind | null;
}

const holdKind = fc.constantFrom<HoldKind>('without_materials', 'with_materials', 'waiting');
const ticketScript: fc.Arbitrary<TicketScript> = fc.record({
  noShow: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  holds: fc.array(holdKind, { maxLength: 2 }),
  endHeld: fc.option(holdKind, { freq: 3 }),
});

/** The window actions of one called ticket; valid by construction (the generator avoids business failures). */
function actionsOf(t: TicketScript): WindowTicketAction[] {
  if (t.noShow) return [{ type: 'no_show' }];
  const out: WindowTicketAction[] = [{ type: 'started' }];
  for (const kind of t.holds) out.push({ type: 'held', kind }, { type: 'resumed' });
  out.push(t.endHeld ? { type: 'held', kind: t.endHeld, note: '等待补充材料' } : { type: 'finished', caseNo: 'QH-0001' });
  return out;
}

const scenario = fc.record({
  windows: fc.array(fc.array(ticketScript, { minLength: 1, maxLength: 4 }), { minLength: 3, maxLength: 5 }),
  fates: fc.array(fc.constantFrom(...FATES), { minLength: 1, maxLength: 60 }),
});

/** What the network actually did over all runs (to show the faults were exercised). */
const seen = { requests: 0, drop_request: 0, drop_response: 0, duplicate: 0, late: 0, dupAcks: 0, outOfOrder: 0 };

let hallConfig: TestHall;
let root: string;
beforeAll(async () => {
  hallConfig = await makeTestHallConfig({ windows: 5 });
  root = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'ow-exactly-once-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

interface SimWindow {
  index: number;
  windowId: string;
  staffId: string;
  clientId: string;
  db: Db;
  outbox: Outbox;
  cases: CaseStore;
  pusher: Pusher;
  acked: number[];
  /** The hall's state of each ticket this window called, at the moment it called it. */
  called: Map<string, TicketState>;
  /** The cases this window opened. */
  caseIds: string[];
  failuresInARow: number;
}

function offline(): AppError {
  return new AppError('offline', OFFLINE_MESSAGE, 'simulated network: lost');
}

/** The hall's error answer as the window's HTTP client would see it. */
function asHttpError(err: unknown): HallHttpError {
  if (err instanceof AppError) return new HallHttpError(HTTP_STATUS[err.code], err.code, err.message, err.detail);
  return new HallHttpError(500, 'internal', '大厅服务器暂时出错，请稍后重试。', String(err));
}

async function runScenario(s: fc.Scheduler, sc: { windows: TicketScript[][]; fates: Fate[] }, run: number): Promise<number> {
  const clock = { t: T0 };
  const now = () => clock.t;
  const hallDir = path.join(root, `hall-${run}`);
  const store: HallStore = openHallStore(hallDir, now, {
    onFailure: (err) => {
      throw err;
    },
  });
  const engine = new QueueEngine(store, hallConfig.config, now);
  let healed = false;
  let fateIndex = 0;
  const stragglers: Promise<unknown>[] = [];
  const windows: SimWindow[] = [];

  /** The hall's push route: validate, apply, reply after the commit (as upstream/http/app.ts does). */
  const hallPush = async (input: HallInput<'push'>): Promise<{ ok: HallOutput<'push'> } | { err: HallHttpError }> => {
    let reply: { ok: HallOutput<'push'> } | { err: HallHttpError };
    try {
      const req = HallApi.push.input.parse(input);
      reply = { ok: engine.push({ id: `sim-device-${req.clientId}`, office: hallConfig.office }, req.clientId, req.mutations) };
      seen.dupAcks += reply.ok.acks.filter((a) => a.status === 'duplicate').length;
    } catch (err) {
      reply = { err: asHttpError(err) };
      if (reply.err.code === 'out_of_order') seen.outOfOrder++;
    }
    await store.whenCommitted();
    return reply;
  };

  const network = (w: SimWindow): PushHttp => ({
    async call(_name, input) {
      let fate = sc.fates[fateIndex++ % sc.fates.length]!;
      if (healed || w.failuresInARow >= MAX_FAILURES_IN_A_ROW) fate = 'ok';
      seen.requests++;
      if (fate !== 'ok') seen[fate]++;
      // A copy on the wire: the window cannot change what it sent.
      const sent = JSON.parse(JSON.stringify(input)) as HallInput<'push'>;
      await s.schedule(Promise.resolve(), `w${w.index} request ${fate}`);
      if (fate === 'drop_request') {
        w.failuresInARow++;
        throw offline();
      }
      if (fate === 'late') {
        // The window times out and goes on; the request reaches the hall later, out of order.
        stragglers.push(s.schedule(Promise.resolve(), `w${w.index} late delivery`).then(() => hallPush(sent)));
        w.failuresInARow++;
        throw offline();
      }
      const reply = await hallPush(sent);
      if (fate === 'duplicate') stragglers.push(s.schedule(Promise.resolve(), `w${w.index} duplicate`).then(() => hallPush(sent)));
      await s.schedule(Promise.resolve(), `w${w.index} response`);
      if (fate === 'drop_response') {
        w.failuresInARow++;
        throw offline();
      }
      w.failuresInARow = 0;
      if ('err' in reply) throw reply.err;
      return HallApi.push.output.parse(JSON.parse(JSON.stringify(reply.ok)));
    },
  });

  for (let i = 0; i < sc.windows.length; i++) {
    const staff = hallConfig.staff[i]!;
    const db = openDatabase(':memory:');
    let cases: CaseStore | null = null;
    const outbox = new Outbox(db, now, { casesSettled: (c) => cases!.settled(c) });
    cases = new CaseStore(db, outbox, () => 'Asia/Shanghai', now);
    const clientId = `client-${i + 1}`;
    outbox.bindClient(clientId);
    const w: SimWindow = {
      index: i + 1,
      windowId: staff.windowId,
      staffId: staff.staffId,
      clientId,
      db,
      outbox,
      cases,
      pusher: null as unknown as Pusher,
      acked: [],
      called: new Map(),
      caseIds: [],
      failuresInARow: 0,
    };
    const http = network(w);
    w.pusher = new Pusher(outbox, {
      target: () => ({ http, deviceToken: 'simulated', clientId }),
      onAcked: (entries: OutboxEntry[]) => w.acked.push(...entries.map((e) => e.mutationId)),
      onChange: () => undefined,
    });
    store.transaction(() => engine.signedIn(w.windowId, w.staffId));
    windows.push(w);
  }
  await store.whenCommitted();

  /** Pushes until the outbox is empty (what the window does before it calls the next number). */
  const drain = async (w: SimWindow) => {
    let lastError: unknown;
    for (let attempt = 0; w.outbox.pendingCount() > 0; attempt++) {
      // The link lets a push through at least every MAX_FAILURES_IN_A_ROW tries: far more means the hall keeps refusing.
      if (attempt > 100) throw new Error(`${w.clientId}: outbox never drained (${w.outbox.pendingCount()} pending): ${String(lastError)}`);
      await w.pusher.flush().catch((err: unknown) => (lastError = err));
    }
  };

  const clerk = async (w: SimWindow, tickets: TicketScript[]) => {
    for (const [n, script] of tickets.entries()) {
      await drain(w);
      await s.schedule(Promise.resolve(), `w${w.index} calls`);
      // Issue one ticket and call at once: the window gets a ticket of its own to work on.
      clock.t += 1000;
      engine.issue({ office: hallConfig.office, board: hallConfig.boards[n % hallConfig.boards.length]!, priority: 'normal', requestId: `r-${w.index}-${n}-${run}` });
      const { ticket } = engine.callNext({ windowId: w.windowId, staffId: w.staffId }, `call-${w.index}-${n}-${run}`);
      await store.whenCommitted();
      if (!ticket) throw new Error(`window ${w.windowId} called nothing`);
      w.called.set(ticket.ticketId, structuredClone(engine.ticket(ticket.ticketId)));
      for (const action of actionsOf(script)) {
        await s.schedule(Promise.resolve(), `w${w.index} ${action.type}`);
        clock.t += 1000;
        w.outbox.append({ kind: 'ticket_action', ticketId: ticket.ticketId, windowId: w.windowId, staffId: w.staffId, at: clock.t, action }, `${ticket.number} ${action.type}`);
        w.pusher.kick();
        if (action.type === 'started') {
          // The case of the ticket being served: opened, its form saved, accepted (case mutations
          // travel through the same outbox, interleaved with the ticket's).
          const caseId = `c-${w.clientId}-${n}`;
          const actor = { staffId: w.staffId, windowId: w.windowId, office: hallConfig.office };
          const no = `临0${w.index}-20250303-00${n + 1}`;
          const steps: WindowCaseAction[] = [
            { type: 'opened', subject: { kind: 'matter', code: '37142500-XZSP-007' }, title: '食品经营许可', ticketId: ticket.ticketId, ticketNumber: ticket.number, provisionalNo: no, catalogVersion: null },
            { type: 'form_saved', values: { 'enterprise.name': `企业 ${w.index}-${n}` } },
            { type: 'accepted', matters: ['37142500-XZSP-007'], promisedDate: '2025-03-06', overrides: [] },
          ];
          for (const step of steps) {
            await s.schedule(Promise.resolve(), `w${w.index} case ${step.type}`);
            clock.t += 1000;
            w.cases.write(caseId, actor, () => [{ action: step, summary: `办件 ${no} ${step.type}` }], '2025-03-03');
            w.pusher.kick();
          }
          w.caseIds.push(caseId);
        }
      }
    }
  };

  try {
    await s.waitFor(Promise.all(windows.map((w, i) => clerk(w, sc.windows[i]!))));
    healed = true;
    await s.waitFor(Promise.all(windows.map(drain)));
    // Late and duplicated requests still on the wire arrive; they must change nothing.
    await s.waitFor(Promise.all(stragglers));
    await store.whenCommitted();
    for (const w of windows) w.pusher.close();
    verify(hallDir, store, engine, windows);
    return windows.reduce((n, w) => n + w.acked.length, 0);
  } finally {
    for (const w of windows) {
      w.pusher.close();
      w.db.close();
    }
    store.close();
    fs.rmSync(hallDir, { recursive: true, force: true });
  }
}

interface LocalEvent {
  mutation_id: number;
  ticket_id: string;
  window_id: string;
  staff_id: string;
  at: number;
  action: string;
  outcome: string | null;
}

function verify(hallDir: string, store: HallStore, engine: QueueEngine, windows: SimWindow[]): void {
  const hallDb = new Database(path.join(hallDir, 'hall.db'), { readonly: true });
  try {
    for (const w of windows) {
      // Nothing left, nothing parked.
      expect(w.outbox.pendingCount(), `${w.clientId} pending`).toBe(0);
      expect(w.outbox.status().parked, `${w.clientId} parked`).toEqual([]);
      const local = w.db.prepare('SELECT mutation_id, ticket_id, window_id, staff_id, at, action, outcome FROM ticket_event ORDER BY id').all() as LocalEvent[];
      const localIds = local.map((e) => `${w.clientId}:${e.mutation_id}`);
      expect(local.every((e) => e.outcome === 'applied'), `${w.clientId} outcomes`).toBe(true);
      const localCases = w.db.prepare('SELECT mutation_id, outcome FROM case_action_local ORDER BY id').all() as Array<{ mutation_id: number; outcome: string | null }>;
      expect(localCases.every((e) => e.outcome === 'applied'), `${w.clientId} case outcomes`).toBe(true);
      const caseIds = localCases.map((e) => `${w.clientId}:${e.mutation_id}`);
      // Every acknowledgement taken once, and only for what the window wrote.
      expect(new Set(w.acked).size, `${w.clientId} acked twice`).toBe(w.acked.length);
      expect([...w.acked].sort((a, b) => a - b)).toEqual([...local.map((e) => e.mutation_id), ...localCases.map((e) => e.mutation_id)].sort((a, b) => a - b));
      // Exactly once on the hall: one event per local mutation, none other of this client.
      const onHall = hallDb.prepare("SELECT event_id, COUNT(*) AS n FROM ticket_event WHERE event_id LIKE ? || ':%' GROUP BY event_id").all(w.clientId) as {
        event_id: string;
        n: number;
      }[];
      expect(onHall.filter((r) => r.n !== 1), `${w.clientId} duplicated`).toEqual([]);
      expect(onHall.map((r) => r.event_id).sort()).toEqual([...localIds].sort());
      const casesOnHall = hallDb.prepare("SELECT event_id, COUNT(*) AS n FROM case_event WHERE event_id LIKE ? || ':%' GROUP BY event_id").all(w.clientId) as {
        event_id: string;
        n: number;
      }[];
      expect(casesOnHall.filter((r) => r.n !== 1), `${w.clientId} case actions duplicated`).toEqual([]);
      expect(casesOnHall.map((r) => r.event_id).sort()).toEqual([...caseIds].sort());
      const progress = hallDb.prepare('SELECT last_applied FROM client_progress WHERE client_id = ?').get(w.clientId) as { last_applied: number } | undefined;
      expect(progress?.last_applied ?? 0).toBe(local.length + localCases.length);
      // Each case as the window holds it = the hall's (the official number from the acknowledgements).
      for (const caseId of w.caseIds) {
        const hall = store.cases.get(caseId)?.state;
        const mine = readCase(w.db, caseId)?.state;
        expect(hall?.caseNo, `${caseId} numbered`).toMatch(/-\d{6}$/);
        const pick = (c: typeof hall) => c && { status: c.status, form: c.form, caseNo: c.caseNo, ticketId: c.ticketId, acceptedMatters: c.acceptedMatters, promisedDate: c.promisedDate };
        expect(pick(mine), `${w.clientId} case ${caseId}`).toEqual(pick(hall));
      }
      expect(hallDb.prepare('SELECT COUNT(*) AS n FROM mutation_result WHERE client_id = ?').get(w.clientId)).toEqual({ n: 0 });

      // Replicas equal: the window's view of each of its tickets = the hall's, replayed from its log.
      for (const [ticketId, calledState] of w.called) {
        let mine: TicketState = calledState;
        for (const e of local.filter((x) => x.ticket_id === ticketId)) {
          const event: TicketEvent = {
            eventId: `${w.clientId}:${e.mutation_id}`,
            ticketId,
            at: e.at,
            actor: { kind: 'clerk', staffId: e.staff_id, windowId: e.window_id },
            action: toTicketAction(JSON.parse(e.action) as WindowTicketAction, { windowId: e.window_id, staffId: e.staff_id }),
          };
          const r = applyTicketEvent(mine, event);
          if (!r.ok) throw new Error(`local replay refused ${event.eventId}: ${r.reason}`);
          mine = r.state;
        }
        const replayed = reduceTicketLog(store.ticketEvents(ticketId));
        expect(mine, `${w.clientId} replica of ${ticketId}`).toEqual(replayed);
        expect(engine.ticket(ticketId)).toEqual(replayed);
      }
    }
  } finally {
    hallDb.close();
  }
}

describe('sync: exactly once through a faulty network', () => {
  it(
    'applies every acknowledged mutation exactly once, loses none, and leaves all replicas equal once quiet',
    async () => {
      let run = 0;
      let mutations = 0;
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), scenario, async (s, sc) => {
          run += 1;
          mutations += await runScenario(s, sc, run);
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
      expect(run).toBeGreaterThanOrEqual(RUNS);
      expect(mutations).toBeGreaterThan(RUNS * 3);
      console.info(`exactly-once: ${run} runs, ${mutations} mutations acknowledged; network: ${JSON.stringify(seen)}`);
      // The faults really happened: acks were lost and resent, late requests were refused or re-acked.
      expect(seen.drop_response).toBeGreaterThan(RUNS / 2);
      expect(seen.dupAcks).toBeGreaterThan(RUNS / 2);
      expect(seen.late + seen.duplicate).toBeGreaterThan(RUNS / 2);
    },
    60_000,
  );
});
