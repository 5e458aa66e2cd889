/**
 * How dashboard figures read, in the CSV export and on screen alike: minutes with one decimal,
 * shares as percentages with one decimal, a dash for "no value" (no ticket to measure), never 0.
 */
export const NO_VALUE = '—';

export function minutes1(ms: number | null): string {
  return ms === null ? NO_VALUE : (Math.round(ms / 6_000) / 10).toFixed(1);
}

export function percent1(share: number | null): string {
  return share === null ? NO_VALUE : `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
}

export function decimal1(v: number | null): string {
  return v === null ? NO_VALUE : (Math.round(v * 10) / 10).toFixed(1);
}

export function hours1(ms: number | null): string {
  return ms === null ? NO_VALUE : (Math.round(ms / 360_000) / 10).toFixed(1);
}
