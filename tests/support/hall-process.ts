import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * Starts the real hall server as a separate process (`node --import tsx upstream/main.ts`), the way
 * a hall runs it, so tests can kill it with SIGKILL and restart it on the same data.
 */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface HallProcess {
  url: string;
  port: number;
  pid: number;
  /** Sends a signal; resolves once the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM and wait; SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** stderr (and stdout after the listening line) so far, for failure messages. */
  output(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartHallOptions {
  dataDir: string;
  configFile?: string;
  port?: number;
  host?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Extra flags for node itself, e.g. `--cpu-prof`. */
  nodeArgs?: readonly string[];
}

const LISTENING = /^HALL_LISTENING (\S+)\s*$/m;

export async function startHallProcess(o: StartHallOptions): Promise<HallProcess> {
  const args = [...(o.nodeArgs ?? []), '--import', 'tsx', 'upstream/main.ts', '--port', String(o.port ?? 0), '--data', o.dataDir];
  if (o.configFile) args.push('--config', o.configFile);
  if (o.host) args.push('--host', o.host);
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stdout = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    if (out.length > 200_000) out = out.slice(-100_000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hall process did not print HALL_LISTENING within ${o.timeoutMs ?? 20_000} ms\n${stdout}\n${out}`));
    }, o.timeoutMs ?? 20_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const m = LISTENING.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
      if (stdout.length > 200_000) stdout = stdout.slice(-100_000);
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`hall process exited (code ${code}, signal ${signal}) before listening\n${stdout}\n${out}`));
    });
  });
  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return {
    url: url.replace(/\/$/, ''),
    port: Number(new URL(url).port),
    pid: child.pid!,
    kill,
    async stop(graceMs = 5_000) {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await kill('SIGTERM');
      clearTimeout(timer);
    },
    output: () => `${stdout}${out}`,
    exited,
  };
}

/** A free TCP port on loopback, to restart a hall process on the same address. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
