import { AppError } from '../../shared/errors.js';
import { selectFollowups, type FollowupList, type FollowupOutcome, type FollowupRecord } from '../../shared/dashboard/followup.js';
import type { KpiLabels, LowRatingFact } from '../../shared/dashboard/kpi-history.js';
import { kpiLabels } from '../../shared/dashboard/labels.js';
import { addDays, eachDay, weekStart } from '../../shared/dashboard/period.js';
import type { LowRatingRow } from '../../shared/dashboard/views.js';
import { parseWindowId, type HallConfig } from '../../shared/office/config.js';
import type { DashboardStore } from './day-store.js';
import type { Scope } from './service.js';

/**
 * 回访: the week's list (shared/dashboard/followup.ts picks it from the ticket log) and the
 * supervisor's records of each call-back, appended to followup_event (the latest one counts).
 */
export class FollowupService {
  constructor(
    private readonly store: DashboardStore,
    private readonly config: HallConfig,
    private readonly transaction: <T>(fn: () => T) => T,
    private readonly now: () => number,
    private readonly scope: (staffId: string, office: string | undefined) => Scope,
  ) {}

  private record(ticketId: string): FollowupRecord | null {
    const r = this.store.latestFollowup(ticketId);
    if (!r) return null;
    return { ...r, staffName: this.config.staff.find((s) => s.id === r.staffId)?.name ?? r.staffId };
  }

  /** The low ratings of a report, each with its latest call-back. */
  lowRatingRows(lows: readonly LowRatingFact[], labels: KpiLabels): LowRatingRow[] {
    return lows.map((l) => {
      const f = this.record(l.ticketId);
      return {
        ticketId: l.ticketId,
        number: l.number,
        day: l.day,
        office: l.office,
        board: labels.boardName(l.board),
        window: l.windowNo > 0 ? labels.windowName(l.office, l.windowNo) : '',
        staff: l.staffId ? labels.staffName(l.staffId) : '',
        level: l.level,
        reason: l.reason,
        followup: f ? { outcome: f.outcome, satisfaction: f.satisfaction, at: f.at } : null,
      };
    });
  }

  list(staffId: string, input: { office?: string | undefined; week: string }): FollowupList {
    const office = this.scope(staffId, input.office).offices[0]!;
    const week = weekStart(input.week);
    const weekEnd = addDays(week, 6);
    const states = eachDay(week, weekEnd).flatMap((day) => this.store.ticketsOfDay(office, day));
    const picked = selectFollowups(states, this.store.followedUp(office));
    const labels = kpiLabels(this.config, 1);
    const rows = picked.map(({ ticket: t, reason }) => ({
      ticketId: t.ticketId,
      number: t.number,
      day: t.businessDate,
      office: t.office,
      board: labels.boardName(t.originalBoard),
      window: t.windowId ? labels.windowName(t.office, parseWindowId(t.windowId).no) : '',
      staff: t.staffId ? labels.staffName(t.staffId) : '',
      finishedAt: t.finishedAt ?? t.lastEventAt,
      caseNo: t.caseNo ?? null,
      reason,
      rating: t.rating?.level ?? null,
      ratingReason: t.rating?.reason ?? null,
      record: this.record(t.ticketId),
    }));
    return { office, week, weekEnd, rows, recorded: rows.filter((r) => r.record !== null).length };
  }

  /** Records one call-back of a finished service the supervisor may see. A retried request id records nothing new. */
  recordCallBack(
    staffId: string,
    input: { ticketId: string; outcome: FollowupOutcome; satisfaction?: number | undefined; note?: string | undefined; requestId: string },
  ): { ok: true; office: string; day: string } {
    const t = this.store.ticket(input.ticketId);
    if (!t) throw new AppError('not_found', '没有找到该号码，无法记录回访。', `unknown ticket ${input.ticketId}`);
    this.scope(staffId, t.office);
    if (t.status !== 'DONE') throw new AppError('conflict', `号码 ${t.number} 尚未办结，不能回访。`, `ticket ${t.ticketId} is ${t.status}`);
    if (input.outcome !== 'reached' && input.satisfaction !== undefined) {
      throw new AppError('bad_request', '未联系上申请人时不能记录满意程度。', 'satisfaction without reaching the applicant');
    }
    this.transaction(() =>
      this.store.appendFollowup({
        requestId: input.requestId,
        ticketId: t.ticketId,
        office: t.office,
        at: this.now(),
        staffId,
        outcome: input.outcome,
        satisfaction: input.satisfaction ?? null,
        note: input.note ?? '',
      }),
    );
    return { ok: true, office: t.office, day: t.businessDate };
  }
}
