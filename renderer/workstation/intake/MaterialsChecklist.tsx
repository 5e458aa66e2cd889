import { useRef, useState, type DragEvent } from 'react';
import { CASE_ATTACH_MAX_BYTES } from '../../../shared/case/contract.js';
import { MATERIAL_STATUS_LABEL, type MaterialStatus } from '../../../shared/case/types.js';
import type { CaseView, MaterialView } from '../../../shared/case/view.js';
import { CaptureButton } from './capture/CaptureButton.js';
import { MaterialPdfButton } from './capture/MaterialPdfButton.js';
import { CARRIER_LABEL, FORM_LABEL, formatSize, isoDatePlus, neededByHint, shortDate, statusChoices } from './intake-format.js';
import type { CaseAct } from './useIntake.js';
import { blobBase64 } from './capture/capture-format.js';

const ACCEPTED_FILES = 'image/png,image/jpeg,image/webp,image/tiff,application/pdf';
const DEFAULT_SUPPLEMENT_DAYS = 7;

/** Why a file cannot be attached, in Chinese, or null. */
function refuseFile(f: File): string | null {
  const isImage = f.type.startsWith('image/');
  const isPdf = f.type === 'application/pdf' || /\.pdf$/i.test(f.name);
  if (!isImage && !isPdf) return `“${f.name}”不是图片或 PDF 文件，不能作为材料附件。`;
  if (f.size === 0) return `“${f.name}”是空文件。`;
  if (f.size > CASE_ATTACH_MAX_BYTES) return `“${f.name}”超过 ${formatSize(CASE_ATTACH_MAX_BYTES)}，请压缩或分页后再添加。`;
  return null;
}

/**
 * The materials checklist: each material once, whatever number of matters need it, with what the
 * applicant must bring (原件/复印件, 份数, 纸质/电子, 必要/选择), its status, the files attached
 * (button or drag and drop) and, for 容缺后补, the deadline.
 */
export function MaterialsChecklist({
  view,
  act,
  readOnly,
  notify,
}: {
  view: CaseView;
  act: CaseAct;
  readOnly: boolean;
  notify: (text: string, kind?: 'error' | 'info') => void;
}) {
  const caseId = view.summary.caseId;
  const asked = view.materials.filter((m) => !m.producedBy);
  const count = (s: MaterialStatus) => asked.filter((m) => m.status === s).length;
  const [bulk, setBulk] = useState(false);
  const markAllPresent = async () => {
    setBulk(true);
    try {
      for (const m of asked.filter((x) => x.status === 'missing')) {
        const r = await act('case.markMaterial', { caseId, materialId: m.id, status: 'present' });
        if (!r.ok) break;
      }
    } finally {
      setBulk(false);
    }
  };
  return (
    <section className="card checklist" data-testid="checklist">
      <div className="card-head">
        <h3>
          材料清单 <span className="muted small">（共 {asked.length} 项，相同材料只收一次）</span>
        </h3>
        {!readOnly && count('missing') > 0 && (
          <button type="button" className="btn btn-sm" data-testid="btn-mark-all-present" disabled={bulk} onClick={() => void markAllPresent()}>
            其余均已收取
          </button>
        )}
      </div>
      <div className="checklist-counts small" data-testid="checklist-counts">
        <span className="count-present">已收取 {count('present')}</span>
        <span className={count('missing') > 0 ? 'count-missing' : 'muted'}>缺少 {count('missing')}</span>
        {count('supplement_later') > 0 && <span className="count-later">容缺后补 {count('supplement_later')}</span>}
        {count('commitment') > 0 && <span className="count-later">告知承诺 {count('commitment')}</span>}
        {count('not_needed') > 0 && <span className="muted">无需提供 {count('not_needed')}</span>}
        {!readOnly && <span className="muted drop-tip">可将扫描件拖到对应材料上</span>}
      </div>
      {view.materials.length === 0 ? (
        <p className="muted small">请先回答情形问题，材料清单随之确定。</p>
      ) : (
        <ol className="material-list">
          {view.materials.map((m, i) => (
            <MaterialRow key={m.id} index={i + 1} m={m} view={view} act={act} readOnly={readOnly} notify={notify} />
          ))}
        </ol>
      )}
    </section>
  );
}

function MaterialRow({
  index,
  m,
  view,
  act,
  readOnly,
  notify,
}: {
  index: number;
  m: MaterialView;
  view: CaseView;
  act: CaseAct;
  readOnly: boolean;
  notify: (text: string, kind?: 'error' | 'info') => void;
}) {
  const caseId = view.summary.caseId;
  const fileInput = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [uploading, setUploading] = useState(0);
  const status = view.summary.status;
  // The reducer takes attachments while the case is a draft, accepted or approved (容缺 supplied later).
  const canAttach = status === 'DRAFT' || status === 'ACCEPTED' || status === 'APPROVED';
  const hint = neededByHint(m.neededBy, view.matters.length);

  const attach = async (files: FileList | File[]) => {
    const list = Array.from(files);
    for (const f of list) {
      const why = refuseFile(f);
      if (why) {
        notify(why, 'error');
        continue;
      }
      setUploading((n) => n + 1);
      try {
        const dataBase64 = await blobBase64(f);
        const mime = f.type || 'application/pdf';
        await act('case.attach', { caseId, materialId: m.id, name: f.name.slice(0, 200), mime, dataBase64 });
      } catch {
        notify(`无法读取文件“${f.name}”，请重新选择。`, 'error');
      } finally {
        setUploading((n) => n - 1);
      }
    }
  };

  const mark = (next: MaterialStatus, deadline?: string) =>
    act('case.markMaterial', {
      caseId,
      materialId: m.id,
      status: next,
      ...(next === 'supplement_later' ? { deadline: deadline ?? m.deadline ?? isoDatePlus(Date.now(), DEFAULT_SUPPLEMENT_DAYS) } : {}),
    });

  const dropProps =
    canAttach && !m.producedBy
      ? {
          onDragOver: (e: DragEvent) => {
            if (!Array.from(e.dataTransfer.types).includes('Files')) return;
            e.preventDefault();
            e.dataTransfer.dropEffect = 'copy';
            setOver(true);
          },
          onDragLeave: () => setOver(false),
          onDrop: (e: DragEvent) => {
            e.preventDefault();
            setOver(false);
            if (e.dataTransfer.files.length > 0) void attach(e.dataTransfer.files);
          },
        }
      : {};

  return (
    <li
      className={`material st-${m.status} ${m.producedBy ? 'produced' : ''} ${over ? 'drop-over' : ''}`}
      data-testid={`material-${m.id}`}
      data-status={m.status}
      data-required={m.requirement === 'required' ? '1' : '0'}
      {...dropProps}
    >
      <span className="material-no num">{index}</span>
      <div className="material-main">
        <div className="material-name">
          {m.name}
          {m.producedBy ? (
            <span className="tag tag-blue">本次办理产生</span>
          ) : m.requirement === 'required' ? (
            <span className="tag tag-red">必要</span>
          ) : (
            <span className="tag">选择性</span>
          )}
        </div>
        <div className="material-spec small">
          <span>{FORM_LABEL[m.form]}</span>
          <span>{m.copies} 份</span>
          <span>{CARRIER_LABEL[m.carrier]}</span>
          {m.mayBeSupplementedLater && <span className="spec-ok">可容缺后补</span>}
          {m.mayBeReplacedByCommitment && <span className="spec-ok">可告知承诺</span>}
          {hint && (
            <span className="spec-for" title={`用于：${m.neededBy.join('、')}`}>
              {hint}
            </span>
          )}
        </div>
        {m.attachments.length > 0 && (
          <div className="chips" data-testid={`material-attachments-${m.id}`}>
            {m.attachments.map((a) => (
              <span key={a.sha256} className="chip-file" title={`${a.name} · ${formatSize(a.size)} · ${a.sha256.slice(0, 12)}`} data-testid="attachment-chip">
                <span className="file-icon" aria-hidden>
                  {a.mime === 'application/pdf' ? 'PDF' : 'IMG'}
                </span>
                <span className="file-name">{a.name}</span>
                <span className="muted">{formatSize(a.size)}</span>
                {!readOnly && status === 'DRAFT' && (
                  <button
                    type="button"
                    className="chip-x"
                    aria-label={`移除 ${a.name}`}
                    data-testid={`material-detach-${m.id}-${a.sha256.slice(0, 8)}`}
                    onClick={() => void act('case.detach', { caseId, materialId: m.id, sha256: a.sha256 })}
                  >
                    ×
                  </button>
                )}
              </span>
            ))}
          </div>
        )}
      </div>
      <div className="material-status">
        {m.producedBy ? (
          <span className="small muted produced-note">由“{m.producedBy}”办理后产生，无需申请人提供</span>
        ) : readOnly ? (
          <ReadOnlyStatus m={m} caseId={caseId} act={act} caseStatus={status} />
        ) : (
          <>
            <select
              data-testid={`material-status-${m.id}`}
              aria-label={`${m.name} 状态`}
              className={`status-select st-${m.status}`}
              value={m.status}
              onChange={(e) => void mark(e.target.value as MaterialStatus)}
            >
              {statusChoices(m).map((s) => (
                <option key={s} value={s}>
                  {MATERIAL_STATUS_LABEL[s]}
                </option>
              ))}
            </select>
            {m.status === 'supplement_later' && (
              <label className="deadline small">
                补齐期限
                <input
                  type="date"
                  data-testid={`material-deadline-${m.id}`}
                  value={m.deadline ?? ''}
                  min={isoDatePlus(Date.now(), 0)}
                  onChange={(e) => e.target.value && void mark('supplement_later', e.target.value)}
                />
              </label>
            )}
          </>
        )}
      </div>
      <div className="material-attach">
        {canAttach && !m.producedBy && (
          <>
            <button
              type="button"
              className="btn btn-sm"
              data-testid={`material-attach-${m.id}`}
              disabled={uploading > 0}
              onClick={() => fileInput.current?.click()}
            >
              {uploading > 0 ? '正在添加…' : '＋ 附件'}
            </button>
            {!readOnly && <CaptureButton view={view} material={m} act={act} notify={notify} /> /* 拍照/扫描/导入 */}
            <input
              ref={fileInput}
              type="file"
              hidden
              multiple
              accept={ACCEPTED_FILES}
              data-testid={`material-file-${m.id}`}
              onChange={(e) => {
                const files = e.target.files;
                if (files && files.length > 0) void attach(Array.from(files));
                e.target.value = '';
              }}
            />
          </>
        )}
        {/* 下载 PDF when the material has pages */}
        <MaterialPdfButton caseId={caseId} material={m} notify={notify} />
      </div>
    </li>
  );
}

function ReadOnlyStatus({ m, caseId, act, caseStatus }: { m: MaterialView; caseId: string; act: CaseAct; caseStatus: string }) {
  return (
    <span className="ro-status">
      <span className={`status-chip st-${m.status}`} data-testid={`material-status-${m.id}`}>
        {MATERIAL_STATUS_LABEL[m.status]}
      </span>
      {m.status === 'supplement_later' && <span className="small muted"> 限 {shortDate(m.deadline)} 前补齐</span>}
      {m.status === 'supplement_later' && caseStatus === 'ACCEPTED' && (
        <button type="button" className="btn btn-sm" data-testid={`material-supplement-${m.id}`} onClick={() => void act('case.supplement', { caseId, materialId: m.id })}>
          已补齐
        </button>
      )}
    </span>
  );
}
