import { z } from 'zod';
import { method } from '../contract-method.js';
import { OfficeId } from '../queue/types.js';
import { DashboardApi, ExportFile, FollowupRecordFields, reachedNeedsSatisfaction } from './api.js';
import { FollowupList } from './followup.js';

/**
 * The workstation methods of the supervisor's dashboard, spread into `Contract` (shared/contract.ts).
 * Each asks the hall server (the only place that holds every window's log); the hall refuses anyone
 * but a supervisor. Nothing here works offline: the dashboard says so rather than show stale figures.
 */
export const DashboardMethods = {
  'dashboard.live': method(DashboardApi.dashboardLive.input, DashboardApi.dashboardLive.output, { session: true }),
  'dashboard.history': method(DashboardApi.dashboardHistory.input, DashboardApi.dashboardHistory.output, { session: true }),
  /** The tickets behind one figure. */
  'dashboard.drill': method(DashboardApi.dashboardDrill.input, DashboardApi.dashboardDrill.output, { session: true }),
  /** The cases (case numbers) behind one case figure. */
  'dashboard.drillCases': method(DashboardApi.dashboardCases.input, DashboardApi.dashboardCases.output, { session: true }),
  'dashboard.followups': method(DashboardApi.dashboardFollowups.input, FollowupList, { session: true }),
  /** Records a call-back (the backend adds the request id that makes a retry harmless), then returns the week's list. */
  'dashboard.recordFollowup': method(
    reachedNeedsSatisfaction(FollowupRecordFields.extend({ office: OfficeId.optional(), week: DashboardApi.dashboardFollowups.input.shape.week }).strict()),
    FollowupList,
    { session: true },
  ),
  /** The report as CSV; also saved under the workstation's data folder (exports/) when it has one. */
  'dashboard.exportCsv': method(DashboardApi.dashboardExport.input, ExportFile.extend({ savedPath: z.string().nullable() }), { session: true }),
  /** The report as a PDF (Song-style CJK font, tables and a wait chart), saved like the CSV. */
  'dashboard.exportPdf': method(
    DashboardApi.dashboardHistory.input,
    z.object({ filename: z.string(), mime: z.string(), contentBase64: z.string(), savedPath: z.string().nullable() }),
    { session: true },
  ),
} as const;

export type DashboardMethodName = keyof typeof DashboardMethods;
export type DashboardMethodInput<M extends DashboardMethodName> = z.input<(typeof DashboardMethods)[M]['input']>;
export type DashboardMethodOutput<M extends DashboardMethodName> = z.infer<(typeof DashboardMethods)[M]['output']>;
