import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * Starts OneWindow's processes the way they run for real (`node --import tsx <entry>`), so tests can
 * kill them with SIGKILL and restart them on the same data: the hall server and the browser preview
 * of a workstation. `node --import tsx` rather than the tsx CLI, whose signal relay SIGKILLs a child
 * that is slow to acknowledge.
 */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface NodeProcess {
  url: string;
  port: number;
  pid: number;
  /** Sends a signal; resolves once the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM and wait; SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** stdout and stderr so far, for failure messages. */
  output(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}
export type HallProcess = NodeProcess;

interface ProcessOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Extra flags for node itself, e.g. `--cpu-prof`. */
  nodeArgs?: readonly string[];
}

export interface StartHallOptions extends ProcessOptions {
  dataDir: string;
  configFile?: string;
  port?: number;
  host?: string;
}

/** Starts `entry` and waits for its `<marker> <url>` line on stdout. */
export async function startNodeProcess(entry: string, args: readonly string[], marker: string, o: ProcessOptions = {}): Promise<NodeProcess> {
  const child: ChildProcess = spawn(process.execPath, [...(o.nodeArgs ?? []), '--import', 'tsx', entry, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const listening = new RegExp(`^${marker} (\\S+)\\s*$`, 'm');
  const timeoutMs = o.timeoutMs ?? 20_000;
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
      reject(new Error(`${entry} did not print ${marker} within ${timeoutMs} ms\n${stdout}\n${out}`));
    }, timeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const m = listening.exec(stdout);
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
      reject(new Error(`${entry} exited (code ${code}, signal ${signal}) before ${marker}\n${stdout}\n${out}`));
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

/** The hall server (`upstream/main.ts`), as a hall runs it. */
export function startHallProcess(o: StartHallOptions): Promise<HallProcess> {
  const args = ['--port', String(o.port ?? 0), '--data', o.dataDir];
  if (o.configFile) args.push('--config', o.configFile);
  if (o.host) args.push('--host', o.host);
  return startNodeProcess('upstream/main.ts', args, 'HALL_LISTENING', o);
}

/** A workstation's browser preview (real backend + bridge) against a hall server. */
export function startPreviewProcess(o: { dataDir: string; hallUrl: string } & ProcessOptions): Promise<NodeProcess> {
  return startNodeProcess('electron/backend/bridge/main.ts', ['--data', o.dataDir, '--hall', o.hallUrl, '--port', '0'], 'PREVIEW_LISTENING', o);
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
