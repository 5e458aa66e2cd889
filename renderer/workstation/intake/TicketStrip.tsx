import type { ReactNode } from 'react';
import type { TicketView } from '../../../shared/hall/views.js';
import { STATUS_LABEL } from '../../../shared/queue/types.js';
import { formatElapsed } from '../../common/format.js';
import { ticketClock } from '../actions.js';

/**
 * The current ticket, compact, above the intake work: number, status, board and time served, with
 * the queue buttons (given by the queue panel) on the right.
 */
export function TicketStrip({ ticket, hallTime, caseNo, children }: { ticket: TicketView | null; hallTime: number; caseNo: string | null; children: ReactNode }) {
  const clock = ticket ? ticketClock(ticket) : null;
  const statusCls = ticket ? `status-${ticket.status.toLowerCase()}` : 'status-none';
  return (
    <section className={`card ticket-strip ${statusCls}`} data-testid="ticket-strip">
      <div className="strip-ticket">
        {ticket ? (
          <>
            <span className="strip-number num" data-testid="current-number">
              {ticket.number}
            </span>
            <span className="strip-facts">
              <span className="strip-line">
                <span className={`chip chip-status ${statusCls}`} data-testid="current-status">
                  {STATUS_LABEL[ticket.status]}
                </span>
                {ticket.priority === 'green' && <span className="chip chip-green">绿色通道</span>}
                {ticket.priority === 'appointment' && <span className="chip chip-blue">预约</span>}
                <span className="small">
                  <span className="board-code">{ticket.board}</span> {ticket.boardName}
                </span>
              </span>
              <span className="strip-line small muted">
                {clock?.label ?? '用时'}{' '}
                <strong className="num strip-elapsed" data-testid="current-elapsed">
                  {clock ? formatElapsed(hallTime - clock.since) : '—'}
                </strong>
                {caseNo && (
                  <span className="strip-caseno" data-testid="strip-caseno" title="办结时一并提交的办件编号">
                    · 办结关联 <span className="mono">{caseNo}</span>
                  </span>
                )}
              </span>
            </span>
          </>
        ) : (
          <span className="strip-none">当前无号码 · 按 F1 叫号</span>
        )}
      </div>
      <div className="strip-actions">{children}</div>
    </section>
  );
}
