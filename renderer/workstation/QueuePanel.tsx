import { useCallback, useEffect, useRef, useState } from 'react';
import type { DeviceStatus, PanelState } from '../../shared/contract.js';
import { formatClock } from '../common/format.js';
import { useNow } from '../common/hooks.js';
import { callNextAvailability, commandEnabled, hallNow } from './actions.js';
import type { Run } from './App.js';
import { HoldDialog, TransferDialog } from './Dialogs.js';
import { Header } from './Header.js';
import { BoardsCard, CurrentTicket, ResumableCard } from './TicketCards.js';
import { IntakeArea } from './intake/IntakeArea.js';
import { TicketStrip } from './intake/TicketStrip.js';
import { TodayCases } from './intake/TodayCases.js';
import { useIntake } from './intake/useIntake.js';

const PAUSE_REASONS = ['午休', '临时离开', '业务培训', '其他'];

export function QueuePanel({
  run,
  device,
  state,
  onSignedOut,
  onRefresh,
  notify,
}: {
  run: Run;
  device: DeviceStatus;
  state: PanelState;
  onSignedOut: () => void;
  notify: (text: string, kind?: 'error' | 'info') => void;
  onRefresh: () => void;
}) {
  const now = useNow(1_000);
  const panel = state.panel;
  const current = panel?.current ?? null;
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<'hold' | 'transfer' | null>(null);
  const [caseNo, setCaseNo] = useState('');
  const [pauseReason, setPauseReason] = useState(PAUSE_REASONS[0]!);
  const [pauseOther, setPauseOther] = useState('');

  const call = useCallback(
    async (fn: () => Promise<unknown>) => {
      if (busy) return;
      setBusy(true);
      try {
        await fn();
      } finally {
        setBusy(false);
      }
    },
    [busy],
  );

  // The backend's own rule for the gap between calls: re-read the state when it has passed.
  const allowedAt = panel?.nextCallAllowedAt ?? 0;
  useEffect(() => {
    const wait = allowedAt - hallNow(state, Date.now());
    if (wait <= 0 || wait > 120_000) return;
    const id = setTimeout(onRefresh, wait + 50);
    return () => clearTimeout(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [allowedAt]);

  // Clear the case number field when the ticket changes.
  const currentId = current?.ticketId;
  useEffect(() => setCaseNo(''), [currentId]);

  const online = state.connection.online;
  const callNext = callNextAvailability(state, now);
  const can = {
    callNext: callNext.enabled && !busy,
    recall: commandEnabled('recall', current, online) && !busy,
    noShow: commandEnabled('noShow', current, online) && !busy,
    recycle: commandEnabled('recycle', current, online) && !busy,
    start: commandEnabled('start', current, online) && !busy,
    hold: commandEnabled('hold', current, online) && !busy,
    transfer: commandEnabled('transfer', current, online) && !busy,
    finish: commandEnabled('finish', current, online) && !busy,
  };

  // 受理办件 while a ticket is served (or a case is open): the ticket shrinks to a strip above it.
  const intake = useIntake(run, state);
  const intakeMode = current?.status === 'SERVING' || intake.view !== null;
  // The case accepted for this ticket goes with 办结 unless the clerk typed another number.
  const linkedCase = current ? intake.today.find((c) => c.ticketNumber === current.number && c.status !== 'DRAFT' && c.status !== 'DISCARDED') : undefined;
  const finishCaseNo = caseNo.trim() || linkedCase?.caseNo || '';

  const actions = {
    callNext: () => call(() => run('queue.callNext', {})),
    recall: () => call(() => run('queue.recall', {})),
    noShow: () => call(() => run('queue.noShow', {})),
    recycle: () => call(() => run('queue.recycle', {})),
    start: () => call(() => run('queue.start', {})),
    // 办结 ends this applicant's visit: their case leaves the screen (it stays in 今日办件).
    finish: () =>
      call(async () => {
        const r = await run('queue.finish', finishCaseNo ? { caseNo: finishCaseNo.slice(0, 40) } : {});
        if (r.ok) intake.close();
      }),
  };

  // F1 叫号, F2 重呼, F3 开始办理, F4 办结.
  const keyRef = useRef({ can, actions, dialog });
  keyRef.current = { can, actions, dialog };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const k = keyRef.current;
      const map: Record<string, [boolean, () => void]> = {
        F1: [k.can.callNext, k.actions.callNext],
        F2: [k.can.recall, k.actions.recall],
        F3: [k.can.start, k.actions.start],
        F4: [k.can.finish, k.actions.finish],
      };
      const hit = map[e.key];
      if (!hit) return;
      e.preventDefault();
      if (k.dialog === null && hit[0]) hit[1]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const signOut = async () => {
    const r = await run('session.signOut', {});
    if (r.ok) onSignedOut();
  };

  // The queue panel is shown only to a session holding a window's seat (App.tsx).
  const win = (panel?.window ?? state.session!.window)!;
  const paused = win.status === 'paused';
  const hallTime = hallNow(state, now);

  // The queue buttons: in full under the big ticket card, compact in the strip above a case
  // (where buttons that cannot apply to a ticket being served are left out).
  const buttons = (compact: boolean) => {
    const cls = compact ? 'btn btn-action compact' : 'btn btn-action';
    const show = (enabled: boolean) => !compact || enabled;
    return (
      <>
        <button type="button" className={`btn btn-call ${compact ? 'compact' : ''}`} data-testid="btn-call-next" title={callNext.reason ?? undefined} disabled={!can.callNext} onClick={() => void actions.callNext()}>
          叫号 <kbd>F1</kbd>
        </button>
        {show(can.recall) && (
          <button type="button" className={cls} data-testid="btn-recall" disabled={!can.recall} onClick={() => void actions.recall()}>
            重呼 <kbd>F2</kbd>
          </button>
        )}
        {show(can.noShow) && (
          <button type="button" className={cls} data-testid="btn-no-show" disabled={!can.noShow} onClick={() => void actions.noShow()}>
            过号
          </button>
        )}
        {show(can.recycle) && (
          <button
            type="button"
            className={cls}
            data-testid="btn-recycle"
            title="办事群众暂未到窗口（如需先填表），重新排到本业务队尾"
            disabled={!can.recycle}
            onClick={() => void actions.recycle()}
          >
            重新排队
          </button>
        )}
        {show(can.start) && (
          <button type="button" className={`${cls} btn-start`} data-testid="btn-start" disabled={!can.start} onClick={() => void actions.start()}>
            开始办理 <kbd>F3</kbd>
          </button>
        )}
        <button type="button" className={cls} data-testid="btn-hold" disabled={!can.hold} onClick={() => setDialog('hold')}>
          挂起…
        </button>
        <button type="button" className={cls} data-testid="btn-transfer" disabled={!can.transfer} onClick={() => setDialog('transfer')}>
          转移…
        </button>
        <button type="button" className={`${cls} btn-finish`} data-testid="btn-finish" disabled={!can.finish} onClick={() => void actions.finish()}>
          办结 <kbd>F4</kbd>
        </button>
      </>
    );
  };

  const windowCard = (
    <section className="card">
      <div className="card-head">
        <h3>窗口状态</h3>
        <span className={`chip ${paused ? 'chip-warn' : win.status === 'open' ? 'chip-ok' : 'chip-quiet'}`} data-testid="window-status">
          {paused ? `暂停服务${win.pauseReason ? ` · ${win.pauseReason}` : ''}` : win.status === 'open' ? '服务中' : '未开放'}
        </span>
      </div>
      {paused ? (
        <button type="button" className="btn btn-primary btn-block" data-testid="btn-unpause" disabled={busy} onClick={() => void call(() => run('queue.unpause', {}))}>
          恢复服务
        </button>
      ) : (
        <div className="pause-row">
          <select aria-label="暂停原因" data-testid="pause-reason" value={pauseReason} onChange={(e) => setPauseReason(e.target.value)}>
            {PAUSE_REASONS.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          {pauseReason === '其他' && (
            <input aria-label="其他原因" placeholder="请填写原因" value={pauseOther} maxLength={60} onChange={(e) => setPauseOther(e.target.value)} />
          )}
          <button
            type="button"
            className="btn"
            data-testid="btn-pause"
            disabled={busy}
            onClick={() => void call(() => run('queue.pause', { reason: pauseReason === '其他' ? pauseOther.trim() || '其他' : pauseReason }))}
          >
            暂停服务
          </button>
        </div>
      )}
    </section>
  );
  const today = <TodayCases cases={intake.today} openId={intake.view?.summary.caseId ?? null} onOpen={(id) => void intake.open(id)} />;
  const resumable = (
    <ResumableCard
      tickets={panel?.resumable ?? []}
      hallTime={hallTime}
      disabled={busy}
      onResume={(t) => void call(() => run('queue.resume', { ticketId: t.ticketId }))}
    />
  );

  return (
    <div className={`ws ${intakeMode ? 'ws-intake' : ''}`}>
      <Header device={device} state={state} now={now} run={run} onSignOut={() => void signOut()} />
      {!state.connection.online && (
        <div className="offline-banner" role="alert" data-testid="offline-banner">
          <strong>大厅服务器连接中断（自 {formatClock(state.connection.since)} 起）</strong>：暂停叫号；当前号码可继续办理并办结，受理的办件先存本机，恢复连接后自动上传。
        </div>
      )}
      {paused && (
        <div className="paused-banner" data-testid="paused-banner">
          本窗口已暂停服务{win.pauseReason ? `（${win.pauseReason}）` : ''}，不会被分配新的号码。点击“恢复服务”继续叫号。
        </div>
      )}
      <main className="ws-main">
        {intakeMode ? (
          <section className="ws-left">
            <TicketStrip ticket={current} hallTime={hallTime} caseNo={current?.status === 'SERVING' ? finishCaseNo || null : null}>
              {buttons(true)}
            </TicketStrip>
            <IntakeArea run={run} intake={intake} ticket={current?.status === 'SERVING' ? current : null} notify={notify} online={online} />
          </section>
        ) : (
          <section className="ws-left">
            <CurrentTicket ticket={current} hallTime={hallTime} />
            {current?.status === 'SERVING' && (
              <label className="caseno">
                <span>办件编号（选填，办结时一并提交）</span>
                <input data-testid="finish-caseno" value={caseNo} maxLength={40} onChange={(e) => setCaseNo(e.target.value)} placeholder="例如 QH2025030400012" />
              </label>
            )}
            <div className="action-bar">{buttons(false)}</div>
            <p className={`call-reason ${callNext.reason ? 'visible' : ''}`} data-testid="call-blocked-reason">
              {callNext.reason ?? '快捷键：F1 叫号 · F2 重呼 · F3 开始办理 · F4 办结'}
            </p>
          </section>
        )}
        <aside className="ws-right">
          {intakeMode ? (
            <>
              {today}
              <BoardsCard boards={panel?.boards ?? []} weights={win.boards} compact />
              {resumable}
              {windowCard}
            </>
          ) : (
            <>
              <BoardsCard boards={panel?.boards ?? []} weights={win.boards} />
              {resumable}
              {today}
              {windowCard}
            </>
          )}
        </aside>
      </main>
      {dialog === 'hold' && current && (
        <HoldDialog
          ticket={current}
          onClose={() => setDialog(null)}
          onConfirm={(kind, note) => {
            setDialog(null);
            void call(() => run('queue.hold', note ? { kind, note } : { kind }));
          }}
        />
      )}
      {dialog === 'transfer' && current && panel && (
        <TransferDialog
          ticket={current}
          panel={panel}
          onClose={() => setDialog(null)}
          onConfirm={(input) => {
            setDialog(null);
            void call(() => run('queue.transfer', input));
          }}
        />
      )}
    </div>
  );
}
