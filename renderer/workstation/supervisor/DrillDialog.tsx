import { useEffect, useState } from 'react';
import type { DashboardMethodInput } from '../../../shared/dashboard/contract.js';
import { minutes1 } from '../../../shared/dashboard/format.js';
import type { CaseDrillResult } from '../../../shared/dashboard/case-source.js';
import type { DrillResult } from '../../../shared/dashboard/views.js';
import type { DashboardInvoke } from './SupervisorView.js';

/** A figure to drill into: its tickets, or (a case figure) its cases. */
export type DrillRequest =
  | { kind: 'tickets'; title: string; query: DashboardMethodInput<'dashboard.drill'> }
  | { kind: 'cases'; title: string; query: DashboardMethodInput<'dashboard.drillCases'> };

type Result = { kind: 'tickets'; value: DrillResult } | { kind: 'cases'; value: CaseDrillResult };

const OUTCOME_LABEL = { open: '办理中', done: '已办结', no_show: '过号', cancelled: '已取消' } as const;

/**
 * The tickets behind a figure (number, day, board, window, clerk, outcome, wait, service, rating), or
 * the cases behind a case figure (case number, day, matter, board, window, clerk, ticket).
 */
export function DrillDialog({ invoke, request, onClose }: { invoke: DashboardInvoke; request: DrillRequest; onClose: () => void }) {
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const done = (r: { ok: true; value: Result } | { ok: false; error: { message: string } }) => {
      if (!live) return;
      if (r.ok) setResult(r.value);
      else setError(r.error.message);
    };
    if (request.kind === 'cases') void invoke('dashboard.drillCases', request.query).then((r) => done(r.ok ? { ok: true, value: { kind: 'cases', value: r.value } } : r));
    else void invoke('dashboard.drill', request.query).then((r) => done(r.ok ? { ok: true, value: { kind: 'tickets', value: r.value } } : r));
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
        {result?.kind === 'tickets' && <TicketTable result={result.value} />}
        {result?.kind === 'cases' && <CaseTable result={result.value} />}
      </div>
    </div>
  );
}

function TicketTable({ result }: { result: DrillResult }) {
  return (
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
  );
}

function CaseTable({ result }: { result: CaseDrillResult }) {
  return (
    <>
      <p className="muted small" data-testid="drill-total">
        共 {result.total} 件{result.truncated ? `，列出前 ${result.cases.length} 件` : ''}
      </p>
      <div className="sv-drill-body">
        <table className="sv-table" data-testid="drill-cases">
          <thead>
            <tr>
              <th>日期</th>
              <th>办件编号</th>
              <th>事项</th>
              <th>板块</th>
              <th>窗口</th>
              <th>工作人员</th>
              <th>取号</th>
            </tr>
          </thead>
          <tbody>
            {result.cases.map((c, i) => (
              <tr key={`${c.caseId}-${i}`}>
                <td>{c.day}</td>
                <td className="strong">{c.caseNo ?? '（未编号）'}</td>
                <td>{c.title}</td>
                <td>{c.board || '—'}</td>
                <td>{c.window || '—'}</td>
                <td>{c.staff || '—'}</td>
                <td>{c.ticketNumber ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
