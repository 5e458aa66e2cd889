import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaseView } from '../../../shared/case/view.js';
import { formatClock } from '../../common/format.js';
import { NoticeList } from './NoticeDialog.js';
import { CaseFooter } from './CaseFooter.js';
import { CaseForm } from './CaseForm.js';
import { CaseHistory } from './CaseHistory.js';
import { CertificatePanel } from './CertificatePanel.js';
import { useFindingOverrides } from './findings-overrides.js';
import { FindingsPanel } from './FindingsPanel.js';
import { caseNoLabel, shortDate } from './intake-format.js';
import { MaterialsChecklist } from './MaterialsChecklist.js';
import { Situations } from './Situations.js';
import { useFormDraft } from './useFormDraft.js';
import type { CaseAct } from './useIntake.js';

/**
 * One case on the clerk's screen: who and what (header with its number and sync state), the
 * outcome once decided, the situations, the one form, the materials checklist, the history, and the
 * actions bar at the bottom.
 */
export function CaseWorkspace({
  view,
  act,
  onClose,
  notify,
  online,
}: {
  view: CaseView;
  act: CaseAct;
  online: boolean;
  onClose: () => void;
  notify: (text: string, kind?: 'error' | 'info') => void;
}) {
  const draft = useFormDraft(view, act);
  const overrides = useFindingOverrides(view); // warnings let through at 受理
  const [showAll, setShowAll] = useState(false);
  const readOnly = view.summary.status !== 'DRAFT';
  const triedAccept = useCallback(() => setShowAll(true), []);
  // A decision (受理, 告知, ...) is shown at the top: scroll there when the status changes.
  const top = useRef<HTMLDivElement>(null);
  const status = view.summary.status;
  const firstStatus = useRef(status);
  useEffect(() => {
    if (status === firstStatus.current) return;
    firstStatus.current = status;
    top.current?.closest('.intake')?.scrollTo({ top: 0 });
  }, [status]);
  const locate = useCallback(
    (blocker: string) => {
      setShowAll(true);
      const target = locateBlocker(view, blocker);
      if (!target) return;
      const el = document.querySelector<HTMLElement>(`[data-testid="${CSS.escape(target)}"]`);
      el?.scrollIntoView({ block: 'center', behavior: 'smooth' });
      el?.focus({ preventScroll: true });
    },
    [view],
  );
  const close = async () => {
    await draft.flush();
    onClose();
  };
  return (
    <div ref={top} className="case" data-testid="case" data-case-id={view.summary.caseId} data-status={view.summary.status}>
      <CaseHeader view={view} online={online} onClose={() => void close()} />
      <Outcome view={view} />
      <CertificatePanel view={view} act={act} notify={notify} />
      {view.situations.length > 0 && <Situations view={view} act={act} readOnly={readOnly} />}
      <div className="case-columns">
        <CaseForm view={view} draft={draft} showAll={showAll} readOnly={readOnly} />
        <MaterialsChecklist view={view} act={act} readOnly={readOnly} notify={notify} />
      </div>
      <FindingsPanel view={view} overrides={overrides} readOnly={readOnly} />
      <CaseHistory view={view} />
      <CaseFooter view={view} act={act} draft={draft} overrides={overrides} onTriedAccept={triedAccept} onNewCase={() => void close()} onLocate={locate} />
    </div>
  );
}

function CaseHeader({ view, online, onClose }: { view: CaseView; online: boolean; onClose: () => void }) {
  const s = view.summary;
  const promised = s.promisedDate ?? view.promisedDate;
  const matters = view.matters;
  return (
    <section className="card case-head">
      <div className="case-head-top">
        <span className={`kind-badge ${view.subject.kind}`}>{view.subject.kind === 'bundle' ? '一件事' : '事项'}</span>
        <h2 className="case-title" data-testid="case-title" title={s.title}>
          {s.title}
        </h2>
        <span className={`chip case-status st-${s.status}`} data-testid="case-status" data-status={s.status}>
          {s.statusLabel}
        </span>
        <CaseNo view={view} />
        <span
          className={`sync-state ${s.pendingSync === 0 ? 'done' : online ? 'sending' : 'waiting'}`}
          data-testid="case-sync"
          data-pending={s.pendingSync}
          title="本办件在本机、尚未被大厅服务器确认的记录"
        >
          {s.pendingSync === 0 ? '✓ 已同步' : online ? `↑ 正在上传 ${s.pendingSync} 条` : `↑ ${s.pendingSync} 条待上传（离线）`}
        </span>
        <span className="case-head-spacer" />
        <button type="button" className="btn btn-sm" data-testid="btn-close-case" onClick={onClose} title="保存并返回事项搜索">
          返回 <kbd>F6</kbd>
        </button>
      </div>
      <div className="case-facts">
        <span className="fact-inline">
          号码 <strong className="num">{s.ticketNumber ?? '—'}</strong>
        </span>
        <span className="fact-inline">
          申请人 <strong>{s.applicant || '—'}</strong>
        </span>
        <span className="fact-inline" data-testid="case-promised">
          {promised ? (
            <>
              承诺办结 <strong>{promised}</strong>
            </>
          ) : (
            <>
              今日受理承诺办结 <strong>{shortDate(view.promisedDateIfAcceptedToday)}</strong>
            </>
          )}
        </span>
        <span className="fact-inline muted">建档 {formatClock(s.openedAt)}</span>
        {matters.length > 0 && (
          <span className="case-matters" data-testid="case-matters" title={matters.map((m) => `${m.name}（${m.decidingOffice}）`).join('\n')}>
            <span className="muted">{matters.length} 个事项：</span>
            {matters.map((m) => (
              <span key={m.code} className="matter-chip">
                {m.name}
                {m.instantApproval && <span className="tag tag-green">秒批</span>}
              </span>
            ))}
          </span>
        )}
      </div>
      {view.onBehalfOf && (
        <div className="behalf small" data-testid="case-behalf">
          代收代办：为 <strong>{view.onBehalfOf.jurisdiction}</strong> 受理（{view.onBehalfOf.scope}）
          {view.forwardedTo ? `，已转报 ${view.forwardedTo}` : '，受理后转报'}
        </div>
      )}
    </section>
  );
}

function Outcome({ view }: { view: CaseView }) {
  const s = view.summary;
  if (s.status === 'DRAFT') {
    if (!view.escalation) return null;
    return (
      <section className="card outcome outcome-notice" data-testid="case-outcome">
        <div className="outcome-title">已转办不成事窗口</div>
        <p className="small">
          {view.escalation.reason}（责任人 {view.escalation.owner}）{view.escalation.resolution ? `，已办结：${view.escalation.resolution}` : '，待办结'}
        </p>
      </section>
    );
  }
  if (s.status === 'NOTICE_ISSUED' && view.notice) {
    return (
      <section className="card outcome outcome-notice" data-testid="case-outcome">
        <div className="outcome-title">已出具一次性告知书（{view.notice.length} 项）</div>
        <NoticeList view={view} items={view.notice} testId="issued-notice-item" />
      </section>
    );
  }
  if (s.status === 'NOT_ACCEPTED' || s.status === 'DISCARDED' || s.status === 'REFUSED') {
    return (
      <section className="card outcome outcome-bad" data-testid="case-outcome">
        <div className="outcome-title">{s.statusLabel}</div>
        {view.reason && <p className="small">理由：{view.reason}</p>}
      </section>
    );
  }
  const promised = s.promisedDate ?? view.promisedDate;
  return (
    <section className="card outcome outcome-ok" data-testid="case-outcome">
      <div className="outcome-main">
        <div>
          <div className="outcome-title">{s.statusLabel}</div>
          <div className="outcome-no">
            <CaseNo view={view} testId="outcome-case-no" />
          </div>
          {!s.official && <p className="small outcome-wait">临时编号可用于告知申请人查询；与大厅服务器同步后自动换发正式受理编号。</p>}
        </div>
        <div className="outcome-date">
          <div className="muted small">承诺办结日期</div>
          <div className="outcome-date-v">{shortDate(promised)}</div>
          <div className="muted small">{promised}</div>
        </div>
      </div>
      {view.escalation && (
        <p className="small">
          已转办不成事窗口：{view.escalation.reason}（责任人 {view.escalation.owner}）{view.escalation.resolution ? `，已办结：${view.escalation.resolution}` : ''}
        </p>
      )}
    </section>
  );
}

/**
 * The element a blocker line is about (a field, a material's status, a situation), found by the
 * name it quotes. Blockers are plain sentences in the contract, so this matches names.
 */
function locateBlocker(view: CaseView, blocker: string): string | null {
  const quoted = /“([^”]+)”/.exec(blocker)?.[1];
  if (quoted) {
    const f = view.fields.find((x) => x.label === quoted);
    if (f) return `field-${f.key}`;
    const m = view.materials.find((x) => x.name === quoted);
    if (m) return `material-status-${m.id}`;
  }
  const s = view.situations.find((x) => blocker.includes(x.question));
  return s ? `situation-${s.id}` : null;
}

/** The number line of a case: "临时编号 W1-0003 · 待同步" or "受理编号 QH2025000012". */
export function CaseNo({ view, testId = 'case-no' }: { view: CaseView; testId?: string }) {
  const n = caseNoLabel(view.summary);
  return (
    <span className={`case-no ${n.waiting ? 'provisional' : 'official'}`} data-testid={testId} data-official={n.waiting ? '0' : '1'} data-case-no={n.no}>
      <span className="case-no-kind">{n.kind}</span>
      <span className="mono">{n.no}</span>
      {n.waiting && <span className="case-no-wait">待同步</span>}
    </span>
  );
}
