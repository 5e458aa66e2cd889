import { z } from 'zod';
import type { DrillDim } from './api.js';
import type { KpiLabels } from './kpi-history.js';
import type { Bucket } from './period.js';

/**
 * Case figures (办件) for the dashboard, from the hall's case log (definitions: case-facts.ts): cases
 * accepted (受理), one-time notices (一次性告知), not accepted, instant approvals (即办秒批), cross-
 * region cases (跨域通办/代收代办) and their forwarding, escalations to the 办不成事 window (open and
 * resolved), decisions against the promised date, and overdue cases — by period, board, window,
 * clerk and office, over the same range as the ticket figures. The hall supplies a `CaseKpiSource`
 * (upstream/dashboard/case-kpi.ts); without one the section says so, never a made-up zero.
 */
export const CASE_FIGURES = [
  'accepted',
  'oneTimeNotices',
  'notAccepted',
  'instantApprovals',
  'crossRegion',
  'forwarded',
  'escalations',
  'escalationsOpen',
  'decided',
  'decidedOnTime',
  'overdue',
] as const;
export const CaseFigure = z.enum(CASE_FIGURES);
export type CaseFigure = z.infer<typeof CaseFigure>;

const Count = z.number().int().nonnegative();
export const CaseFigures = z.object({
  accepted: Count,
  oneTimeNotices: Count,
  notAccepted: Count,
  instantApprovals: Count,
  crossRegion: Count,
  forwarded: Count,
  /** Escalations made in the period, and of those the ones still open now. */
  escalations: Count,
  escalationsOpen: Count,
  /** Accepted cases approved or refused in the period, and of those the ones on or before the promised date. */
  decided: Count,
  decidedOnTime: Count,
  /** Cases accepted in the period, not decided, whose promised date has passed. */
  overdue: Count,
});
export type CaseFigures = z.infer<typeof CaseFigures>;

export const CASE_FIGURE_LABEL: Record<CaseFigure, string> = {
  accepted: '受理',
  oneTimeNotices: '一次性告知',
  notAccepted: '不予受理',
  instantApprovals: '即办秒批',
  crossRegion: '跨域通办受理',
  forwarded: '代收代办转报',
  escalations: '办不成事反映',
  escalationsOpen: '反映未办结',
  decided: '办结',
  decidedOnTime: '承诺时限内办结',
  overdue: '逾期未办结',
};

/** Share of decisions made by the promised date; null when nothing was decided. */
export function onTimeShare(f: CaseFigures): number | null {
  return f.decided > 0 ? f.decidedOnTime / f.decided : null;
}

export const CaseFigureRow = CaseFigures.extend({ key: z.string(), label: z.string() });
export type CaseFigureRow = z.infer<typeof CaseFigureRow>;

export const CaseSection = z.discriminatedUnion('available', [
  z.object({
    available: z.literal(true),
    totals: CaseFigureRow,
    /** Same keys as the ticket breakdowns: period start, board code, "<office>/<window no>", staff id, office id. */
    series: z.array(CaseFigureRow),
    byBoard: z.array(CaseFigureRow),
    byWindow: z.array(CaseFigureRow),
    byStaff: z.array(CaseFigureRow),
    byOffice: z.array(CaseFigureRow),
  }),
  z.object({ available: z.literal(false), note: z.string() }),
]);
export type CaseSection = z.infer<typeof CaseSection>;
export type CaseSectionData = Extract<CaseSection, { available: true }>;

/** One case behind a figure. */
export const CaseRef = z.object({
  caseId: z.string(),
  caseNo: z.string().nullable(),
  title: z.string(),
  day: z.string(),
  office: z.string(),
  board: z.string(),
  window: z.string(),
  staff: z.string(),
  ticketNumber: z.string().nullable(),
});
export type CaseRef = z.infer<typeof CaseRef>;

export const CaseDrillResult = z.object({ total: Count, cases: z.array(CaseRef), truncated: z.boolean() });
export type CaseDrillResult = z.infer<typeof CaseDrillResult>;

export interface CaseQuery {
  /** Offices to count, in the order to list them (the supervisor's office, and for the county its branches). */
  offices: readonly string[];
  /** Business days, both included (YYYY-MM-DD, hall time zone). */
  from: string;
  to: string;
  bucket: Bucket;
  /** The hall's business date now: a case is overdue once its promised date is before it. */
  today: string;
  labels: KpiLabels;
}

export interface CaseDrillQuery extends CaseQuery {
  figure: CaseFigure;
  dim: DrillDim;
  /** The row's key in that breakdown. */
  key: string | undefined;
  limit: number;
}

/** The case log's side of the dashboard. Implemented over the case log on the hall server. */
export interface CaseKpiSource {
  figures(q: CaseQuery): CaseSection;
  /** The cases behind one figure (for the drill-down), most recent first, at most `limit`. */
  cases(q: CaseDrillQuery): CaseDrillResult;
}

export const CASES_NOT_CONNECTED = '办件数据（受理、一次性告知、秒批、跨域通办、办不成事）来自办件日志，大厅服务器未接入办件日志，暂不显示。';

/** The source of a hall without a case log: says so, counts nothing. */
export const noCaseSource: CaseKpiSource = {
  figures: () => ({ available: false, note: CASES_NOT_CONNECTED }),
  cases: () => ({ total: 0, cases: [], truncated: false }),
};
