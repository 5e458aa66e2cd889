import { useEffect, useState, type FormEvent } from 'react';
import type { DeviceStatus, PanelState } from '../../shared/contract.js';
import { NO_SEAT } from '../../shared/office/config.js';
import { remember, remembered } from '../common/remember.js';
import type { Run } from './App.js';

const NO_SEAT_KEY = 'signin.noSeat';

export function SignInScreen({ run, device, state }: { run: Run; device: DeviceStatus; state: PanelState | null }) {
  const windows = device.windows;
  const [staffId, setStaffId] = useState('');
  const [pin, setPin] = useState('');
  // A workstation last used for 值班登录 offers it again; otherwise the window this workstation last used.
  const [windowId, setWindowId] = useState(remembered<boolean>(NO_SEAT_KEY, false) ? NO_SEAT : (device.windowId ?? windows[0]?.id ?? ''));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!windowId && (device.windowId || windows[0])) setWindowId(device.windowId ?? windows[0]!.id);
  }, [device.windowId, windows, windowId]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(staffId.trim())) return setError('请输入工号（字母或数字）。');
    if (!/^\d{4,8}$/.test(pin)) return setError('密码为 4–8 位数字。');
    if (!windowId) return setError('请选择窗口。');
    setError(null);
    setBusy(true);
    const r = await run('session.signIn', windowId === NO_SEAT ? { staffId: staffId.trim(), pin } : { staffId: staffId.trim(), pin, windowId });
    setBusy(false);
    if (r.ok) {
      remember(NO_SEAT_KEY, windowId === NO_SEAT);
    } else {
      setError(r.error.message);
      setPin('');
    }
  };

  const offline = state && !state.connection.online;
  const selected = windows.find((w) => w.id === windowId);

  return (
    <div className="center-screen">
      <form className="card narrow form" onSubmit={submit} noValidate>
        <div className="brand-block">
          <div className="brand-mark">窗</div>
          <div>
            <div className="brand-title">{device.officeName ?? 'OneWindow 一窗受理工作台'}</div>
            <div className="muted">
              {device.deviceName ? `本机：${device.deviceName}` : '综合窗口'}
              {device.embeddedHall ? ' · 单机模式（内置大厅服务器）' : ''}
            </div>
          </div>
        </div>
        <h2 className="form-title">工作人员登录</h2>
        {offline && <p className="form-warn">大厅服务器暂时无法连接，登录需要连接大厅服务器。</p>}
        <label className="field">
          <span>工号</span>
          <input
            data-testid="signin-staff"
            value={staffId}
            onChange={(e) => setStaffId(e.target.value)}
            autoComplete="username"
            inputMode="numeric"
            autoFocus
            placeholder="例如 1001"
          />
        </label>
        <label className="field">
          <span>密码（PIN）</span>
          <input
            data-testid="signin-pin"
            type="password"
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
            autoComplete="current-password"
            inputMode="numeric"
            placeholder="4–8 位数字"
          />
        </label>
        <label className="field">
          <span>窗口</span>
          <select data-testid="signin-window" value={windowId} onChange={(e) => setWindowId(e.target.value)}>
            {windows.length === 0 && <option value="">（暂无可用窗口）</option>}
            {windows.map((w) => (
              <option key={w.id} value={w.id}>
                {w.no}号窗口{w.name && w.name !== `${w.no}号窗口` ? ` · ${w.name}` : ''}
                {w.staffName ? `（${w.staffName} 已登录）` : ''}
              </option>
            ))}
            <option value={NO_SEAT}>不占用窗口（值班登录，限大厅负责人、管理员）</option>
          </select>
        </label>
        {selected && <p className="hint">办理业务：{selected.boards.map((b) => b.board).join('、')}</p>}
        {windowId === NO_SEAT && <p className="hint">查看大厅运行情况和设置，不开窗口、不叫号。</p>}
        {error && (
          <p className="form-error" role="alert" data-testid="signin-error">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="signin-submit">
          {busy ? '正在登录…' : '登录'}
        </button>
      </form>
    </div>
  );
}
