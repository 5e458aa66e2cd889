import { CASE_FIGURE_LABEL, CASE_FIGURES, onTimeShare, type CaseFigureRow } from './case-source.js';
import { FOLLOWUP_OUTCOME_LABEL } from './followup.js';
import { decimal1, hours1, minutes1, percent1 } from './format.js';
import { CASE_DEFINITIONS, QUOTE_DEFINITIONS } from './definitions.js';
import { BUCKET_LABEL } from './period.js';
import type { QuoteRow } from './quotes.js';
import type { HistoryReport, KpiRow } from './views.js';

/**
 * The history report as one CSV file for Excel / WPS: UTF-8 with a BOM (so Chinese opens right),
 * CRLF line ends, one block per table separated by an empty line, every cell quoted when needed.
 */
type Columns<R> = Array<[string, (r: R) => string]>;

const COLUMNS: Columns<KpiRow> = [
  ['取号数', (r) => String(r.issued)],
  ['叫号数', (r) => String(r.called)],
  ['办结数', (r) => String(r.done)],
  ['平均等待(分钟)', (r) => minutes1(r.waitAvgMs)],
  ['等待中位数(分钟)', (r) => minutes1(r.waitMedianMs)],
  ['等待90分位(分钟)', (r) => minutes1(r.waitP90Ms)],
  ['最长等待(分钟)', (r) => minutes1(r.waitMaxMs)],
  ['目标内叫号数', (r) => String(r.withinTarget)],
  ['目标内占比', (r) => percent1(r.withinTargetShare)],
  ['平均办理(分钟)', (r) => minutes1(r.serviceAvgMs)],
  ['办理中位数(分钟)', (r) => minutes1(r.serviceMedianMs)],
  ['办理90分位(分钟)', (r) => minutes1(r.serviceP90Ms)],
  ['过号数', (r) => String(r.noShow)],
  ['过号率', (r) => percent1(r.noShowRate)],
  ['离开未办数', (r) => String(r.left)],
  ['离开未办率', (r) => percent1(r.leftRate)],
  ['评价数', (r) => String(r.rated)],
  ['参评率', (r) => percent1(r.ratedShare)],
  ['满意率', (r) => percent1(r.satisfactionRate)],
  ['差评数', (r) => String(r.low)],
  ['平均评分', (r) => decimal1(r.avgRating)],
  ['在岗时长(小时)', (r) => hours1(r.staffedMs)],
  ['每小时办结', (r) => decimal1(r.throughputPerHour)],
  ['利用率', (r) => percent1(r.utilisation)],
];

const CASE_COLUMNS: Columns<CaseFigureRow> = [
  ...CASE_FIGURES.map((k): [string, (r: CaseFigureRow) => string] => [CASE_FIGURE_LABEL[k], (r) => String(r[k])]),
  ['承诺时限内办结率', (r) => percent1(onTimeShare(r))],
];

const QUOTE_COLUMNS: Columns<QuoteRow> = [
  ['叫号数', (r) => String(r.called)],
  ['有预计等待数', (r) => String(r.quoted)],
  ['平均偏差(分钟)', (r) => minutes1(r.maeMs)],
  ['平均实际减预计(分钟)', (r) => minutes1(r.biasMs)],
  ['±5分钟内占比', (r) => percent1(r.withinShare)],
  ['兑现率(不超过预计5分钟)', (r) => percent1(r.keptShare)],
];

/** A plain number (also negative or a percentage) is data, not a formula. */
const NUMBER = /^[+-]?\d+(\.\d+)?%?$/;

export function csvCell(v: string): string {
  // A cell starting with = + - @ would run as a formula in Excel: keep it text.
  const text = /^[=+\-@]/.test(v) && !NUMBER.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function line(cells: readonly string[]): string {
  return cells.map(csvCell).join(',');
}

function table<R extends { label: string }>(title: string, first: string, columns: Columns<R>, rows: readonly R[]): string[] {
  return [line([title]), line([first, ...columns.map((c) => c[0])]), ...rows.map((r) => line([r.label, ...columns.map((c) => c[1](r))]))];
}

export function historyCsv(r: HistoryReport, officeName: string): string {
  const c = r.cases;
  const out: string[][] = [
    [
      line(['政务服务大厅运行报表']),
      line(['范围', officeName]),
      line(['日期', `${r.from} 至 ${r.to}`]),
      line(['等待目标(分钟)', String(r.targetWaitMinutes)]),
      line(['口径', '等待=取号至首次叫号；办理=开始办理至办结（不含挂起）；满意=基本满意及以上；离开未办=取消或当日未办结']),
    ],
    table('汇总', '范围', COLUMNS, [r.totals]),
    table(`趋势（${BUCKET_LABEL[r.bucket]}）`, '时段', COLUMNS, r.series),
    table('按业务板块', '板块', COLUMNS, r.byBoard),
    table('按窗口', '窗口', COLUMNS, r.byWindow),
    table('按工作人员', '工作人员', COLUMNS, r.byStaff),
    table('按大厅', '大厅', COLUMNS, r.byOffice),
    [
      line(['差评']),
      line(['日期', '号码', '窗口', '工作人员', '评价', '原因', '回访']),
      ...r.lowRatings.map((l) => line([l.day, l.number, l.window, l.staff, String(l.level), l.reason, l.followup ? FOLLOWUP_OUTCOME_LABEL[l.followup.outcome] : '未回访'])),
    ],
    ...(c.available
      ? [
          table('办件汇总', '范围', CASE_COLUMNS, [{ ...c.totals, label: r.totals.label }]),
          table(`办件趋势（${BUCKET_LABEL[r.bucket]}）`, '时段', CASE_COLUMNS, c.series),
          table('办件按业务板块', '板块', CASE_COLUMNS, c.byBoard),
          table('办件按窗口', '窗口', CASE_COLUMNS, c.byWindow),
          table('办件按工作人员', '工作人员', CASE_COLUMNS, c.byStaff),
          table('办件按大厅', '大厅', CASE_COLUMNS, c.byOffice),
          [line(['办件口径', CASE_DEFINITIONS])],
        ]
      : [[line(['办件']), line([c.note])]]),
    table('预计与实际等待', '板块', QUOTE_COLUMNS, [...r.quoted.byBoard, r.quoted.totals]),
    [line(['预计等待口径', QUOTE_DEFINITIONS])],
  ];
  return `\uFEFF${out.map((block) => block.join('\r\n')).join('\r\n\r\n')}\r\n`;
}
