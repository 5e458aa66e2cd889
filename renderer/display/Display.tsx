import { useCallback, useEffect, useRef, useState } from 'react';
import type { CallRecord, OfficePublic } from '../../shared/hall/views.js';
import { describeEstimate } from '../../shared/queue/estimate.js';
import { announcementText } from '../../shared/queue/numbering.js';
import { formatClock, formatDate } from '../common/format.js';
import { errorMessage, hallCall, queryParam, subscribeHall } from '../common/hall-client.js';
import { useInterval, useNow } from '../common/hooks.js';
import { Announcer, speechSpeaker, type Announcement, type SpeechLike, type UtteranceLike } from './announcer.js';

const RECENT = 8;

function announcementOf(c: CallRecord): Announcement {
  const t = announcementText(c.number, c.windowNo);
  return { key: `${c.number}@${c.windowNo}`, display: t.display, speech: t.speech };
}

function browserSpeech() {
  const synth = typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : undefined;
  const Utterance = typeof window !== 'undefined' ? window.SpeechSynthesisUtterance : undefined;
  return { synth, makeUtterance: (text: string) => (Utterance ? new Utterance(text) : ({ text } as unknown)) as UtteranceLike };
}

/** Merges a newly pushed call into the list (newest first, one entry per ticket and call time). */
function mergeCalls(list: CallRecord[], call: CallRecord): CallRecord[] {
  const rest = list.filter((c) => !(c.ticketId === call.ticketId && c.at === call.at));
  return [call, ...rest].sort((a, b) => b.at - a.at).slice(0, RECENT + 1);
}

/** 叫号屏: 16:9 TV, high contrast, readable from 10 m. No personal names, ever. */
export function Display() {
  const office = queryParam('office');
  const [info, setInfo] = useState<OfficePublic | null>(null);
  const [calls, setCalls] = useState<CallRecord[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [announcing, setAnnouncing] = useState<Announcement | null>(null);
  const [voiceEnabled, setVoiceEnabled] = useState(false);
  const [voiceAvailable, setVoiceAvailable] = useState(false);
  const voiceRef = useRef(false);
  const now = useNow(1_000);

  const announcerRef = useRef<Announcer | null>(null);
  if (announcerRef.current === null) {
    const { synth, makeUtterance } = browserSpeech();
    announcerRef.current = new Announcer({
      speaker: speechSpeaker({ synth: synth as unknown as SpeechLike | undefined, makeUtterance, enabled: () => voiceRef.current, minMs: 3_000 }),
      onChange: (current) => setAnnouncing(current),
    });
  }

  useEffect(() => {
    const { synth } = browserSpeech();
    if (!synth) return;
    const check = () => setVoiceAvailable(synth.getVoices().some((v) => /^zh/i.test(v.lang)));
    check();
    synth.addEventListener?.('voiceschanged', check);
    return () => synth.removeEventListener?.('voiceschanged', check);
  }, []);

  const load = useCallback(async () => {
    if (!office) return;
    try {
      const o = await hallCall('officePublic', { office });
      setInfo(o);
      setCalls((prev) => {
        let merged = prev;
        for (const c of o.recentCalls) merged = mergeCalls(merged, c);
        return merged;
      });
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [office]);

  useEffect(() => {
    if (!office) return;
    void load();
    const sub = subscribeHall(
      { channel: 'office', office },
      (p) => {
        if (p.type === 'call' && p.office === office) {
          setCalls((prev) => mergeCalls(prev, p.call));
          announcerRef.current?.enqueue(announcementOf(p.call));
        } else if (p.type === 'queue.changed') {
          void load();
        }
      },
      { onOpen: () => void load(), onClose: () => setError('与大厅服务器的连接中断，正在重连…') },
    );
    return () => sub.close();
  }, [office, load]);
  useInterval(() => void load(), 15_000);

  if (!office) return <div className="d-fatal">页面地址缺少营业厅参数（office），请联系管理员。</div>;

  const latest = calls[0];
  const latestText = latest ? announcementText(latest.number, latest.windowNo).display : null;
  return (
    <div
      className="display"
      onClick={() => {
        // Browsers let a page speak only after a first interaction: any click on the screen counts.
        voiceRef.current = true;
        setVoiceEnabled(true);
      }}
    >
      <header className="d-header">
        <div className="d-title">
          <span className="d-hall">{info?.hallName ?? ''}</span>
          <span className="d-office">{info?.name ?? '叫号屏'}</span>
        </div>
        <div className="d-clock">
          <span className="num">{formatClock(now, true)}</span>
          <span className="d-date">{formatDate(now)}</span>
        </div>
      </header>
      <main className="d-main">
        <section className={`d-latest ${announcing ? 'flash' : ''}`}>
          <div className="d-label">正在叫号</div>
          {latest ? (
            <>
              <div className="d-latest-line">
                <span className="d-please">请</span>
                <span className="d-latest-number num" data-testid="display-latest-number">
                  {latest.number}
                </span>
                <span className="d-please">号到</span>
                <span className="d-latest-window num" data-testid="display-latest-window">
                  {latest.windowNo}
                </span>
                <span className="d-please">号窗口办理</span>
              </div>
              {latest.recall && <div className="d-recall">重复呼叫</div>}
            </>
          ) : (
            <div className="d-idle">欢迎光临，请取号后留意叫号</div>
          )}
          <div className="d-announcing" data-testid="display-announcing" aria-live="assertive" data-text={latestText ?? ''}>
            {announcing ? (
              <>
                <span className="d-speaker">语音播报</span>
                {announcing.display}
              </>
            ) : null}
          </div>
        </section>
        <section className="d-side">
          <div className="d-side-title">最近叫号</div>
          <ol className="d-calls" data-testid="display-calls">
            {calls.slice(0, RECENT).map((c, i) => (
              <li key={`${c.ticketId}-${c.at}`} className={`d-call ${i === 0 ? 'first' : ''}`} data-number={c.number}>
                <span className="num d-call-number">{c.number}</span>
                <span className="d-arrow">→</span>
                <span className="num d-call-window">{c.windowNo} 号窗口</span>
              </li>
            ))}
            {calls.length === 0 && <li className="d-call empty">暂无叫号</li>}
          </ol>
        </section>
      </main>
      <footer className="d-boards">
        {(info?.boards ?? []).map((b) => (
          <div key={b.code} className="d-board">
            <span className="d-board-code">{b.code}</span>
            <span className="d-board-name">{b.name}</span>
            <span className="d-board-wait">
              等候 <strong className="num">{b.waiting}</strong> 人
            </span>
            <span className="d-board-est">{describeEstimate(b.estimateMinutes, b.waiting)}</span>
          </div>
        ))}
      </footer>
      {error && <div className="d-error">{error}</div>}
      {voiceAvailable && !voiceEnabled && (
        <button
          type="button"
          className="d-voice-overlay"
          data-testid="display-enable-voice"
        >
          点击开始语音播报
        </button>
      )}
    </div>
  );
}
