import { afterEach, describe, expect, it } from 'vitest';
import { reduceTicketLog } from '../../shared/queue/ticket-reducer.js';
import { HallClient, HallHttpError, requestId } from '../support/hall-http.js';
import { freePort, startHallProcess, type HallProcess } from '../support/hall-process.js';
import { auditHallDb, openWindows, prepareHall, type HallAudit, type PreparedHall } from '../support/hall-setup.js';
import { issueAtKiosk, type WindowClerk } from '../support/window-clerk.js';

/**
 * The hall server is the only authority on who is called. A real hall process on loopback, 30
 * windows calling at once through 2,000 tickets: every ticket is called exactly once. Then the same
 * with a kill -9 of the hall server in the middle and a restart on the same data: nothing
 * acknowledged is lost, nothing is called twice, numbers are never reused.
 */
const WINDOWS = 30;
const TICKETS = 2_000;

type Issued = { ticketId: string; number: string; board: string };

let running: HallProcess[] = [];
let prepared: PreparedHall[] = [];
let clerks: WindowClerk[] = [];

afterEach(async () => {
  for (const c of clerks) c.client.close();
  await Promise.all(running.map((p) => p.kill('SIGKILL')));
  for (const h of prepared) h.cleanup();
  running = [];
  prepared = [];
  clerks = [];
});

/** Issues `n` tickets at the kiosk, `concurrency` at a time, spread over the boards; returns the acknowledged ones. */
async function issueMany(
  kiosk: HallClient,
  hall: PreparedHall,
  n: number,
  o: { concurrency: number; deadline: number; into: Issued[]; onRetry?: () => void },
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const board = hall.boards[i % hall.boards.length]!;
        o.into.push(await issueAtKiosk(kiosk, { office: hall.office, board, deadline: o.deadline, onRetry: o.onRetry }));
      }
    }),
  );
}

/** What must hold of a finished run, whatever happened to the hall server on the way. */
function expectEveryTicketCalledOnceAndDone(audit: HallAudit, windows: WindowClerk[], issued: Issued[]) {
  // the windows' own view: nobody was handed a ticket twice, and every ticket went to some window
  const handedOut = windows.flatMap((w) => w.called);
  const byTicket = new Map<string, string>();
  const dupes: string[] = [];
  for (const w of windows) {
    for (const id of w.called) {
      if (byTicket.has(id)) dupes.push(`${id} at ${byTicket.get(id)} and ${w.windowId}`);
      byTicket.set(id, w.windowId);
    }
  }
  expect(dupes).toEqual([]);
  expect(windows.flatMap((w) => w.failedAcks)).toEqual([]);

  // the server's durable log: one `called` event per ticket, by the window that was told so
  expect(audit.doubleCalls).toEqual([]);
  const notDone = audit.tickets.filter((t) => t.status !== 'DONE').map((t) => `${t.number} ${t.status}`);
  expect(notDone).toEqual([]);
  expect(new Set(handedOut)).toEqual(new Set(audit.tickets.map((t) => t.ticketId)));
  for (const t of audit.tickets) {
    const calls = audit.calls.get(t.ticketId) ?? [];
    expect(calls).toHaveLength(1);
    expect(calls[0]!.action).toMatchObject({ type: 'called', windowId: byTicket.get(t.ticketId) });
    // the stored projection is exactly the fold of the stored log
    expect(reduceTicketLog(audit.eventsOf(t.ticketId))).toEqual(t);
  }

  // every acknowledged issue is there, with the number it was given
  const stored = new Map(audit.tickets.map((t) => [t.ticketId, t]));
  const missing = issued.filter((i) => stored.get(i.ticketId)?.number !== i.number);
  expect(missing).toEqual([]);

  // numbers are never reused: per board they run 1..k without a repeat or a gap
  for (const board of new Set(audit.tickets.map((t) => t.board))) {
    const seqs = audit.tickets
      .filter((t) => t.board === board)
      .map((t) => Number(t.number.slice(1)))
      .sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  }
}

describe('ticket queue under concurrent windows (real hall process)', () => {
  it(`${WINDOWS} windows calling at once through ${TICKETS} tickets call each exactly once`, async () => {
    const deadline = Date.now() + 100_000;
    // one workstation is enrolled with a code from the admin CLI (`onewindow hall enroll`)
    const hall = await prepareHall({ windows: WINDOWS, boards: ['A', 'B', 'C'], weights: [2, 1, 1], minCallGapMs: 0, cliCodes: 1 });
    prepared.push(hall);
    const proc = await startHallProcess({ dataDir: hall.dataDir, configFile: hall.configFile });
    running.push(proc);
    clerks = await openWindows(proc.url, hall, { deadline });
    const kiosk = new HallClient({ baseUrl: proc.url, maxSockets: 8 });

    const issued: Issued[] = [];
    await issueMany(kiosk, hall, TICKETS, { concurrency: 8, deadline, into: issued });
    expect(new Set(issued.map((i) => i.ticketId)).size).toBe(TICKETS);

    const served = await Promise.all(clerks.map((c) => c.workThroughLine()));
    expect(served.reduce((a, b) => a + b, 0)).toBe(TICKETS);
    // the load was shared: every window called someone
    expect(served.every((n) => n > 0), `served per window: ${served.join(',')}`).toBe(true);

    const office = await kiosk.call('officePublic', { office: hall.office });
    expect(office.boards.map((b) => b.waiting)).toEqual([0, 0, 0]);
    kiosk.close();

    await proc.stop();
    const audit = auditHallDb(hall.dataDir);
    expect(audit.tickets).toHaveLength(TICKETS);
    expectEveryTicketCalledOnceAndDone(audit, clerks, issued);
  }, 120_000);

  it('kill -9 of the hall server mid-run and a restart on the same data: nothing lost, nothing called twice', async () => {
    const deadline = Date.now() + 100_000;
    const hall = await prepareHall({ windows: WINDOWS, boards: ['A', 'B', 'C'], weights: [2, 1, 1], minCallGapMs: 0 });
    prepared.push(hall);
    // the windows keep the hall server's address: restart on the same port
    const port = await freePort();
    const first = await startHallProcess({ dataDir: hall.dataDir, configFile: hall.configFile, port });
    running.push(first);
    clerks = await openWindows(first.url, hall, { deadline });
    const kiosk = new HallClient({ baseUrl: first.url, maxSockets: 4 });
    let kioskRetries = 0;

    // most tickets before the windows open, the rest issued while they call (and across the crash)
    const issued: Issued[] = [];
    await issueMany(kiosk, hall, 1_200, { concurrency: 8, deadline, into: issued });
    let issuing = true;
    const moreTickets = issueMany(kiosk, hall, TICKETS - 1_200, { concurrency: 2, deadline, into: issued, onRetry: () => kioskRetries++ }).finally(
      () => {
        issuing = false;
      },
    );

    const calls = () => clerks.reduce((n, c) => n + c.called.length, 0);
    let crash: { callsBefore: number; issuedBefore: Issued[] } | undefined;
    let second: HallProcess | undefined;
    const crashAndRestart = (async () => {
      while (calls() < 800 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
      crash = { callsBefore: calls(), issuedBefore: [...issued] };
      const exit = await first.kill('SIGKILL');
      expect(exit.signal).toBe('SIGKILL');
      // the windows hit a dead server for a moment, then it comes back on the same data and port
      await new Promise((r) => setTimeout(r, 300));
      second = await startHallProcess({ dataDir: hall.dataDir, configFile: hall.configFile, port });
      running.push(second);
    })();

    const served = await Promise.all(clerks.map((c) => c.workThroughLine({ more: () => issuing || second === undefined })));
    await moreTickets;
    await crashAndRestart;
    kiosk.close();
    expect(crash, 'the crash happened mid-run').toBeDefined();
    expect(crash!.callsBefore).toBeGreaterThanOrEqual(800);
    expect(crash!.callsBefore).toBeLessThan(TICKETS);
    const retries = clerks.reduce((n, c) => n + c.retries, 0) + kioskRetries;
    expect(retries, 'windows had to retry across the crash').toBeGreaterThan(0);
    expect(served.reduce((a, b) => a + b, 0)).toBe(TICKETS);
    expect(issued).toHaveLength(TICKETS);

    await second!.stop();
    const audit = auditHallDb(hall.dataDir);
    // everything acknowledged before the crash survived it
    const stored = new Set(audit.tickets.map((t) => t.ticketId));
    expect(crash!.issuedBefore.filter((i) => !stored.has(i.ticketId))).toEqual([]);
    expect(audit.tickets).toHaveLength(TICKETS);
    expectEveryTicketCalledOnceAndDone(audit, clerks, issued);
  }, 120_000);

  it('a call-next retried with the same requestId returns the same ticket, never a second one', async () => {
    const deadline = Date.now() + 30_000;
    const hall = await prepareHall({ windows: 2, boards: ['A'], minCallGapMs: 0 });
    prepared.push(hall);
    const proc = await startHallProcess({ dataDir: hall.dataDir, configFile: hall.configFile });
    running.push(proc);
    clerks = await openWindows(proc.url, hall, { deadline });
    const [w1, w2] = clerks as [WindowClerk, WindowClerk];
    const kiosk = new HallClient({ baseUrl: proc.url });
    const issued: Issued[] = [];
    await issueMany(kiosk, hall, 4, { concurrency: 1, deadline, into: issued });

    // the first answer is "lost": the window asks again with the same key
    const rid = requestId();
    const first = await w1.client.call('callNext', { requestId: rid });
    const again = await w1.client.call('callNext', { requestId: rid });
    expect(first.ticket?.ticketId).toBe(issued[0]!.ticketId);
    expect(again.ticket?.ticketId).toBe(first.ticket?.ticketId);
    expect(again.panel.current?.ticketId).toBe(first.ticket?.ticketId);
    // another window's retry key is its own: it gets the next ticket, not window 1's
    const other = await w2.client.call('callNext', { requestId: rid });
    expect(other.ticket?.ticketId).toBe(issued[1]!.ticketId);
    // a new key while the current ticket is open is refused, and calls nobody
    const refused = await w1.client.call('callNext', { requestId: requestId() }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HallHttpError);
    expect((refused as HallHttpError).status).toBe(409);
    expect((refused as HallHttpError).body?.message).toMatch(/尚未处理完/);
    // once finished, a new key calls the next one
    await w1.serve(first.ticket!.ticketId);
    const next = await w1.client.call('callNext', { requestId: requestId() });
    expect(next.ticket?.ticketId).toBe(issued[2]!.ticketId);
    kiosk.close();

    await proc.stop();
    const audit = auditHallDb(hall.dataDir);
    expect(audit.doubleCalls).toEqual([]);
    expect(audit.calls.get(issued[0]!.ticketId)).toHaveLength(1);
    expect(audit.calls.get(issued[3]!.ticketId)).toHaveLength(0);
  }, 60_000);
});
