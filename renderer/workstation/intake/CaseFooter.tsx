import { useEffect, useRef, useState } from 'react';
import type { NoticeItem } from '../../../shared/case/types.js';
import type { CaseView } from '../../../shared/case/view.js';
import { AcceptDialog, DeliverDialog, EscalateDialog, ForwardDialog, ReasonDialog } from './CaseDialogs.js';
import { NoticeDialog } from './NoticeDialog.js';
import { ApproveDialog, approvalAsks } from './ApproveDialog.js'; // decision fields
import type { FindingOverrides } from './findings-overrides.js';
import { openWarningsLine } from './findings-format.js';
import { WarningsPending } from './FindingsPanel.js';
import type { FormDraft } from './useFormDraft.js';
import type { CaseAct } from './useIntake.js';

type Dialog = 'accept' | 'notice' | 'notAccept' | 'escalate' | 'discard' | 'forward' | 'refuse' | 'deliver' | 'approve' | null;

/** The actions that only need a written reason: 不予受理, 作废草稿, 不予许可. */
const REASON_DIALOGS = {
  notAccept: {
    method: 'case.notAccept',
    title: '不予受理',
    label: '不予受理的理由（将写入不予受理通知书）',
    confirmText: '确认不予受理',
    presets: ['申请事项不属于本机关职权范围', '申请人不具备申请资格', '依法不需要取得行政许可'],
  },
  discard: { method: 'case.discard', title: '作废草稿', label: '作废原因', confirmText: '确认作废', presets: ['选错事项，重新受理', '申请人放弃办理', '重复建档'] },
  refuse: { method: 'case.refuse', title: '不予许可', label: '不予许可的理由', confirmText: '确认不予许可', presets: ['经审查不符合法定条件'] },
} as const;
type ReasonKind = keyof typeof REASON_DIALOGS;
const isReasonDialog = (d: string): d is ReasonKind => d in REASON_DIALOGS;

/**
 * The case's actions: 受理 (disabled, with what blocks it listed, until allowed), 一次性告知,
 * 不予受理, 转办不成事, 作废草稿; after acceptance the follow-up steps. F8 受理, F9 一次性告知.
 * Every action saves the form first.
 */
export function CaseFooter({
  view,
  act,
  draft,
  overrides,
  onTriedAccept,
  onNewCase,
  onLocate,
}: {
  view: CaseView;
  act: CaseAct;
  draft: FormDraft;
  /** Warnings let through with a written reason (FindingsPanel): 受理 waits for every open one. */
  overrides: FindingOverrides;
  onTriedAccept: () => void;
  onNewCase: () => void;
  onLocate: (blocker: string) => void;
}) {
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const caseId = view.summary.caseId;
  const status = view.summary.status;
  const draftCase = status === 'DRAFT';
  const unsaved = Object.keys(draft.edits).length > 0;
  const canAccept = draftCase && view.blockers.length === 0 && overrides.open.length === 0 && !unsaved && !draft.saving;

  const run = async (fn: () => Promise<{ ok: boolean }>) => {
    if (busy) return;
    setBusy(true);
    try {
      if (!(await draft.flush())) return;
      const r = await fn();
      if (r.ok) setDialog(null);
    } finally {
      setBusy(false);
    }
  };
  const openDialog = async (d: Exclude<Dialog, null>) => {
    if (d === 'accept') onTriedAccept();
    if (!(await draft.flush())) return;
    setDialog(d);
  };

  const keys = useRef({ canAccept, draftCase, dialog, openDialog });
  keys.current = { canAccept, draftCase, dialog, openDialog };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const k = keys.current;
      if (k.dialog !== null || !k.draftCase) return;
      if (e.key === 'F8') {
        e.preventDefault();
        if (k.canAccept) void k.openDialog('accept');
        else onTriedAccept();
      } else if (e.key === 'F9') {
        e.preventDefault();
        void k.openDialog('notice');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onTriedAccept]);

  return (
    <div className="case-footer" data-testid="case-footer">
      {draftCase ? (
        <>
          {view.blockers.length === 0 && overrides.open.length > 0 ? (
            <WarningsPending open={overrides.open.length} />
          ) : (
            <Blockers view={view} unsaved={unsaved || draft.saving} onLocate={onLocate} />
          )}
          <div className="footer-actions">
            <button type="button" className="btn btn-quiet" data-testid="btn-discard" disabled={busy} onClick={() => void openDialog('discard')}>
              作废草稿
            </button>
            <button type="button" className="btn" data-testid="btn-escalate" disabled={busy} onClick={() => void openDialog('escalate')}>
              转办不成事
            </button>
            <button type="button" className="btn" data-testid="btn-not-accept" disabled={busy} onClick={() => void openDialog('notAccept')}>
              不予受理
            </button>
            <button type="button" className="btn btn-warn" data-testid="btn-notice" disabled={busy} onClick={() => void openDialog('notice')}>
              一次性告知 <kbd>F9</kbd>
            </button>
            <button
              type="button"
              className="btn btn-success btn-lg"
              data-testid="btn-accept"
              disabled={!canAccept || busy}
              title={[...view.blockers, openWarningsLine(overrides.open.length) ?? ''].filter(Boolean).join('\n')}
              onClick={() => void openDialog('accept')}
            >
              受理 <kbd>F8</kbd>
            </button>
          </div>
        </>
      ) : (
        <>
          <span className="muted small footer-note" data-testid="footer-note">
            {afterNote(view)}
            {status === 'ACCEPTED' && view.decision?.instantWithheld ? ` ${view.decision.instantWithheld}。` : ''}
          </span>
          <div className="footer-actions">
            {view.onBehalfOf && status === 'ACCEPTED' && !view.forwardedTo && (
              <button type="button" className="btn" data-testid="btn-forward" disabled={busy} onClick={() => setDialog('forward')}>
                转报 {view.onBehalfOf.jurisdiction}
              </button>
            )}
            {status === 'ACCEPTED' && (
              <>
                <button type="button" className="btn btn-quiet" data-testid="btn-refuse" disabled={busy} onClick={() => setDialog('refuse')}>
                  不予许可
                </button>
                <button type="button" className="btn btn-quiet" data-testid="btn-approve" disabled={busy} onClick={() => (approvalAsks(view) ? setDialog('approve') : void run(() => act('case.approve', { caseId })))}>
                  批准
                </button>
              </>
            )}
            {status === 'CERTIFIED' && (
              <button type="button" className="btn" data-testid="btn-deliver" disabled={busy} onClick={() => setDialog('deliver')}>
                送达…
              </button>
            )}
            {(!view.escalation || view.escalation.resolution !== null) && status !== 'DISCARDED' && (
              <button type="button" className="btn" data-testid="btn-escalate" disabled={busy} onClick={() => setDialog('escalate')}>
                转办不成事
              </button>
            )}
            <button type="button" className="btn" data-testid="btn-new-case" onClick={onNewCase}>
              为本号码再办一件
            </button>
          </div>
        </>
      )}
      {dialog === 'accept' && <AcceptDialog view={view} onClose={() => setDialog(null)} onConfirm={() => void run(() => act('case.accept', overrides.overrides.length > 0 ? { caseId, overrides: overrides.overrides } : { caseId }))} />}
      {dialog === 'notice' && (
        <NoticeDialog
          view={view}
          onClose={() => setDialog(null)}
          onConfirm={(extra: NoticeItem[]) => void run(() => act('case.notice', extra.length > 0 ? { caseId, extra } : { caseId }))}
        />
      )}
      {dialog !== null && isReasonDialog(dialog) && (
        <ReasonDialog
          {...REASON_DIALOGS[dialog]}
          danger
          onClose={() => setDialog(null)}
          onConfirm={(reason) => void run(() => act(REASON_DIALOGS[dialog].method, { caseId, reason }))}
        />
      )}
      {dialog === 'escalate' && (
        <EscalateDialog onClose={() => setDialog(null)} onConfirm={(reason, owner) => void run(() => act('case.escalate', { caseId, reason, owner }))} />
      )}
      {dialog === 'forward' && (
        <ForwardDialog
          view={view}
          onClose={() => setDialog(null)}
          onConfirm={(target, note) => void run(() => act('case.forward', note ? { caseId, target, note } : { caseId, target }))}
        />
      )}
      {dialog === 'approve' && <ApproveDialog view={view} onClose={() => setDialog(null)} onConfirm={(decision) => void run(() => act('case.approve', { caseId, decision }))} />}
      {dialog === 'deliver' && <DeliverDialog onClose={() => setDialog(null)} onConfirm={(input) => void run(() => act('case.deliver', { caseId, ...input }))} />}
    </div>
  );
}

function Blockers({ view, unsaved, onLocate }: { view: CaseView; unsaved: boolean; onLocate: (blocker: string) => void }) {
  const [all, setAll] = useState(false);
  if (view.blockers.length === 0) {
    return (
      <div className="blockers ok" data-testid="accept-blockers" data-count="0">
        {unsaved ? '正在保存表单…' : '✓ 可以受理'}
        {!unsaved && view.promisedDateIfAcceptedToday && <span className="muted small"> · 今日受理承诺 {view.promisedDateIfAcceptedToday} 前办结</span>}
      </div>
    );
  }
  const max = 2;
  const shown = all ? view.blockers : view.blockers.slice(0, max);
  return (
    <div className={`blockers ${all ? 'expanded' : ''}`} data-testid="accept-blockers" data-count={view.blockers.length} title={view.blockers.join('\n')}>
      <span className="blockers-title">暂不能受理（{view.blockers.length}）：</span>
      <ul>
        {shown.map((b, i) => (
          <li key={i} data-testid="accept-blocker">
            <button type="button" className="blocker-link" onClick={() => onLocate(b)} title="定位到该项">
              {b}
            </button>
          </li>
        ))}
      </ul>
      {view.blockers.length > max && (
        <button type="button" className="btn-link small blockers-more" data-testid="blockers-toggle" onClick={() => setAll(!all)}>
          {all ? '收起' : `全部 ${view.blockers.length} 项`}
        </button>
      )}
    </div>
  );
}

function afterNote(view: CaseView): string {
  switch (view.summary.status) {
    case 'ACCEPTED':
      return '已受理：按 F4 办结当前号码；容缺材料补齐后在清单中点“已补齐”。';
    case 'NOTICE_ISSUED':
      return '已出具一次性告知书：申请人补齐后重新取号办理。';
    case 'NOT_ACCEPTED':
      return '已不予受理。';
    case 'DISCARDED':
      return '草稿已作废。';
    default:
      return view.summary.statusLabel;
  }
}
