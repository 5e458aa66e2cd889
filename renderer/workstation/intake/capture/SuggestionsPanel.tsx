import { useEffect, useRef, useState } from 'react';
import type { CaptureResult, CaptureSuggestion } from '../../../../shared/case/capture-contract.js';
import type { CaseView } from '../../../../shared/case/view.js';
import { KIND_LABEL, percent } from './capture-format.js';
import { PageFigure } from './PageFigure.js';

/** The clerk's decision per form key: true take the reading, false keep the form's value, absent undecided. */
export type Choice = Record<string, boolean | undefined>;

/** A value as the form shows it (an option's label for a choice field). */
function shown(view: CaseView, key: string, value: string): string {
  const f = view.fields.find((x) => x.key === key);
  if (f?.type === 'boolean') return value === 'true' ? '是' : value === 'false' ? '否' : value;
  return f?.options?.find((o) => o.value === value)?.label ?? value;
}

/**
 * What the pages say, against the form: each suggested value with its confidence (low ones marked
 * 请核对, not preselected), new values ticked for 全部采用, and a value that differs from what the
 * clerk typed shown as a conflict that needs a choice — 保留已填 or 采用识别 — never taken silently.
 */
export function SuggestionsPanel({
  view,
  result,
  choice,
  onChoice,
  onAcceptAll,
}: {
  view: CaseView;
  result: CaptureResult;
  choice: Choice;
  onChoice: (c: Choice) => void;
  onAcceptAll: () => void;
}) {
  const caseId = view.summary.caseId;
  const list = result.suggestions;
  const [focus, setFocus] = useState<string | null>(list[0]?.key ?? null);
  const active = list.find((s) => s.key === focus) ?? list[0];
  const pageSha = active?.sha256 ?? result.pages[0]?.sha256;
  const page = result.pages.find((p) => p.sha256 === pageSha);
  const set = (key: string, v: boolean | undefined) => onChoice({ ...choice, [key]: v });
  const confident = list.filter((s) => s.acceptAll && s.kind !== 'same').length;
  const conflicts = list.filter((s) => s.kind === 'conflict');
  // Keyboard: the results take the focus (全部采用, else the first choice, else the dialog's button).
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    const target =
      el?.querySelector<HTMLElement>('[data-testid="capture-accept-all"]:not(:disabled)') ??
      el?.querySelector<HTMLElement>('input:not(:disabled)') ??
      el?.closest('.modal')?.querySelector<HTMLElement>('.btn-primary');
    target?.focus();
  }, []);

  return (
    <div ref={box} className="sugg" data-testid="capture-suggestions">
      <div className="sugg-page">
        {pageSha ? (
          <PageFigure
            caseId={caseId}
            sha256={pageSha}
            outlines={list.filter((s) => s.sha256 === pageSha).map((s) => ({ region: s.region, active: s.key === active?.key, label: s.label }))}
            zoom
          />
        ) : null}
        <div className="small muted sugg-page-cap">
          {result.pages.length} 页已保存到材料{page?.docTypeName ? ` · 识别为${page.docTypeName}` : ' · 未识别出证件类型'}
          {result.skipped.map((s) => (
            <div key={s.index} className="warn-text" data-testid="capture-skipped">
              第 {s.index + 1} 页：{s.reason}
            </div>
          ))}
        </div>
      </div>
      <div className="sugg-list">
        {list.length === 0 ? (
          <p className="muted small" data-testid="capture-no-suggestions">
            页面已保存。未识别出可填入本申请表的内容，请对照材料手工填写。
          </p>
        ) : (
          <>
            <div className="sugg-head">
              <span className="small">
                识别出 <strong>{list.length}</strong> 项{conflicts.length > 0 && <span className="warn-text">，其中 {conflicts.length} 项与已填内容不同，请逐项选择</span>}
              </span>
              <button type="button" className="btn btn-sm btn-success" data-testid="capture-accept-all" disabled={confident === 0} onClick={onAcceptAll} title="采用所有置信度高的识别结果；与已填内容不同的项保留已填">
                全部采用（{confident} 项）
              </button>
            </div>
            <ul className="sugg-rows">
              {list.map((s) => (
                <Row key={s.key} s={s} view={view} choice={choice[s.key]} active={s.key === active?.key} onFocus={() => setFocus(s.key)} onSet={(v) => set(s.key, v)} />
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}

function Row({
  s,
  view,
  choice,
  active,
  onFocus,
  onSet,
}: {
  s: CaptureSuggestion;
  view: CaseView;
  choice: boolean | undefined;
  active: boolean;
  onFocus: () => void;
  onSet: (v: boolean | undefined) => void;
}) {
  const conf = (
    <span className={`sugg-conf ${s.low ? 'low' : ''}`} title="识别置信度">
      {percent(s.confidence)}
    </span>
  );
  const tags = (
    <>
      <span className={`tag ${s.kind === 'conflict' ? 'tag-amber' : s.kind === 'same' ? 'tag-green' : 'tag-blue'}`}>{KIND_LABEL[s.kind]}</span>
      {s.low && <span className="tag tag-red" data-testid="capture-low">请核对</span>}
    </>
  );
  const cls = `sugg-row ${active ? 'active' : ''} k-${s.kind} ${s.low ? 'is-low' : ''}`;
  if (s.kind === 'conflict') {
    const name = `sugg-${s.key}`;
    return (
      <li className={cls} data-testid={`capture-suggestion-${s.key}`} data-kind={s.kind} onFocus={onFocus} onMouseEnter={onFocus}>
        <div className="sugg-label">
          {s.label} {tags}
          {choice === undefined && <span className="sugg-undecided">待选择</span>}
        </div>
        <label className="sugg-opt">
          <input type="radio" name={name} checked={choice === false} onChange={() => onSet(false)} data-testid={`capture-keep-${s.key}`} />
          保留已填：<span className="sugg-value">{shown(view, s.key, s.current)}</span>
        </label>
        <label className="sugg-opt">
          <input type="radio" name={name} checked={choice === true} onChange={() => onSet(true)} data-testid={`capture-take-${s.key}`} />
          采用识别：<span className="sugg-value">{shown(view, s.key, s.value)}</span> {conf}
        </label>
        {s.problem && <div className="small warn-text">{s.problem}</div>}
      </li>
    );
  }
  return (
    <li className={cls} data-testid={`capture-suggestion-${s.key}`} data-kind={s.kind} onFocus={onFocus} onMouseEnter={onFocus}>
      <label className="sugg-line">
        <input type="checkbox" disabled={s.kind === 'same'} checked={s.kind === 'same' || choice === true} onChange={(e) => onSet(e.target.checked)} data-testid={`capture-pick-${s.key}`} />
        <span className="sugg-label">{s.label}</span>
        <span className="sugg-value">{shown(view, s.key, s.value)}</span>
        {conf}
        {tags}
      </label>
      {s.kind === 'replace' && <div className="small muted">原识别值：{shown(view, s.key, s.current)}</div>}
      {s.problem && <div className="small warn-text">{s.problem}</div>}
    </li>
  );
}
