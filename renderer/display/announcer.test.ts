import { afterEach, describe, expect, it, vi } from 'vitest';
import { Announcer, pickChineseVoice, speechSpeaker, timedSpeaker, type Announcement, type Speaker, type UtteranceLike } from './announcer.js';

const call = (number: string, windowNo: number): Announcement => ({
  key: `${number}@${windowNo}`,
  display: `请 ${number} 号到 ${windowNo} 号窗口办理`,
  speech: `请 ${number} 号，到 ${windowNo} 号窗口办理`,
});

/** A speaker whose announcements finish only when the test says so. */
function manualSpeaker() {
  const started: string[] = [];
  const finishers: Array<() => void> = [];
  const speaker: Speaker = {
    speak(a) {
      started.push(a.key);
      return new Promise<void>((resolve) => finishers.push(resolve));
    },
  };
  return { speaker, started, finish: (i: number) => finishers[i]!() };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  vi.useRealTimers();
});

describe('Announcer', () => {
  it('plays announcements one after another, in order', async () => {
    const m = manualSpeaker();
    const a = new Announcer({ speaker: m.speaker, now: () => 0 });
    a.enqueue(call('A001', 1));
    a.enqueue(call('B002', 2));
    a.enqueue(call('C003', 3));
    await flush();
    expect(m.started).toEqual(['A001@1']);
    expect(a.current?.key).toBe('A001@1');
    expect(a.queued).toBe(2);
    m.finish(0);
    await flush();
    expect(m.started).toEqual(['A001@1', 'B002@2']);
    m.finish(1);
    await flush();
    m.finish(2);
    await a.whenIdle();
    expect(m.started).toEqual(['A001@1', 'B002@2', 'C003@3']);
    expect(a.current).toBeNull();
  });

  it('never cuts off the announcement being played when a new one arrives', async () => {
    const m = manualSpeaker();
    const seen: Array<string | null> = [];
    const a = new Announcer({ speaker: m.speaker, now: () => 0, onChange: (c) => seen.push(c?.key ?? null) });
    a.enqueue(call('A001', 1));
    await flush();
    for (let i = 2; i <= 5; i++) a.enqueue(call(`A00${i}`, i));
    await flush();
    // Still the first one on screen and in the speaker, the others wait their turn.
    expect(a.current?.key).toBe('A001@1');
    expect(m.started).toEqual(['A001@1']);
    expect(seen.every((k) => k === 'A001@1')).toBe(true);
    m.finish(0);
    await flush();
    expect(a.current?.key).toBe('A002@2');
  });

  it('drops an identical announcement enqueued again within 2 seconds', async () => {
    let t = 1_000;
    const m = manualSpeaker();
    const a = new Announcer({ speaker: m.speaker, now: () => t });
    expect(a.enqueue(call('A012', 3))).toBe(true);
    t += 1_500;
    expect(a.enqueue(call('A012', 3))).toBe(false);
    expect(a.queued).toBe(0);
    expect(m.started).toEqual(['A012@3']);
  });

  it('announces a recall of the same number again once 2 seconds have passed', async () => {
    let t = 0;
    const m = manualSpeaker();
    const a = new Announcer({ speaker: m.speaker, now: () => t });
    a.enqueue(call('A012', 3));
    t = 2_000;
    expect(a.enqueue(call('A012', 3))).toBe(true);
    m.finish(0);
    await flush();
    expect(m.started).toEqual(['A012@3', 'A012@3']);
  });

  it('keeps identical announcements that are not consecutive', () => {
    const m = manualSpeaker();
    const a = new Announcer({ speaker: m.speaker, now: () => 0 });
    expect(a.enqueue(call('A012', 3))).toBe(true);
    expect(a.enqueue(call('B001', 4))).toBe(true);
    expect(a.enqueue(call('A012', 3))).toBe(true);
    expect(a.queued).toBe(2);
  });

  it('goes on with the next announcement when the speaker fails', async () => {
    const spoken: string[] = [];
    const speaker: Speaker = {
      async speak(a) {
        spoken.push(a.key);
        if (a.key === 'A001@1') throw new Error('audio device gone');
      },
    };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const a = new Announcer({ speaker, now: () => 0 });
    a.enqueue(call('A001', 1));
    a.enqueue(call('A002', 2));
    await a.whenIdle();
    expect(spoken).toEqual(['A001@1', 'A002@2']);
    warn.mockRestore();
  });
});

describe('timedSpeaker (screens without speech)', () => {
  it('shows each announcement for 3 seconds, sequentially', async () => {
    vi.useFakeTimers();
    const seen: Array<string | null> = [];
    const a = new Announcer({ speaker: timedSpeaker(3_000), onChange: (c) => seen.push(c?.key ?? null) });
    a.enqueue(call('A001', 1));
    a.enqueue(call('A002', 2));
    await vi.advanceTimersByTimeAsync(2_999);
    expect(a.current?.key).toBe('A001@1');
    await vi.advanceTimersByTimeAsync(1);
    expect(a.current?.key).toBe('A002@2');
    await vi.advanceTimersByTimeAsync(3_000);
    expect(a.current).toBeNull();
    expect(seen.filter((k, i) => k !== seen[i - 1])).toEqual(['A001@1', 'A002@2', null]);
  });
});

describe('speechSpeaker', () => {
  const voices = [
    { lang: 'en-US', name: 'English' },
    { lang: 'zh-CN', name: 'Chinese (China)' },
  ];
  function fakeSynth(list: Array<{ lang: string; name: string }>) {
    const utterances: Array<UtteranceLike & { text: string }> = [];
    return {
      utterances,
      synth: { getVoices: () => list, speak: (u: UtteranceLike) => utterances.push(u as UtteranceLike & { text: string }) },
      makeUtterance: (text: string) => ({ text, lang: '', rate: 1, voice: null, onend: null, onerror: null }),
    };
  }

  it('picks a zh-CN voice and none when only other languages exist', () => {
    expect(pickChineseVoice(voices)?.lang).toBe('zh-CN');
    expect(pickChineseVoice([{ lang: 'zh-TW', name: 'x' }])?.lang).toBe('zh-TW');
    expect(pickChineseVoice([{ lang: 'en-US', name: 'English' }])).toBeUndefined();
  });

  it('speaks in zh-CN and waits for the end of the utterance', async () => {
    vi.useFakeTimers();
    const f = fakeSynth(voices);
    const s = speechSpeaker({ synth: f.synth, makeUtterance: f.makeUtterance, enabled: () => true, minMs: 1_000 });
    expect(s.canSpeak()).toBe(true);
    let done = false;
    void s.speak(call('A012', 3)).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(f.utterances).toHaveLength(1);
    expect(f.utterances[0]!.lang).toBe('zh-CN');
    expect(f.utterances[0]!.text).toBe('请 A012 号，到 3 号窗口办理');
    expect(done).toBe(false);
    f.utterances[0]!.onend?.({});
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(true);
  });

  it('falls back to showing the text when there is no Chinese voice or speech is not enabled yet', async () => {
    vi.useFakeTimers();
    const f = fakeSynth([{ lang: 'en-US', name: 'English' }]);
    const s = speechSpeaker({ synth: f.synth, makeUtterance: f.makeUtterance, enabled: () => true, minMs: 3_000 });
    expect(s.canSpeak()).toBe(false);
    let done = false;
    void s.speak(call('A012', 3)).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(2_999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
    expect(f.utterances).toHaveLength(0);

    const g = fakeSynth(voices);
    const off = speechSpeaker({ synth: g.synth, makeUtterance: g.makeUtterance, enabled: () => false });
    expect(off.canSpeak()).toBe(false);
    const p = off.speak(call('A001', 1));
    await vi.advanceTimersByTimeAsync(3_000);
    await p;
    expect(g.utterances).toHaveLength(0);
  });

  it('does not hang when the engine never reports the end', async () => {
    vi.useFakeTimers();
    const f = fakeSynth(voices);
    const s = speechSpeaker({ synth: f.synth, makeUtterance: f.makeUtterance, enabled: () => true, minMs: 1_000, maxMs: 10_000 });
    let done = false;
    void s.speak(call('A012', 3)).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(done).toBe(true);
  });
});
