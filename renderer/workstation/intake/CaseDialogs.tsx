import { useState } from 'react';
import type { CaseView } from '../../../shared/case/view.js';
import { shortDate } from './intake-format.js';
import { Modal } from './Modal.js';

export function AcceptDialog({ view, onClose, onConfirm }: { view: CaseView; onClose: () => void; onConfirm: () => void }) {
  const later = view.materials.filter((m) => m.status === 'supplement_later');
  const promised = view.materials.filter((m) => m.status === 'commitment');
  return (
    <Modal
      title={`受理：${view.summary.title}`}
      onClose={onClose}
      onConfirm={onConfirm}
      testId="accept-dialog"
      confirm={{ text: <>确认受理 <kbd>Ctrl+Enter</kbd></>, testId: 'btn-accept-confirm', kind: 'success', autofocus: true }}
    >
      <table className="kv">
        <tbody>
          <tr>
            <th>受理事项</th>
            <td>
              {view.matters.map((m) => (
                <div key={m.code}>
                  {m.name} <span className="muted small">· {m.decidingOffice}</span>
                </div>
              ))}
            </td>
          </tr>
          <tr>
            <th>承诺办结</th>
            <td>
              <strong>{shortDate(view.promisedDateIfAcceptedToday)}</strong>
              <span className="muted small"> （{view.promisedDateIfAcceptedToday ?? '—'}，按工作日计算）</span>
            </td>
          </tr>
          {later.length > 0 && (
            <tr>
              <th>容缺后补</th>
              <td>
                {later.map((m) => (
                  <div key={m.id}>
                    {m.name} <span className="muted small">· {shortDate(m.deadline)}前补齐</span>
                  </div>
                ))}
              </td>
            </tr>
          )}
          {promised.length > 0 && (
            <tr>
              <th>告知承诺</th>
              <td>
                {promised.map((m) => (
                  <div key={m.id}>{m.name}</div>
                ))}
                <div className="muted small">须由申请人签署告知承诺书</div>
              </td>
            </tr>
          )}
          {view.onBehalfOf && (
            <tr>
              <th>代收代办</th>
              <td>
                为 {view.onBehalfOf.jurisdiction} 代收（{view.onBehalfOf.scope}），受理后转报
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <p className="hint">受理后表单和材料状态不能再修改；断网时也可受理，编号先为临时编号，联网后换发正式受理编号。</p>
    </Modal>
  );
}

/** 不予受理 / 作废草稿 / 不予许可: one reason, written. */
export function ReasonDialog({
  title,
  label,
  confirmText,
  presets,
  danger,
  onClose,
  onConfirm,
}: {
  title: string;
  label: string;
  confirmText: string;
  presets: readonly string[];
  danger?: boolean;
  onClose: () => void;
  onConfirm: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  const ok = reason.trim().length > 0;
  const confirm = () => onConfirm(reason.trim());
  return (
    <Modal
      title={title}
      onClose={onClose}
      onConfirm={confirm}
      testId="reason-dialog"
      confirm={{ text: confirmText, testId: 'btn-reason-confirm', kind: danger ? 'danger' : 'primary', disabled: !ok }}
    >
      <label className="field">
        <span>{label}</span>
        <textarea data-testid="reason-text" rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      {presets.length > 0 && (
        <div className="presets">
          {presets.map((p) => (
            <button key={p} type="button" className="preset" onClick={() => setReason(p)}>
              {p}
            </button>
          ))}
        </div>
      )}
    </Modal>
  );
}

export function EscalateDialog({ onClose, onConfirm }: { onClose: () => void; onConfirm: (reason: string, owner: string) => void }) {
  const [reason, setReason] = useState('');
  const [owner, setOwner] = useState('');
  const ok = reason.trim() !== '' && owner.trim() !== '';
  const confirm = () => onConfirm(reason.trim(), owner.trim());
  return (
    <Modal
      title="转“办不成事”反映窗口"
      onClose={onClose}
      onConfirm={confirm}
      testId="escalate-dialog"
      confirm={{ text: '确认转办', testId: 'btn-escalate-confirm', disabled: !ok }}
    >
      <label className="field">
        <span>办不成的原因（申请人诉求、卡在哪个环节）</span>
        <textarea data-testid="escalate-reason" rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <label className="field">
        <span>责任人（负责协调解决的人员或科室）</span>
        <input data-testid="escalate-owner" maxLength={60} value={owner} onChange={(e) => setOwner(e.target.value)} placeholder="例如 赵敏（大厅负责人）" />
      </label>
      <p className="hint">转办后由责任人跟踪办结，办理过程记入本办件记录。</p>
    </Modal>
  );
}

export function ForwardDialog({ view, onClose, onConfirm }: { view: CaseView; onClose: () => void; onConfirm: (target: string, note: string) => void }) {
  const [target, setTarget] = useState(view.onBehalfOf ? `${view.onBehalfOf.jurisdiction}政务服务中心` : '');
  const [note, setNote] = useState('');
  const ok = target.trim() !== '';
  const confirm = () => onConfirm(target.trim(), note.trim());
  return (
    <Modal
      title="代收代办转报"
      onClose={onClose}
      onConfirm={confirm}
      testId="forward-dialog"
      confirm={{ text: '确认转报', testId: 'btn-forward-confirm', disabled: !ok }}
    >
      <label className="field">
        <span>转报至（有权办理的机关）</span>
        <input data-testid="forward-target" maxLength={120} value={target} onChange={(e) => setTarget(e.target.value)} />
      </label>
      <label className="field">
        <span>备注（选填）</span>
        <input data-testid="forward-note" maxLength={300} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
    </Modal>
  );
}

export function DeliverDialog({ onClose, onConfirm }: { onClose: () => void; onConfirm: (input: { method: 'window' | 'mail'; address?: string; trackingNo?: string }) => void }) {
  const [method, setMethod] = useState<'window' | 'mail'>('window');
  const [address, setAddress] = useState('');
  const [trackingNo, setTrackingNo] = useState('');
  const ok = method === 'window' || (address.trim() !== '' && trackingNo.trim() !== '');
  const confirm = () => onConfirm(method === 'window' ? { method } : { method, address: address.trim(), trackingNo: trackingNo.trim() });
  return (
    <Modal
      title="送达"
      onClose={onClose}
      onConfirm={confirm}
      testId="deliver-dialog"
      confirm={{ text: '确认送达', testId: 'btn-deliver-confirm', disabled: !ok }}
    >
      <label className="field">
        <span>送达方式</span>
        <select data-testid="deliver-method" value={method} onChange={(e) => setMethod(e.target.value as 'window' | 'mail')}>
          <option value="window">窗口领取</option>
          <option value="mail">免费邮寄</option>
        </select>
      </label>
      {method === 'mail' && (
        <>
          <label className="field">
            <span>收件地址</span>
            <input data-testid="deliver-address" maxLength={200} value={address} onChange={(e) => setAddress(e.target.value)} />
          </label>
          <label className="field">
            <span>快递单号</span>
            <input data-testid="deliver-tracking" maxLength={40} value={trackingNo} onChange={(e) => setTrackingNo(e.target.value)} />
          </label>
        </>
      )}
    </Modal>
  );
}

