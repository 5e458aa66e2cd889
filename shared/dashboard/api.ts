import { z } from 'zod';
import { OfficeId } from '../queue/types.js';
import { CaseDrillResult, CaseFigure } from './case-source.js';
import { FollowupList, FollowupOutcome } from './followup.js';
import { Bucket, DateString, daysBetween } from './period.js';
import { DrillResult, HistoryReport, LiveView } from './views.js';

/**
 * The hall server's dashboard routes, in the shape of `HallApi` (shared/hall/api.ts), into which
 * they are spread. All need a signed-in session whose staff member is a supervisor (大厅负责人) or an
 * administrator; the hall checks the role and the office (a county supervisor sees the county hall
 * and its branches, a branch supervisor only the branch). GET inputs arrive as query strings.
 */
export const MAX_RANGE_DAYS = 400;
export const DEFAULT_QUEUE_ALARM_LENGTH = 20;
export const DRILL_MAX = 500;

/** The supervisor's own office (omitted), one office, or every office they may see. */
const OfficeScope = z.union([OfficeId, z.literal('all')]);
const QueryInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const Range = z.object({ office: OfficeScope.optional(), from: DateString, to: DateString, bucket: Bucket.default('day') });
const rangeChecks = <T extends { from: string; to: string }>(s: z.ZodType<T>) =>
  s
    .refine((q) => q.from <= q.to, { message: '开始日期不能晚于结束日期', path: ['to'] })
    .refine((q) => daysBetween(q.from, q.to) < MAX_RANGE_DAYS, { message: `查询范围最长 ${MAX_RANGE_DAYS} 天`, path: ['to'] });

export const HistoryQuery = rangeChecks(Range.strict());
export type HistoryQuery = z.infer<typeof HistoryQuery>;

/** The figure whose tickets a drill-down lists. */
export const DrillFigure = z.enum(['issued', 'called', 'within_target', 'over_target', 'done', 'no_show', 'left', 'open', 'rated', 'satisfied', 'low']);
export type DrillFigure = z.infer<typeof DrillFigure>;
export const DrillDim = z.enum(['total', 'board', 'window', 'staff', 'office', 'bucket']);
export type DrillDim = z.infer<typeof DrillDim>;

/** A drill-down's query: the range, the figure whose tickets (or cases) to list, the breakdown row, how many. */
const drillQuery = <F extends z.ZodEnum>(figure: F) =>
  rangeChecks(
    Range.extend({
      figure,
      dim: DrillDim.default('total'),
      /** The row's key in that breakdown (board code, "<office>/<window no>", staff id, office id, period start). */
      key: z.string().max(80).optional(),
      limit: QueryInt(1, DRILL_MAX).default(200),
    }).strict(),
  );

export const DrillQuery = drillQuery(DrillFigure);
export type DrillQuery = z.infer<typeof DrillQuery>;

/** The cases (case numbers) behind a case figure. */
export const CaseDrillInput = drillQuery(CaseFigure);
export type CaseDrillInput = z.infer<typeof CaseDrillInput>;

/** A call-back's record, as the supervisor enters it. */
export const FollowupRecordFields = z.object({
  ticketId: z.string().min(1).max(64),
  outcome: FollowupOutcome,
  satisfaction: z.number().int().min(1).max(5).optional(),
  note: z.string().trim().max(300).optional(),
});
export const reachedNeedsSatisfaction = <T extends { outcome: string; satisfaction?: number | undefined }>(s: z.ZodType<T>) =>
  s.refine((r) => r.outcome !== 'reached' || r.satisfaction !== undefined, { message: '已回访的，请记录满意程度', path: ['satisfaction'] });

export const FollowupRecordInput = reachedNeedsSatisfaction(
  FollowupRecordFields.extend({ requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) }).strict(),
);

export const ExportFile = z.object({ filename: z.string(), mime: z.string(), content: z.string() });
export type ExportFile = z.infer<typeof ExportFile>;

const Ok = z.object({ ok: z.literal(true) });

export const DashboardApi = {
  dashboardLive: {
    method: 'GET',
    path: '/api/dashboard/live',
    auth: 'session',
    input: z.object({ office: OfficeId.optional(), queueAlarmLength: QueryInt(1, 500).default(DEFAULT_QUEUE_ALARM_LENGTH) }).strict(),
    output: LiveView,
  },
  dashboardHistory: { method: 'GET', path: '/api/dashboard/history', auth: 'session', input: HistoryQuery, output: HistoryReport },
  dashboardDrill: { method: 'GET', path: '/api/dashboard/drill', auth: 'session', input: DrillQuery, output: DrillResult },
  dashboardCases: { method: 'GET', path: '/api/dashboard/cases', auth: 'session', input: CaseDrillInput, output: CaseDrillResult },
  dashboardFollowups: {
    method: 'GET',
    path: '/api/dashboard/followups',
    auth: 'session',
    input: z.object({ office: OfficeId.optional(), week: DateString }).strict(),
    output: FollowupList,
  },
  dashboardFollowupRecord: { method: 'POST', path: '/api/dashboard/followups/record', auth: 'session', input: FollowupRecordInput, output: Ok },
  dashboardExport: {
    method: 'GET',
    path: '/api/dashboard/export',
    auth: 'session',
    input: rangeChecks(Range.extend({ format: z.literal('csv') }).strict()),
    output: ExportFile,
  },
} as const satisfies Record<string, { method: 'GET' | 'POST'; path: string; auth: 'session'; input: z.ZodType; output: z.ZodType }>;

export type DashboardRouteName = keyof typeof DashboardApi;
export type DashboardInput<N extends DashboardRouteName> = z.input<(typeof DashboardApi)[N]['input']>;
export type DashboardOutput<N extends DashboardRouteName> = z.infer<(typeof DashboardApi)[N]['output']>;
