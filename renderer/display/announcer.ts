/**
 * The call display's announcement queue. Announcements play one after another and never cut each
 * other off (no `speechSynthesis.cancel()`, ever); an identical announcement enqueued again within
 * `dedupeMs` of the previous one is dropped (double delivery of one call), while a real recall a
 * little later is announced again.
 *
 * "Playing" is done by a Speaker: speech synthesis in zh-CN where the browser has a voice, otherwise
 * showing the text for a fixed time. Either way the current announcement is exposed through
 * `onChange`, so the screen shows what is being said.
 */
export interface Announcement {
  /** Identity for de-duplication, e.g. "A012@3". */
  key: string;
  /** What the screen shows: "请 A012 号到 3 号窗口办理". */
  display: string;
  /** What is spoken: digits read one by one. */
  speech: string;
}

export interface Speaker {
  /** Resolves when the announcement has finished playing. */
  speak(a: Announcement): Promise<void>;
}

export interface AnnouncerOptions {
  speaker: Speaker;
  now?: () => number;
  dedupeMs?: number;
  onChange?: (current: Announcement | null, queued: number) => void;
}

export class Announcer {
  private readonly speaker: Speaker;
  private readonly now: () => number;
  private readonly dedupeMs: number;
  private readonly onChange: (current: Announcement | null, queued: number) => void;
  private readonly queue: Announcement[] = [];
  private playing: Announcement | null = null;
  private lastEnqueued: { key: string; at: number } | undefined;
  private idleWaiters: Array<() => void> = [];

  constructor(opts: AnnouncerOptions) {
    this.speaker = opts.speaker;
    this.now = opts.now ?? Date.now;
    this.dedupeMs = opts.dedupeMs ?? 2_000;
    this.onChange = opts.onChange ?? (() => undefined);
  }

  /** Queues an announcement; returns false when it was dropped as a duplicate. */
  enqueue(a: Announcement): boolean {
    const at = this.now();
    const last = this.lastEnqueued;
    if (last && last.key === a.key && at - last.at < this.dedupeMs) return false;
    this.lastEnqueued = { key: a.key, at };
    this.queue.push(a);
    if (this.playing === null) void this.playNext();
    else this.onChange(this.playing, this.queue.length);
    return true;
  }

  get current(): Announcement | null {
    return this.playing;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Resolves once nothing is playing or queued. */
  whenIdle(): Promise<void> {
    if (this.playing === null && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async playNext(): Promise<void> {
    const next = this.queue.shift();
    if (next === undefined) {
      this.playing = null;
      this.onChange(null, 0);
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
      return;
    }
    this.playing = next;
    this.onChange(next, this.queue.length);
    try {
      await this.speaker.speak(next);
    } catch (err) {
      console.warn('announcement failed', err);
    }
    await this.playNext();
  }
}

/** Shows the text for a fixed time: the speaker of screens without speech synthesis. */
export function timedSpeaker(ms = 3_000, wait: (ms: number) => Promise<void> = sleep): Speaker {
  return { speak: () => wait(ms) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The part of the Web Speech API the speaker uses (so tests can hand in a fake). */
export interface SpeechLike {
  getVoices(): ReadonlyArray<{ lang: string; name: string; default?: boolean }>;
  speak(u: UtteranceLike): void;
}
export interface UtteranceLike {
  lang: string;
  rate: number;
  voice: unknown;
  onend: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface SpeechSpeakerOptions {
  synth: SpeechLike | undefined;
  makeUtterance: (text: string) => UtteranceLike;
  /** Speech is used only once this says yes (browsers need a first click before speaking). */
  enabled: () => boolean;
  /** Shortest time an announcement stays on screen, spoken or not. */
  minMs?: number;
  /** Give up waiting for `onend` after this long (some engines never fire it). */
  maxMs?: number;
  wait?: (ms: number) => Promise<void>;
}

/** The Chinese voice to use, or undefined when the browser has none (then the text is shown instead). */
export function pickChineseVoice<V extends { lang: string; name: string; default?: boolean }>(voices: ReadonlyArray<V>): V | undefined {
  const zh = voices.filter((v) => /^zh([-_]|$)/i.test(v.lang) || /chinese|mandarin|普通话|中文/i.test(v.name));
  return zh.find((v) => /^zh[-_]CN$/i.test(v.lang)) ?? zh[0];
}

/**
 * Speaks in zh-CN when a Chinese voice exists and speech is enabled; otherwise shows the text for
 * `minMs`. Each announcement lasts at least `minMs` so the screen text can be read.
 */
export function speechSpeaker(opts: SpeechSpeakerOptions): Speaker & { canSpeak(): boolean } {
  const minMs = opts.minMs ?? 3_000;
  const maxMs = opts.maxMs ?? 20_000;
  const wait = opts.wait ?? sleep;
  const voice = () => (opts.synth ? pickChineseVoice(opts.synth.getVoices()) : undefined);
  const canSpeak = () => opts.synth !== undefined && opts.enabled() && voice() !== undefined;
  return {
    canSpeak,
    async speak(a) {
      const v = voice();
      if (!opts.synth || !opts.enabled() || v === undefined) {
        await wait(minMs);
        return;
      }
      const synth = opts.synth;
      const spoken = new Promise<void>((resolve) => {
        const u = opts.makeUtterance(a.speech);
        u.lang = 'zh-CN';
        u.rate = 0.9;
        u.voice = v;
        u.onend = () => resolve();
        u.onerror = () => resolve();
        synth.speak(u);
      });
      await Promise.all([Promise.race([spoken, wait(maxMs)]), wait(minMs)]);
    },
  };
}
