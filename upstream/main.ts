import { parseArgs } from 'node:util';
import { loadHallConfig } from './config.js';
import { startHallServer } from './server.js';

/**
 * The hall server process: `npx tsx upstream/main.ts --port N --data DIR [--config FILE] [--host H]
 * [--catalog DIR] [--calendar DIR]`.
 * Prints exactly one line `HALL_LISTENING <url>` on stdout once listening; SIGTERM closes cleanly.
 */
export const HALL_USAGE = `usage: hall [--port 7300] [--host 127.0.0.1] [--data .data/hall] [--config resources/offices/qihe.json] [--catalog resources/catalog] [--calendar resources/calendar]`;

export interface HallArgs {
  port: number;
  host: string;
  data: string;
  config: string | undefined;
  catalog?: string | undefined;
  calendar?: string | undefined;
}

export function parseHallArgs(argv: string[], defaults: { port: number; data: string } = { port: 7300, data: '.data/hall' }): HallArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      config: { type: 'string' },
      catalog: { type: 'string' },
      calendar: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const port = values.port === undefined ? defaults.port : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer 0..65535, got "${values.port}"`);
  if (values.data !== undefined && values.data.trim() === '') throw new Error('--data must name a folder');
  return {
    port,
    host: values.host ?? '127.0.0.1',
    data: values.data ?? defaults.data,
    config: values.config,
    ...(values.catalog !== undefined ? { catalog: values.catalog } : {}),
    ...(values.calendar !== undefined ? { calendar: values.calendar } : {}),
  };
}

export async function runHall(args: HallArgs): Promise<void> {
  const config = loadHallConfig(args.config);
  const hall = await startHallServer({ host: args.host, port: args.port, dataDir: args.data, config, catalogDir: args.catalog, calendarDir: args.calendar });
  process.stdout.write(`HALL_LISTENING ${hall.url}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`hall: ${signal}, closing\n`);
    hall.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`hall: close failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

const isMain = (() => {
  const entry = process.argv[1];
  if (!entry) return false;
  return /[\\/]upstream[\\/]main\.(ts|js|mjs)$/.test(entry);
})();

if (isMain) {
  let args: HallArgs;
  try {
    args = parseHallArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n${HALL_USAGE}\n`);
    process.exit(2);
  }
  runHall(args).catch((err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
