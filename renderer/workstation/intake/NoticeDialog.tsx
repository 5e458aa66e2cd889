import { useState } from 'react';
import type { NoticeItem } from '../../../shared/case/types.js';
import type { CaseView } from '../../../shared/case/view.js';
import { Modal } from './Modal.js';

/** What a notice item is about, by name: the material or the form field it concerns. */
export function noticeSubject(view: CaseView, item: NoticeItem): string {
  if (item.materialId) return view.materials.find((m) => m.id === item.materialId)?.name ?? item.materialId;
  if (item.fieldKey) return view.fields.find((f) => f.key === item.fieldKey)?.label ?? item.fieldKey;
  return '其他';
}

export function NoticeList({ view, items, testId = 'notice-item' }: { view: CaseView; items: NoticeItem[]; testId?: string }) {
  return (
    <ol className="notice-list">
      {items.map((it, i) => (
        <li key={i} data-testid={testId} data-material={it.materialId ?? ''} data-field={it.fieldKey ?? ''}>
          <span className={`tag ${it.problem === 'missing' ? 'tag-red' : 'tag-amber'}`}>{it.materialId ? '材料' : it.fieldKey ? '表单' : '其他'}</span>
          {it.detail.includes(noticeSubject(view, it)) ? (
            <span>{it.detail}</span>
          ) : (
            <span>
              <strong>{noticeSubject(view, it)}</strong>：{it.detail}
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}

type Extra = { key: string; detail: string };

export function NoticeDialog({ view, onClose, onConfirm }: { view: CaseView; onClose: () => void; onConfirm: (extra: NoticeItem[]) => void }) {
  const [extra, setExtra] = useState<Extra[]>([]);
  const [key, setKey] = useState('');
  const [detail, setDetail] = useState('');
  const listed = new Set(view.noticePreview.map((it) => (it.materialId ? `m:${it.materialId}` : `f:${it.fieldKey}`)));
  const choices = [
    ...view.materials.filter((m) => !m.producedBy).map((m) => ({ key: `m:${m.id}`, label: `材料：${m.name}` })),
    ...view.fields.map((f) => ({ key: `f:${f.key}`, label: `表单：${f.label}` })),
  ].filter((c) => !listed.has(c.key) && !extra.some((e) => e.key === c.key));
  const toItem = (e: Extra): NoticeItem =>
    e.key.startsWith('m:')
      ? { materialId: e.key.slice(2), problem: 'deficient', detail: e.detail }
      : { fieldKey: e.key.slice(2), problem: 'deficient', detail: e.detail };
  const items = [...view.noticePreview, ...extra.map(toItem)];
  const add = () => {
    if (!key || !detail.trim()) return;
    setExtra([...extra, { key, detail: detail.trim() }]);
    setKey('');
    setDetail('');
  };
  const confirm = () => onConfirm(extra.map(toItem));
  return (
    <Modal
      title="一次性告知"
      wide
      onClose={onClose}
      onConfirm={confirm}
      testId="notice-dialog"
      confirm={{ text: <>出具一次性告知书（{items.length} 项）</>, testId: 'btn-notice-confirm', disabled: items.length === 0, autofocus: true }}
    >
      <p className="small">请申请人补齐或补正以下事项后再来办理（每项只列一次）：</p>
      {items.length === 0 ? <p className="muted">当前没有缺少或需补正的事项。</p> : <NoticeList view={view} items={items} />}
      <div className="notice-add">
        <div className="small strong">补充需补正的事项（材料或表单内容有误）</div>
        <div className="notice-add-row">
          <select data-testid="notice-extra-subject" value={key} onChange={(e) => setKey(e.target.value)} aria-label="需补正的材料或表单项">
            <option value="">选择材料或表单项…</option>
            {choices.map((c) => (
              <option key={c.key} value={c.key}>
                {c.label}
              </option>
            ))}
          </select>
          <input
            data-testid="notice-extra-detail"
            placeholder="具体问题，例如：复印件未签字"
            maxLength={300}
            value={detail}
            onChange={(e) => setDetail(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && !e.ctrlKey && add()}
          />
          <button type="button" className="btn btn-sm" data-testid="notice-extra-add" disabled={!key || !detail.trim()} onClick={add}>
            添加
          </button>
        </div>
        {extra.length > 0 && (
          <button type="button" className="btn-link small" onClick={() => setExtra([])}>
            清除补充的 {extra.length} 项
          </button>
        )}
      </div>
    </Modal>
  );
}

