import type { DocumentNumberBlock } from '../../../shared/hall/document-number-api.js';
import { getMeta, setMeta, type Db } from '../store/database.js';
import type { Numbering } from './template-schema.js';

/**
 * The blocks of document serials this workstation holds (reserved from the hall), in the local
 * database's meta: per office, year and series, the serials not used yet as ordered ranges. A
 * serial leaves its range in the transaction that records its document (`takeSerial`), so a serial
 * is used once and, when an issue is refused, none is lost. A range not used up by the end of the
 * year stays unused for good: document numbers may have gaps, never duplicates.
 */

export interface SeriesKey {
  office: string;
  year: number;
  numbering: Numbering;
}

/** The hall's name of a numbering's series: `w:<word>` (official) or `p:<pattern>` (licence). */
export function seriesOf(numbering: Numbering): string {
  return numbering.style === 'official' ? `w:${numbering.word ?? ''}` : `p:${numbering.pattern}`;
}

export interface HeldSeries {
  office: string;
  year: number;
  series: string;
  /** Serials not used yet: [first, last] ranges in ascending order. */
  ranges: Array<[number, number]>;
}

const PREFIX = 'certificates.blocks.';
const keyOf = (office: string, year: number, series: string) => `${PREFIX}${office}.${year}.${series}`;
/** Before blocks, each workstation counted by itself: the last serial it numbered (sent once as usedUpTo). */
const legacyKey = (office: string, year: number, series: string) => `certificates.serial.${office}.${year}.${series}`;
/** A reservation sent and not answered yet: sent again, with its request id, before any other. */
export const PENDING_KEY = 'certificates.blocks.pending';

export function held(db: Db, office: string, year: number, series: string): HeldSeries {
  const raw = getMeta(db, keyOf(office, year, series));
  return raw === null ? { office, year, series, ranges: [] } : (JSON.parse(raw) as HeldSeries);
}

/** Serials left in the blocks of a series. */
export function remainingOf(h: HeldSeries): number {
  return h.ranges.reduce((n, [a, b]) => n + (b - a + 1), 0);
}

/** The serials `count` documents of the series would take, in order (nothing written); fewer if the blocks run out. */
export function nextSerials(h: HeldSeries, count: number): number[] {
  const out: number[] = [];
  for (const [a, b] of h.ranges) {
    for (let s = a; s <= b && out.length < count; s++) out.push(s);
    if (out.length >= count) break;
  }
  return out;
}

/**
 * Records that `serial` of the series was used. Call inside the transaction that writes the
 * document; refuses (throws) if another issue took the series on meanwhile.
 */
export function takeSerial(db: Db, k: SeriesKey, serial: number): void {
  const series = seriesOf(k.numbering);
  const h = held(db, k.office, k.year, series);
  const head = h.ranges[0];
  if (!head || head[0] !== serial) throw new Error(`document serial ${serial} of ${keyOf(k.office, k.year, series)} taken meanwhile (next is ${head?.[0] ?? 'none'})`);
  if (head[0] === head[1]) h.ranges.shift();
  else head[0] += 1;
  setMeta(db, keyOf(k.office, k.year, series), JSON.stringify(h));
}

/** Adds blocks the hall handed out (call inside a transaction). A block already held is not added twice. */
export function addBlocks(db: Db, blocks: readonly DocumentNumberBlock[]): void {
  for (const b of blocks) {
    const h = held(db, b.office, b.year, b.series);
    if (h.ranges.some(([a, z]) => a <= b.last && b.first <= z)) continue;
    h.ranges.push([b.first, b.last]);
    h.ranges.sort((x, y) => x[0] - y[0]);
    setMeta(db, keyOf(b.office, b.year, b.series), JSON.stringify(h));
  }
}

/** Every series of a year this workstation holds blocks of (to top up). */
export function heldSeriesOfYear(db: Db, year: number): HeldSeries[] {
  const rows = db.prepare('SELECT value FROM meta WHERE key LIKE ? AND key <> ?').all(`${PREFIX}%`, PENDING_KEY) as Array<{ value: string }>;
  return rows.map((r) => JSON.parse(r.value) as HeldSeries).filter((h) => h.year === year);
}

/** The last serial this workstation numbered by itself before the hall handed out blocks (0: none). */
export function legacyLast(db: Db, office: string, year: number, series: string): number {
  return Number(getMeta(db, legacyKey(office, year, series)) ?? '0');
}
