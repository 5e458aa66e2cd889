import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/errors.js';
import type { DocumentNumberBlock, ReserveDocumentNumbersInput } from '../../../shared/hall/document-number-api.js';
import { DOCUMENT_NUMBER_MAX_BLOCK, DOCUMENT_NUMBER_MAX_SERIES } from '../../../shared/hall/document-number-api.js';
import { isTransient } from '../hall-client/http.js';
import { createLogger } from '../log.js';
import { getMeta, setMeta, type Db } from '../store/database.js';
import { documentNumberFor } from './document-number.js';
import { DIVISION } from './issuing-office.js';
import {
  addBlocks,
  held,
  heldSeriesOfYear,
  legacyLast,
  nextSerials,
  PENDING_KEY,
  remainingOf,
  seriesOf,
  takeSerial,
  type SeriesKey,
} from './number-block-store.js';
import type { Numbering } from './template-schema.js';

export { seriesOf, type SeriesKey } from './number-block-store.js';

/**
 * Document number series (文号) of an office, one per year and per kind of number: an official
 * series per 机关代字 + word (齐审批备〔2026〕1号, 齐审批许〔2026〕1号 …), a licence series per pattern
 * (JY1371425…). A number is printed into a signed PDF, so it is final when the PDF is made — also
 * offline. The hall hands each workstation blocks of serials per (office, year, series)
 * (reserveDocumentNumbers, shared/hall/document-number-api.ts) and never the same serial twice, so
 * all the windows of an office number without ever colliding; licence patterns are counted once for
 * the whole hall (the county and its branch print the same division 371425).
 *
 * The workstation keeps its blocks in its local database (number-block-store.ts) and takes a serial
 * inside the transaction that writes the document's case action: a number is used exactly when its
 * document is recorded, and none is lost when an issue is refused. When an issue needs more than
 * the blocks hold, `ensure` reserves from the hall at once (short timeout); offline with nothing
 * left, the issue is refused with OUT_OF_NUMBERS and nothing is written. After an issue and when
 * the hall connection opens, `refill` tops every series of the year up in the background once
 * fewer than LOW_WATER serials are left.
 *
 * Numbers may have gaps: a block not used up by the end of the year (or by a workstation that is
 * retired) is never handed out again.
 */

export const OUT_OF_NUMBERS = '本窗口预留的文号已用完，且无法连接大厅服务器领取新号段，请恢复网络后再制证。';
export const BLOCK_SIZE = 20;
export const LOW_WATER = 5;
const RESERVE_TIMEOUT_MS = 3000;

const log = createLogger('document-numbers');

/** The hall's reserveDocumentNumbers route, as this workstation reaches it (number-block-source.ts). */
export interface NumberBlockSource {
  /** The hall is reachable now: background top-ups are tried only then. */
  online(): boolean;
  reserve(input: ReserveDocumentNumbersInput, timeoutMs: number): Promise<DocumentNumberBlock[]>;
}

export interface PlannedNumber {
  number: string;
  key: SeriesKey;
  serial: number;
}

interface Need {
  office: string;
  year: number;
  series: string;
  /** Serials the issue needs now (0 for a top-up). */
  count: number;
  /** Reserve when fewer than this are left. */
  below: number;
}

export class DocumentNumbers {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly d: {
      db: Db;
      source: NumberBlockSource | null;
      /** The current business year (Asia/Shanghai): the year `refill` tops up. */
      year: () => number;
      blockSize?: number;
      lowWater?: number;
    },
  ) {}

  /** Serials left in this workstation's blocks of a series. */
  remaining(k: SeriesKey): number {
    return remainingOf(held(this.d.db, k.office, k.year, seriesOf(k.numbering)));
  }

  /**
   * Makes sure the blocks hold a serial for every document of an issue: reserves from the hall at
   * once for the series that fall short. Refuses with OUT_OF_NUMBERS when the hall cannot be reached,
   * with the hall's own message when it refuses.
   */
  async ensure(office: string, year: number, numberings: readonly Numbering[]): Promise<void> {
    const short = this.shortOf(office, year, numberings);
    if (short.length === 0) return;
    if (!this.d.source) throw new AppError('offline', OUT_OF_NUMBERS, 'no hall to reserve document numbers from');
    try {
      await this.reserve(short);
    } catch (err) {
      if (err instanceof AppError && !isTransient(err)) throw err;
      throw new AppError('offline', OUT_OF_NUMBERS, `reserving document numbers failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (this.shortOf(office, year, numberings).length > 0) throw new AppError('offline', OUT_OF_NUMBERS, 'blocks still short after reserving');
  }

  /** Numbers for documents issued together, from the blocks: in order within each series (nothing written). */
  plan(office: string, year: number, abbreviation: string, numberings: readonly Numbering[]): PlannedNumber[] {
    const counts = new Map<string, number>();
    for (const n of numberings) counts.set(seriesOf(n), (counts.get(seriesOf(n)) ?? 0) + 1);
    const serials = new Map<string, number[]>();
    for (const [series, count] of counts) {
      const next = nextSerials(held(this.d.db, office, year, series), count);
      if (next.length < count) throw new AppError('offline', OUT_OF_NUMBERS, `blocks of ${office}/${year}/${series} hold ${next.length} of ${count}`);
      serials.set(series, next);
    }
    return numberings.map((numbering) => {
      const serial = serials.get(seriesOf(numbering))!.shift()!;
      return { number: documentNumberFor(numbering, { abbreviation, year, serial, division: DIVISION }), key: { office, year, numbering }, serial };
    });
  }

  /** Takes every planned serial out of the blocks, in order (inside the writing transaction). */
  take(planned: readonly PlannedNumber[]): void {
    for (const p of planned) takeSerial(this.d.db, p.key, p.serial);
  }

  /**
   * Background top-up: every series of the current year this workstation holds with fewer than
   * LOW_WATER serials left, plus `also` (series just used). Only while the hall is reachable; never throws.
   */
  async refill(also: { office: string; numberings: readonly Numbering[] } | undefined = undefined): Promise<void> {
    if (!this.d.source?.online()) return;
    try {
      const year = this.d.year();
      const low = this.d.lowWater ?? LOW_WATER;
      const needs: Need[] = heldSeriesOfYear(this.d.db, year).map((h) => ({ office: h.office, year, series: h.series, count: 0, below: low }));
      if (also) for (const n of also.numberings) needs.push({ office: also.office, year, series: seriesOf(n), count: 0, below: low });
      const short = dedupe(needs).filter((n) => this.left(n) < n.below);
      if (short.length > 0 || getMeta(this.d.db, PENDING_KEY) !== null) await this.reserve(short);
    } catch (err) {
      log.debug('topping up document number blocks did not complete', err);
    }
  }

  /** The series of an issue whose blocks hold fewer serials than it has documents. */
  private shortOf(office: string, year: number, numberings: readonly Numbering[]): Need[] {
    const needs = dedupe(numberings.map((n) => ({ office, year, series: seriesOf(n), count: 1, below: 1 })));
    return needs.filter((n) => this.left(n) < n.below);
  }

  private left(n: Need): number {
    return remainingOf(held(this.d.db, n.office, n.year, n.series));
  }

  /**
   * One reservation at a time: first the request sent earlier and never answered (same request id:
   * the hall answers it with the blocks it gave then, never new ones), then one for what is still short.
   */
  private reserve(needs: readonly Need[]): Promise<void> {
    const run = async () => {
      const source = this.d.source;
      if (!source) return;
      const pending = getMeta(this.d.db, PENDING_KEY);
      if (pending !== null) await this.send(source, JSON.parse(pending) as ReserveDocumentNumbersInput);
      const size = this.d.blockSize ?? BLOCK_SIZE;
      const series = needs
        .filter((n) => this.left(n) < n.below) // the pending answer may have covered it
        .slice(0, DOCUMENT_NUMBER_MAX_SERIES)
        .map((n) => {
          const usedUpTo = legacyLast(this.d.db, n.office, n.year, n.series);
          return { office: n.office, year: n.year, series: n.series, count: Math.min(DOCUMENT_NUMBER_MAX_BLOCK, Math.max(size, n.count)), ...(usedUpTo > 0 ? { usedUpTo } : {}) };
        });
      if (series.length === 0) return;
      const input: ReserveDocumentNumbersInput = { requestId: randomUUID().replace(/-/g, ''), series };
      setMeta(this.d.db, PENDING_KEY, JSON.stringify(input));
      await this.send(source, input);
    };
    const p = this.chain.then(run, run);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private async send(source: NumberBlockSource, input: ReserveDocumentNumbersInput): Promise<void> {
    let blocks: DocumentNumberBlock[];
    try {
      blocks = await source.reserve(input, RESERVE_TIMEOUT_MS);
    } catch (err) {
      // The hall refused it (not a lost answer): it will never hand these blocks out; forget it.
      if (err instanceof AppError && !isTransient(err)) this.d.db.prepare('DELETE FROM meta WHERE key = ?').run(PENDING_KEY);
      throw err;
    }
    this.d.db.transaction(() => {
      addBlocks(this.d.db, blocks);
      this.d.db.prepare('DELETE FROM meta WHERE key = ?').run(PENDING_KEY);
    })();
    log.info(`reserved document numbers: ${blocks.map((b) => `${b.office}/${b.year}/${b.series} ${b.first}-${b.last}`).join(', ')}`);
  }
}

function dedupe(needs: readonly Need[]): Need[] {
  const by = new Map<string, Need>();
  for (const n of needs) {
    const k = `${n.office}\u0000${n.year}\u0000${n.series}`;
    const had = by.get(k);
    const count = (had?.count ?? 0) + n.count;
    by.set(k, { ...n, count, below: Math.max(had?.below ?? 0, n.below, count) });
  }
  return [...by.values()];
}
