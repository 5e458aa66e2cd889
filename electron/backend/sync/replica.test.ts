import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCalendarDir, readCatalogDir } from '../../../shared/catalog/node-loader.js';
import { SHIPPED_CALENDAR_DIR, SHIPPED_CATALOG_DIR } from '../../../shared/catalog/test-support.js';
import type { CalendarYear } from '../../../shared/catalog/working-days.js';
import type { CatalogSource, PullPage, PulledEvent, PullReference } from '../../../shared/hall/api.js';
import { getMeta, openDatabase } from '../store/database.js';
import { Outbox } from '../store/outbox.js';
import { tempDir } from '../test-helpers.js';
import { pullPage, pulledEvent, pulledIssued } from './test-support.js';
import {
  applyPullPage,
  bindReplica,
  catalogVersion,
  cleanReplica,
  daysBefore,
  pullCursor,
  referenceData,
  referenceVersion,
  replicaReference,
  replicaTicket,
} from './replica.js';

const W1 = 'qihe-county/1';

function fresh() {
  const db = openDatabase(path.join(tempDir('replica'), 'workstation.db'));
  const outbox = new Outbox(db, () => 5_000);
  outbox.bindClient('client-a');
  return { db, outbox };
}

const ev = pulledEvent;
const issued = pulledIssued;
const called = (seq: number, ticketId: string) => ev(seq, ticketId, { type: 'called', windowId: W1, staffId: '1001' });
const started = (seq: number, ticketId: string) => ev(seq, ticketId, { type: 'started' });

const REFERENCE: PullReference = { hallName: '齐河县政务服务中心', timeZone: 'Asia/Shanghai', offices: [], staff: [] };

function page(
  events: PulledEvent[],
  o: { nextCursor?: number; hasMore?: boolean; reference?: PullReference | null; version?: string; catalog?: CatalogSource; calendars?: CalendarYear[] } = {},
): PullPage {
  return pullPage({
    events,
    nextCursor: o.nextCursor ?? events[events.length - 1]?.seq ?? 0,
    hasMore: o.hasMore ?? false,
    referenceVersion: o.version ?? 'aaaaaaaa',
    reference: o.reference ?? null,
    catalogVersion: o.catalog ? 'cccccccc' : null,
    catalog: o.catalog ?? null,
    calendarVersion: o.calendars ? 'dddddddd' : null,
    calendars: o.calendars ?? null,
  });
}

const shippedSource = (): CatalogSource => ({ files: readCatalogDir(SHIPPED_CATALOG_DIR).map((f) => ({ file: f.file, data: f.data })) });

function finishBody(ticketId: string) {
  return { kind: 'ticket_action' as const, ticketId, windowId: W1, staffId: '1001', at: 1_000, action: { type: 'finished' as const } };
}

describe('replica: applying pulled pages', () => {
  it('folds each ticket’s events with the shared reducer and moves the cursor and reference data with them', () => {
    const { db } = fresh();
    const r = applyPullPage(db, page([issued(1, 't1'), issued(2, 't2'), called(3, 't1'), started(4, 't1')], { nextCursor: 9, reference: REFERENCE, version: 'abcdef12' }), 0, 7_000);
    expect(r).toMatchObject({ applied: 4, held: 0, refused: 0, cursor: 9, blocked: false, current: true });
    expect(replicaTicket(db, 't1')).toMatchObject({ lastSeq: 4, state: { status: 'SERVING', windowId: W1 } });
    expect(replicaTicket(db, 't2')).toMatchObject({ lastSeq: 2, state: { status: 'WAITING' } });
    expect(pullCursor(db)).toBe(9);
    expect(referenceVersion(db)).toBe('abcdef12');
    expect(replicaReference(db)).toEqual(REFERENCE);
    // A page without reference data keeps the stored one.
    applyPullPage(db, page([], { nextCursor: 10, version: 'abcdef12' }), 9, 8_000);
    expect(replicaReference(db)).toEqual(REFERENCE);
    expect(pullCursor(db)).toBe(10);
  });

  it('never folds an event over a ticket with a pending local write, and stops the cursor before it', () => {
    const { db, outbox } = fresh();
    applyPullPage(db, page([issued(1, 't1'), issued(2, 't2'), called(3, 't1')]), 0, 1);
    const before = replicaTicket(db, 't1');
    outbox.append(finishBody('t1'), 'A001 办结'); // the clerk finished t1 offline; not yet acknowledged

    const r = applyPullPage(db, page([started(4, 't1'), called(5, 't2'), started(6, 't2')], { nextCursor: 6 }), 3, 2);
    expect(r).toMatchObject({ applied: 2, held: 1, cursor: 3, blocked: true });
    expect(replicaTicket(db, 't1')).toEqual(before);
    expect(replicaTicket(db, 't2')).toMatchObject({ lastSeq: 6, state: { status: 'SERVING' } });

    // Once the hall acknowledged the write, the same events come again: t1 catches up, t2 is not folded twice.
    outbox.applyAcks([{ mutationId: 1, status: 'applied' }]);
    const again = applyPullPage(db, page([started(4, 't1'), called(5, 't2'), started(6, 't2')], { nextCursor: 6 }), 3, 3);
    expect(again).toMatchObject({ applied: 1, held: 0, refused: 0, cursor: 6, blocked: false });
    expect(replicaTicket(db, 't1')).toMatchObject({ lastSeq: 4, state: { status: 'SERVING' } });
    expect(replicaTicket(db, 't2')).toMatchObject({ lastSeq: 6, state: { status: 'SERVING' } });
  });

  it('a parked entry does not hold its ticket (the hall’s record is the truth)', () => {
    const { db, outbox } = fresh();
    applyPullPage(db, page([issued(1, 't1'), called(2, 't1')]), 0, 1);
    outbox.append(finishBody('t1'), 'A001 办结');
    outbox.applyAcks([{ mutationId: 1, status: 'failed', reason: '号码已被取消' }]);
    const r = applyPullPage(db, page([started(3, 't1')]), 2, 2);
    expect(r).toMatchObject({ applied: 1, held: 0, cursor: 3 });
  });

  it('moves rows and cursor in one transaction: if the cursor cannot be written, no row is either', () => {
    const { db } = fresh();
    db.exec(`CREATE TRIGGER fail_cursor BEFORE INSERT ON meta WHEN NEW.key = 'pull.cursor'
             BEGIN SELECT RAISE(ABORT, 'disk gone'); END`);
    expect(() => applyPullPage(db, page([issued(1, 't1'), issued(2, 't2')]), 0, 1)).toThrow('disk gone');
    expect(replicaTicket(db, 't1')).toBeUndefined();
    expect(getMeta(db, 'pull.cursor')).toBeNull();
    expect(getMeta(db, 'pull.last_pull_at')).toBeNull();
  });

  it('moves rows and cursor in one transaction: if a row cannot be written, the cursor stays', () => {
    const { db } = fresh();
    applyPullPage(db, page([issued(1, 't1')], { reference: REFERENCE, version: 'aaaaaaaa' }), 0, 1);
    db.exec(`CREATE TRIGGER fail_row BEFORE INSERT ON replica_ticket WHEN NEW.ticket_id = 't3'
             BEGIN SELECT RAISE(ABORT, 'disk gone'); END`);
    expect(() => applyPullPage(db, page([called(2, 't1'), issued(3, 't3')], { reference: { ...REFERENCE, hallName: '新' }, version: 'bbbbbbbb' }), 1, 2)).toThrow(
      'disk gone',
    );
    expect(pullCursor(db)).toBe(1);
    expect(replicaTicket(db, 't1')).toMatchObject({ lastSeq: 1, state: { status: 'WAITING' } });
    expect(referenceVersion(db)).toBe('aaaaaaaa');
  });

  it('ignores a page asked for at another cursor than the stored one', () => {
    const { db } = fresh();
    applyPullPage(db, page([issued(1, 't1')]), 0, 1);
    const r = applyPullPage(db, page([issued(1, 't1'), called(2, 't1')]), 0, 2);
    expect(r).toMatchObject({ current: false, applied: 0, cursor: 1 });
    expect(replicaTicket(db, 't1')?.state.status).toBe('WAITING');
  });

  it('counts events whose ticket history it lacks as refused and still moves on', () => {
    const { db } = fresh();
    const r = applyPullPage(db, page([called(7, 'unknown'), issued(8, 't8')]), 0, 1);
    expect(r).toMatchObject({ applied: 1, refused: 1, cursor: 8 });
    expect(replicaTicket(db, 'unknown')).toBeUndefined();
  });

  it('stores the pulled catalog and calendars with their versions and reads them back validated', () => {
    const { db } = fresh();
    expect(referenceData(db)).toMatchObject({ office: null, catalog: null, calendars: null, calendar: null });
    applyPullPage(db, page([], { nextCursor: 1, reference: REFERENCE, catalog: shippedSource(), calendars: readCalendarDir(SHIPPED_CALENDAR_DIR) }), 0, 1);
    const ref = referenceData(db);
    expect(ref.versions).toEqual({ office: 'aaaaaaaa', catalog: 'cccccccc', calendars: 'dddddddd' });
    expect(ref.catalog?.data.matters.length).toBeGreaterThanOrEqual(60);
    expect(ref.catalog?.bundles.size).toBeGreaterThanOrEqual(8);
    expect(ref.calendars?.map((y) => y.year)).toEqual([2026, 2027]);
    expect(ref.calendar?.holidays.has('2026-10-01')).toBe(true);
    // A later page without them keeps them.
    applyPullPage(db, page([], { nextCursor: 2 }), 1, 2);
    expect(referenceData(db).catalog?.data.matters.length).toBe(ref.catalog?.data.matters.length);
  });

  it('does not store a pulled catalog that fails validation, so it is asked for again', () => {
    const { db } = fresh();
    const bad = shippedSource();
    bad.files.push({ file: 'matters/broken.json', data: { matters: [{ code: 'not-a-code' }] } });
    const r = applyPullPage(db, page([issued(1, 't1')], { catalog: bad }), 0, 1);
    expect(r.applied).toBe(1); // the rest of the page still lands
    expect(catalogVersion(db)).toBeNull();
    expect(referenceData(db).catalog).toBeNull();
  });

  it('drops a replica pulled under another enrolment, keeping the outbox', () => {
    const { db, outbox } = fresh();
    expect(bindReplica(db, 'client-a')).toBe(false);
    applyPullPage(db, page([issued(1, 't1')], { reference: REFERENCE, catalog: shippedSource(), calendars: readCalendarDir(SHIPPED_CALENDAR_DIR) }), 0, 1);
    outbox.append(finishBody('t1'), 'A001 办结');
    expect(bindReplica(db, 'client-a')).toBe(false);
    expect(pullCursor(db)).toBe(1);
    expect(bindReplica(db, 'client-b')).toBe(true);
    expect(pullCursor(db)).toBe(0);
    expect(replicaTicket(db, 't1')).toBeUndefined();
    expect(replicaReference(db)).toBeNull();
    expect(referenceData(db)).toMatchObject({ catalog: null, calendars: null, versions: { office: null, catalog: null, calendars: null } });
    expect(outbox.pendingCount()).toBe(1);
  });
});

describe('replica clean-up', () => {
  it('removes tickets of business days older than N days, never one with unsynced outbox entries', () => {
    const { db, outbox } = fresh();
    applyPullPage(
      db,
      page([
        issued(1, 'old', '2025-02-20'),
        issued(2, 'old-pending', '2025-02-20'),
        issued(3, 'old-parked', '2025-02-20'),
        issued(4, 'edge', '2025-02-24'),
        issued(5, 'today', '2025-03-03'),
      ]),
      0,
      1,
    );
    outbox.append(finishBody('old-pending'), '待上传');
    outbox.append(finishBody('old-parked'), '已搁置');
    outbox.applyAcks([{ mutationId: 2, status: 'failed', reason: '号码已被取消' }]);
    expect(outbox.status().parked).toHaveLength(1);

    expect(daysBefore('2025-03-03', 7)).toBe('2025-02-24');
    expect(cleanReplica(db, { today: '2025-03-03', keepDays: 7 })).toBe(1);
    const left = (db.prepare('SELECT ticket_id FROM replica_ticket ORDER BY ticket_id').all() as Array<{ ticket_id: string }>).map((r) => r.ticket_id);
    expect(left).toEqual(['edge', 'old-parked', 'old-pending', 'today']);
    expect(outbox.pendingCount()).toBe(1);

    // Once synced, an old ticket goes too.
    outbox.applyAcks([{ mutationId: 1, status: 'applied' }]);
    expect(cleanReplica(db, { today: '2025-03-03', keepDays: 7 })).toBe(1);
    expect(replicaTicket(db, 'old-pending')).toBeUndefined();
    expect(replicaTicket(db, 'old-parked')).toBeDefined();
  });
});
