import { z } from 'zod';
import { Bucket } from './period.js';
import { CaseFigures, CaseSection } from './case-source.js';
import { FollowupOutcome } from './followup.js';
import { QuoteSection } from './quotes.js';
import { TicketRef } from './ticket-ref.js';

/** What the supervisor's screens receive from the hall. Durations in ms, shares as fractions 0–1. */
const Count = z.number().int().nonnegative();
const Ms = z.number().nonnegative().nullable();
const Share = z.number().min(0).max(1).nullable();

/** One line of figures: the whole range, one period, or one board / window / clerk / office. */
export const KpiRow = z.object({
  key: z.string(),
  label: z.string(),
  issued: Count,
  /** Tickets called at least once (those that have a wait). */
  called: Count,
  done: Count,
  noShow: Count,
  /** Cancelled, or (on a past day) never finished: 离开未办. */
  left: Count,
  /** Still in a line or at a window (today only). */
  open: Count,
  waitAvgMs: Ms,
  waitMedianMs: Ms,
  waitP90Ms: Ms,
  waitMaxMs: Ms,
  /** Called tickets whose wait was at most the target. */
  withinTarget: Count,
  withinTargetShare: Share,
  serviceAvgMs: Ms,
  serviceMedianMs: Ms,
  serviceP90Ms: Ms,
  noShowRate: Share,
  leftRate: Share,
  rated: Count,
  /** Rated 3–5 (基本满意 and better): 好评. */
  satisfied: Count,
  /** Rated 1–2: 差评. */
  low: Count,
  ratedShare: Share,
  satisfactionRate: Share,
  avgRating: z.number().nullable(),
  /** Signed-in, unpaused window time; null where it does not apply (a board). */
  staffedMs: Ms,
  /** Finished services per staffed hour. */
  throughputPerHour: z.number().nonnegative().nullable(),
  /** Service time ÷ staffed time. */
  utilisation: z.number().nonnegative().nullable(),
});
export type KpiRow = z.infer<typeof KpiRow>;

export const HourRow = z.object({ hour: z.number().int().min(0).max(23), issued: Count, called: Count, waitAvgMs: Ms });
export type HourRow = z.infer<typeof HourRow>;

export const LowRatingRow = TicketRef.extend({
  level: z.number().int().min(1).max(5),
  reason: z.string(),
  followup: z.object({ outcome: FollowupOutcome, satisfaction: z.number().int().nullable(), at: z.number() }).nullable(),
});
export type LowRatingRow = z.infer<typeof LowRatingRow>;

export const HistoryReport = z.object({
  office: z.string(),
  offices: z.array(z.object({ id: z.string(), name: z.string() })),
  from: z.string(),
  to: z.string(),
  bucket: Bucket,
  generatedAt: z.number(),
  targetWaitMinutes: z.number(),
  totals: KpiRow,
  series: z.array(KpiRow),
  byBoard: z.array(KpiRow),
  byWindow: z.array(KpiRow),
  byStaff: z.array(KpiRow),
  byOffice: z.array(KpiRow),
  hours: z.array(HourRow),
  lowRatings: z.array(LowRatingRow),
  lowRatingsTotal: Count,
  /** The wait the kiosk quoted on the ticket, against the real one (quotes.ts). */
  quoted: QuoteSection,
  cases: CaseSection,
});
export type HistoryReport = z.infer<typeof HistoryReport>;

export const LiveBoard = z.object({
  code: z.string(),
  name: z.string(),
  waiting: Count,
  held: Count,
  overTarget: Count,
  longestWaitMs: z.number().nonnegative(),
  /** Open windows serving the board (a window serving k boards counts 1/k). */
  effectiveWindows: z.number().nonnegative(),
  estimateMinutes: z.number().int().nullable(),
});
export type LiveBoard = z.infer<typeof LiveBoard>;

export const LiveWindowStatus = z.enum(['closed', 'paused', 'idle', 'called', 'serving']);
export type LiveWindowStatus = z.infer<typeof LiveWindowStatus>;
export const LIVE_WINDOW_STATUS_LABEL: Record<LiveWindowStatus, string> = {
  closed: '未开放',
  paused: '暂停服务',
  idle: '空闲',
  called: '已叫号',
  serving: '办理中',
};

export const LiveWindow = z.object({
  id: z.string(),
  no: z.number().int(),
  name: z.string(),
  boards: z.array(z.string()),
  status: LiveWindowStatus,
  staffId: z.string().nullable(),
  staffName: z.string().nullable(),
  pauseReason: z.string().nullable(),
  current: z
    .object({ ticketId: z.string(), number: z.string(), board: z.string(), status: z.enum(['CALLED', 'SERVING']), elapsedMs: z.number().nonnegative() })
    .nullable(),
  /** Open and without a ticket: for how long (since its last action, sign-in or unpause). */
  idleMs: z.number().nonnegative().nullable(),
  doneToday: Count,
});
export type LiveWindow = z.infer<typeof LiveWindow>;

export const LiveAlarm = z.object({
  kind: z.enum(['wait_over_target', 'queue_too_long', 'idle_window']),
  board: z.string().nullable(),
  windowId: z.string().nullable(),
  message: z.string(),
});
export type LiveAlarm = z.infer<typeof LiveAlarm>;

export const LiveSuggestion = z.object({
  kind: z.enum(['open_window', 'close_window']),
  board: z.string().nullable(),
  windowId: z.string().nullable(),
  message: z.string(),
});
export type LiveSuggestion = z.infer<typeof LiveSuggestion>;

export const LiveView = z.object({
  office: z.string(),
  officeName: z.string(),
  offices: z.array(z.object({ id: z.string(), name: z.string() })),
  serverNow: z.number(),
  day: z.string(),
  targetWaitMinutes: z.number(),
  queueAlarmLength: z.number().int(),
  boards: z.array(LiveBoard),
  windows: z.array(LiveWindow),
  alarms: z.array(LiveAlarm),
  suggestions: z.array(LiveSuggestion),
  today: KpiRow,
  /** Today's case figures of the office; null when the hall has no case log. */
  todayCases: CaseFigures.nullable(),
});
export type LiveView = z.infer<typeof LiveView>;

/** The tickets behind a figure. */
export const DrillTicket = TicketRef.extend({
  outcome: z.enum(['open', 'done', 'no_show', 'cancelled']),
  waitMs: z.number().nullable(),
  serviceMs: z.number().nullable(),
  rating: z.number().int().nullable(),
});
export type DrillTicket = z.infer<typeof DrillTicket>;

export const DrillResult = z.object({ total: Count, tickets: z.array(DrillTicket), truncated: z.boolean() });
export type DrillResult = z.infer<typeof DrillResult>;
