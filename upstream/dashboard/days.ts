import { buildDay, type BuiltDay } from '../../shared/dashboard/day.js';
import type { StaffedRow } from '../../shared/dashboard/kpi-history.js';
import { addDays, dayStartMs } from '../../shared/dashboard/period.js';
import { staffedTime, type PresenceAtStart } from '../../shared/dashboard/presence.js';
import { parseWindowId, windowId, type HallConfig } from '../../shared/office/config.js';
import { businessDate } from '../../shared/queue/numbering.js';
import type { TicketState } from '../../shared/queue/types.js';
import type { DashboardStore } from './day-store.js';

/**
 * Keeps the per-day tables (dash_day, dash_window_day) equal to what the logs say, lazily: each
 * query first reads the logs past their cursors and marks the days they touch as stale, then
 * rebuilds the stale past days it needs from the ticket projections and the window log. Today is
 * never stored: it is built from the log on every read. So a stored day is always exactly what
 * `buildDay` / `staffedTime` make of the log, which the equality test checks.
 */
export class DayTables {
  constructor(
    private readonly store: DashboardStore,
    private readonly config: HallConfig,
    private readonly transaction: <T>(fn: () => T) => T,
  ) {}

  private get tz(): string {
    return this.config.timeZone;
  }

  /** Marks the days touched by log entries not seen yet as stale, and moves the cursors on. */
  catchUp(): void {
    this.transaction(() => {
      const after = this.store.cursor('ticket');
      let last = after;
      for (const r of this.store.ticketDaysAfter(after)) {
        this.store.markDirty('ticket', r.office, r.day);
        last = Math.max(last, r.seq);
      }
      if (last > after) this.store.setCursor('ticket', last);
      const wAfter = this.store.cursor('window');
      let wLast = wAfter;
      for (const r of this.store.windowHoursAfter(wAfter)) {
        this.store.markDirty('window', parseWindowId(r.window_id).office, businessDate(r.hour * 3_600_000, this.tz));
        wLast = Math.max(wLast, r.seq);
      }
      if (wLast > wAfter) this.store.setCursor('window', wLast);
    });
  }

  /** Rebuilds the stale past days of `offices` between `from` and `to` (today and later are never stored). */
  ensureBuilt(offices: ReadonlySet<string>, from: string, to: string, today: string, now: number): void {
    const last = to < today ? to : addDays(today, -1);
    if (from > last) return;
    this.transaction(() => {
      for (const d of this.store.dirtyIn('ticket', from, last)) {
        if (!offices.has(d.office)) continue;
        this.store.putDay(this.ticketDay(d.office, d.day), now);
        this.store.clearDirty('ticket', d.office, d.day);
      }
      for (const d of this.store.dirtyIn('window', from, last)) {
        if (!offices.has(d.office)) continue;
        const rows = this.staffedRows(d.office, d.day, dayStartMs(addDays(d.day, 1), this.tz), true);
        this.store.putWindowDay(d.office, d.day, rows);
        this.store.clearDirty('window', d.office, d.day);
      }
    });
  }

  /** One office's day built from the ticket projections (the reducer's output for each ticket) and the quotes of their issue. */
  ticketDay(office: string, day: string, states?: readonly TicketState[]): BuiltDay {
    const list = states ?? this.store.ticketsOfDay(office, day);
    return buildDay(office, day, list, dayStartMs(day, this.tz), this.quotes(office, day, list));
  }

  /**
   * The quotes of a day's tickets. An issued event never changes, so the latest day's are kept and
   * only a ticket not seen before is looked up: today, rebuilt on every read, costs a lookup per new
   * ticket, not a read of the whole day.
   */
  private quoteCache = { day: '', seen: new Map<string, Set<string>>(), quotes: new Map<string, number>() };
  private quotes(office: string, day: string, states: readonly TicketState[]): ReadonlyMap<string, number> {
    const c = this.quoteCache;
    if (c.day !== day) this.quoteCache = { day, seen: new Map(), quotes: new Map() };
    const seen = this.quoteCache.seen.get(office) ?? new Set<string>();
    this.quoteCache.seen.set(office, seen);
    const quotes = this.quoteCache.quotes;
    const missing = states.filter((t) => !seen.has(t.ticketId));
    const fresh = missing.length > 20 ? this.store.quotesOfDay(office, day) : undefined;
    for (const t of missing) {
      const q = fresh ? fresh.get(t.ticketId) : this.store.quoteOf(t.ticketId);
      if (q !== undefined) quotes.set(t.ticketId, q);
      seen.add(t.ticketId);
    }
    return quotes;
  }

  /** Staffed time of an office's windows on a day, up to `end` (today: now). */
  staffedRows(office: string, day: string, end: number, pastDay: boolean): Array<StaffedRow & { pausedMs: number }> {
    const start = dayStartMs(day, this.tz);
    const o = this.config.offices.find((x) => x.id === office);
    const windowIds = new Set((o?.windows ?? []).map((w) => windowId(office, w.no)));
    const atStart = new Map<string, PresenceAtStart>();
    for (const id of windowIds) {
      const p = this.store.presenceBefore(id, start);
      if (p) atStart.set(id, p);
    }
    const events = this.store.windowEvents(start, end).filter((e) => windowIds.has(e.windowId));
    return staffedTime(atStart, events, { dayEnd: end, pastDay }).map((s) => ({
      office,
      day,
      windowNo: parseWindowId(s.windowId).no,
      staffId: s.staffId,
      staffedMs: s.staffedMs,
      pausedMs: s.pausedMs,
    }));
  }
}
