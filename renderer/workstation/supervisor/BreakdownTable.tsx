import type { DrillFigure } from '../../../shared/dashboard/api.js';
import { decimal1, hours1, minutes1, percent1 } from '../../../shared/dashboard/format.js';
import type { KpiRow } from '../../../shared/dashboard/views.js';

/** A count in a table: a link to what it counts, or a plain 0. */
export function CountLink({ value, onClick, testId }: { value: number; onClick: () => void; testId: string }) {
  return value > 0 ? (
    <button type="button" className="sv-link num" onClick={onClick} data-testid={testId}>
      {value}
    </button>
  ) : (
    <span className="num">0</span>
  );
}

/** One breakdown (boards, windows, clerks or offices): a row of figures each; counts drill down. */
export function BreakdownTable({ rows, staffed, onDrill }: { rows: readonly KpiRow[]; staffed: boolean; onDrill: (figure: DrillFigure, key: string, title: string) => void }) {
  const link = (r: KpiRow, figure: DrillFigure, value: number, what: string) => (
    <CountLink value={value} onClick={() => onDrill(figure, r.key, `${r.label} · ${what}`)} testId={`drill-${figure}-${r.key}`} />
  );
  return (
    <table className="sv-table sv-breakdown" data-testid="breakdown">
      <thead>
        <tr>
          <th>名称</th>
          <th className="r">取号</th>
          <th className="r">办结</th>
          <th className="r">平均等待</th>
          <th className="r">中位数</th>
          <th className="r">90分位</th>
          <th className="r">目标内</th>
          <th className="r">超时</th>
          <th className="r">平均办理</th>
          <th className="r">过号</th>
          <th className="r">离开</th>
          <th className="r">满意率</th>
          <th className="r">差评</th>
          {staffed && <th className="r">在岗(时)</th>}
          {staffed && <th className="r">件/时</th>}
          {staffed && <th className="r">利用率</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td>{r.label}</td>
            <td className="r">{link(r, 'issued', r.issued, '取号')}</td>
            <td className="r">{link(r, 'done', r.done, '办结')}</td>
            <td className="r num">{minutes1(r.waitAvgMs)}</td>
            <td className="r num">{minutes1(r.waitMedianMs)}</td>
            <td className="r num">{minutes1(r.waitP90Ms)}</td>
            <td className={`r num${(r.withinTargetShare ?? 1) < 0.8 ? ' danger' : ''}`}>{percent1(r.withinTargetShare)}</td>
            <td className="r">{link(r, 'over_target', r.called - r.withinTarget, '等待超过目标')}</td>
            <td className="r num">{minutes1(r.serviceAvgMs)}</td>
            <td className="r">{link(r, 'no_show', r.noShow, '过号')}</td>
            <td className="r">{link(r, 'left', r.left, '离开未办')}</td>
            <td className="r num">{percent1(r.satisfactionRate)}</td>
            <td className="r">{link(r, 'low', r.low, '差评')}</td>
            {staffed && <td className="r num">{hours1(r.staffedMs)}</td>}
            {staffed && <td className="r num">{decimal1(r.throughputPerHour)}</td>}
            {staffed && <td className="r num">{percent1(r.utilisation)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
