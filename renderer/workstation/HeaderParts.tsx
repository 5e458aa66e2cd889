import type { ConnectionStatus } from '../../shared/contract.js';
import { formatClock, formatDate } from '../common/format.js';

/** 在线 / 离线 · 自 time, with the hall's address or the last error on hover. Shared by the clerk's and the supervisor's header. */
export function ConnectionPill({ connection: c }: { connection: ConnectionStatus }) {
  return c.online ? (
    <span className="pill pill-ok" data-testid="conn-status" title={c.hallUrl ?? ''}>
      <i className="dot" /> 在线
    </span>
  ) : (
    <span className="pill pill-bad" data-testid="conn-status" title={c.lastError ?? ''}>
      <i className="dot" /> 离线 · 自 {formatClock(c.since)}
    </span>
  );
}

/** The header's right end: the time and date, and 退出登录. */
export function ClockAndSignOut({ now, onSignOut }: { now: number; onSignOut: () => void }) {
  return (
    <>
      <div className="ws-clock">
        <div className="ws-time num">{formatClock(now, true)}</div>
        <div className="ws-sub">{formatDate(now)}</div>
      </div>
      <button type="button" className="btn btn-ghost-light" onClick={onSignOut} data-testid="btn-signout">
        退出登录
      </button>
    </>
  );
}
