import { useState } from 'react';
import type { DeviceStatus, PanelState } from '../../shared/contract.js';
import { ROLE_LABEL } from '../../shared/office/config.js';
import { formatClock } from '../common/format.js';
import { clockSkewMinutes, syncSummary } from './actions.js';
import type { Run } from './App.js';
import { ClockAndSignOut, ConnectionPill } from './HeaderParts.js';

export function Header({
  device,
  state,
  now,
  run,
  onSignOut,
}: {
  device: DeviceStatus;
  state: PanelState;
  now: number;
  run: Run;
  onSignOut: () => void;
}) {
  const session = state.session!;
  const win = state.panel?.window ?? session.window;
  const c = state.connection;
  const skew = clockSkewMinutes(c.clockOffsetMs);
  const roles = session.staff.roles.map((r) => ROLE_LABEL[r]).join('、');
  return (
    <header className="ws-header">
      <div className="ws-brand">
        <div className="brand-mark small">窗</div>
        <div className="ws-brand-text">
          <div className="ws-office">{device.officeName ?? session.staff.office}</div>
          <div className="ws-sub">一窗受理工作台</div>
        </div>
      </div>
      <div className="ws-window">
        <span className="ws-window-no">{win ? win.no : '值'}</span>
        <div>
          <div className="ws-window-name" data-testid="header-seat">
            {win ? win.name || `${win.no}号窗口` : '值班登录（未占用窗口）'}
          </div>
          <div className="ws-sub">
            {session.staff.name}（{session.staff.id}）· {roles}
          </div>
        </div>
      </div>
      <div className="ws-pills">
        <ConnectionPill connection={c} />
        {skew !== null && (
          <span className="pill pill-warn" data-testid="clock-skew">
            本机时间与大厅服务器相差 {skew} 分钟
          </span>
        )}
        <SyncPill state={state} now={now} run={run} />
      </div>
      <ClockAndSignOut now={now} onSignOut={onSignOut} />
    </header>
  );
}

function SyncPill({ state, now, run }: { state: PanelState; now: number; run: Run }) {
  const [open, setOpen] = useState(false);
  const s = state.sync;
  const parked = s.parked.length;
  const { text, idle, oldestAgeS } = syncSummary(s, now);
  const files = s.pendingAttachments ?? 0;
  const lastSuccess = s.lastSuccessAt ? `上次上传成功 ${formatClock(s.lastSuccessAt, true)}` : '尚未上传成功过';
  return (
    <span className="sync-wrap">
      <button
        type="button"
        className={`pill ${parked > 0 ? 'pill-bad' : idle ? 'pill-quiet' : 'pill-warn'}`}
        data-testid="sync-pending"
        data-pending={s.pending}
        data-parked={parked}
        data-attachments={files}
        {...(oldestAgeS !== null ? { 'data-oldest-age-s': oldestAgeS } : {})}
        onClick={() => setOpen((o) => !o)}
        title={lastSuccess}
      >
        {parked > 0 ? (idle ? `${parked} 条未能上传` : `${text} · ${parked} 条未能上传`) : text}
      </button>
      {open && (
        <div className="popover" role="dialog" aria-label="上传状态">
          <div className="popover-title">本机待上传的办理记录</div>
          <p className="small" data-testid="sync-last-success">
            {lastSuccess}
          </p>
          {s.hallNotice ? (
            <p className="small danger" data-testid="sync-hall-notice">
              {s.hallNotice}
            </p>
          ) : null}
          <p className="muted small">
            {idle ? '本机记录和附件已全部上传。' : `${text}。`}
            未上传的记录和附件不会被清理，恢复连接后自动上传。
          </p>
          {parked > 0 ? (
            <>
              <div className="popover-title danger">大厅服务器拒收的记录（{parked} 条）</div>
              <ul className="parked-list">
                {s.parked.map((p) => (
                  <li key={p.mutationId}>
                    <div>
                      <strong>{p.summary}</strong> <span className="muted small">{formatClock(p.at)}</span>
                    </div>
                    <div className="small danger">{p.reason}</div>
                  </li>
                ))}
              </ul>
              <button type="button" className="btn btn-primary btn-sm" data-testid="btn-sync-retry" onClick={() => void run('sync.retryParked', {})}>
                重试上传
              </button>
            </>
          ) : (
            <p className="small">没有被拒收的记录。</p>
          )}
        </div>
      )}
    </span>
  );
}
