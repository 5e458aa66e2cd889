import { z } from 'zod';

/**
 * Case figures (办件) for the dashboard, from the hall's case log: how many cases were accepted
 * (受理), how many one-time notices (一次性告知) and instant approvals (秒批) were issued, how many
 * cases were handled for another jurisdiction (跨域通办 / 代收代办) and how many were escalated
 * (办不成事反映). The case log is built apart from the ticket log; whoever builds it supplies a
 * `CaseKpiSource` and the dashboard shows its figures next to the ticket figures. Until then the
 * section says it is not connected, never a made-up zero.
 */
export const CaseFigures = z.object({
  accepted: z.number().int().nonnegative(),
  oneTimeNotices: z.number().int().nonnegative(),
  instantApprovals: z.number().int().nonnegative(),
  crossRegion: z.number().int().nonnegative(),
  escalations: z.number().int().nonnegative(),
});
export type CaseFigures = z.infer<typeof CaseFigures>;

export const CASE_FIGURE_LABEL: Record<keyof CaseFigures, string> = {
  accepted: '受理办件',
  oneTimeNotices: '一次性告知',
  instantApprovals: '即办秒批',
  crossRegion: '跨域通办',
  escalations: '办不成事反映',
};

export const CaseFigureRow = CaseFigures.extend({ key: z.string(), label: z.string() });
export type CaseFigureRow = z.infer<typeof CaseFigureRow>;

export const CaseSection = z.discriminatedUnion('available', [
  z.object({
    available: z.literal(true),
    totals: CaseFigures,
    /** Same keys as the ticket breakdowns: office id, "<office>/<window no>", staff id. */
    byOffice: z.array(CaseFigureRow),
    byWindow: z.array(CaseFigureRow),
    byStaff: z.array(CaseFigureRow),
  }),
  z.object({ available: z.literal(false), note: z.string() }),
]);
export type CaseSection = z.infer<typeof CaseSection>;

export type CaseFigure = keyof CaseFigures;

export interface CaseQuery {
  /** Offices to count (the supervisor's office, and for the county also its branches). */
  offices: readonly string[];
  /** Business days, both included (YYYY-MM-DD, hall time zone). */
  from: string;
  to: string;
}

/** The case log's side of the dashboard. Implemented over the case log on the hall server. */
export interface CaseKpiSource {
  figures(q: CaseQuery): CaseSection;
  /** The cases behind one figure (for the drill-down), at most `limit`. */
  cases(q: CaseQuery & { figure: CaseFigure; limit: number }): { total: number; cases: Array<{ caseNo: string; ticketId: string | null; day: string; office: string }> };
}

export const CASES_NOT_CONNECTED = '办件数据（受理、一次性告知、秒批、跨域通办、办不成事）来自办件日志，办件日志接入大厅服务器后在此显示。';

/** The source used until the case log is connected: says so, counts nothing. */
export const noCaseSource: CaseKpiSource = {
  figures: () => ({ available: false, note: CASES_NOT_CONNECTED }),
  cases: () => ({ total: 0, cases: [] }),
};
