import type { BoardSummary, TicketView } from '../../shared/hall/views.js';
import { describeEstimate } from '../../shared/queue/estimate.js';
import { HOLD_KIND_LABEL, STATUS_LABEL } from '../../shared/queue/types.js';
import { formatClock, formatElapsed, formatMinutes } from '../common/format.js';
import { ticketClock } from './actions.js';

/** The queue panel's cards: the ticket at the window, its steps, the boards' lines, held tickets. */
export function CurrentTicket({ ticket, hallTime }: { ticket: TicketView | null; hallTime: number }) {
  if (!ticket) {
    return (
      <section className="card current current-empty">
        <div className="current-label">当前号码</div>
        <div className="current-none">暂无</div>
        <p className="muted">按 F1 或点击“叫号”呼叫下一位办事群众。</p>
        <div className="empty-keys">
          <span><kbd>F1</kbd> 叫号</span>
          <span><kbd>F2</kbd> 重呼</span>
          <span><kbd>F3</kbd> 开始办理</span>
          <span><kbd>F4</kbd> 办结</span>
        </div>
      </section>
    );
  }
  const clock = ticketClock(ticket);
  const statusCls = `status-${ticket.status.toLowerCase()}`;
  return (
    <section className={`card current ${statusCls}`}>
      <div className="current-top">
        <div className="current-label">当前号码</div>
        <div className="current-tags">
          {ticket.priority === 'green' && <span className="chip chip-green">绿色通道</span>}
          {ticket.priority === 'appointment' && <span className="chip chip-blue">预约</span>}
          <span className={`chip chip-status ${statusCls}`} data-testid="current-status">
            {STATUS_LABEL[ticket.status]}
          </span>
        </div>
      </div>
      <div className="current-body">
        <div className="current-number num" data-testid="current-number">
          {ticket.number}
        </div>
        <div className="current-facts">
          <div className="fact">
            <span className="fact-k">业务</span>
            <span className="fact-v">
              <span className="board-code">{ticket.board}</span> {ticket.boardName}
            </span>
          </div>
          <div className="fact">
            <span className="fact-k">{clock?.label ?? '用时'}</span>
            <span className="fact-v num big" data-testid="current-elapsed">
              {clock ? formatElapsed(hallTime - clock.since) : '—'}
            </span>
          </div>
          <div className="fact">
            <span className="fact-k">重呼</span>
            <span className="fact-v num" data-testid="current-recalls">
              {ticket.recallCount} / {ticket.recallLimit} 次
            </span>
          </div>
          <div className="fact">
            <span className="fact-k">取号</span>
            <span className="fact-v num">{formatClock(ticket.issuedAt)}</span>
          </div>
        </div>
      </div>
      {ticket.hold && (
        <p className="current-note">
          {HOLD_KIND_LABEL[ticket.hold.kind]} · 自 {formatClock(ticket.hold.since)}
          {ticket.hold.note ? ` · ${ticket.hold.note}` : ''}
        </p>
      )}
      {ticket.holdMs > 0 && !ticket.hold && <p className="current-note">累计挂起 {formatMinutes(ticket.holdMs)}（不计入办理时长）</p>}
      <Stepper status={ticket.status} />
      {ticket.transferTo && (
        <p className="current-note">
          已转至 {ticket.transferTo.board} 板块{ticket.transferTo.windowId ? `（指定窗口 ${ticket.transferTo.windowId.split('/')[1]}号）` : ''}
        </p>
      )}
    </section>
  );
}

const STEPS: Array<{ status: TicketView['status']; label: string; hint: string }> = [
  { status: 'CALLED', label: '已呼叫', hint: '等待办事群众到窗口：到达后“开始办理”，未到可“重呼”或“过号”' },
  { status: 'SERVING', label: '办理中', hint: '受理、审核材料；完成后“办结”，缺材料可“挂起”，非本窗口业务可“转移”' },
  { status: 'DONE', label: '已办结', hint: '请提示办事群众在评价器上评价本次服务' },
];

function Stepper({ status }: { status: TicketView['status'] }) {
  const at = STEPS.findIndex((s) => s.status === status);
  const step = STEPS[at];
  return (
    <div className="stepper">
      <ol>
        {STEPS.map((s, i) => (
          <li key={s.status} className={i < at ? 'past' : i === at ? 'now' : ''}>
            <span className="step-dot">{i < at ? '✓' : i + 1}</span>
            {s.label}
          </li>
        ))}
      </ol>
      {step && <div className="step-hint">{step.hint}</div>}
    </div>
  );
}

export function BoardsCard({ boards, weights, compact = false }: { boards: BoardSummary[]; weights: Array<{ board: string; weight: number }>; compact?: boolean }) {
  const total = boards.reduce((n, b) => n + b.waiting, 0);
  return (
    <section className={`card ${compact ? 'boards-compact' : ''}`}>
      <div className="card-head">
        <h3>本窗口业务</h3>
        <span className="muted small">共 {total} 人等候</span>
      </div>
      {boards.length === 0 && <p className="muted small">暂无数据</p>}
      <ul className="board-list">
        {boards.map((b) => {
          const w = weights.find((x) => x.board === b.code)?.weight;
          return (
            <li key={b.code} className="board-row">
              <span className="board-code lg">{b.code}</span>
              <div className="board-main">
                <div className="board-name">
                  {b.name}
                  {w !== undefined && weights.length > 1 && <span className="muted small"> · 权重 {w}</span>}
                </div>
                <div className="muted small">
                  预计 <span data-testid={`board-estimate-${b.code}`}>{describeEstimate(b.estimateMinutes, b.waiting)}</span>
                  {b.waiting > 0 && ` · 最长已等 ${formatMinutes(b.longestWaitMs)}`}
                </div>
              </div>
              <div className="board-count">
                <span className="num" data-testid={`board-waiting-${b.code}`}>
                  {b.waiting}
                </span>
                <span className="small muted">人</span>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function ResumableCard({
  tickets,
  hallTime,
  disabled,
  onResume,
}: {
  tickets: TicketView[];
  hallTime: number;
  disabled: boolean;
  onResume: (t: TicketView) => void;
}) {
  return (
    <section className="card">
      <div className="card-head">
        <h3>可恢复的挂起号</h3>
        <span className="muted small">{tickets.length} 个</span>
      </div>
      <ul className="resumable-list" data-testid="resumable-list">
        {tickets.length === 0 && <li className="muted small empty">暂无挂起的号码</li>}
        {tickets.map((t) => (
          <li key={t.ticketId} className="resumable-row">
            <div className="resumable-main">
              <div>
                <span className="num strong">{t.number}</span> <span className="muted small">{t.boardName}</span>
              </div>
              <div className="small muted">
                {t.hold ? `${HOLD_KIND_LABEL[t.hold.kind]} · 已 ${formatMinutes(hallTime - t.hold.since)}` : ''}
                {t.hold?.note ? ` · ${t.hold.note}` : ''}
              </div>
            </div>
            <button type="button" className="btn btn-sm" data-testid={`resume-${t.number}`} disabled={disabled} onClick={() => onResume(t)}>
              恢复办理
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
