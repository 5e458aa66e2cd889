/**
 * A tiny logger for the workstation backend: one English line per event on stderr.
 * `ONEWINDOW_LOG=silent` silences it (tests), `ONEWINDOW_LOG=debug` adds debug lines.
 */
export interface Logger {
  debug(msg: string, detail?: unknown): void;
  info(msg: string, detail?: unknown): void;
  warn(msg: string, detail?: unknown): void;
  error(msg: string, detail?: unknown): void;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

function threshold(): number {
  const v = process.env.ONEWINDOW_LOG;
  if (v === 'silent') return 99;
  if (v === 'debug') return 0;
  if (v === 'warn') return 2;
  return 1;
}

function format(detail: unknown): string {
  if (detail === undefined) return '';
  if (detail instanceof Error) return ` ${detail.name}: ${detail.message}${'detail' in detail && detail.detail ? ` (${String(detail.detail)})` : ''}`;
  try {
    return ` ${JSON.stringify(detail)}`;
  } catch {
    return ` ${String(detail)}`;
  }
}

export function createLogger(scope: string): Logger {
  const write = (level: Level, msg: string, detail?: unknown) => {
    if (RANK[level] < threshold()) return;
    process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} [${scope}] ${msg}${format(detail)}\n`);
  };
  return {
    debug: (m, d) => write('debug', m, d),
    info: (m, d) => write('info', m, d),
    warn: (m, d) => write('warn', m, d),
    error: (m, d) => write('error', m, d),
  };
}
