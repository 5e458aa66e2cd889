import type { DrillDim, DrillFigure } from './api.js';
import type { DayTickets } from './day.js';
import { NONE, OUTCOME, type DayColumns } from './facts.js';
import type { KpiLabels } from './kpi-history.js';
import { bucketStart, type Bucket } from './period.js';
import type { DrillResult, DrillTicket } from './views.js';

/**
 * The tickets behind a figure: the same rows and the same tests on them as `summarise` counts, so a
 * drill-down's total is the figure itself. Most recent day first (for waits: longest wait first).
 */
export interface DrillInput {
  days: readonly DayColumns[];
  figure: DrillFigure;
  dim: DrillDim;
  key: string | undefined;
  bucket: Bucket;
  limit: number;
  today: string;
  labels: KpiLabels;
  /** Ticket ids and numbers of a day's rows (read only for days with a match). */
  ticketsOf(day: DayColumns): DayTickets | undefined;
}

const OUTCOME_NAME = ['open', 'done', 'no_show', 'cancelled'] as const;

export function drillTickets(input: DrillInput): DrillResult {
  const { figure, dim, key, labels, today } = input;
  const hits: Array<{ d: DayColumns; i: number }> = [];
  for (const d of input.days) {
    const target = labels.targetMs(d.office);
    const past = d.day < today;
    if (dim === 'office' && d.office !== key) continue;
    if (dim === 'bucket' && bucketStart(d.day, input.bucket) !== key) continue;
    for (let i = 0; i < d.n; i++) {
      if (!inGroup(d, i, dim, key)) continue;
      if (matches(figure, d, i, target, past)) hits.push({ d, i });
    }
  }
  const byWait = figure === 'over_target' || figure === 'within_target' || figure === 'called';
  hits.sort((a, b) => (byWait ? b.d.waitMs[b.i]! - a.d.waitMs[a.i]! : 0) || (a.d.day < b.d.day ? 1 : a.d.day > b.d.day ? -1 : a.i - b.i));
  const shown = hits.slice(0, input.limit);
  const ids = new Map<DayColumns, DayTickets | undefined>();
  const tickets: DrillTicket[] = shown.map(({ d, i }) => {
    if (!ids.has(d)) ids.set(d, input.ticketsOf(d));
    const t = ids.get(d);
    const no = d.windowNo[i]!;
    const s = d.staff[i]!;
    return {
      ticketId: t?.ticketIds[i] ?? '',
      number: t?.numbers[i] ?? '',
      day: d.day,
      office: d.office,
      board: String.fromCharCode(d.board[i]!),
      window: no > 0 ? labels.windowName(d.office, no) : '',
      staff: s > 0 ? labels.staffName(d.staffIds[s - 1]!) : '',
      outcome: OUTCOME_NAME[d.outcome[i]!] ?? 'open',
      waitMs: d.waitMs[i]! === NONE ? null : d.waitMs[i]!,
      serviceMs: d.serviceMs[i]! === NONE ? null : d.serviceMs[i]!,
      rating: d.rating[i]! > 0 ? d.rating[i]! : null,
    };
  });
  return { total: hits.length, tickets, truncated: hits.length > shown.length };
}

function inGroup(d: DayColumns, i: number, dim: DrillDim, key: string | undefined): boolean {
  switch (dim) {
    case 'board':
      return String.fromCharCode(d.board[i]!) === key;
    case 'window':
      return d.windowNo[i]! > 0 && `${d.office}/${d.windowNo[i]}` === key;
    case 'staff':
      return d.staff[i]! > 0 && d.staffIds[d.staff[i]! - 1] === key;
    default:
      return true;
  }
}

function matches(figure: DrillFigure, d: DayColumns, i: number, target: number, past: boolean): boolean {
  const o = d.outcome[i]!;
  const w = d.waitMs[i]!;
  const r = d.rating[i]!;
  switch (figure) {
    case 'issued':
      return true;
    case 'called':
      return w !== NONE;
    case 'within_target':
      return w !== NONE && w <= target;
    case 'over_target':
      return w !== NONE && w > target;
    case 'done':
      return o === OUTCOME.done;
    case 'no_show':
      return o === OUTCOME.noShow;
    case 'left':
      return o === OUTCOME.cancelled || (o === OUTCOME.open && past);
    case 'open':
      return o === OUTCOME.open && !past;
    case 'rated':
      return r > 0;
    case 'satisfied':
      return r >= 3;
    case 'low':
      return r > 0 && r <= 2;
  }
}
