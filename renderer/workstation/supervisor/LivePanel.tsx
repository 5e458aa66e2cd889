import type { CaseFigure, CaseFigures } from '../../../shared/dashboard/case-source.js';
import { LIVE_WINDOW_STATUS_LABEL, type KpiRow, type LiveView } from '../../../shared/dashboard/views.js';
import { minutes1, percent1 } from '../../../shared/dashboard/format.js';
import { formatClock, formatElapsed, formatMinutes } from '../../common/format.js';
import { KpiCard } from './KpiCard.js';

/**
 * 实时监测: alarms and suggestions first (what needs the supervisor now), then each board's line
 * against the target, each window with its clerk and current ticket, and today's figures so far.
 */
export function LivePanel({
  live,
  queueAlarmLength,
  onQueueAlarmLength,
  office,
  onOffice,
  onDrill,
  onCaseDrill,
}: {
  live: LiveView;
  queueAlarmLength: number;
  onQueueAlarmLength: (n: number) => void;
  office: string;
  onOffice: (id: string) => void;
  onDrill: (figure: 'issued' | 'over_target' | 'done' | 'no_show' | 'left' | 'low' | 'open', title: string) => void;
  onCaseDrill: (figure: CaseFigure, title: string) => void;
}) {
  const target = live.targetWaitMinutes * 60_000;
  const t = live.today;
  return (
    <div className="sv-live" data-testid="live-panel">
      <div className="sv-toolbar">
        {live.offices.length > 1 && (
          <label className="sv-inline">
            大厅
            <select value={office} onChange={(e) => onOffice(e.target.value)} data-testid="live-office">
              {live.offices.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="sv-inline">
          排队超过
          <input
            type="number"
            min={1}
            max={500}
            value={queueAlarmLength}
            onChange={(e) => onQueueAlarmLength(Math.min(500, Math.max(1, Number(e.target.value) || 1)))}
            data-testid="live-queue-alarm"
          />
          人时提醒
        </label>
        <span className="muted small">
          等待目标 {live.targetWaitMinutes} 分钟 · 数据时间 {formatClock(live.serverNow, true)}
        </span>
      </div>

      <div className="sv-alerts">
        {live.alarms.length === 0 && live.suggestions.length === 0 && (
          <div className="sv-alert sv-ok" data-testid="live-all-clear">
            各板块等待均在目标以内，暂无提醒。
          </div>
        )}
        {live.alarms.map((a, i) => (
          <div key={`a${i}`} className="sv-alert sv-bad" data-testid={`alarm-${a.kind}`}>
            <span className="sv-alert-tag">{a.kind === 'wait_over_target' ? '超时' : a.kind === 'queue_too_long' ? '排长队' : '窗口空闲'}</span>
            {a.message}
          </div>
        ))}
        {live.suggestions.map((s, i) => (
          <div key={`s${i}`} className="sv-alert sv-warn" data-testid={`suggestion-${s.kind}`}>
            <span className="sv-alert-tag">{s.kind === 'open_window' ? '建议开窗' : '建议调配'}</span>
            {s.message}
          </div>
        ))}
      </div>

      <section className="card">
        <div className="card-head">
          <h3>各板块排队</h3>
        </div>
        <div className="sv-boards">
          {live.boards.map((b) => (
            <div key={b.code} className={`sv-board${b.overTarget > 0 ? ' over' : b.waiting > 0 ? ' busy' : ''}`} data-testid={`live-board-${b.code}`}>
              <div className="sv-board-name">
                <b>{b.code}</b> {b.name}
              </div>
              <div className="sv-board-waiting num" data-testid={`live-waiting-${b.code}`}>
                {b.waiting}
                <span>人等待</span>
              </div>
              <div className="sv-board-meta">
                最长 <span className={b.longestWaitMs > target ? 'danger strong' : ''}>{b.waiting ? formatMinutes(b.longestWaitMs) : '—'}</span>
                {b.overTarget > 0 && <span className="danger"> · {b.overTarget} 人超时</span>}
              </div>
              <div className="sv-board-meta muted">
                {b.estimateMinutes === null ? '暂无窗口办理' : `预计 ${b.estimateMinutes} 分钟`} · 窗口 {b.effectiveWindows}
                {b.held > 0 ? ` · 挂起 ${b.held}` : ''}
              </div>
            </div>
          ))}
        </div>
      </section>

      <section className="card">
        <div className="card-head">
          <h3>窗口状态</h3>
          <span className="muted small">
            开放 {live.windows.filter((w) => w.status !== 'closed' && w.status !== 'paused').length} / {live.windows.length}
          </span>
        </div>
        <table className="sv-table">
          <thead>
            <tr>
              <th>窗口</th>
              <th>办理板块</th>
              <th>状态</th>
              <th>工作人员</th>
              <th>当前号码</th>
              <th className="r">已用时</th>
              <th className="r">今日办结</th>
            </tr>
          </thead>
          <tbody>
            {live.windows.map((w) => (
              <tr key={w.id} data-testid={`live-window-${w.no}`} className={`st-${w.status}`}>
                <td>{w.name}</td>
                <td>{w.boards.join('、')}</td>
                <td>
                  <span className={`sv-status sv-status-${w.status}`} data-testid={`live-window-status-${w.no}`}>
                    {LIVE_WINDOW_STATUS_LABEL[w.status]}
                  </span>
                  {w.status === 'paused' && w.pauseReason ? <span className="muted small"> {w.pauseReason}</span> : null}
                  {w.status === 'idle' && w.idleMs !== null && w.idleMs >= 60_000 ? <span className="muted small"> {formatMinutes(w.idleMs)}</span> : null}
                </td>
                <td>{w.staffName ?? '—'}</td>
                <td className="strong" data-testid={`live-window-current-${w.no}`}>
                  {w.current?.number ?? ''}
                </td>
                <td className={`r num${w.current && w.current.elapsedMs > 20 * 60_000 ? ' danger' : ''}`}>{w.current ? formatElapsed(w.current.elapsedMs) : ''}</td>
                <td className="r num">{w.doneToday}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <TodayStrip t={t} cases={live.todayCases} onDrill={onDrill} onCaseDrill={onCaseDrill} />
    </div>
  );
}

function TodayStrip({
  t,
  cases,
  onDrill,
  onCaseDrill,
}: {
  t: KpiRow;
  cases: CaseFigures | null;
  onDrill: (figure: 'issued' | 'over_target' | 'done' | 'no_show' | 'left' | 'low' | 'open', title: string) => void;
  onCaseDrill: (figure: CaseFigure, title: string) => void;
}) {
  return (
    <section className="card">
      <div className="card-head">
        <h3>今日至今</h3>
      </div>
      <div className="sv-cards">
        <KpiCard label="取号" value={String(t.issued)} onClick={() => onDrill('issued', '今日取号')} testId="today-issued" />
        <KpiCard label="办结" value={String(t.done)} onClick={() => onDrill('done', '今日办结')} testId="today-done" />
        <KpiCard label="平均等待" value={`${minutes1(t.waitAvgMs)} 分钟`} sub={`中位数 ${minutes1(t.waitMedianMs)} · 90分位 ${minutes1(t.waitP90Ms)}`} />
        <KpiCard label="目标内叫号" value={percent1(t.withinTargetShare)} sub={`超时 ${t.called - t.withinTarget} 人`} onClick={() => onDrill('over_target', '今日等待超过目标')} />
        <KpiCard label="过号" value={String(t.noShow)} sub={percent1(t.noShowRate)} onClick={() => onDrill('no_show', '今日过号')} />
        <KpiCard label="满意率" value={percent1(t.satisfactionRate)} sub={`参评 ${percent1(t.ratedShare)} · 差评 ${t.low}`} onClick={() => onDrill('low', '今日差评')} />
        {cases && (
          <>
            <KpiCard label="受理办件" value={String(cases.accepted)} sub={`秒批 ${cases.instantApprovals} · 跨域 ${cases.crossRegion}`} onClick={() => onCaseDrill('accepted', '今日受理办件')} testId="today-cases-accepted" />
            <KpiCard label="一次性告知" value={String(cases.oneTimeNotices)} sub={`不予受理 ${cases.notAccepted}`} onClick={() => onCaseDrill('oneTimeNotices', '今日一次性告知')} />
            <KpiCard label="办不成事反映" value={String(cases.escalations)} sub={`未办结 ${cases.escalationsOpen}`} tone={cases.escalationsOpen > 0 ? 'bad' : undefined} onClick={() => onCaseDrill('escalations', '今日办不成事反映')} />
          </>
        )}
      </div>
    </section>
  );
}
