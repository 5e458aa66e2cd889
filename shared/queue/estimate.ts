/**
 * Wait estimate per board: people ahead ÷ effective windows serving the board × an EWMA of recent
 * service times, in whole minutes (rounded up). A window serving k boards counts 1/k for each.
 */
export const EWMA_ALPHA = 0.25;

export interface WindowPresence {
  /** Open, signed in and not paused. */
  serving: boolean;
  boards: readonly string[];
}

export function effectiveWindows(board: string, windows: Iterable<WindowPresence>): number {
  let c = 0;
  for (const w of windows) {
    if (!w.serving || w.boards.length === 0 || !w.boards.includes(board)) continue;
    c += 1 / w.boards.length;
  }
  return c;
}

/** Next value of the moving average of service time after one more finished service. */
export function updateServiceAverage(previousMs: number, sampleMs: number, alpha = EWMA_ALPHA): number {
  return previousMs + alpha * (sampleMs - previousMs);
}

/** Estimated wait in whole minutes, or `null` when no window is serving the board now. */
export function estimateWaitMinutes(ahead: number, effective: number, averageServiceMs: number): number | null {
  if (effective <= 0) return null;
  if (ahead <= 0) return 0;
  return Math.ceil(((ahead / effective) * averageServiceMs) / 60_000 - 1e-9);
}

/** The estimate as the hall says it; for a whole board pass how many wait (nobody waiting → 无需等候,
 * unless no window serves it now). */
export function describeEstimate(minutes: number | null, waiting?: number): string {
  if (minutes === null) return '暂无窗口办理';
  if (waiting === 0) return '无需等候';
  if (minutes === 0) return '即将叫号';
  return `约 ${minutes} 分钟`;
}
