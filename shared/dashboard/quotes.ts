import { z } from 'zod';
import { NONE } from './facts.js';

/**
 * Quoted against actual wait (预计与实际等待). The kiosk tells each applicant an estimated wait in
 * whole minutes, recorded on the ticket's `issued` event (`quotedWaitMinutes`). For every called
 * ticket that has one: error = actual wait (taking → first call) − quoted wait.
 *
 *  - mean absolute error (平均偏差) = mean |error|; bias (平均偏快/偏慢) = mean error (positive: waited
 *    longer than told);
 *  - within ±5 min: |error| ≤ 5 min;
 *  - kept (兑现): within ±5 min or shorter than quoted, i.e. error ≤ 5 min.
 *
 * Tickets never called have no actual wait and are left out (they count as left without service);
 * so are tickets issued while no window served their board (no quote was given) — `called − quoted`.
 */
export const QUOTE_MARGIN_MS = 5 * 60_000;

/** Per board of a day, QUOTE_WIDTH numbers: the board's char code, then the tallies below. */
export const QUOTE = { board: 0, called: 1, quoted: 2, absSum: 3, signedSum: 4, within: 5, kept: 6 } as const;
export const QUOTE_WIDTH = 7;

/** A day's per-board tallies, boards in char-code order, from its rows (waits and quotes in ms, NONE = none). */
export function quoteTallies(n: number, board: Uint8Array, waitMs: Int32Array, quotedMs: Int32Array | undefined): Float64Array {
  const rows = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const wait = waitMs[i]!;
    if (wait === NONE) continue;
    let r = rows.get(board[i]!);
    if (!r) rows.set(board[i]!, (r = [board[i]!, 0, 0, 0, 0, 0, 0]));
    r[QUOTE.called]! += 1;
    const quoted = quotedMs ? quotedMs[i]! : NONE;
    if (quoted === NONE) continue;
    const error = wait - quoted;
    r[QUOTE.quoted]! += 1;
    r[QUOTE.absSum]! += Math.abs(error);
    r[QUOTE.signedSum]! += error;
    if (Math.abs(error) <= QUOTE_MARGIN_MS) r[QUOTE.within]! += 1;
    if (error <= QUOTE_MARGIN_MS) r[QUOTE.kept]! += 1;
  }
  return Float64Array.from([...rows.keys()].sort((a, b) => a - b).flatMap((k) => rows.get(k)!));
}

const Count = z.number().int().nonnegative();
const Share = z.number().min(0).max(1).nullable();

export const QuoteRow = z.object({
  key: z.string(),
  label: z.string(),
  /** Called tickets (those with an actual wait). */
  called: Count,
  /** Of those, the ones that were quoted a wait at the kiosk. */
  quoted: Count,
  maeMs: z.number().nonnegative().nullable(),
  biasMs: z.number().nullable(),
  within: Count,
  withinShare: Share,
  kept: Count,
  keptShare: Share,
});
export type QuoteRow = z.infer<typeof QuoteRow>;

export const QuoteSection = z.object({ totals: QuoteRow, series: z.array(QuoteRow), byBoard: z.array(QuoteRow) });
export type QuoteSection = z.infer<typeof QuoteSection>;

/** Running sums of one group (the whole range, a period, a board). */
export class QuoteTally {
  called = 0;
  quoted = 0;
  abs = 0;
  signed = 0;
  within = 0;
  kept = 0;
  constructor(
    readonly key: string,
    readonly label: string,
  ) {}

  add(q: Float64Array, o: number): void {
    this.called += q[o + QUOTE.called]!;
    this.quoted += q[o + QUOTE.quoted]!;
    this.abs += q[o + QUOTE.absSum]!;
    this.signed += q[o + QUOTE.signedSum]!;
    this.within += q[o + QUOTE.within]!;
    this.kept += q[o + QUOTE.kept]!;
  }

  row(): QuoteRow {
    const per = (x: number) => (this.quoted > 0 ? x / this.quoted : null);
    return {
      key: this.key,
      label: this.label,
      called: this.called,
      quoted: this.quoted,
      maeMs: per(this.abs),
      biasMs: per(this.signed),
      within: this.within,
      withinShare: per(this.within),
      kept: this.kept,
      keptShare: per(this.kept),
    };
  }
}
