import { useEffect, useState, type FormEvent } from 'react';
import type { DeviceStatus } from '../../shared/contract.js';
import type { Run } from './App.js';

const CODE = /^[A-Z0-9]{4}-[A-Z0-9]{4}$/;

/** Checks the form before asking the backend; returns a Chinese message or null. */
export function enrolFormError(hallUrl: string, code: string, deviceName: string): string | null {
  let url: URL;
  try {
    url = new URL(hallUrl);
  } catch {
    return '大厅服务器地址格式不正确，应类似 http://192.168.1.10:7300';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return '大厅服务器地址须以 http:// 或 https:// 开头。';
  if (!CODE.test(code)) return '登记码格式应为 ABCD-1234（4 位字母或数字，短横线，再 4 位）。';
  if (!deviceName.trim()) return '请填写本机名称，例如“3号窗口电脑”。';
  if (deviceName.trim().length > 60) return '本机名称不能超过 60 个字。';
  return null;
}

export function normaliseCode(raw: string): string {
  const s = raw.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 8);
  return s.length > 4 ? `${s.slice(0, 4)}-${s.slice(4)}` : s;
}

export function EnrolScreen({ run, device, onEnrolled }: { run: Run; device: DeviceStatus; onEnrolled: () => void }) {
  const [hallUrl, setHallUrl] = useState(device.hallUrl ?? 'http://');
  const [code, setCode] = useState('');
  const [deviceName, setDeviceName] = useState(device.deviceName ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Enrolled before, but the hall no longer knows this workstation (e.g. its database was wiped):
  // enrol again; the backend keeps and carries over the work not yet uploaded (sync/re-enrol.ts).
  const again = device.office !== null;
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (again) void run('queue.state', {}).then((r) => r.ok && setNotice(r.value.sync.hallNotice ?? null));
  }, [again, run]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = enrolFormError(hallUrl.trim(), code, deviceName);
    setError(problem);
    if (problem) return;
    setBusy(true);
    const r = await run('device.enroll', { hallUrl: hallUrl.trim(), code, deviceName: deviceName.trim() });
    setBusy(false);
    if (r.ok) onEnrolled();
    else setError(r.error.message);
  };

  return (
    <div className="center-screen">
      <form className="card narrow form" onSubmit={submit} noValidate>
        <div className="brand-block">
          <div className="brand-mark">窗</div>
          <div>
            <div className="brand-title">OneWindow 一窗受理工作台</div>
            <div className="muted">{again ? `需重新登记（原属${device.officeName ?? device.office}）` : '本机尚未在大厅服务器登记'}</div>
          </div>
        </div>
        {again && notice && (
          <p className="form-error" role="status" data-testid="enrol-again-notice">
            {notice}
          </p>
        )}
        <p className="hint">
          请向大厅系统管理员索取一次性登记码（在服务器上运行 <code>onewindow hall enroll</code> 生成，30 分钟内有效）。
        </p>
        <label className="field">
          <span>大厅服务器地址</span>
          <input data-testid="enrol-url" value={hallUrl} onChange={(e) => setHallUrl(e.target.value)} placeholder="http://192.168.1.10:7300" autoFocus />
        </label>
        <label className="field">
          <span>一次性登记码</span>
          <input
            data-testid="enrol-code"
            className="mono"
            value={code}
            onChange={(e) => setCode(normaliseCode(e.target.value))}
            placeholder="ABCD-1234"
            autoComplete="off"
          />
        </label>
        <label className="field">
          <span>本机名称</span>
          <input data-testid="enrol-name" value={deviceName} onChange={(e) => setDeviceName(e.target.value)} placeholder="例如：3号窗口电脑" maxLength={60} />
        </label>
        {error && (
          <p className="form-error" role="alert" data-testid="enrol-error">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="enrol-submit">
          {busy ? '正在登记…' : '登记本机'}
        </button>
      </form>
    </div>
  );
}
