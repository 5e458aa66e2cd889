import { createLogger } from './log.js';

const log = createLogger('embedded-hall');
const PREFERRED_PORT = 7300;

export interface EmbeddedHall {
  url: string;
  close(): Promise<void>;
  createEnrolmentCode(office: string, ttlMs?: number): string;
}

export interface EmbeddedHallOptions {
  /** Hall configuration file (default: resources/offices/qihe.json of the repository). */
  configFile?: string;
  /** Where the kiosk / display / evaluator pages are (default: dist/web). */
  webDir?: string;
}

/**
 * A hall server inside the workstation's process, on loopback, for a machine that is a complete hall
 * by itself (`npm start` with no hall configured). Port 7300 if free, any port otherwise.
 */
export async function startEmbeddedHall(dataDir: string, opts: EmbeddedHallOptions = {}): Promise<EmbeddedHall> {
  const { startHallServer } = await import('../../upstream/server.js');
  const { loadHallConfig } = await import('../../upstream/config.js');
  const base = {
    host: '127.0.0.1',
    dataDir,
    ...(opts.configFile ? { config: loadHallConfig(opts.configFile) } : {}),
    ...(opts.webDir ? { webDir: opts.webDir } : {}),
  };
  let server;
  try {
    server = await startHallServer({ ...base, port: PREFERRED_PORT });
  } catch (err) {
    log.info(`port ${PREFERRED_PORT} is taken, using any free port`, err);
    server = await startHallServer({ ...base, port: 0 });
  }
  log.info(`embedded hall server at ${server.url} (data ${dataDir})`);
  return server;
}
