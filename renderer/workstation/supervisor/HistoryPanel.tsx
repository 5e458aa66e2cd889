import { useEffect, useMemo, useState } from 'react';
import type { DrillDim, DrillFigure } from '../../../shared/dashboard/api.js';
import { decimal1, minutes1, percent1 } from '../../../shared/dashboard/format.js';
import { FOLLOWUP_OUTCOME_LABEL } from '../../../shared/dashboard/followup.js';
import { BUCKET_LABEL, type Bucket } from '../../../shared/dashboard/period.js';
import type { HistoryReport } from '../../../shared/dashboard/views.js';
import { Chart } from './Chart.js';
import { hourChart, volumeChart, waitChart } from './charts.js';
import type { DrillRequest } from './DrillDialog.js';
import { BreakdownTable } from './BreakdownTable.js';
import { CasePanel, type CaseDrill } from './CasePanel.js';
import { KpiCard } from './KpiCard.js';
import { QuotePanel } from './QuotePanel.js';
import { downloadBase64, downloadText, rangeOf, RANGE_PRESETS, type RangePreset } from './range.js';
import type { DashboardInvoke } from './SupervisorView.js';

type Dim = 'board' | 'window' | 'staff' | 'office';
const DIM_LABEL: Record<Dim, string> = { board: '按业务板块', window: '按窗口', staff: '按工作人员', office: '按大厅' };

/** 统计分析: figures of a period against the target, charts, breakdowns, low ratings, export. */
export function HistoryPanel({
  invoke,
  today,
  offices,
  onDrill,
}: {
  invoke: DashboardInvoke;
  today: string | null;
  offices: Array<{ id: string; name: string }>;
  onDrill: (r: DrillRequest) => void;
}) {
  const [office, setOffice] = useState('all');
  const [preset, setPreset] = useState<RangePreset>('last30');
  const [custom, setCustom] = useState<{ from: string; to: string } | null>(null);
  const [bucket, setBucket] = useState<Bucket>('day');
  const [dim, setDim] = useState<Dim>('board');
  const [report, setReport] = useState<HistoryReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const range = useMemo(() => (preset === 'custom' && custom ? custom : rangeOf(preset, today)), [preset, custom, today]);
  const query = useMemo(() => (range ? { office, from: range.from, to: range.to, bucket } : null), [office, range, bucket]);

  useEffect(() => {
    if (!query) return;
    let live = true;
    setError(null);
    void invoke('dashboard.history', query).then((r) => {
      if (!live) return;
      if (r.ok) setReport(r.value);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [invoke, query]);

  const drill = (figure: DrillFigure, title: string, dimension: DrillDim = 'total', key?: string) =>
    query && onDrill({ kind: 'tickets', title, query: { ...query, figure, dim: dimension, key } });
  const drillCases: CaseDrill = (figure, title, dimension = 'total', key) => query && onDrill({ kind: 'cases', title, query: { ...query, figure, dim: dimension, key } });

  const exportCsv = async () => {
    if (!query) return;
    const r = await invoke('dashboard.exportCsv', { ...query, format: 'csv' });
    if (!r.ok) return setNote(`导出失败：${r.error.message}`);
    downloadText(r.value.filename, r.value.content, r.value.mime);
    setNote(r.value.savedPath ? `已导出：${r.value.savedPath}` : `已导出 ${r.value.filename}`);
  };
  const exportPdf = async () => {
    if (!query) return;
    setNote('正在生成 PDF 报表…');
    const r = await invoke('dashboard.exportPdf', query);
    if (!r.ok) return setNote(`导出失败：${r.error.message}`);
    downloadBase64(r.value.filename, r.value.contentBase64, r.value.mime);
    setNote(r.value.savedPath ? `已导出：${r.value.savedPath}` : `已导出 ${r.value.filename}`);
  };

  const t = report?.totals;
  const rows = report ? { board: report.byBoard, window: report.byWindow, staff: report.byStaff, office: report.byOffice }[dim] : [];
  return (
    <div className="sv-history" data-testid="history-panel">
      <div className="sv-toolbar no-print">
        {offices.length > 1 && (
          <select value={office} onChange={(e) => setOffice(e.target.value)} data-testid="history-office">
            <option value="all">全部（含分中心）</option>
            {offices.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        )}
        <div className="sv-seg">
          {RANGE_PRESETS.map(([id, label]) => (
            <button key={id} type="button" className={preset === id ? 'active' : ''} onClick={() => setPreset(id)} data-testid={`range-${id}`}>
              {label}
            </button>
          ))}
        </div>
        <input type="date" value={range?.from ?? ''} onChange={(e) => { setCustom({ from: e.target.value, to: range?.to ?? e.target.value }); setPreset('custom'); }} aria-label="开始日期" />
        至
        <input type="date" value={range?.to ?? ''} onChange={(e) => { setCustom({ from: range?.from ?? e.target.value, to: e.target.value }); setPreset('custom'); }} aria-label="结束日期" />
        <select value={bucket} onChange={(e) => setBucket(e.target.value as Bucket)} data-testid="history-bucket">
          {(Object.keys(BUCKET_LABEL) as Bucket[]).map((b) => (
            <option key={b} value={b}>
              {BUCKET_LABEL[b]}
            </option>
          ))}
        </select>
        <span className="sv-spacer" />
        <button type="button" className="btn btn-sm" onClick={() => void exportCsv()} disabled={!report} data-testid="export-csv">
          导出 CSV
        </button>
        <button type="button" className="btn btn-sm" onClick={() => void exportPdf()} disabled={!report} data-testid="export-pdf">
          导出 PDF
        </button>
        <button type="button" className="btn btn-sm" onClick={() => window.print()} disabled={!report}>
          打印
        </button>
      </div>
      {note && <p className="form-warn no-print">{note}</p>}
      {error && <p className="form-error">{error}</p>}
      {!report && !error && <div className="card sv-empty muted">正在统计…</div>}
      {report && t && (
        <>
          <h2 className="sv-print-title">
            {t.label} · {report.from} 至 {report.to} · 等待目标 {report.targetWaitMinutes} 分钟
          </h2>
          <div className="sv-cards" data-testid="history-cards">
            <KpiCard label="取号" value={String(t.issued)} sub={`办结 ${t.done}`} onClick={() => drill('issued', '取号')} testId="history-issued" />
            <KpiCard label="平均等待" value={`${minutes1(t.waitAvgMs)} 分钟`} sub={`中位数 ${minutes1(t.waitMedianMs)} · 90分位 ${minutes1(t.waitP90Ms)}`} tone={(t.waitAvgMs ?? 0) > report.targetWaitMinutes * 60_000 ? 'bad' : 'good'} testId="history-wait" />
            <KpiCard label={`${report.targetWaitMinutes} 分钟内叫号`} value={percent1(t.withinTargetShare)} sub={`超时 ${t.called - t.withinTarget} 人`} onClick={() => drill('over_target', '等待超过目标的号码')} testId="history-within" />
            <KpiCard label="平均办理" value={`${minutes1(t.serviceAvgMs)} 分钟`} sub={`中位数 ${minutes1(t.serviceMedianMs)} · 90分位 ${minutes1(t.serviceP90Ms)}`} />
            <KpiCard label="过号率" value={percent1(t.noShowRate)} sub={`${t.noShow} 人`} onClick={() => drill('no_show', '过号')} />
            <KpiCard label="离开未办" value={percent1(t.leftRate)} sub={`${t.left} 人`} onClick={() => drill('left', '离开未办')} />
            <KpiCard label="满意率" value={percent1(t.satisfactionRate)} sub={`参评率 ${percent1(t.ratedShare)} · 差评 ${t.low}`} onClick={() => drill('low', '差评')} testId="history-satisfaction" />
            <KpiCard label="窗口效率" value={`${decimal1(t.throughputPerHour)} 件/时`} sub={`利用率 ${percent1(t.utilisation)}`} />
          </div>
          <div className="sv-charts">
            <section className="card">
              <div className="card-head"><h3>等待时间（{BUCKET_LABEL[report.bucket]}）</h3></div>
              <Chart option={waitChart(report)} testId="chart-wait" />
            </section>
            <section className="card">
              <div className="card-head"><h3>办件量与满意率</h3></div>
              <Chart option={volumeChart(report)} testId="chart-volume" />
            </section>
            <section className="card">
              <div className="card-head"><h3>各时段取号与等待</h3></div>
              <Chart option={hourChart(report)} testId="chart-hours" />
            </section>
            <QuotePanel quoted={report.quoted} />
          </div>
          <section className="card">
            <div className="card-head">
              <div className="sv-seg no-print">
                {(Object.keys(DIM_LABEL) as Dim[]).filter((d) => d !== 'office' || report.byOffice.length > 1).map((d) => (
                  <button key={d} type="button" className={dim === d ? 'active' : ''} onClick={() => setDim(d)} data-testid={`dim-${d}`}>
                    {DIM_LABEL[d]}
                  </button>
                ))}
              </div>
              <span className="muted small">点击数字查看对应号码</span>
            </div>
            <BreakdownTable rows={rows} staffed={dim !== 'board'} onDrill={(figure, key, title) => drill(figure, title, dim, key)} />
          </section>
          <CasePanel cases={report.cases} onDrill={drillCases} />
          <section className="card">
            <div className="card-head">
              <h3>差评及回访</h3>
              <span className="muted small">共 {report.lowRatingsTotal} 条</span>
            </div>
            {report.lowRatings.length === 0 ? (
              <p className="muted">本期没有差评。</p>
            ) : (
              <table className="sv-table" data-testid="low-ratings">
                <thead><tr><th>日期</th><th>号码</th><th>窗口</th><th>工作人员</th><th>评价</th><th>原因</th><th>回访</th></tr></thead>
                <tbody>
                  {report.lowRatings.slice(0, 20).map((l) => (
                    <tr key={l.ticketId}>
                      <td>{l.day}</td>
                      <td className="strong">{l.number}</td>
                      <td>{l.window}</td>
                      <td>{l.staff}</td>
                      <td className="danger">{l.level} 星</td>
                      <td>{l.reason}</td>
                      <td>{l.followup ? `${FOLLOWUP_OUTCOME_LABEL[l.followup.outcome]}${l.followup.satisfaction ? ` · ${l.followup.satisfaction} 星` : ''}` : <span className="danger">未回访</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </div>
  );
}
