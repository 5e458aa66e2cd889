import type { CaseSummary } from '../../../shared/case/view.js';
import { formatClock } from '../../common/format.js';

const STATUS_CLASS: Record<string, string> = {
  DRAFT: 'chip-quiet',
  ACCEPTED: 'chip-ok',
  APPROVED: 'chip-ok',
  CERTIFIED: 'chip-ok',
  DELIVERED: 'chip-ok',
  NOTICE_ISSUED: 'chip-warn',
  NOT_ACCEPTED: 'chip-bad',
  REFUSED: 'chip-bad',
  DISCARDED: 'chip-quiet',
};

/**
 * 今日办件 of this window: each case with its number (provisional until the hall numbers it), its
 * ticket, status and what still waits for upload; drafts first so they are resumed. Names masked.
 */
export function TodayCases({ cases, openId, onOpen }: { cases: CaseSummary[]; openId: string | null; onOpen: (caseId: string) => void }) {
  const drafts = cases.filter((c) => c.status === 'DRAFT').length;
  const ordered = [...cases.filter((c) => c.status === 'DRAFT'), ...cases.filter((c) => c.status !== 'DRAFT')];
  return (
    <section className="card today" data-testid="today-cases">
      <div className="card-head">
        <h3>今日办件</h3>
        <span className="muted small">
          {cases.length} 件{drafts > 0 ? ` · 草稿 ${drafts}` : ''}
        </span>
      </div>
      {cases.length === 0 ? (
        <p className="muted small empty">本窗口今天还没有办件。</p>
      ) : (
        <ul className="today-list">
          {ordered.map((c) => (
            <li key={c.caseId}>
              <button
                type="button"
                className={`today-row ${c.caseId === openId ? 'active' : ''}`}
                data-testid={`today-case-${c.caseId}`}
                data-case-no={c.caseNo}
                data-official={c.official ? '1' : '0'}
                data-status={c.status}
                data-ticket={c.ticketNumber ?? ''}
                onClick={() => onOpen(c.caseId)}
              >
                <span className="today-top">
                  <span className="today-title">{c.title}</span>
                  <span className={`chip chip-sm ${STATUS_CLASS[c.status] ?? ''}`}>{c.statusLabel}</span>
                </span>
                <span className="today-sub small">
                  {c.ticketNumber ? <span className="ticket-tag num">{c.ticketNumber}</span> : <span className="muted">无号</span>}
                  <span className={`mono ${c.official ? '' : 'provisional-no'}`} title={c.official ? '受理编号' : '临时编号，待大厅服务器换发正式编号'}>
                    {c.caseNo}
                  </span>
                  {!c.official && <span className="tag tag-amber">临时</span>}
                  {c.pendingSync > 0 && (
                    <span className="pending-dot" title={`${c.pendingSync} 条记录待上传`} data-testid={`today-pending-${c.caseId}`}>
                      ↑{c.pendingSync}
                    </span>
                  )}
                  <span className="muted today-time num">{formatClock(c.openedAt)}</span>
                </span>
                {c.applicant && <span className="today-applicant small muted">{c.applicant}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
