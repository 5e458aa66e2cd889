import type Database from 'better-sqlite3';
import type { DayCube } from '../../shared/dashboard/cube.js';
import type { BuiltDay, DayTickets } from '../../shared/dashboard/day.js';
import type { DayColumns, LowRating } from '../../shared/dashboard/facts.js';
import type { StaffedRow } from '../../shared/dashboard/kpi-history.js';
import type { PresenceAtStart, WindowLogEvent } from '../../shared/dashboard/presence.js';
import type { FollowupOutcome, FollowupRecord } from '../../shared/dashboard/followup.js';
import type { TicketState } from '../../shared/queue/types.js';
import { openDirtyDays } from './dirty-days.js';

/**
 * The dashboard's SQL on the hall database: its own tables (dash_*, followup_event; see
 * migration.ts) and read-only queries over the hall's ticket, ticket_event and window_event tables.
 * Writes must run inside the hall's transaction runner (group commit), on the hall's connection.
 */
export type DashboardStore = ReturnType<typeof openDashboardStore>;

type Typed = Uint8Array | Uint16Array | Int32Array | Float64Array;

function blob(a: Typed): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** A typed array over a blob's bytes (copied when the blob is not aligned for the element size). */
function typed<T extends Typed>(b: Buffer, Ctor: { new (buf: ArrayBufferLike, off: number, len: number): T; BYTES_PER_ELEMENT: number }): T {
  const size = Ctor.BYTES_PER_ELEMENT;
  if (b.byteOffset % size === 0) return new Ctor(b.buffer, b.byteOffset, b.byteLength / size);
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Ctor(copy.buffer, 0, b.byteLength / size);
}

const PRESENCE = "('signed_in','signed_out','paused','unpaused')";

interface CubeSql {
  business_date: string;
  office: string;
  staff_ids: string;
  combos: Buffer;
  sums: Buffer;
  waits: Buffer;
  services: Buffer;
  hours: Buffer;
  lows: string;
  quotes: Buffer | null;
}

interface RowsSql {
  n: number;
  staff_ids: string;
  board: Buffer;
  window_no: Buffer;
  staff: Buffer;
  outcome: Buffer;
  flags: Buffer;
  hour: Buffer;
  wait_ms: Buffer;
  service_ms: Buffer;
  rating: Buffer;
}

export function openDashboardStore(db: Database.Database) {
  const q = {
    ticketDaysAfter: db.prepare('SELECT business_date AS day, office, MAX(seq) AS seq FROM ticket_event WHERE seq > ? GROUP BY business_date, office'),
    windowHoursAfter: db.prepare('SELECT window_id, at / 3600000 AS hour, MAX(seq) AS seq FROM window_event WHERE seq > ? GROUP BY window_id, hour'),
    ticketsOfDay: db.prepare('SELECT json FROM ticket WHERE business_date = ? AND office = ?'),
    putDay: db.prepare(
      `INSERT OR REPLACE INTO dash_day (business_date, office, n, staff_ids, combos, sums, waits, services, hours, lows, built_at, quotes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    putDayRows: db.prepare(
      `INSERT OR REPLACE INTO dash_day_rows (business_date, office, n, staff_ids, board, window_no, staff, outcome, flags, hour, wait_ms, service_ms, rating, ticket_ids, numbers)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    deleteDay: db.prepare('DELETE FROM dash_day WHERE business_date = ? AND office = ?'),
    deleteDayRows: db.prepare('DELETE FROM dash_day_rows WHERE business_date = ? AND office = ?'),
    cubes: db.prepare('SELECT business_date, office, staff_ids, combos, sums, waits, services, hours, lows, quotes FROM dash_day WHERE business_date >= ? AND business_date <= ?'),
    // The wait each ticket of a day was quoted at issue (its first event), found through the day's tickets.
    quotesOfDay: db.prepare(
      `SELECT e.ticket_id AS id, json_extract(e.json, '$.action.quotedWaitMinutes') AS q
       FROM ticket t JOIN ticket_event e ON e.ticket_id = t.ticket_id
       WHERE t.business_date = ? AND t.office = ? AND e.type = 'issued'`,
    ),
    quoteOf: db.prepare(`SELECT json_extract(json, '$.action.quotedWaitMinutes') AS q FROM ticket_event WHERE ticket_id = ? AND type = 'issued'`),
    rowDays: db.prepare('SELECT business_date AS day, office FROM dash_day_rows WHERE business_date >= ? AND business_date <= ? ORDER BY business_date, office'),
    dayRows: db.prepare(
      'SELECT n, staff_ids, board, window_no, staff, outcome, flags, hour, wait_ms, service_ms, rating FROM dash_day_rows WHERE business_date = ? AND office = ?',
    ),
    dayTickets: db.prepare('SELECT ticket_ids, numbers FROM dash_day_rows WHERE business_date = ? AND office = ?'),
    deleteWindowDay: db.prepare('DELETE FROM dash_window_day WHERE business_date = ? AND office = ?'),
    putWindowDay: db.prepare('INSERT INTO dash_window_day (business_date, office, window_no, staff_id, staffed_ms, paused_ms) VALUES (?, ?, ?, ?, ?, ?)'),
    windowDays: db.prepare('SELECT business_date AS day, office, window_no, staff_id, staffed_ms FROM dash_window_day WHERE business_date >= ? AND business_date <= ?'),
    windowEvents: db.prepare(
      `SELECT window_id, type, at, CASE WHEN type IN ${PRESENCE} THEN json END AS json FROM window_event WHERE at >= ? AND at < ? ORDER BY seq`,
    ),
    presenceBefore: db.prepare(`SELECT type, json FROM window_event WHERE window_id = ? AND at < ? AND type IN ${PRESENCE} ORDER BY at DESC, seq DESC LIMIT 1`),
    appendFollowup: db.prepare(
      'INSERT INTO followup_event (request_id, ticket_id, office, at, staff_id, outcome, satisfaction, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    followupByRequest: db.prepare('SELECT ticket_id FROM followup_event WHERE request_id = ?'),
    followedUp: db.prepare('SELECT DISTINCT ticket_id FROM followup_event WHERE office = ?'),
    ticket: db.prepare('SELECT json FROM ticket WHERE ticket_id = ?'),
    latestFollowup: db.prepare('SELECT outcome, satisfaction, note, at, staff_id FROM followup_event WHERE ticket_id = ? ORDER BY seq DESC LIMIT 1'),
  };

  const staffOf = (json: string | null): string | undefined => {
    if (!json) return undefined;
    const v = (JSON.parse(json) as { staffId?: unknown }).staffId;
    return typeof v === 'string' ? v : undefined;
  };

  return {
    ...openDirtyDays(db),
    /** (office, day) of the ticket events after `seq`, and the last seq seen. */
    ticketDaysAfter(seq: number): Array<{ day: string; office: string; seq: number }> {
      return q.ticketDaysAfter.all(seq) as Array<{ day: string; office: string; seq: number }>;
    },
    /** (window, hour since the epoch) of the window events after `seq`. */
    windowHoursAfter(seq: number): Array<{ window_id: string; hour: number; seq: number }> {
      return q.windowHoursAfter.all(seq) as Array<{ window_id: string; hour: number; seq: number }>;
    },
    ticketsOfDay(office: string, day: string): TicketState[] {
      return (q.ticketsOfDay.all(day, office) as Array<{ json: string }>).map((r) => JSON.parse(r.json) as TicketState);
    },
    /** The wait (minutes) quoted at issue to each ticket of the day that was quoted one. */
    quotesOfDay(office: string, day: string): Map<string, number> {
      const out = new Map<string, number>();
      for (const r of q.quotesOfDay.iterate(day, office) as IterableIterator<{ id: string; q: number | null }>) if (typeof r.q === 'number') out.set(r.id, r.q);
      return out;
    },
    /** The wait (minutes) quoted at issue to one ticket, if it was quoted one. */
    quoteOf(ticketId: string): number | undefined {
      const r = q.quoteOf.get(ticketId) as { q: number | null } | undefined;
      return typeof r?.q === 'number' ? r.q : undefined;
    },
    /** Stores a built day (an empty one is removed). */
    putDay(b: BuiltDay, at: number): void {
      const { columns: c, cube: k, tickets: t } = b;
      if (c.n === 0) {
        q.deleteDay.run(c.day, c.office);
        q.deleteDayRows.run(c.day, c.office);
        return;
      }
      const staff = JSON.stringify(c.staffIds);
      q.putDay.run(c.day, c.office, c.n, staff, blob(k.combos), blob(k.sums), blob(k.waits), blob(k.services), blob(k.hours), JSON.stringify(k.lows), at, blob(k.quotes));
      q.putDayRows.run(c.day, c.office, c.n, staff, blob(c.board), blob(c.windowNo), blob(c.staff), blob(c.outcome), blob(c.flags), blob(c.hour), blob(c.waitMs), blob(c.serviceMs), blob(c.rating), JSON.stringify(t.ticketIds), JSON.stringify(t.numbers));
    },
    /** Stored day cubes from `from` to `to` of the given offices. */
    cubes(offices: ReadonlySet<string>, from: string, to: string): DayCube[] {
      const out: DayCube[] = [];
      for (const r of q.cubes.iterate(from, to) as IterableIterator<CubeSql>) {
        if (!offices.has(r.office)) continue;
        let lows: LowRating[] | undefined;
        const cube = {
          office: r.office,
          day: r.business_date,
          staffIds: JSON.parse(r.staff_ids) as string[],
          combos: typed(r.combos, Int32Array),
          sums: typed(r.sums, Float64Array),
          waits: typed(r.waits, Int32Array),
          services: typed(r.services, Int32Array),
          hours: typed(r.hours, Float64Array),
          quotes: r.quotes ? typed(r.quotes, Float64Array) : new Float64Array(0),
          // Read only when listed: a year's summary lists the latest low ratings only.
          get lows(): LowRating[] {
            return (lows ??= JSON.parse(r.lows) as LowRating[]);
          },
        };
        out.push(cube);
      }
      return out;
    },
    /** Stored days (their rows) from `from` to `to` of the given offices, for drill-downs. */
    dayRows(offices: ReadonlySet<string>, from: string, to: string): DayColumns[] {
      const out: DayColumns[] = [];
      for (const d of q.rowDays.all(from, to) as Array<{ day: string; office: string }>) {
        if (!offices.has(d.office)) continue;
        const r = q.dayRows.get(d.day, d.office) as RowsSql;
        out.push({
          office: d.office,
          day: d.day,
          n: r.n,
          staffIds: JSON.parse(r.staff_ids) as string[],
          board: typed(r.board, Uint8Array),
          windowNo: typed(r.window_no, Uint16Array),
          staff: typed(r.staff, Uint16Array),
          outcome: typed(r.outcome, Uint8Array),
          flags: typed(r.flags, Uint8Array),
          hour: typed(r.hour, Uint8Array),
          waitMs: typed(r.wait_ms, Int32Array),
          serviceMs: typed(r.service_ms, Int32Array),
          rating: typed(r.rating, Uint8Array),
        });
      }
      return out;
    },
    dayTickets(office: string, day: string): DayTickets | undefined {
      const r = q.dayTickets.get(day, office) as { ticket_ids: string; numbers: string } | undefined;
      return r ? { ticketIds: JSON.parse(r.ticket_ids) as string[], numbers: JSON.parse(r.numbers) as string[] } : undefined;
    },
    putWindowDay(office: string, day: string, rows: ReadonlyArray<{ windowNo: number; staffId: string; staffedMs: number; pausedMs: number }>): void {
      q.deleteWindowDay.run(day, office);
      for (const r of rows) q.putWindowDay.run(day, office, r.windowNo, r.staffId, Math.round(r.staffedMs), Math.round(r.pausedMs));
    },
    windowDays(offices: ReadonlySet<string>, from: string, to: string): StaffedRow[] {
      const rows = q.windowDays.all(from, to) as Array<{ day: string; office: string; window_no: number; staff_id: string; staffed_ms: number }>;
      return rows.filter((r) => offices.has(r.office)).map((r) => ({ office: r.office, day: r.day, windowNo: r.window_no, staffId: r.staff_id, staffedMs: r.staffed_ms }));
    },
    /** Window events with `start` ≤ at < `end`, in log order (staff only on presence events). */
    windowEvents(start: number, end: number): WindowLogEvent[] {
      const rows = q.windowEvents.all(start, end) as Array<{ window_id: string; type: string; at: number; json: string | null }>;
      return rows.map((r) => ({ windowId: r.window_id, type: r.type, at: r.at, staffId: staffOf(r.json) }));
    },
    /** A window's presence just before `at`: who was signed in, paused or not. */
    presenceBefore(windowId: string, at: number): PresenceAtStart | undefined {
      const r = q.presenceBefore.get(windowId, at) as { type: string; json: string } | undefined;
      if (!r || r.type === 'signed_out') return undefined;
      return { staffId: staffOf(r.json) ?? '', paused: r.type === 'paused' };
    },
    /** Appends a call-back; false when this request id was recorded already (a retry). */
    appendFollowup(f: { requestId: string; ticketId: string; office: string; at: number; staffId: string; outcome: FollowupOutcome; satisfaction: number | null; note: string }): boolean {
      if (q.followupByRequest.get(f.requestId) !== undefined) return false;
      q.appendFollowup.run(f.requestId, f.ticketId, f.office, f.at, f.staffId, f.outcome, f.satisfaction, f.note);
      return true;
    },
    /** Tickets of an office called back at least once. */
    followedUp(office: string): Set<string> {
      return new Set((q.followedUp.all(office) as Array<{ ticket_id: string }>).map((r) => r.ticket_id));
    },
    ticket(ticketId: string): TicketState | undefined {
      const r = q.ticket.get(ticketId) as { json: string } | undefined;
      return r ? (JSON.parse(r.json) as TicketState) : undefined;
    },
    latestFollowup(ticketId: string): Omit<FollowupRecord, 'staffName'> | undefined {
      const r = q.latestFollowup.get(ticketId) as { outcome: FollowupOutcome; satisfaction: number | null; note: string; at: number; staff_id: string } | undefined;
      return r ? { outcome: r.outcome, satisfaction: r.satisfaction, note: r.note, at: r.at, staffId: r.staff_id } : undefined;
    },
  };
}
