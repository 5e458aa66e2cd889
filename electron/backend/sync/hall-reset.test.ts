import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PullHall, PullPage, PulledEvent } from '../../../shared/hall/api.js';
import { getMeta, openDatabase } from '../store/database.js';
import { Outbox } from '../store/outbox.js';
import { tempDir } from '../test-helpers.js';
import { pullPage, pulledEvent, pulledIssued } from './test-support.js';
import { CURSOR_MARK, HALL_EPOCH, knowsHallEpoch } from './hall-reset.js';
import { applyPullPage, caseCursor, pullCursor, replicaTicket } from './replica.js';

const W1 = 'qihe-county/1';
const EPOCH = '11111111-1111-4111-8111-111111111111';

function fresh() {
  const db = openDatabase(path.join(tempDir('hall-reset'), 'workstation.db'));
  const outbox = new Outbox(db, () => 5_000);
  outbox.bindClient('client-a');
  return { db, outbox };
}

const ev = pulledEvent;
const issued = (seq: number, ticketId: string) => pulledIssued(seq, ticketId);
const called = (seq: number, ticketId: string) => ev(seq, ticketId, { type: 'called', windowId: W1, staffId: '1001' });

/** A hall description as upstream/sync/hall-identity.ts writes it; marks are "m<seq>" of the log as given. */
function hall(o: { epoch?: string; lastSeq: number; cursor: number; next: number; marks?: (seq: number) => string | null; caseLastSeq?: number }): PullHall {
  const mark = o.marks ?? ((s: number) => (s > 0 ? `m${s}` : null));
  return {
    epoch: o.epoch ?? EPOCH,
    tickets: { lastSeq: o.lastSeq, atCursor: mark(Math.min(o.cursor, o.lastSeq)), atNext: mark(o.next) },
    cases: { lastSeq: o.caseLastSeq ?? 0, atCursor: null, atNext: null },
    lastApplied: null,
  };
}

function page(events: PulledEvent[], h: PullHall | undefined, nextCursor = events.at(-1)?.seq ?? 0): PullPage {
  return pullPage({ events, nextCursor, ...(h ? { hall: h } : {}) });
}

function finishBody(ticketId: string) {
  return { kind: 'ticket_action' as const, ticketId, windowId: W1, staffId: '1001', at: 1_000, action: { type: 'finished' as const } };
}

/** A replica pulled up to seq 3 from the hall of EPOCH; a pending local write on t1. */
function pulled() {
  const f = fresh();
  const r = applyPullPage(f.db, page([issued(1, 't1'), called(2, 't1'), issued(3, 't2')], hall({ lastSeq: 3, cursor: 0, next: 3 })), 0, 1);
  expect(r).toMatchObject({ applied: 3, cursor: 3, current: true });
  expect(r.reset).toBeUndefined();
  f.outbox.append(finishBody('t1'), 'A001 办结');
  f.db.prepare("INSERT INTO attachment (sha256, size, mime, created_at, uploaded_at) VALUES (?, 10, 'image/jpeg', 1, 2)").run('a'.repeat(64));
  return f;
}

function expectDropped(db: ReturnType<typeof fresh>['db'], outbox: Outbox) {
  expect(pullCursor(db)).toBe(0);
  expect(caseCursor(db)).toBe(0);
  expect(replicaTicket(db, 't2')).toBeUndefined();
  expect(outbox.pendingCount()).toBe(1); // the window's own work is kept
  const uploaded = db.prepare('SELECT uploaded_at FROM attachment').get() as { uploaded_at: number | null };
  expect(uploaded.uploaded_at).toBeNull(); // asked about again
}

describe('a hall whose database was reset under the window', () => {
  it('remembers the hall’s epoch and the mark at its cursor; the same hall going on changes nothing', () => {
    const { db } = pulled();
    expect(getMeta(db, HALL_EPOCH)).toBe(EPOCH);
    expect(getMeta(db, CURSOR_MARK)).toBe('m3');
    expect(knowsHallEpoch(db)).toBe(true);
    const r = applyPullPage(db, page([called(4, 't2')], hall({ lastSeq: 4, cursor: 3, next: 4 })), 3, 2);
    expect(r).toMatchObject({ applied: 1, cursor: 4, current: true });
    expect(r.reset).toBeUndefined();
    expect(getMeta(db, CURSOR_MARK)).toBe('m4');
  });

  it('another epoch (a wiped or replaced database): the replica is dropped in the page’s transaction, nothing of the page applied', () => {
    const { db, outbox } = pulled();
    const other = '22222222-2222-4222-8222-222222222222';
    const r = applyPullPage(db, page([issued(4, 't9')], hall({ epoch: other, lastSeq: 4, cursor: 3, next: 4 })), 3, 2);
    expect(r).toMatchObject({ reset: 'epoch', current: false, applied: 0, cursor: 0 });
    expectDropped(db, outbox);
    expect(replicaTicket(db, 't9')).toBeUndefined();
    expect(getMeta(db, HALL_EPOCH)).toBe(other); // so the next pull may name the client id
  });

  it('a log that ends before the cursor (restored from an older backup) resets too', () => {
    const { db, outbox } = pulled();
    expect(applyPullPage(db, page([], hall({ lastSeq: 1, cursor: 3, next: 3 }), 3), 3, 2).reset).toBe('tickets_behind');
    expectDropped(db, outbox);
  });

  it('a case log that ends before the case cursor resets too', () => {
    const { db, outbox } = pulled();
    db.prepare("UPDATE meta SET value = '5' WHERE key = 'pull.case_cursor'").run();
    const r = applyPullPage(db, page([], hall({ lastSeq: 3, cursor: 3, next: 3, caseLastSeq: 2 }), 3), { cursor: 3, caseCursor: 5 }, 2);
    expect(r.reset).toBe('cases_behind');
    expectDropped(db, outbox);
  });

  it('other events at the cursor (restored, then new events past the old cursor) reset too', () => {
    const { db, outbox } = pulled();
    const r = applyPullPage(db, page([issued(4, 't4')], hall({ lastSeq: 4, cursor: 3, next: 4, marks: (s) => `other${s}` })), 3, 2);
    expect(r.reset).toBe('tickets_diverged');
    expectDropped(db, outbox);
  });

  it('a cursor held back by a pending write keeps no mark, and takes the hall’s on the next page', () => {
    const { db, outbox } = fresh();
    applyPullPage(db, page([issued(1, 't1'), called(2, 't1')], hall({ lastSeq: 2, cursor: 0, next: 2 })), 0, 1);
    outbox.append(finishBody('t1'), 'A001 办结');
    const held = applyPullPage(db, page([ev(3, 't1', { type: 'started' }), issued(4, 't4')], hall({ lastSeq: 4, cursor: 2, next: 4 })), 2, 2);
    expect(held).toMatchObject({ blocked: true, cursor: 2 });
    expect(getMeta(db, CURSOR_MARK)).toBe('m2'); // unchanged cursor: the hall's mark there
    // Stopped short of the page's end: unknown.
    const f2 = fresh();
    applyPullPage(f2.db, page([issued(1, 't1')], hall({ lastSeq: 1, cursor: 0, next: 1 })), 0, 1);
    f2.outbox.append(finishBody('t1'), 'A001 办结');
    const mid = applyPullPage(f2.db, page([issued(2, 't2'), ev(3, 't1', { type: 'called', windowId: W1, staffId: '1001' })], hall({ lastSeq: 3, cursor: 1, next: 3 })), 1, 2);
    expect(mid).toMatchObject({ blocked: true, cursor: 2 });
    expect(getMeta(f2.db, CURSOR_MARK)).toBeNull();
    const next = applyPullPage(f2.db, page([], hall({ lastSeq: 3, cursor: 2, next: 3 }), 3), 2, 3);
    expect(next.reset).toBeUndefined();
    expect(getMeta(f2.db, CURSOR_MARK)).toBe('m3');
  });

  it('a hall that does not describe itself (an older version) is not checked, and marks are forgotten', () => {
    const { db } = pulled();
    const r = applyPullPage(db, page([issued(4, 't4')], undefined), 3, 2);
    expect(r).toMatchObject({ applied: 1, cursor: 4 });
    expect(getMeta(db, CURSOR_MARK)).toBeNull();
    expect(getMeta(db, HALL_EPOCH)).toBe(EPOCH);
    // Back on a new hall: the stored epoch still counts, the unknown mark is not held against it.
    expect(applyPullPage(db, page([], hall({ lastSeq: 4, cursor: 4, next: 4, marks: () => 'zz' }), 4), 4, 3).reset).toBeUndefined();
  });
});
