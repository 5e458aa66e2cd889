import { addDays, monthStart, weekStart } from '../../../shared/dashboard/period.js';

/** The history's date ranges, relative to the hall's business day. */
export type RangePreset = 'today' | 'last7' | 'week' | 'month' | 'last30' | 'year' | 'custom';
export const RANGE_PRESETS: Array<[Exclude<RangePreset, 'custom'>, string]> = [
  ['today', '今天'],
  ['week', '本周'],
  ['last7', '近7天'],
  ['month', '本月'],
  ['last30', '近30天'],
  ['year', '近一年'],
];

export function rangeOf(preset: RangePreset, today: string | null): { from: string; to: string } | null {
  if (!today) return null;
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'week':
      return { from: weekStart(today), to: today };
    case 'last7':
      return { from: addDays(today, -6), to: today };
    case 'month':
      return { from: monthStart(today), to: today };
    case 'year':
      return { from: addDays(today, -364), to: today };
    default:
      return { from: addDays(today, -29), to: today };
  }
}

/** Hands a file to the browser (preview) as a download; in the app the backend has saved it too. */
export function downloadBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadText(filename: string, content: string, mime: string): void {
  downloadBlob(filename, new Blob([content], { type: mime }));
}

export function downloadBase64(filename: string, base64: string, mime: string): void {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  downloadBlob(filename, new Blob([bytes], { type: mime }));
}
