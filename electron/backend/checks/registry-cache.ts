import { z } from 'zod';
import { applicantKeys, checkCreditCode, RegistryAnswer } from '../../../shared/checks/index.js';
import { createLogger } from '../log.js';
import { getMeta, setMeta, type Db } from '../store/database.js';

/**
 * Registry answers at the window (enterprise by credit code, certificates already issued), asked of
 * the hall and cached in the window's database (one JSON meta row), so the checks have them offline.
 *
 * An answer is fresh when the hall gave it less than `freshMs` ago and the hall is reachable now;
 * otherwise it is served from the cache marked `stale: true` — the checks then only warn on it
 * (shared/checks eval-cases: a stale answer cannot block). The checks read the cache synchronously
 * (`answers`); writes and 受理 refresh it first (`refresh`, bounded by a timeout).
 */
const log = createLogger('registry');
const META_KEY = 'checks.registry_cache';
/** Most answers kept (the most recently fetched win). */
export const REGISTRY_CACHE_MAX = 500;
export const REGISTRY_FRESH_MS = 10 * 60_000;

export interface RegistryKeys {
  /** Credit codes to look up as enterprises. */
  enterprises: string[];
  /** ID numbers and credit codes to look up as certificate holders. */
  holders: string[];
}

/** The hall, as the cache asks it (electron/backend/checks/hall-registry-source.ts). */
export interface RegistrySource {
  /** Whether the hall is reachable now. */
  online(): boolean;
  lookup(keys: RegistryKeys, timeoutMs: number): Promise<RegistryAnswer[]>;
}

/** What a case's form asks of the registry: its enterprise's credit code, and the applicant's identity numbers as holders. */
export function registryKeysOf(form: Readonly<Record<string, string>>): RegistryKeys {
  const uscc = checkCreditCode(form['enterprise.uscc'] ?? '');
  const holders = applicantKeys(form)
    .filter((k) => !k.startsWith('name:'))
    .map((k) => k.slice(k.indexOf(':') + 1));
  return { enterprises: uscc.valid ? [uscc.normalized] : [], holders };
}

const Stored = z.object({ v: z.literal(1), entries: z.array(z.object({ answer: RegistryAnswer, fetchedAtMs: z.number() })) });
type Entry = z.infer<typeof Stored>['entries'][number];

const entryKey = (registry: RegistryAnswer['registry'], key: string) => `${registry}:${key}`;

export class WindowRegistry {
  private entries: Map<string, Entry> | null = null;
  private readonly inflight = new Map<string, Promise<void>>();
  /** When each key was last asked of the hall with an answer or without (a code a partial registry does not know). */
  private readonly askedAt = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly source: RegistrySource | null,
    private readonly freshMs = REGISTRY_FRESH_MS,
  ) {}

  private load(): Map<string, Entry> {
    if (this.entries) return this.entries;
    this.entries = new Map();
    const raw = getMeta(this.db, META_KEY);
    if (raw !== null) {
      try {
        const parsed = Stored.parse(JSON.parse(raw));
        for (const e of parsed.entries) this.entries.set(entryKey(e.answer.registry, e.answer.key), e);
      } catch (err) {
        log.warn('registry cache unreadable; starting empty', err);
      }
    }
    return this.entries;
  }

  private wanted(keys: RegistryKeys): string[] {
    return [...keys.enterprises.map((k) => entryKey('enterprise', k)), ...keys.holders.map((k) => entryKey('certificates', k))];
  }

  private isFresh(e: Entry | undefined, online: boolean): e is Entry {
    return e !== undefined && online && this.now() - e.fetchedAtMs < this.freshMs;
  }

  /** Asked recently, answered or not (a key the hall does not answer is not asked again on every edit). */
  private recentlyAsked(k: string): boolean {
    const at = this.askedAt.get(k);
    return at !== undefined && this.now() - at < this.freshMs;
  }

  /** Whether every one of these keys was asked of the hall since the window started (answered or not). */
  asked(keys: RegistryKeys): boolean {
    return this.wanted(keys).every((k) => this.askedAt.has(k));
  }

  /** The cached answers for these keys, each marked stale unless fresh (see the top of this file). Never waits. */
  answers(keys: RegistryKeys): RegistryAnswer[] {
    const entries = this.load();
    const online = this.source?.online() ?? false;
    const out: RegistryAnswer[] = [];
    for (const k of this.wanted(keys)) {
      const e = entries.get(k);
      if (e) out.push({ ...e.answer, stale: !this.isFresh(e, online) });
    }
    return out;
  }

  /** Whether a look-up could make these answers fresher now (something missing or old, and the hall reachable). */
  needsRefresh(keys: RegistryKeys): boolean {
    if (!this.source?.online()) return false;
    const entries = this.load();
    return this.wanted(keys).some((k) => !this.isFresh(entries.get(k), true) && !this.recentlyAsked(k));
  }

  /**
   * Asks the hall for the answers that are missing or old, waiting at most `timeoutMs`; a failure is
   * logged and leaves the cache as it was (its answers then show as stale).
   */
  async refresh(keys: RegistryKeys, timeoutMs = 1500): Promise<void> {
    if (!this.source?.online()) return;
    const entries = this.load();
    const stale = (k: string) => !this.isFresh(entries.get(k), true) && !this.recentlyAsked(k);
    const enterprises = keys.enterprises.filter((k) => stale(entryKey('enterprise', k)));
    const holders = keys.holders.filter((k) => stale(entryKey('certificates', k)));
    if (enterprises.length === 0 && holders.length === 0) return;
    const id = JSON.stringify([enterprises, holders]);
    let p = this.inflight.get(id);
    if (!p) {
      p = this.fetch({ enterprises, holders }, timeoutMs).finally(() => this.inflight.delete(id));
      this.inflight.set(id, p);
    }
    await p;
  }

  private async fetch(keys: RegistryKeys, timeoutMs: number): Promise<void> {
    let answers: RegistryAnswer[];
    try {
      answers = await this.source!.lookup(keys, timeoutMs);
    } catch (err) {
      log.debug('registry look-up failed; cached answers stay (stale)', err);
      return;
    }
    const entries = this.load();
    const at = this.now();
    for (const k of this.wanted(keys)) this.askedAt.set(k, at);
    for (const a of answers) {
      const k = entryKey(a.registry, a.key);
      entries.delete(k); // re-inserted last: the map's order is the order of fetching
      entries.set(k, { answer: { ...a, stale: false }, fetchedAtMs: at });
    }
    while (entries.size > REGISTRY_CACHE_MAX) entries.delete(entries.keys().next().value!);
    setMeta(this.db, META_KEY, JSON.stringify({ v: 1, entries: [...entries.values()] }));
  }
}
