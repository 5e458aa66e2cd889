import { useState } from 'react';
import type { CaseView } from '../../../shared/case/view.js';
import { groupFindings, reasonProblem, REASON_MAX } from './findings-format.js';
import type { FindingOverrides } from './findings-overrides.js';

/**
 * Letting a warning through at 受理 (忽略并说明理由): the written reason on the finding, the line
 * under the 受理 button while warnings wait, and the reasons in the history of an accepted case.
 */

export function OverrideControl({ ruleId, reason, overrides }: { ruleId: string; reason: string | undefined; overrides: FindingOverrides }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(reason ?? '');
  const [tried, setTried] = useState(false);
  if (reason !== undefined && !editing) {
    return (
      <div className="override-done" data-testid="override-confirmed">
        ✓ 已说明理由忽略：<span className="override-reason">{reason}</span>
        <button type="button" className="btn-link small" data-testid="override-edit" onClick={() => (setText(reason), setEditing(true))}>
          修改
        </button>
        <button type="button" className="btn-link small" data-testid="override-withdraw" onClick={() => overrides.withdraw(ruleId)}>
          撤销
        </button>
      </div>
    );
  }
  if (!editing) {
    return (
      <button type="button" className="btn btn-sm btn-warn override-open" data-testid="override-open" onClick={() => setEditing(true)}>
        忽略并说明理由…
      </button>
    );
  }
  const problem = reasonProblem(text);
  const confirm = () => {
    setTried(true);
    if (problem) return;
    overrides.confirm(ruleId, text);
    setEditing(false);
  };
  return (
    <div className="override-edit">
      <label className="small override-label" htmlFor={`override-${ruleId}`}>
        忽略该提醒的理由（必填，写入办件记录并留痕审计）
      </label>
      <textarea
        id={`override-${ruleId}`}
        data-testid="override-reason"
        className="override-text"
        rows={2}
        maxLength={REASON_MAX + 20}
        autoFocus
        value={text}
        placeholder="如：申请人提供的固定电话经核实可联系"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            confirm();
          } else if (e.key === 'Escape') {
            e.stopPropagation();
            setEditing(false);
          }
        }}
      />
      <div className="override-actions">
        {tried && problem && (
          <span className="danger small" data-testid="override-problem" role="alert">
            {problem}
          </span>
        )}
        <button type="button" className="btn btn-sm" data-testid="override-cancel" onClick={() => setEditing(false)}>
          取消
        </button>
        <button type="button" className="btn btn-sm btn-warn" data-testid="override-confirm" disabled={problem !== null} onClick={confirm}>
          确认忽略
        </button>
      </div>
    </div>
  );
}

/** Under the 受理 button when nothing blocks but warnings still wait for a fix or a reason. */
export function WarningsPending({ open }: { open: number }) {
  return (
    <div className="blockers warnings-pending" data-testid="accept-warnings" data-count={open}>
      <button
        type="button"
        className="blocker-link"
        title="定位到智能比对的提醒"
        onClick={() => document.getElementById('case-findings')?.scrollIntoView({ block: 'start', behavior: 'smooth' })}
      >
        {open} 条提醒须纠正，或逐条说明理由后方可受理
      </button>
    </div>
  );
}

/** In the case history of an accepted case: the warnings let through, each with the clerk's reason. */
export function HistoryOverrides({ view }: { view: CaseView }) {
  const let_ = groupFindings(view.findings).warning.filter((g) => g.overriddenReason !== null);
  if (let_.length === 0) return null;
  return (
    <div className="history-overrides small" data-testid="history-overrides">
      <div className="strong">受理时说明理由放行的提醒（{let_.length}）</div>
      <ul>
        {let_.map((g) => (
          <li key={g.ruleId} data-testid="history-override" data-rule={g.ruleId}>
            {[...new Set(g.findings.map((f) => f.message))].join('；')}
            <span className="muted"> —— 理由：</span>
            {g.overriddenReason}
          </li>
        ))}
      </ul>
    </div>
  );
}
