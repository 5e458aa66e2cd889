import { useCallback, useEffect, useRef, useState } from 'react';
import type { RatingRequest } from '../../shared/hall/views.js';
import { RATING_LABEL } from '../../shared/queue/types.js';
import { formatClock } from '../common/format.js';
import { errorMessage, hallCall, queryParam, subscribeHall } from '../common/hall-client.js';
import { useInterval } from '../common/hooks.js';

const BACK_TO_IDLE_MS = 8_000;
const POLL_MS = 5_000;
const LEVELS = [5, 4, 3, 2, 1] as const;
export const REASON_PRESETS = ['服务态度', '办事效率', '业务水平', '材料要求不清', '其他'];

/** The reason sent with a low rating: the ticked presets, then the free text. */
export function composeReason(presets: readonly string[], text: string): string {
  const parts = [...presets];
  const t = text.trim();
  if (t) parts.push(t);
  return parts.join('；').slice(0, 300);
}

type Phase = { kind: 'idle' } | { kind: 'rating'; request: RatingRequest } | { kind: 'thanks'; level: number };

/** 评价器 on the window's tablet (好差评, 一次一评). */
export function Evaluator() {
  const windowId = queryParam('windowId');
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [level, setLevel] = useState<number | null>(null);
  const [presets, setPresets] = useState<string[]>([]);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [windowName, setWindowName] = useState<string | null>(null);
  const done = useRef(new Set<string>());
  const phaseRef = useRef(phase);
  phaseRef.current = phase;

  const offer = useCallback((request: RatingRequest | null) => {
    const p = phaseRef.current;
    if (request === null) {
      if (p.kind === 'rating') setPhase({ kind: 'idle' });
      return;
    }
    setWindowName(request.windowName);
    if (done.current.has(request.ticketId) || p.kind === 'thanks') return;
    if (p.kind === 'rating' && p.request.ticketId === request.ticketId) return;
    setLevel(null);
    setPresets([]);
    setText('');
    setError(null);
    setPhase({ kind: 'rating', request });
  }, []);

  const poll = useCallback(async () => {
    if (!windowId) return;
    try {
      const r = await hallCall('evaluatorPending', { windowId });
      offer(r.request);
    } catch {
      /* the next poll or push will do */
    }
  }, [windowId, offer]);

  useEffect(() => {
    if (!windowId) return;
    void poll();
    const sub = subscribeHall({ channel: 'evaluator', windowId }, (p) => p.type === 'rating.request' && p.windowId === windowId && offer(p.request), {
      onOpen: () => void poll(),
    });
    return () => sub.close();
  }, [windowId, poll, offer]);
  useInterval(() => phaseRef.current.kind === 'idle' && void poll(), POLL_MS);

  useEffect(() => {
    if (phase.kind !== 'thanks') return;
    const id = setTimeout(() => setPhase({ kind: 'idle' }), BACK_TO_IDLE_MS);
    return () => clearTimeout(id);
  }, [phase]);

  if (!windowId) return <div className="e-fatal">页面地址缺少窗口参数（windowId），请联系管理员。</div>;

  const submit = async () => {
    if (phase.kind !== 'rating' || level === null) return;
    const reason = composeReason(presets, text);
    if (level <= 2 && !reason) {
      setError('请选择或填写不满意的原因，帮助我们改进服务。');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await hallCall('evaluatorRate', {
        ticketId: phase.request.ticketId,
        ratingToken: phase.request.ratingToken,
        level,
        ...(reason ? { reason } : {}),
      });
      done.current.add(phase.request.ticketId);
      setPhase({ kind: 'thanks', level });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="evaluator">
      <header className="e-header">
        <span className="e-title">政务服务“好差评”</span>
        <span className="e-window">{windowName ?? `${windowId.split('/')[1] ?? ''}号窗口`}</span>
      </header>
      {phase.kind === 'idle' && (
        <main className="e-idle" data-testid="rate-waiting">
          <div className="e-idle-icon" aria-hidden>
            ☺
          </div>
          <div className="e-idle-text">感谢您的耐心，请在办结后评价</div>
          <div className="e-idle-sub">您的评价将帮助我们持续改进服务</div>
        </main>
      )}
      {phase.kind === 'rating' && (
        <main className="e-rate">
          <div className="e-service">
            <div>
              <span className="e-k">号码</span>
              <span className="e-v num" data-testid="rate-number">
                {phase.request.number}
              </span>
            </div>
            <div>
              <span className="e-k">窗口</span>
              <span className="e-v">{phase.request.windowName}</span>
            </div>
            <div>
              <span className="e-k">工作人员</span>
              <span className="e-v">{phase.request.staffName}</span>
            </div>
            <div>
              <span className="e-k">办结时间</span>
              <span className="e-v num">{formatClock(phase.request.finishedAt)}</span>
            </div>
          </div>
          <h1 className="e-question">请您对本次服务进行评价</h1>
          <div className="e-levels">
            {LEVELS.map((l) => (
              <button
                key={l}
                type="button"
                className={`e-level lv${l} ${level === l ? 'selected' : ''}`}
                data-testid={`rate-${l}`}
                aria-pressed={level === l}
                onClick={() => {
                  setLevel(l);
                  setError(null);
                }}
              >
                <span className={`e-face face${l}`} aria-hidden>
                  <i />
                </span>
                <span className="e-level-label">{RATING_LABEL[l]}</span>
              </button>
            ))}
          </div>
          {level !== null && level <= 2 && (
            <div className="e-reasons">
              <div className="e-reasons-title">请告诉我们哪里不满意（必填）</div>
              <div className="e-presets">
                {REASON_PRESETS.map((p, i) => (
                  <label key={p} className={`e-preset ${presets.includes(p) ? 'on' : ''}`}>
                    <input
                      type="checkbox"
                      data-testid={`rate-reason-preset-${i}`}
                      checked={presets.includes(p)}
                      onChange={(e) => setPresets((cur) => (e.target.checked ? [...cur, p] : cur.filter((x) => x !== p)))}
                    />
                    {p}
                  </label>
                ))}
              </div>
              <textarea
                className="e-text"
                data-testid="rate-reason"
                rows={2}
                maxLength={200}
                placeholder="请简要说明（选填其他情况）"
                value={text}
                onChange={(e) => setText(e.target.value)}
              />
            </div>
          )}
          {error && (
            <div className="e-error" role="alert" data-testid="rate-error">
              {error}
            </div>
          )}
          <button type="button" className="e-submit" data-testid="rate-submit" disabled={level === null || busy} onClick={() => void submit()}>
            {busy ? '正在提交…' : '提交评价'}
          </button>
        </main>
      )}
      {phase.kind === 'thanks' && (
        <main className="e-thanks" data-testid="rate-thanks">
          <div className="e-thanks-icon" aria-hidden>
            ✓
          </div>
          <div className="e-thanks-text">感谢您的评价！</div>
          <div className="e-idle-sub">
            您的评价：{RATING_LABEL[phase.level]}。{phase.level <= 2 ? '我们将认真核查并改进，工作人员可能会与您联系回访。' : '欢迎再次光临。'}
          </div>
        </main>
      )}
    </div>
  );
}
