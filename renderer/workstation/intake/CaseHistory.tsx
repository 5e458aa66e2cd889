import { useState } from 'react';
import type { CaseView } from '../../../shared/case/view.js';
import { formatClock } from '../../common/format.js';
import { HistoryOverrides } from './FindingsPanel.js';

const SYNC_LABEL = { pending: '待上传', synced: '已同步', parked: '被拒收' } as const;

/** The case's log as the clerk reads it: each action, who, where, when, and whether the hall has it. */
export function CaseHistory({ view }: { view: CaseView }) {
  const [open, setOpen] = useState(false);
  const events = [...view.history].sort((a, b) => b.at - a.at);
  const pending = events.filter((e) => e.sync === 'pending').length;
  const parked = events.filter((e) => e.sync === 'parked').length;
  const shown = open ? events : events.slice(0, 4);
  return (
    <section className="card history" data-testid="case-history">
      <div className="card-head">
        <h3>
          办理记录 <span className="muted small">（{events.length} 条{pending > 0 ? `，${pending} 条待上传` : '，均已同步'}
          {parked > 0 ? `，${parked} 条被拒收` : ''}）</span>
        </h3>
        {events.length > 4 && (
          <button type="button" className="btn-link small" data-testid="history-toggle" onClick={() => setOpen(!open)}>
            {open ? '收起' : `展开全部 ${events.length} 条`}
          </button>
        )}
      </div>
      <table className="history-table">
        <tbody>
          {shown.map((e, i) => (
            <tr key={`${e.at}-${i}`} data-testid="history-item" data-sync={e.sync}>
              <td className="num muted">{formatClock(e.at, true)}</td>
              <td className="strong">{e.label}</td>
              <td className="history-detail" title={e.detail}>
                {e.detail}
              </td>
              <td className="muted small nowrap">
                {e.staffId} · {e.windowId.split('/')[1] ?? e.windowId}号窗
              </td>
              <td>
                <span className={`sync-chip sync-${e.sync}`}>{SYNC_LABEL[e.sync]}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <HistoryOverrides view={view} />
    </section>
  );
}
