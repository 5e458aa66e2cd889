import { useEffect, useState } from 'react';
import type { DashboardMethodInput } from '../../../shared/dashboard/contract.js';
import { minutes1 } from '../../../shared/dashboard/format.js';
import type { DrillResult } from '../../../shared/dashboard/views.js';
import type { DashboardInvoke } from './SupervisorView.js';

export interface DrillRequest {
  title: string;
  query: DashboardMethodInput<'dashboard.drill'>;
}

const OUTCOME_LABEL = { open: '办理中', done: '已办结', no_show: '过号', cancelled: '已取消' } as const;

/** The tickets behind a figure: number, day, board, window, clerk, outcome, wait, service, rating. */
export function DrillDialog({ invoke, request, onClose }: { invoke: DashboardInvoke; request: DrillRequest; onClose: () => void }) {
  const [result, setResult] = useState<DrillResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void invoke('dashboard.drill', request.query).then((r) => {
      if (!live) return;
      if (r.ok) setResult(r.value);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [invoke, request]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <div className="modal-backdrop sv-modal-backdrop" onClick={onClose}>
      <div className="card sv-drill" role="dialog" aria-label={request.title} onClick={(e) => e.stopPropagation()} data-testid="drill-dialog">
        <div className="card-head">
          <h3>{request.title}</h3>
          <button type="button" className="icon-btn" aria-label="关闭" onClick={onClose}>
            ×
          </button>
        </div>
        {error && <p className="form-error">{error}</p>}
        {!result && !error && <p className="muted">正在查询…</p>}
        {result && (
          <>
            <p className="muted small" data-testid="drill-total">
              共 {result.total} 个号码{result.truncated ? `，列出前 ${result.tickets.length} 个` : ''}
            </p>
            <div className="sv-drill-body">
              <table className="sv-table">
                <thead>
                  <tr>
                    <th>日期</th>
                    <th>号码</th>
                    <th>板块</th>
                    <th>窗口</th>
                    <th>工作人员</th>
                    <th>结果</th>
                    <th className="r">等待(分)</th>
                    <th className="r">办理(分)</th>
                    <th className="r">评价</th>
                  </tr>
                </thead>
                <tbody>
                  {result.tickets.map((t) => (
                    <tr key={t.ticketId}>
                      <td>{t.day}</td>
                      <td className="strong">{t.number}</td>
                      <td>{t.board}</td>
                      <td>{t.window || '—'}</td>
                      <td>{t.staff || '—'}</td>
                      <td>{OUTCOME_LABEL[t.outcome]}</td>
                      <td className="r num">{minutes1(t.waitMs)}</td>
                      <td className="r num">{minutes1(t.serviceMs)}</td>
                      <td className={`r${t.rating !== null && t.rating <= 2 ? ' danger strong' : ''}`}>{t.rating ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </div>
    </div>
  );
}
