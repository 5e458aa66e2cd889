import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { AppError } from '../../../shared/errors.js';
import type { DashboardInput, DashboardOutput, DashboardRouteName } from '../../../shared/dashboard/api.js';
import type { DashboardMethodName, DashboardMethodOutput, DashboardMethods } from '../../../shared/dashboard/contract.js';
import type { HallAuth } from '../hall-client/http.js';
import { createLogger } from '../log.js';
import { renderReportPdf } from './report-pdf.js';

const log = createLogger('dashboard');

/**
 * The workstation's side of the supervisor's dashboard: each contract method asks the hall server
 * (the hall checks that the signed-in staff member is a supervisor). Exports are also saved under
 * the workstation's data folder, so the supervisor finds them again without a download dialog.
 */
export type DashboardCall = <N extends DashboardRouteName>(name: N, input: DashboardInput<N>, auth: HallAuth, timeoutMs?: number) => Promise<DashboardOutput<N>>;

export interface DashboardHandlerDeps {
  /** The hall client's typed call (HallHttp.call), or null when no hall server is configured. */
  call(): DashboardCall | null;
  /** Device and session tokens of the signed-in staff member; null when nobody is signed in. */
  auth(): HallAuth | null;
  /** Where exports are saved (…/exports); null: not saved, only handed to the UI. */
  exportsDir: string | null;
}

export type DashboardHandlers = { [M in DashboardMethodName]: (input: z.infer<(typeof DashboardMethods)[M]['input']>) => Promise<DashboardMethodOutput<M>> };

export const DASHBOARD_OFFLINE = '无法连接大厅服务器：运行监测的数据都在大厅服务器上，请检查网络后重试。';
/** The first query of a long range may build the hall's day tables: give it time. */
const HISTORY_TIMEOUT_MS = 30_000;

/** Drops undefined fields: a GET input goes into a query string, where "undefined" would be a value. */
function defined<T extends object>(input: T): T {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as T;
}

/** A file name safe on every desktop (no path separators or reserved characters). */
export function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 120);
}

export function createDashboardHandlers(deps: DashboardHandlerDeps): DashboardHandlers {
  async function ask<N extends DashboardRouteName>(name: N, input: DashboardInput<N>, timeoutMs?: number): Promise<DashboardOutput<N>> {
    const call = deps.call();
    if (!call) throw new AppError('offline', '未配置大厅服务器，无法查看运行监测。');
    const auth = deps.auth();
    if (!auth) throw new AppError('unauthorized', '请先登录');
    try {
      return await call(name, defined(input as object) as DashboardInput<N>, auth, timeoutMs);
    } catch (err) {
      if (err instanceof AppError && err.code === 'offline') throw new AppError('offline', DASHBOARD_OFFLINE, err.detail);
      throw err;
    }
  }

  function save(filename: string, bytes: string | Uint8Array): string | null {
    if (!deps.exportsDir) return null;
    try {
      mkdirSync(deps.exportsDir, { recursive: true });
      const file = path.join(deps.exportsDir, safeFileName(filename));
      writeFileSync(file, bytes);
      return file;
    } catch (err) {
      log.warn(`export not saved to ${deps.exportsDir}`, err);
      return null;
    }
  }

  return {
    'dashboard.live': (i) => ask('dashboardLive', i),
    'dashboard.history': (i) => ask('dashboardHistory', i, HISTORY_TIMEOUT_MS),
    'dashboard.drill': (i) => ask('dashboardDrill', i, HISTORY_TIMEOUT_MS),
    'dashboard.drillCases': (i) => ask('dashboardCases', i, HISTORY_TIMEOUT_MS),
    'dashboard.followups': (i) => ask('dashboardFollowups', i),
    'dashboard.recordFollowup': async (i) => {
      const { office, week, ...record } = i;
      await ask('dashboardFollowupRecord', { ...record, requestId: randomUUID().replace(/-/g, '') });
      return ask('dashboardFollowups', { office, week });
    },
    'dashboard.exportCsv': async (i) => {
      const file = await ask('dashboardExport', i, HISTORY_TIMEOUT_MS);
      return { ...file, savedPath: save(file.filename, file.content) };
    },
    'dashboard.exportPdf': async (i) => {
      const report = await ask('dashboardHistory', i, HISTORY_TIMEOUT_MS);
      const bytes = await renderReportPdf(report);
      const filename = `大厅运行报表_${i.office ?? 'all'}_${i.from}_${i.to}.pdf`;
      return { filename, mime: 'application/pdf', contentBase64: Buffer.from(bytes).toString('base64'), savedPath: save(filename, bytes) };
    },
  };
}
