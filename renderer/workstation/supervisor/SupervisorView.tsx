import { useCallback, useEffect, useRef, useState } from 'react';
import type { DeviceStatus, InvokeResult, PanelState } from '../../../shared/contract.js';
import type { DrillFigure } from '../../../shared/dashboard/api.js';
import type { CaseFigure } from '../../../shared/dashboard/case-source.js';
import type { DashboardMethodInput, DashboardMethodName, DashboardMethodOutput } from '../../../shared/dashboard/contract.js';
import type { LiveView } from '../../../shared/dashboard/views.js';
import { ROLE_LABEL } from '../../../shared/office/config.js';
import { formatClock } from '../../common/format.js';
import { useInterval, useNow } from '../../common/hooks.js';
import { ClockAndSignOut, ConnectionPill } from '../HeaderParts.js';
import { DrillDialog, type DrillRequest } from './DrillDialog.js';
import { FollowupPanel } from './FollowupPanel.js';
import { HistoryPanel } from './HistoryPanel.js';
import { LivePanel } from './LivePanel.js';
import { SealSettings, type SealInvoke } from './SealSettings.js';
import './supervisor.css';

/** Calls a dashboard method of the workstation backend (App's `run`: errors are shown as toasts). */
export type DashboardInvoke = <M extends DashboardMethodName>(method: M, input: DashboardMethodInput<M>) => Promise<InvokeResult<DashboardMethodOutput<M>>>;

const LIVE_REFRESH_MS = 5_000;
type Tab = 'live' | 'history' | 'followups' | 'seal';

/**
 * The supervisor's screen (大厅负责人): live panel, history with charts, follow-ups. Every figure
 * comes from the hall server; the live panel refreshes every few seconds and whenever the
 * workstation hears that the hall's queue changed.
 */
export function SupervisorView({
  invoke,
  device,
  state,
  onSignOut,
  onHallEvent,
}: {
  invoke: DashboardInvoke;
  device: DeviceStatus;
  state: PanelState;
  onSignOut: () => void;
  /** Subscribes to the workstation's pushed events (queue.state); returns the unsubscribe. */
  onHallEvent?: (cb: () => void) => () => void;
}) {
  const now = useNow(1_000);
  const [tab, setTab] = useState<Tab>('live');
  const [live, setLive] = useState<LiveView | null>(null);
  const [liveError, setLiveError] = useState<string | null>(null);
  const [office, setOffice] = useState<string | undefined>(undefined);
  const [queueAlarmLength, setQueueAlarmLength] = useState(20);
  const [drill, setDrill] = useState<DrillRequest | null>(null);
  const inFlight = useRef(false);

  const loadLive = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const r = await invoke('dashboard.live', { office, queueAlarmLength });
      if (r.ok) {
        setLive(r.value);
        setLiveError(null);
      } else setLiveError(r.error.message);
    } finally {
      inFlight.current = false;
    }
  }, [invoke, office, queueAlarmLength]);

  useEffect(() => {
    void loadLive();
  }, [loadLive]);
  useInterval(() => void (tab === 'live' && loadLive()), LIVE_REFRESH_MS);
  const latest = useRef(loadLive);
  latest.current = loadLive;
  useEffect(() => onHallEvent?.(() => void latest.current()), [onHallEvent]);

  const session = state.session!;
  const isAdmin = session.staff.roles.includes('admin'); // 印章设置 only for an administrator
  const today = live?.day ?? null;
  const liveDrill = (figure: DrillFigure, title: string) => today && setDrill({ kind: 'tickets', title, query: { office: live?.office, from: today, to: today, bucket: 'day', figure, dim: 'total' } });
  const liveCaseDrill = (figure: CaseFigure, title: string) => today && setDrill({ kind: 'cases', title, query: { office: live?.office, from: today, to: today, bucket: 'day', figure, dim: 'total' } });

  return (
    <div className="ws sv" data-testid="supervisor-view">
      <header className="ws-header">
        <div className="ws-brand">
          <div className="brand-mark small">窗</div>
          <div className="ws-brand-text">
            <div className="ws-office">{device.officeName ?? session.staff.office}</div>
            <div className="ws-sub">运行监测 · 一窗受理工作台</div>
          </div>
        </div>
        <div className="ws-window">
          <div>
            <div className="ws-window-name">{session.staff.name}</div>
            <div className="ws-sub">
              {session.staff.id} · {session.staff.roles.map((r) => ROLE_LABEL[r]).join('、')} ·{' '}
              <span data-testid="header-seat">{session.window ? `${session.window.no}号窗口` : '值班登录（未占用窗口）'}</span>
            </div>
          </div>
        </div>
        <nav className="sv-tabs" role="tablist">
          {(
            [
              ['live', '实时监测'],
              ['history', '统计分析'],
              ['followups', '回访'],
              ...(isAdmin ? [['seal', '印章设置'] as const] : []),
            ] as const
          ).map(([id, label]) => (
            <button key={id} type="button" role="tab" aria-selected={tab === id} className={`sv-tab${tab === id ? ' active' : ''}`} onClick={() => setTab(id)} data-testid={`tab-${id}`}>
              {label}
            </button>
          ))}
        </nav>
        <div className="ws-pills">
          <ConnectionPill connection={state.connection} />
        </div>
        <ClockAndSignOut now={now} onSignOut={onSignOut} />
      </header>
      <main className="sv-main">
        {tab === 'live' &&
          (live ? (
            <>
              {liveError && <p className="form-warn">{liveError}（显示的是 {formatClock(live.serverNow, true)} 的数据）</p>}
              <LivePanel
                live={live}
                office={live.office}
                onOffice={setOffice}
                queueAlarmLength={queueAlarmLength}
                onQueueAlarmLength={setQueueAlarmLength}
                onDrill={liveDrill}
                onCaseDrill={liveCaseDrill}
              />
            </>
          ) : (
            <div className="card sv-empty">{liveError ? <p className="form-error">{liveError}</p> : <p className="muted">正在读取大厅实时数据…</p>}</div>
          ))}
        {tab === 'history' && <HistoryPanel invoke={invoke} today={today} offices={live?.offices ?? []} onDrill={setDrill} />}
        {tab === 'followups' && <FollowupPanel invoke={invoke} today={today} offices={live?.offices ?? []} />}
        {/* App passes the whole contract's invoke (api.invoke), typed here for the dashboard. */}
        {tab === 'seal' && isAdmin && <SealSettings invoke={invoke as unknown as SealInvoke} />}
      </main>
      {drill && <DrillDialog invoke={invoke} request={drill} onClose={() => setDrill(null)} />}
    </div>
  );
}
