import { QUOTE_DEFINITIONS } from '../../../shared/dashboard/definitions.js';
import { minutes1, percent1 } from '../../../shared/dashboard/format.js';
import type { QuoteRow, QuoteSection } from '../../../shared/dashboard/quotes.js';

/** 预计与实际等待: the wait the kiosk quoted against the real one, per board and overall. */
export function QuotePanel({ quoted }: { quoted: QuoteSection }) {
  const t = quoted.totals;
  const signed = (ms: number | null) => (ms === null ? '—' : `${ms > 0 ? '+' : ''}${minutes1(ms)}`);
  const row = (r: QuoteRow, total = false) => (
    <tr key={r.key} className={total ? 'strong' : ''} data-testid={`quote-${r.key}`}>
      <td>{r.label}</td>
      <td className="r num">{r.called}</td>
      <td className="r num">{r.quoted}</td>
      <td className="r num">{minutes1(r.maeMs)}</td>
      <td className={`r num${(r.biasMs ?? 0) > 5 * 60_000 ? ' danger' : ''}`}>{signed(r.biasMs)}</td>
      <td className="r num">{percent1(r.withinShare)}</td>
      <td className={`r num${(r.keptShare ?? 1) < 0.8 ? ' danger' : ''}`}>{percent1(r.keptShare)}</td>
    </tr>
  );
  return (
    <section className="card" data-testid="quote-panel">
      <div className="card-head">
        <h3>预计与实际等待</h3>
        <span className="muted small">取号时告知的预计等待 对比 实际等待</span>
      </div>
      {t.quoted === 0 ? (
        <p className="muted small" data-testid="quote-note">
          本期已叫号的号码取号时都没有记录预计等待（记录预计等待之前取的号，或取号时没有窗口办理该板块），暂无可对比的数据。
        </p>
      ) : (
        <table className="sv-table" data-testid="quote-table">
          <thead>
            <tr>
              <th>板块</th>
              <th className="r">叫号</th>
              <th className="r">有预计</th>
              <th className="r">平均偏差(分)</th>
              <th className="r">实际−预计(分)</th>
              <th className="r">±5分钟内</th>
              <th className="r">兑现率</th>
            </tr>
          </thead>
          <tbody>
            {quoted.byBoard.map((r) => row(r))}
            {row(t, true)}
          </tbody>
        </table>
      )}
      <p className="muted small sv-definitions">{QUOTE_DEFINITIONS}</p>
    </section>
  );
}
