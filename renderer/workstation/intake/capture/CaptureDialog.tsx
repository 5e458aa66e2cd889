import { useRef, useState } from 'react';
import type { CaptureResult } from '../../../../shared/case/capture-contract.js';
import type { CaseView, MaterialView } from '../../../../shared/case/view.js';
import { Modal } from '../Modal.js';
import type { CaseAct } from '../useIntake.js';
import { CameraTab } from './CameraTab.js';
import { ImportTab, type PickedFile } from './ImportTab.js';
import { ScannerTab, type ScanSettings } from './ScannerTab.js';
import { acceptAllKeys } from './capture-format.js';
import { SuggestionsPanel, type Choice } from './SuggestionsPanel.js';
import { remembered, remember } from '../../../common/remember.js';

type Tab = 'camera' | 'scanner' | 'file';
const TABS: Array<[Tab, string]> = [
  ['camera', '高拍仪拍照'],
  ['scanner', '扫描仪'],
  ['file', '导入文件'],
];
const CONFIRM: Record<Tab, string> = { camera: '拍照（空格）', scanner: '开始扫描', file: '选择文件…' };

/**
 * 拍照 / 扫描 / 导入 for one material, then the suggestions for the form. The pages are stored on
 * the material as soon as they are read; the form changes only with what the clerk accepts.
 */
export function CaptureDialog({
  view,
  material,
  act,
  notify,
  onClose,
}: {
  view: CaseView;
  material: MaterialView;
  act: CaseAct;
  notify: (text: string, kind?: 'error' | 'info') => void;
  onClose: () => void;
}) {
  const caseId = view.summary.caseId;
  const [tab, setTab] = useState<Tab>(() => remembered<Tab>('capture.tab', 'camera'));
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<CaptureResult | null>(null);
  const [choice, setChoice] = useState<Choice>({});
  const resultRef = useRef<CaptureResult | null>(null);
  /** The current tab's action (take a still, start the scan, open the file picker). */
  const action = useRef<(() => void) | null>(null);

  const choose = (t: Tab) => {
    setTab(t);
    remember('capture.tab', t);
    setError(null);
  };
  const done = (r: CaptureResult) => {
    // Several files in a row: all their pages; a key read again takes the later reading (made against the newer form).
    const merged = mergeResults(resultRef.current, r);
    resultRef.current = merged;
    setResult(merged);
    setChoice(Object.fromEntries(acceptAllKeys(merged.suggestions).map((k) => [k, true])));
    const skipped = r.skipped.length > 0 ? `，跳过空白页 ${r.skipped.length} 页` : '';
    notify(`已保存到“${material.name}”：${r.pages.length} 页${skipped}`, 'info');
  };
  /** Files (named in messages) or a camera still (not named: the clerk just took it). */
  const importFiles = async (files: PickedFile[], named = true) => {
    setError(null);
    for (const f of files) {
      setBusy(named ? `正在识别“${f.name}”…` : '正在识别…');
      const r = await act('case.capture', { caseId, materialId: material.id, name: f.name, mime: f.mime, dataBase64: f.dataBase64 });
      setBusy(null);
      if (!r.ok) return setError(named ? `${f.name}：${r.error.message}` : r.error.message);
      done(r.value);
    }
  };
  const scan = async (s: ScanSettings) => {
    setError(null);
    setBusy('正在扫描…');
    const r = await act('capture.scan', { caseId, materialId: material.id, ...s });
    setBusy(null);
    if (!r.ok) return setError(r.error.message);
    done(r.value);
  };
  /** Takes the chosen readings (all confident ones for 全部采用) into the form. */
  const accept = async (keys: readonly string[]) => {
    if (!result) return;
    const items = result.suggestions.filter((s) => keys.includes(s.key)).map((s) => ({ key: s.key, value: s.value, sha256: s.sha256, expected: s.current }));
    if (items.length === 0) return onClose();
    setBusy('正在填入申请表…');
    const r = await act('case.acceptSuggestions', { caseId, accept: items });
    setBusy(null);
    if (!r.ok) return setError(r.error.message);
    notify(`已采用 ${items.length} 项识别结果`, 'info');
    onClose();
  };

  const chosenKeys = result ? result.suggestions.filter((s) => choice[s.key] && s.kind !== 'same').map((s) => s.key) : [];
  const undecided = result ? result.suggestions.filter((s) => s.kind === 'conflict' && choice[s.key] === undefined).length : 0;
  return (
    <Modal
      title={`${result ? '识别结果' : '拍照 / 扫描 / 导入'} · ${material.name}`}
      wide
      testId="capture-dialog"
      onClose={onClose}
      onConfirm={() => (result ? void accept(chosenKeys) : action.current?.())}
      confirm={
        result
          ? {
              text: undecided > 0 ? `还有 ${undecided} 项待选择` : chosenKeys.length === 0 ? '完成' : `采用所选（${chosenKeys.length} 项）`,
              testId: 'capture-accept-chosen',
              kind: 'primary',
              disabled: busy !== null || undecided > 0,
            }
          : { text: CONFIRM[tab], testId: 'capture-go', disabled: busy !== null }
      }
    >
      {result ? (
        <SuggestionsPanel view={view} result={result} choice={choice} onChoice={setChoice} onAcceptAll={() => void accept(acceptAllKeys(result.suggestions))} />
      ) : (
        <>
          <div className="cap-tabs" role="tablist" aria-label="取得材料的方式">
            {TABS.map(([t, label]) => (
              <button key={t} type="button" role="tab" aria-selected={tab === t} className={`cap-tab ${tab === t ? 'on' : ''}`} data-testid={`capture-tab-${t}`} onClick={() => choose(t)}>
                {label}
              </button>
            ))}
          </div>
          <div className="cap-pane" role="tabpanel">
            {tab === 'camera' && <CameraTab material={material.name} busy={busy !== null} action={action} onStill={(f) => void importFiles([f], false)} />}
            {tab === 'scanner' && <ScannerTab caseId={caseId} materialId={material.id} busy={busy !== null} action={action} onScan={(s) => void scan(s)} />}
            {tab === 'file' && <ImportTab busy={busy !== null} action={action} onFiles={(f) => void importFiles(f)} onRefused={setError} />}
          </div>
        </>
      )}
      {busy && (
        <div className="cap-busy" data-testid="capture-busy" role="status">
          <span className="cap-spinner" aria-hidden />
          {busy}
        </div>
      )}
      {error && (
        <div className="cap-error" data-testid="capture-error" role="alert">
          {error}
        </div>
      )}
    </Modal>
  );
}

function mergeResults(before: CaptureResult | null, r: CaptureResult): CaptureResult {
  if (!before) return r;
  const keys = new Set(r.suggestions.map((s) => s.key));
  return {
    view: r.view,
    pages: [...before.pages, ...r.pages],
    suggestions: [...before.suggestions.filter((s) => !keys.has(s.key)), ...r.suggestions],
    skipped: [...before.skipped, ...r.skipped],
  };
}
