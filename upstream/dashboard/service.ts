import type Database from 'better-sqlite3';
import { AppError } from '../../shared/errors.js';
import type { CaseDrillInput, DrillQuery, ExportFile, HistoryQuery } from '../../shared/dashboard/api.js';
import { noCaseSource, type CaseDrillResult, type CaseKpiSource, type CaseQuery } from '../../shared/dashboard/case-source.js';
import { historyCsv } from '../../shared/dashboard/csv.js';
import { drillTickets } from '../../shared/dashboard/drill.js';
import type { DayCube } from '../../shared/dashboard/cube.js';
import type { DayTickets } from '../../shared/dashboard/day.js';
import type { DayColumns } from '../../shared/dashboard/facts.js';
import { summarise, type StaffedRow, type Summary } from '../../shared/dashboard/kpi-history.js';
import { livePanels } from '../../shared/dashboard/kpi-live.js';
import { kpiLabels } from '../../shared/dashboard/labels.js';
import type { DrillResult, HistoryReport, LiveView } from '../../shared/dashboard/views.js';
import type { WindowView } from '../../shared/hall/views.js';
import { visibleOffices, watchesHall, type HallConfig, type OfficeConfig, type StaffConfig } from '../../shared/office/config.js';
import { businessDate } from '../../shared/queue/numbering.js';
import { openDashboardStore, type DashboardStore } from './day-store.js';
import { DayTables } from './days.js';
import { ensureDashboardMigrations } from './ensure-migration.js';
import { FollowupService } from './followups.js';

/**
 * The supervisor's dashboard on the hall server: live panel, history, drill-downs, follow-ups and
 * export, all computed from the ticket, window and case logs (see shared/dashboard). Runs on the hall's
 * own SQLite connection; writes (derived day tables, call-backs) go through the hall's transaction
 * runner so they join its group commit.
 */
export interface DashboardDeps {
  /** The hall's connection (with the dashboard migration applied). */
  db: Database.Database;
  transaction<T>(fn: () => T): T;
  config: HallConfig;
  now(): number;
  /** The hall's view of an office's windows: open / paused / closed and who is signed in. */
  windows(office: string): WindowView[];
  /** Each window's latest sign-in / sign-out / pause / unpause (for idle times). */
  presence(): ReadonlyArray<{ windowId: string; at: number }>;
  /** The case log's figures (HallCaseKpis); without it the dashboard says the case log is not connected. */
  cases?: CaseKpiSource;
}

export const SUPERVISOR_ONLY = '只有大厅负责人可以查看运行监测，请使用大厅负责人账号登录。';
const LOW_RATINGS_SHOWN = 100;

export interface Scope {
  staff: StaffConfig;
  offices: string[];
  /** What the scope is called on a report: an office's name, or the county "含分中心". */
  name: string;
}

export class DashboardService {
  readonly store: DashboardStore;
  readonly days: DayTables;
  readonly followups: FollowupService;

  constructor(private readonly d: DashboardDeps) {
    ensureDashboardMigrations(d.db, d.now());
    this.store = openDashboardStore(d.db);
    this.days = new DayTables(this.store, d.config, d.transaction);
    this.followups = new FollowupService(this.store, d.config, d.transaction, d.now, (staffId, office) => this.scope(staffId, office));
  }

  private get tz(): string {
    return this.d.config.timeZone;
  }

  private get cases(): CaseKpiSource {
    return this.d.cases ?? noCaseSource;
  }

  private office(id: string): OfficeConfig {
    const o = this.d.config.offices.find((x) => x.id === id);
    if (!o) throw new AppError('not_found', '没有找到该办事大厅。', `unknown office ${id}`);
    return o;
  }

  /**
   * Who may see what: supervisors and administrators only; their own office and, for the county
   * hall, its branches. No office named: the own office (`all`: every office they may see).
   */
  scope(staffId: string, office: string | undefined): Scope {
    const staff = this.d.config.staff.find((s) => s.id === staffId);
    if (!staff || !watchesHall(staff.roles)) {
      throw new AppError('forbidden', SUPERVISOR_ONLY, `staff ${staffId} is not a supervisor`);
    }
    const visible = visibleOffices(this.d.config, staff.office);
    if (office === 'all') {
      const own = this.office(staff.office);
      return { staff, offices: visible, name: visible.length > 1 ? `${own.name}（含分中心）` : own.name };
    }
    const id = office ?? staff.office;
    if (!visible.includes(id)) throw new AppError('forbidden', '无权查看该办事大厅的数据。', `${staffId} may not see ${id}`);
    return { staff, offices: [id], name: this.office(id).name };
  }

  private officeList(scope: Scope) {
    return visibleOffices(this.d.config, scope.staff.office).map((id) => ({ id, name: this.office(id).shortName }));
  }

  private servesApplicants = (staffId: string): boolean =>
    this.d.config.staff.find((s) => s.id === staffId)?.roles.some((r) => r === 'clerk' || r === 'branch_staff') ?? false;

  live(staffId: string, input: { office?: string | undefined; queueAlarmLength: number }): LiveView {
    const scope = this.scope(staffId, input.office);
    const office = this.office(scope.offices[0]!);
    const now = this.d.now();
    const today = businessDate(now, this.tz);
    const tickets = this.store.ticketsOfDay(office.id, today);
    const panels = livePanels({
      office,
      windows: this.d.windows(office.id),
      lastPresenceAt: new Map(this.d.presence().map((p) => [p.windowId, p.at])),
      tickets,
      now,
      queueAlarmLength: input.queueAlarmLength,
      servesApplicants: this.servesApplicants,
    });
    const labels = kpiLabels(this.d.config, 1);
    const { cube } = this.days.ticketDay(office.id, today, tickets);
    const staffed = this.days.staffedRows(office.id, today, now, false);
    const totals = summarise({ cubes: [cube], staffed, today, bucket: 'day', labels }).totals;
    const cases = this.cases.figures({ offices: [office.id], from: today, to: today, bucket: 'day', today, labels });
    return {
      office: office.id,
      officeName: office.name,
      offices: this.officeList(scope),
      serverNow: now,
      day: today,
      targetWaitMinutes: office.policy.targetWaitMinutes,
      queueAlarmLength: input.queueAlarmLength,
      ...panels,
      today: { ...totals, label: '今日' },
      todayCases: cases.available ? stripKey(cases.totals) : null,
    };
  }

  /** Brings the stored past days of a scope's range up to date with the logs. */
  private prepare(scope: Scope, from: string, to: string) {
    const now = this.d.now();
    const today = businessDate(now, this.tz);
    const offices = new Set(scope.offices);
    this.days.catchUp();
    this.days.ensureBuilt(offices, from, to, today, now);
    return { now, today, offices, hasToday: from <= today && today <= to };
  }

  /** The cubes and staffed time of a range: stored past days, and today built from the log. */
  private collect(scope: Scope, from: string, to: string) {
    const { now, today, offices, hasToday } = this.prepare(scope, from, to);
    const cubes: DayCube[] = this.store.cubes(offices, from, to).filter((d) => d.day < today);
    const staffed: StaffedRow[] = this.store.windowDays(offices, from, to).filter((r) => r.day < today);
    if (hasToday) {
      for (const office of scope.offices) {
        const built = this.days.ticketDay(office, today);
        if (built.columns.n > 0) cubes.push(built.cube);
        staffed.push(...this.days.staffedRows(office, today, now, false));
      }
    }
    return { cubes, staffed, today, now };
  }

  /** The figures of a range, exactly as `summarise` makes them (the equality test reads this). */
  summary(staffId: string, q: HistoryQuery): { scope: Scope; summary: Summary; now: number } {
    const scope = this.scope(staffId, q.office ?? 'all');
    const { cubes, staffed, today, now } = this.collect(scope, q.from, q.to);
    const labels = kpiLabels(this.d.config, scope.offices.length);
    return { scope, summary: summarise({ cubes, staffed, today, bucket: q.bucket, labels }), now };
  }

  history(staffId: string, q: HistoryQuery): HistoryReport {
    const { scope, summary: s, now } = this.summary(staffId, q);
    const targets = new Set(scope.offices.map((id) => this.office(id).policy.targetWaitMinutes));
    return {
      office: q.office ?? 'all',
      offices: this.officeList(scope),
      from: q.from,
      to: q.to,
      bucket: q.bucket,
      generatedAt: now,
      targetWaitMinutes: Math.min(...targets),
      totals: { ...s.totals, label: scope.name },
      series: s.series,
      byBoard: s.byBoard,
      byWindow: s.byWindow,
      byStaff: s.byStaff,
      byOffice: s.byOffice,
      hours: s.hours,
      lowRatings: this.followups.lowRatingRows(s.lows.slice(0, LOW_RATINGS_SHOWN), kpiLabels(this.d.config, scope.offices.length)),
      lowRatingsTotal: s.totals.low,
      quoted: s.quoted,
      cases: this.cases.figures(this.caseQuery(scope, q)),
    };
  }

  private caseQuery(scope: Scope, q: HistoryQuery): CaseQuery {
    const today = businessDate(this.d.now(), this.tz);
    return { offices: scope.offices, from: q.from, to: q.to, bucket: q.bucket, today, labels: kpiLabels(this.d.config, scope.offices.length) };
  }

  /** The cases (case numbers) behind a case figure. */
  drillCases(staffId: string, q: CaseDrillInput): CaseDrillResult {
    const scope = this.scope(staffId, q.office ?? 'all');
    return this.cases.cases({ ...this.caseQuery(scope, q), figure: q.figure, dim: q.dim, key: q.key, limit: q.limit });
  }

  drill(staffId: string, q: DrillQuery): DrillResult {
    const scope = this.scope(staffId, q.office ?? 'all');
    const { today, offices, hasToday } = this.prepare(scope, q.from, q.to);
    const days: DayColumns[] = this.store.dayRows(offices, q.from, q.to).filter((d) => d.day < today);
    const todayTickets = new Map<DayColumns, DayTickets>();
    if (hasToday) {
      for (const office of scope.offices) {
        const built = this.days.ticketDay(office, today);
        days.push(built.columns);
        todayTickets.set(built.columns, built.tickets);
      }
    }
    return drillTickets({
      days,
      figure: q.figure,
      dim: q.dim,
      key: q.key,
      bucket: q.bucket,
      limit: q.limit,
      today,
      labels: kpiLabels(this.d.config, scope.offices.length),
      ticketsOf: (d) => todayTickets.get(d) ?? this.store.dayTickets(d.office, d.day),
    });
  }

  exportCsv(staffId: string, q: HistoryQuery): ExportFile {
    const report = this.history(staffId, q);
    const scope = this.scope(staffId, q.office ?? 'all');
    return {
      filename: `大厅运行报表_${q.office ?? 'all'}_${q.from}_${q.to}.csv`,
      mime: 'text/csv; charset=utf-8',
      content: historyCsv(report, scope.name),
    };
  }
}

function stripKey<T extends { key: string; label: string }>(row: T): Omit<T, 'key' | 'label'> {
  const { key: _key, label: _label, ...rest } = row;
  return rest;
}
