import { onTimeShare, type CaseSectionData } from '../../../shared/dashboard/case-source.js';
import type { HistoryReport } from '../../../shared/dashboard/views.js';
import type { ChartOption } from './Chart.js';

/** The history charts' options, from the report alone (pure: tested without a browser). */
const BLUE = '#2f7ee0';
const NAVY = '#0f3d7a';
const GREEN = '#1f8a4c';
const RED = '#c62828';
const GREY = '#9aa7b5';
const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 6_000) / 10);
const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);
const grid = { left: 44, right: 44, top: 36, bottom: 28 };

export function waitChart(r: HistoryReport): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: ['平均等待', '等待中位数', '90分位'] },
    grid,
    xAxis: { type: 'category', data: r.series.map((s) => s.label) },
    yAxis: { type: 'value', name: '分钟', min: 0 },
    series: [
      {
        name: '平均等待',
        type: 'bar',
        data: r.series.map((s) => minutes(s.waitAvgMs)),
        itemStyle: { color: BLUE },
        markLine: {
          symbol: 'none',
          lineStyle: { color: RED, type: 'dashed' },
          label: { formatter: `目标 ${r.targetWaitMinutes} 分钟`, color: RED },
          data: [{ yAxis: r.targetWaitMinutes }],
        },
      },
      { name: '等待中位数', type: 'line', data: r.series.map((s) => minutes(s.waitMedianMs)), itemStyle: { color: GREEN } },
      { name: '90分位', type: 'line', data: r.series.map((s) => minutes(s.waitP90Ms)), itemStyle: { color: NAVY } },
    ],
  };
}

export function volumeChart(r: HistoryReport): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: ['取号', '办结', '满意率'] },
    grid,
    xAxis: { type: 'category', data: r.series.map((s) => s.label) },
    yAxis: [
      { type: 'value', name: '人次', min: 0 },
      { type: 'value', name: '%', min: 0, max: 100, splitLine: { show: false } },
    ],
    series: [
      { name: '取号', type: 'bar', data: r.series.map((s) => s.issued), itemStyle: { color: GREY } },
      { name: '办结', type: 'bar', data: r.series.map((s) => s.done), itemStyle: { color: BLUE } },
      { name: '满意率', type: 'line', yAxisIndex: 1, data: r.series.map((s) => pct(s.satisfactionRate)), itemStyle: { color: GREEN } },
    ],
  };
}

export function hourChart(r: HistoryReport): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: ['取号', '平均等待'] },
    grid,
    xAxis: { type: 'category', data: r.hours.map((h) => `${h.hour}时`) },
    yAxis: [
      { type: 'value', name: '人次', min: 0 },
      { type: 'value', name: '分钟', min: 0, splitLine: { show: false } },
    ],
    series: [
      { name: '取号', type: 'bar', data: r.hours.map((h) => h.issued), itemStyle: { color: GREY } },
      {
        name: '平均等待',
        type: 'line',
        yAxisIndex: 1,
        data: r.hours.map((h) => minutes(h.waitAvgMs)),
        itemStyle: { color: NAVY },
        markLine: { symbol: 'none', lineStyle: { color: RED, type: 'dashed' }, label: { show: false }, data: [{ yAxis: r.targetWaitMinutes }] },
      },
    ],
  };
}

const AMBER = '#d98b00';
const PURPLE = '#7b4fc9';

/** Cases per period: accepted, one-time notices, not accepted (stacked), instant approvals, and the on-time share of decisions. */
export function caseChart(cases: CaseSectionData): ChartOption {
  const s = cases.series;
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, itemGap: 18, data: ['受理', '一次性告知', '不予受理', '即办秒批', '承诺时限内办结率'] },
    grid,
    xAxis: { type: 'category', data: s.map((r) => r.label) },
    yAxis: [
      { type: 'value', name: '件', min: 0 },
      { type: 'value', name: '%', min: 0, max: 100, splitLine: { show: false } },
    ],
    series: [
      { name: '受理', type: 'bar', stack: 'intake', data: s.map((r) => r.accepted), itemStyle: { color: BLUE } },
      { name: '一次性告知', type: 'bar', stack: 'intake', data: s.map((r) => r.oneTimeNotices), itemStyle: { color: AMBER } },
      { name: '不予受理', type: 'bar', stack: 'intake', data: s.map((r) => r.notAccepted), itemStyle: { color: GREY } },
      { name: '即办秒批', type: 'line', data: s.map((r) => r.instantApprovals), itemStyle: { color: PURPLE } },
      { name: '承诺时限内办结率', type: 'line', yAxisIndex: 1, data: s.map((r) => pct(onTimeShare(r))), itemStyle: { color: GREEN } },
    ],
  };
}
