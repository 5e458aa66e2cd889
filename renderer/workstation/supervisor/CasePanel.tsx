import { useState } from 'react';
import type { DrillDim } from '../../../shared/dashboard/api.js';
import { CASE_FIGURE_LABEL, onTimeShare, type CaseFigure, type CaseFigureRow, type CaseSection } from '../../../shared/dashboard/case-source.js';
import { CASE_DEFINITIONS } from '../../../shared/dashboard/definitions.js';
import { percent1 } from '../../../shared/dashboard/format.js';
import { CountLink } from './BreakdownTable.js';
import { Chart } from './Chart.js';
import { caseChart } from './charts.js';
import { KpiCard } from './KpiCard.js';

type Dim = 'bucket' | 'board' | 'window' | 'staff' | 'office';
const DIM_LABEL: Record<Dim, string> = { bucket: '按时段', board: '按业务板块', window: '按窗口', staff: '按工作人员', office: '按大厅' };
const COLUMNS: CaseFigure[] = ['accepted', 'oneTimeNotices', 'notAccepted', 'instantApprovals', 'crossRegion', 'forwarded', 'escalations', 'escalationsOpen', 'decided', 'overdue'];

export type CaseDrill = (figure: CaseFigure, title: string, dim?: DrillDim, key?: string) => void;

/** 办件: the case figures of the range from the case log; every count drills down to its case numbers. */
export function CasePanel({ cases, onDrill }: { cases: CaseSection; onDrill: CaseDrill }) {
  const [dim, setDim] = useState<Dim>('board');
  if (!cases.available) {
    return (
      <section className="card">
        <div className="card-head"><h3>办件</h3></div>
        <p className="muted small" data-testid="cases-note">{cases.note}</p>
      </section>
    );
  }
  const t = cases.totals;
  const rows = { bucket: cases.series, board: cases.byBoard, window: cases.byWindow, staff: cases.byStaff, office: cases.byOffice }[dim];
  const link = (r: CaseFigureRow, figure: CaseFigure) => (
    <CountLink value={r[figure]} onClick={() => onDrill(figure, `${r.label} · ${CASE_FIGURE_LABEL[figure]}`, dim, r.key)} testId={`case-drill-${figure}-${r.key}`} />
  );
  const late = t.decided - t.decidedOnTime;
  const tone = (share: number | null) => (share === null ? undefined : share >= 0.95 ? 'good' : share < 0.8 ? 'bad' : undefined);
  return (
    <section className="card" data-testid="case-panel">
      <div className="card-head">
        <h3>办件</h3>
        <span className="muted small">来自办件日志 · 点击数字查看对应办件编号</span>
      </div>
      <div className="sv-cards">
        <KpiCard label="受理" value={String(t.accepted)} sub={`不予受理 ${t.notAccepted}`} onClick={() => onDrill('accepted', '受理办件')} testId="cases-accepted" />
        <KpiCard label="一次性告知" value={String(t.oneTimeNotices)} onClick={() => onDrill('oneTimeNotices', '一次性告知')} testId="cases-notices" />
        <KpiCard label="即办秒批" value={String(t.instantApprovals)} sub={`占受理 ${percent1(t.accepted > 0 ? t.instantApprovals / t.accepted : null)}`} onClick={() => onDrill('instantApprovals', '即办秒批')} testId="cases-instant" />
        <KpiCard label="跨域通办受理" value={String(t.crossRegion)} sub={`代收代办转报 ${t.forwarded}`} onClick={() => onDrill('crossRegion', '跨域通办受理')} testId="cases-cross" />
        <KpiCard label="办不成事反映" value={String(t.escalations)} sub={`未办结 ${t.escalationsOpen}`} tone={t.escalationsOpen > 0 ? 'bad' : undefined} onClick={() => onDrill('escalations', '办不成事反映')} testId="cases-escalations" />
        <KpiCard label="承诺时限内办结" value={percent1(onTimeShare(t))} sub={`办结 ${t.decided} · 超时办结 ${late}`} tone={tone(onTimeShare(t))} onClick={() => onDrill('decided', '办结')} testId="cases-on-time" />
        <KpiCard label="逾期未办结" value={String(t.overdue)} tone={t.overdue > 0 ? 'bad' : 'good'} onClick={() => onDrill('overdue', '逾期未办结')} testId="cases-overdue" />
      </div>
      {cases.series.length > 1 && <Chart option={caseChart(cases)} height={220} testId="chart-cases" />}
      <div className="card-head">
        <div className="sv-seg no-print">
          {(Object.keys(DIM_LABEL) as Dim[]).filter((d) => d !== 'office' || cases.byOffice.length > 1).map((d) => (
            <button key={d} type="button" className={dim === d ? 'active' : ''} onClick={() => setDim(d)} data-testid={`case-dim-${d}`}>
              {DIM_LABEL[d]}
            </button>
          ))}
        </div>
      </div>
      <table className="sv-table sv-breakdown" data-testid="case-breakdown">
        <thead>
          <tr>
            <th>名称</th>
            {COLUMNS.map((c) => <th key={c} className="r">{CASE_FIGURE_LABEL[c]}</th>)}
            <th className="r">承诺时限内办结率</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <td>{r.label}</td>
              {COLUMNS.map((c) => <td key={c} className={`r${c === 'overdue' && r.overdue > 0 ? ' danger' : ''}`}>{link(r, c)}</td>)}
              <td className="r num">{percent1(onTimeShare(r))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small sv-definitions">{CASE_DEFINITIONS}</p>
    </section>
  );
}
