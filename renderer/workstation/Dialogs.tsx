import { useState, type ReactNode } from 'react';
import type { TicketView, WindowPanel } from '../../shared/hall/views.js';
import { HOLD_KIND_LABEL, type HoldKind } from '../../shared/queue/types.js';

function Modal({ title, children, onClose }: { title: string; children: ReactNode; onClose: () => void }) {
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal" role="dialog" aria-modal="true" aria-label={title} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
        <div className="modal-head">
          <h3>{title}</h3>
          <button type="button" className="icon-btn" aria-label="关闭" onClick={onClose}>
            ×
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}

const HOLD_HELP: Record<HoldKind, string> = {
  without_materials: '申请人带走材料去补齐；回来后到任一办理该业务的窗口直接恢复办理，无需重新取号。',
  with_materials: '部分材料留在本窗口保管；申请人回来后只能在本窗口恢复办理。',
  waiting: '等待其他环节完成（如刻章、缴费、核验结果），完成后唤醒恢复办理。',
};
const HOLD_KINDS: HoldKind[] = ['without_materials', 'with_materials', 'waiting'];

export function HoldDialog({
  ticket,
  onConfirm,
  onClose,
}: {
  ticket: TicketView;
  onConfirm: (kind: HoldKind, note: string | undefined) => void;
  onClose: () => void;
}) {
  const [kind, setKind] = useState<HoldKind>('without_materials');
  const [note, setNote] = useState('');
  return (
    <Modal title={`挂起 ${ticket.number}`} onClose={onClose}>
      <div className="modal-body">
        <div className="choice-list" role="radiogroup" aria-label="挂起方式">
          {HOLD_KINDS.map((k) => (
            <button
              key={k}
              type="button"
              role="radio"
              aria-checked={kind === k}
              className={`choice ${kind === k ? 'selected' : ''}`}
              data-testid={`hold-kind-${k}`}
              onClick={() => setKind(k)}
            >
              <span className="choice-radio" aria-hidden />
              <span>
                <span className="choice-title">{HOLD_KIND_LABEL[k]}</span>
                <span className="choice-help">{HOLD_HELP[k]}</span>
              </span>
            </button>
          ))}
        </div>
        <label className="field">
          <span>备注（选填，例如需补齐的材料）</span>
          <textarea data-testid="hold-note" rows={2} maxLength={200} value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
        <p className="hint">挂起期间的时间不计入本窗口的办理时长。</p>
      </div>
      <div className="modal-foot">
        <button type="button" className="btn" onClick={onClose}>
          取消
        </button>
        <button type="button" className="btn btn-primary" data-testid="btn-hold-confirm" onClick={() => onConfirm(kind, note.trim() || undefined)}>
          确认挂起
        </button>
      </div>
    </Modal>
  );
}

export function TransferDialog({
  ticket,
  panel,
  onConfirm,
  onClose,
}: {
  ticket: TicketView;
  panel: WindowPanel;
  onConfirm: (input: { toBoard: string; toWindowId?: string; position: 'front' | 'back' }) => void;
  onClose: () => void;
}) {
  const boards = panel.transferTargets.boards;
  const windows = panel.transferTargets.windows.filter((w) => w.id !== panel.window.id);
  const [toBoard, setToBoard] = useState(boards.find((b) => b.code !== ticket.board)?.code ?? boards[0]?.code ?? '');
  const [toWindowId, setToWindowId] = useState('');
  const [position, setPosition] = useState<'front' | 'back'>('front');
  return (
    <Modal title={`转移 ${ticket.number}`} onClose={onClose}>
      <div className="modal-body">
        <label className="field">
          <span>转到业务板块</span>
          <select data-testid="transfer-board" value={toBoard} onChange={(e) => setToBoard(e.target.value)}>
            {boards.map((b) => (
              <option key={b.code} value={b.code}>
                {b.code} · {b.name}
                {b.code === ticket.board ? '（当前）' : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>指定窗口（选填）</span>
          <select data-testid="transfer-window" value={toWindowId} onChange={(e) => setToWindowId(e.target.value)}>
            <option value="">不指定，由该板块任一窗口叫号</option>
            {windows.map((w) => (
              <option key={w.id} value={w.id}>
                {w.no}号窗口{w.name && w.name !== `${w.no}号窗口` ? ` · ${w.name}` : ''}
                {w.open ? '' : '（未开放）'}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>排队位置</span>
          <select data-testid="transfer-position" value={position} onChange={(e) => setPosition(e.target.value as 'front' | 'back')}>
            <option value="front">排在队首（优先叫号）</option>
            <option value="back">排在队尾</option>
          </select>
        </label>
      </div>
      <div className="modal-foot">
        <button type="button" className="btn" onClick={onClose}>
          取消
        </button>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="btn-transfer-confirm"
          disabled={!toBoard}
          onClick={() => onConfirm(toWindowId ? { toBoard, toWindowId, position } : { toBoard, position })}
        >
          确认转移
        </button>
      </div>
    </Modal>
  );
}
