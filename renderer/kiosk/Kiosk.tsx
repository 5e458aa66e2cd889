import { useCallback, useEffect, useState } from 'react';
import type { IssuedTicket, OfficePublic } from '../../shared/hall/views.js';
import { describeEstimate } from '../../shared/queue/estimate.js';
import { formatClock, formatDate } from '../common/format.js';
import { errorMessage, hallCall, queryParam, subscribeHall } from '../common/hall-client.js';
import { useInterval, useNow } from '../common/hooks.js';
import { newRequestId } from '../common/request-id.js';

const RETURN_AFTER_S = 20;
type Panel = 'none' | 'green' | 'checkin';

/** 取号机: touch-friendly, large. Board tiles → ticket; appointment check-in; green channel for staff. */
export function Kiosk() {
  const office = queryParam('office');
  const [info, setInfo] = useState<OfficePublic | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [ticket, setTicket] = useState<IssuedTicket | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [panel, setPanel] = useState<Panel>('none');
  const [green, setGreen] = useState<{ staffId: string; pin: string } | null>(null);
  const now = useNow(1_000);

  const load = useCallback(async () => {
    if (!office) return;
    try {
      setInfo(await hallCall('officePublic', { office }));
      setLoadError(null);
    } catch (err) {
      setLoadError(errorMessage(err));
    }
  }, [office]);

  useEffect(() => {
    if (!office) return;
    void load();
    const sub = subscribeHall({ channel: 'office', office }, (p) => p.type === 'queue.changed' && void load(), { onOpen: () => void load() });
    return () => sub.close();
  }, [office, load]);
  useInterval(() => void load(), 15_000);

  const issue = async (board: string) => {
    if (!office || busy) return;
    setBusy(true);
    setError(null);
    try {
      const t = await hallCall('kioskIssue', green ? { office, board, green, requestId: newRequestId() } : { office, board, requestId: newRequestId() });
      setTicket(t);
      void load();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
      setGreen(null);
    }
  };

  if (!office) {
    return (
      <div className="kiosk">
        <div className="k-fatal">页面地址缺少营业厅参数（office），请联系管理员。</div>
      </div>
    );
  }

  return (
    <div className="kiosk">
      <header className="k-header">
        <div>
          <div className="k-hall">{info?.hallName ?? '政务服务大厅'}</div>
          <h1 className="k-office">{info?.name ?? '取号'}</h1>
        </div>
        <div className="k-clock">
          <div className="num">{formatClock(now)}</div>
          <div className="k-date">{formatDate(now)}</div>
        </div>
      </header>
      {ticket ? (
        <TicketView ticket={ticket} onDone={() => setTicket(null)} />
      ) : (
        <main className="k-main">
          {green ? (
            <div className="k-green-bar" data-testid="kiosk-green-active">
              <span>绿色通道：工作人员已确认，请为办事群众选择业务</span>
              <button type="button" className="k-btn k-btn-light" onClick={() => setGreen(null)}>
                取消绿色通道
              </button>
            </div>
          ) : (
            <p className="k-lead">请选择您要办理的业务，领取排队号</p>
          )}
          {loadError && <div className="k-error">{loadError}</div>}
          {error && (
            <div className="k-error" role="alert" data-testid="kiosk-error">
              {error}
            </div>
          )}
          <div className="k-boards">
            {(info?.boards ?? []).map((b) => (
              <button
                key={b.code}
                type="button"
                className={`k-board ${green ? 'green' : ''}`}
                data-testid={`kiosk-board-${b.code}`}
                disabled={busy}
                onClick={() => void issue(b.code)}
              >
                <span className="k-board-code">{b.code}</span>
                <span className="k-board-name">{b.name}</span>
                <span className="k-board-meta">
                  等候 <strong className="num">{b.waiting}</strong> 人 · {describeEstimate(b.estimateMinutes, b.waiting)}
                </span>
              </button>
            ))}
            {!info && !loadError && <div className="k-loading">正在读取业务列表…</div>}
          </div>
          <div className="k-foot">
            <button type="button" className="k-btn k-btn-primary" data-testid="kiosk-checkin" onClick={() => setPanel('checkin')}>
              预约签到
            </button>
            <button type="button" className="k-btn k-btn-quiet" data-testid="kiosk-green" onClick={() => setPanel('green')}>
              绿色通道（工作人员）
            </button>
          </div>
        </main>
      )}
      {panel === 'checkin' && office && (
        <CheckInDialog
          office={office}
          onClose={() => setPanel('none')}
          onIssued={(t) => {
            setPanel('none');
            setTicket(t);
            void load();
          }}
        />
      )}
      {panel === 'green' && (
        <GreenDialog
          onClose={() => setPanel('none')}
          onConfirm={(g) => {
            setPanel('none');
            setGreen(g);
          }}
        />
      )}
    </div>
  );
}

function TicketView({ ticket, onDone }: { ticket: IssuedTicket; onDone: () => void }) {
  const [left, setLeft] = useState(RETURN_AFTER_S);
  useEffect(() => {
    const id = setInterval(() => setLeft((s) => s - 1), 1_000);
    return () => clearInterval(id);
  }, []);
  useEffect(() => {
    if (left <= 0) onDone();
  }, [left, onDone]);
  return (
    <main className="k-ticket-screen">
      <section className="print-ticket" data-testid="kiosk-ticket">
        <div className="pt-office">{ticket.officeName}</div>
        <div className="pt-board">
          {ticket.board} · {ticket.boardName}
          {ticket.priority === 'green' && <span className="pt-tag">绿色通道</span>}
          {ticket.priority === 'appointment' && <span className="pt-tag">预约</span>}
        </div>
        <div className="pt-label">您的排队号</div>
        <div className="pt-number num" data-testid="ticket-number">
          {ticket.number}
        </div>
        <div className="pt-facts">
          <div>
            前面还有{' '}
            <strong className="num" data-testid="ticket-ahead">
              {ticket.ahead}
            </strong>{' '}
            人
          </div>
          <div data-testid="ticket-estimate">
            {ticket.estimateMinutes === null
              ? '暂无窗口办理，请咨询工作人员'
              : ticket.estimateMinutes === 0
                ? '即将叫号'
                : `预计等待约 ${ticket.estimateMinutes} 分钟`}
          </div>
        </div>
        <div className="pt-time num">
          取号时间 {formatDate(ticket.issuedAt)} {formatClock(ticket.issuedAt, true)}
        </div>
        <div className="pt-notice">请留意叫号屏及语音提示</div>
      </section>
      <div className="k-ticket-actions no-print">
        <button type="button" className="k-btn k-btn-primary" data-testid="kiosk-print" onClick={() => window.print()}>
          打印
        </button>
        <button type="button" className="k-btn" data-testid="kiosk-done" onClick={onDone}>
          完成（{Math.max(left, 0)} 秒后返回）
        </button>
      </div>
    </main>
  );
}

function Dialog({ title, children, onClose }: { title: string; children: React.ReactNode; onClose: () => void }) {
  return (
    <div className="k-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="k-dialog" role="dialog" aria-modal="true" aria-label={title}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

function CheckInDialog({ office, onClose, onIssued }: { office: string; onClose: () => void; onIssued: (t: IssuedTicket) => void }) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!/^[A-Z0-9]{6,12}$/.test(code)) {
      setError('预约码为 6–12 位字母或数字，请核对短信中的预约码。');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onIssued(await hallCall('kioskCheckIn', { office, code, requestId: newRequestId() }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="预约签到" onClose={onClose}>
      <p className="k-help">请输入预约短信中的预约码，签到后按预约时段优先叫号。</p>
      <input
        className="k-input mono"
        data-testid="kiosk-checkin-code"
        value={code}
        onChange={(e) => setCode(e.target.value.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 12))}
        placeholder="预约码"
        autoFocus
      />
      {error && (
        <div className="k-error" role="alert" data-testid="kiosk-checkin-error">
          {error}
        </div>
      )}
      <div className="k-dialog-actions">
        <button type="button" className="k-btn" onClick={onClose}>
          取消
        </button>
        <button type="button" className="k-btn k-btn-primary" data-testid="kiosk-checkin-submit" disabled={busy} onClick={() => void submit()}>
          签到取号
        </button>
      </div>
    </Dialog>
  );
}

function GreenDialog({ onClose, onConfirm }: { onClose: () => void; onConfirm: (g: { staffId: string; pin: string }) => void }) {
  const [staffId, setStaffId] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(staffId.trim())) return setError('请输入工作人员工号。');
    if (!/^\d{4,8}$/.test(pin)) return setError('密码为 4–8 位数字。');
    onConfirm({ staffId: staffId.trim(), pin });
  };
  return (
    <Dialog title="绿色通道" onClose={onClose}>
      <p className="k-help">
        为老年人、残疾人、孕妇等需要帮助的办事群众优先取号，由现场工作人员确认。确认后请选择业务，号码将优先叫号。
      </p>
      <div className="k-fields">
        <input className="k-input" data-testid="kiosk-green-staff" value={staffId} onChange={(e) => setStaffId(e.target.value)} placeholder="工作人员工号" autoFocus />
        <input
          className="k-input"
          data-testid="kiosk-green-pin"
          type="password"
          inputMode="numeric"
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
          placeholder="密码"
        />
      </div>
      {error && (
        <div className="k-error" role="alert">
          {error}
        </div>
      )}
      <div className="k-dialog-actions">
        <button type="button" className="k-btn" onClick={onClose}>
          取消
        </button>
        <button type="button" className="k-btn k-btn-green" data-testid="kiosk-green-confirm" onClick={submit}>
          确认，选择业务
        </button>
      </div>
    </Dialog>
  );
}
