import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { loadHallConfig } from '../config.js';
import { openHallStore, type HallStore } from '../store/hall-store.js';
import { testClock } from '../testing.js';
import { QueueEngine, type QueueBroadcast } from './engine.js';

const OFFICE = 'qihe-county';
const opened: Array<{ dir: string; store: HallStore }> = [];
afterEach(() => {
  for (const o of opened.splice(0)) {
    o.store.close();
    rmSync(o.dir, { recursive: true, force: true });
  }
});

async function hall() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'onewindow-engine-'));
  const store = openHallStore(dir);
  opened.push({ dir, store });
  const config = loadHallConfig();
  const clock = testClock();
  const queue = new QueueEngine(store, config, clock.now);
  const windows = config.offices.find((o) => o.id === OFFICE)!.windows.map((w) => `${OFFICE}/${w.no}`);
  for (const w of windows) store.transaction(() => queue.signedIn(w, '1001'));
  for (let i = 0; i < 60; i++) {
    const board = config.offices.find((o) => o.id === OFFICE)!.boards[i % 7]!.code;
    queue.issue({ office: OFFICE, board, priority: 'normal', requestId: `r${i}` });
  }
  await store.whenCommitted();
  const pushed: QueueBroadcast[] = [];
  queue.onBroadcast((b) => pushed.push(b));
  clock.advance(60_000);
  return { store, queue, windows, pushed };
}

describe('queue engine with group commit', () => {
  it('windows calling in one batch never get the same ticket; calls are pushed only after the commit', async () => {
    const { store, queue, windows, pushed } = await hall();
    // one event-loop turn: every window calls, all in one open batch
    const got = windows.map((w) => queue.callNext({ windowId: w, staffId: '1001' }, `call-${w}`).ticket?.ticketId);
    const ids = got.filter((x): x is string => x !== undefined);
    expect(ids.length).toBe(windows.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pushed).toEqual([]); // nothing left the process before the COMMIT
    await store.whenCommitted();
    const calls = pushed.filter((b) => b.message.type === 'call').map((b) => (b.message.type === 'call' ? b.message.call.ticketId : ''));
    expect(calls.sort()).toEqual([...ids].sort());
  });

  it('a request refused after writing is rolled back alone: memory and disk as if it never ran, the rest of the batch commits', async () => {
    const { store, queue } = await hall();
    const waiting = () => queue.boardSummaries(OFFICE).find((b) => b.code === 'A')!.waiting;
    const before = waiting();
    // one batch: an issue, an appointment issue refused after its number and ticket were written, another issue
    const a = queue.issue({ office: OFFICE, board: 'A', priority: 'normal', requestId: 'ok-1' });
    const day = queue.ticket(a.ticketId).businessDate;
    const stored = store.ticketsOfDay(day).length;
    expect(() =>
      queue.issue({ office: OFFICE, board: 'A', priority: 'appointment', requestId: 'bad', appointment: { code: 'NOPE0000', slotStart: 0 } }),
    ).toThrow(AppError);
    expect(store.ticketsOfDay(day).length).toBe(stored); // its ticket row is gone again
    const b = queue.issue({ office: OFFICE, board: 'A', priority: 'normal', requestId: 'ok-2' });
    expect(Number(b.number.slice(1))).toBe(Number(a.number.slice(1)) + 1); // its number was rolled back too
    expect(waiting()).toBe(before + 2); // and memory never saw it
    await store.whenCommitted();
    expect(store.ticketsOfDay(day).length).toBe(stored + 1);
    expect(store.ticket(a.ticketId)?.number).toBe(a.number);
    expect(store.ticket(b.ticketId)?.number).toBe(b.number);
  });
});

describe('the wait quoted at the kiosk is recorded in the ticket log', () => {
  it('each issue records the same whole minutes the kiosk shows; none when no window serves the board', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'onewindow-engine-'));
    const store = openHallStore(dir);
    opened.push({ dir, store });
    const queue = new QueueEngine(store, loadHallConfig(), testClock().now);
    const quoted = (ticketId: string) => {
      const first = queue.ticketEvents(ticketId)[0]!.action;
      return first.type === 'issued' ? first.quotedWaitMinutes : 'not issued';
    };
    // Nobody signed in: the kiosk says 暂无窗口办理, and no quote is recorded.
    const none = queue.issue({ office: OFFICE, board: 'A', priority: 'normal', requestId: 'q0' });
    expect(none.estimateMinutes).toBeNull();
    expect(quoted(none.ticketId)).toBeUndefined();
    // Windows 1 and 2 (each serving A and B: half a window each for A) → one effective window for A,
    // default service 12 min. The ticket already waiting is ahead of every later one.
    store.transaction(() => queue.signedIn(`${OFFICE}/1`, '1001'));
    store.transaction(() => queue.signedIn(`${OFFICE}/2`, '1002'));
    const second = queue.issue({ office: OFFICE, board: 'A', priority: 'normal', requestId: 'q1' });
    const third = queue.issue({ office: OFFICE, board: 'A', priority: 'normal', requestId: 'q2' });
    expect([second.ahead, second.estimateMinutes, quoted(second.ticketId)]).toEqual([1, 12, 12]);
    expect([third.ahead, third.estimateMinutes, quoted(third.ticketId)]).toEqual([2, 24, 24]);
    // Board B (default 8 min) has nobody waiting: 0 minutes, recorded as 0, not left out.
    const b = queue.issue({ office: OFFICE, board: 'B', priority: 'normal', requestId: 'q3' });
    expect([b.ahead, b.estimateMinutes, quoted(b.ticketId)]).toEqual([0, 0, 0]);
    // A retry of the same request is the same ticket with the same quote, not a new one.
    expect(queue.issue({ office: OFFICE, board: 'A', priority: 'normal', requestId: 'q2' })).toEqual(third);
    await store.whenCommitted();
    expect(store.ticketEvents(third.ticketId)[0]!.action).toMatchObject({ type: 'issued', quotedWaitMinutes: 24 });
  });
});
