import { useState } from 'react';
import type { CaseView, FindingView } from '../../../shared/case/view.js';
import {
  findingTarget,
  groupFindings,
  SEVERITY_TITLE,
  sourceLabel,
  splitByEvidence,
  valueDetail,
  type FindingGroup,
  type Severity,
  type SourceTarget,
} from './findings-format.js';
import type { FindingOverrides } from './findings-overrides.js';
import { OverrideControl } from './FindingsPanelOverride.js';
import { PageFigure } from './capture/PageFigure.js';
import './capture/capture.css';

export { HistoryOverrides, WarningsPending } from './FindingsPanelOverride.js';

/**
 * 智能比对: what the comparison checks found on the case as saved — blocking findings first (red,
 * they stand in the way of 受理), then warnings (amber: fix them, or let each through with a written
 * reason), then info (grey). Each finding shows the values compared and where each came from; a
 * form field or a material is one click away.
 */
export function FindingsPanel({ view, overrides, readOnly }: { view: CaseView; overrides: FindingOverrides; readOnly: boolean }) {
  const groups = groupFindings(view.findings);
  const [showInfo, setShowInfo] = useState(false);
  if (readOnly && view.findings.length === 0) return null;
  const count = (s: Severity) => groups[s].length;
  const clean = count('blocking') === 0 && count('warning') === 0;
  return (
    <section
      className={`card findings ${clean ? 'clean' : ''}`}
      id="case-findings"
      data-testid="findings"
      data-blocking={count('blocking')}
      data-warnings={count('warning')}
      data-open={overrides.open.length}
    >
      <div className="card-head">
        <h3>
          智能比对{' '}
          <span className="muted small">（表单、材料识别结果与登记信息逐项比对，随保存自动更新）</span>
        </h3>
        <span className="findings-counts small">
          {count('blocking') > 0 && <span className="tag tag-red">不可受理 {count('blocking')}</span>}
          {count('warning') > 0 && <span className="tag tag-amber">提醒 {count('warning')}</span>}
          {count('info') > 0 && <span className="tag">参考 {count('info')}</span>}
          {view.rulesVersion && (
            <span className="muted mono findings-version" title={`比对规则版本 ${view.rulesVersion}`}>
              规则 {view.rulesVersion.slice(0, 8)}
            </span>
          )}
        </span>
      </div>
      {clean && (
        <p className="findings-ok small" data-testid="findings-ok">
          ✓ 未发现须纠正或须说明理由的问题
        </p>
      )}
      {(['blocking', 'warning'] as const).map(
        (s) =>
          groups[s].length > 0 && (
            <div key={s} className={`findings-group sev-${s}`} data-testid={`findings-${s}`}>
              <div className="findings-group-title">
                {SEVERITY_TITLE[s]}（{groups[s].length}）
                {s === 'blocking' && !readOnly && <span className="muted small"> 须纠正后方可受理，不能说明理由放行</span>}
              </div>
              {(s === 'blocking' ? splitByEvidence(groups[s]).detailed : groups[s]).map((g) => (
                <FindingItem key={g.ruleId} group={g} view={view} overrides={overrides} readOnly={readOnly} />
              ))}
              {s === 'blocking' && <BriefList groups={splitByEvidence(groups[s]).brief} view={view} />}
            </div>
          ),
      )}
      {groups.info.length > 0 && (
        <div className="findings-group sev-info" data-testid="findings-info">
          <button type="button" className="btn-link small findings-info-toggle" data-testid="findings-info-toggle" onClick={() => setShowInfo(!showInfo)}>
            {showInfo ? '收起参考信息' : `参考信息 ${groups.info.length} 条（不影响受理）`}
          </button>
          {showInfo && groups.info.map((g) => <FindingItem key={g.ruleId} group={g} view={view} overrides={overrides} readOnly />)}
        </div>
      )}
    </section>
  );
}

/** Findings that only say what is missing (缺少材料, 必填未填): one line each, a click away from the item. */
function BriefList({ groups, view }: { groups: FindingGroup[]; view: CaseView }) {
  const [all, setAll] = useState(false);
  if (groups.length === 0) return null;
  const max = 4;
  const shown = all ? groups : groups.slice(0, max);
  return (
    <div className="findings-brief">
      {shown.map((g) => (
        <BriefLine key={g.ruleId} group={g} view={view} />
      ))}
      {groups.length > max && (
        <button type="button" className="btn-link small findings-more" data-testid="findings-more" onClick={() => setAll(!all)}>
          {all ? '收起' : `还有 ${groups.length - max} 项…`}
        </button>
      )}
    </div>
  );
}

function BriefLine({ group: g, view }: { group: FindingGroup; view: CaseView }) {
  const f = g.findings[0]!;
  const target = findingTarget(f, view);
  const message = [...new Set(g.findings.map((x) => x.message))].join('；');
  return (
    <div className={`finding finding-brief sev-${g.severity}`} data-testid="finding" data-rule={g.ruleId} data-severity={g.severity} data-overridden="0">
      <span className="finding-mark" aria-hidden>
        ✕
      </span>
      {target ? (
        <button type="button" className="blocker-link" data-testid="finding-message" title="定位到该项" onClick={() => locateSource(target)}>
          {message}
        </button>
      ) : (
        <span data-testid="finding-message">{message}</span>
      )}
    </div>
  );
}

function FindingItem({ group: g, view, overrides, readOnly }: { group: FindingGroup; view: CaseView; overrides: FindingOverrides; readOnly: boolean }) {
  const reason = overrides.confirmed[g.ruleId];
  const overridable = g.severity === 'warning' && g.findings.some((f) => f.overridable);
  const done = reason !== undefined || g.overriddenReason !== null;
  return (
    <div
      className={`finding sev-${g.severity} ${done ? 'overridden' : ''}`}
      data-testid="finding"
      data-rule={g.ruleId}
      data-severity={g.severity}
      data-overridden={done ? '1' : '0'}
    >
      {g.findings.map((f, i) => (
        <FindingBody key={i} f={f} view={view} />
      ))}
      {g.overriddenReason !== null && (
        <div className="override-done" data-testid="finding-overridden">
          已说明理由放行：<span className="override-reason">{g.overriddenReason}</span>
        </div>
      )}
      {overridable && !readOnly && g.overriddenReason === null && <OverrideControl ruleId={g.ruleId} reason={reason} overrides={overrides} />}
    </div>
  );
}

function FindingBody({ f, view }: { f: FindingView; view: CaseView }) {
  // The page a value was read from, shown under the finding with the region outlined (one at a time).
  const [peek, setPeek] = useState<number | null>(null);
  const shown = peek === null ? undefined : f.values[peek];
  const page = shown?.source.kind === 'page' ? shown.source : null;
  return (
    <>
      <div className="finding-msg" data-testid="finding-message">
        <span className="finding-mark" aria-hidden>
          {f.severity === 'blocking' ? '✕' : f.severity === 'warning' ? '!' : 'i'}
        </span>
        {f.message}
      </div>
      {f.values.length > 0 && (
        <ul className="finding-values">
          {f.values.map((v, i) => {
            const src = sourceLabel(v.source, view);
            const detail = valueDetail(v.label, v.source);
            const onPage = v.source.kind === 'page';
            return (
              <li key={i} data-testid="finding-value" data-source-kind={v.source.kind} title={v.label}>
                <span className="fv-value">「{v.value || '（空）'}」</span>
                <SourceLink
                  label={src.text}
                  title={onPage ? `${src.title}\n点击查看该页及识别位置` : src.title}
                  target={src.target}
                  onClick={onPage ? () => setPeek(peek === i ? null : i) : undefined}
                  pressed={onPage ? peek === i : undefined}
                  stale={src.stale}
                  kind={v.source.kind}
                />
                {detail && <span className="fv-label muted">{detail}</span>}
              </li>
            );
          })}
        </ul>
      )}
      {page && (
        <div className="finding-peek" data-testid="finding-page-peek">
          {page.region ? (
            <PageFigure caseId={view.summary.caseId} sha256={page.sha256} outlines={[{ region: page.region, active: true, label: shown!.label }]} testId="finding-page" zoom />
          ) : (
            <PageFigure caseId={view.summary.caseId} sha256={page.sha256} outlines={[]} testId="finding-page" />
          )}
          <div className="small muted">
            上方为识别位置放大，下图红框为其在“{view.materials.find((m) => m.id === page.materialId)?.name ?? page.materialId}”上的位置。
          </div>
        </div>
      )}
    </>
  );
}

function SourceLink({
  label,
  title,
  target,
  onClick,
  pressed,
  stale,
  kind,
}: {
  label: string;
  title: string;
  target: SourceTarget;
  /** Instead of leading to the target (a page: shows it). */
  onClick?: () => void;
  pressed?: boolean;
  stale: boolean;
  kind: string;
}) {
  const cls = `fv-source src-${kind} ${stale ? 'stale' : ''}`;
  const data = {
    'data-testid': 'finding-source',
    'data-field': target?.kind === 'field' ? target.key : undefined,
    'data-material': target?.kind === 'material' ? target.id : undefined,
    'data-stale': stale ? '1' : undefined,
  };
  if (onClick) {
    return (
      <button type="button" className={`${cls} linked`} title={title} aria-pressed={pressed} onClick={onClick} {...data}>
        {label}
      </button>
    );
  }
  if (!target) {
    return (
      <span className={cls} title={title} {...data}>
        {label}
      </span>
    );
  }
  return (
    <button type="button" className={`${cls} linked`} title={title} onClick={() => locateSource(target)} {...data}>
      {label}
    </button>
  );
}

/** Scrolls to the form field (and puts the cursor in it) or to the material in the checklist. */
export function locateSource(target: Exclude<SourceTarget, null>): void {
  const el =
    target.kind === 'field'
      ? document.getElementById(`ff-${target.key}`)
      : document.querySelector<HTMLElement>(`[data-testid="${CSS.escape(`material-${target.id}`)}"]`);
  if (!el) return;
  el.scrollIntoView({ block: 'center', behavior: 'smooth' });
  if (target.kind === 'field') el.focus({ preventScroll: true });
  el.classList.add('located');
  window.setTimeout(() => el.classList.remove('located'), 1600);
}
