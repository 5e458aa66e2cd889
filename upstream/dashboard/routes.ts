import type { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import type { DashboardApi, DashboardOutput, DashboardRouteName } from '../../shared/dashboard/api.js';
import type { RouteContext } from '../http/routes.js';
import type { DashboardService } from './service.js';

/**
 * The handlers behind the DashboardApi routes, spread by the hall next to `createRouteHandlers`.
 * Inputs arrive validated and the session authenticated (auth 'session'); each handler checks that
 * the signed-in staff member is a supervisor and may see the office asked for (DashboardService.scope).
 */
type Handler<N extends DashboardRouteName> = (
  input: z.infer<(typeof DashboardApi)[N]['input']>,
  ctx: RouteContext,
) => DashboardOutput<N> | Promise<DashboardOutput<N>>;
export type DashboardRouteHandlers = { [N in DashboardRouteName]: Handler<N> };

function staffOf(ctx: RouteContext): string {
  if (!ctx.session) throw new AppError('internal', '系统内部错误。', 'dashboard route without session context');
  return ctx.session.session.staffId;
}

export function createDashboardRouteHandlers(dashboard: DashboardService): DashboardRouteHandlers {
  return {
    dashboardLive: (input, ctx) => dashboard.live(staffOf(ctx), input),
    dashboardHistory: (input, ctx) => dashboard.history(staffOf(ctx), input),
    dashboardDrill: (input, ctx) => dashboard.drill(staffOf(ctx), input),
    dashboardCases: (input, ctx) => dashboard.drillCases(staffOf(ctx), input),
    dashboardFollowups: (input, ctx) => dashboard.followups.list(staffOf(ctx), input),
    dashboardFollowupRecord: (input, ctx) => {
      dashboard.followups.recordCallBack(staffOf(ctx), input);
      return { ok: true as const };
    },
    dashboardExport: (input, ctx) => dashboard.exportCsv(staffOf(ctx), input),
  };
}
