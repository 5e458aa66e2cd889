import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../../support/hall-process.js';
import type { Order, Report } from './window-process.js';

const ENTRY = fileURLToPath(new URL('./window-process.ts', import.meta.url));

/** The bench's handle on one window process (tests/bench/sync/window-process.ts): one order at a time. */
export class WindowClient {
  private readonly child: ChildProcess;
  private waiting: { resolve: (r: Report) => void; reject: (e: Error) => void } | null = null;
  private stderr = '';

  constructor(readonly name: string) {
    this.child = fork(ENTRY, [], { cwd: REPO_ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      this.stderr = (this.stderr + d).slice(-20_000);
    });
    this.child.on('message', (r: Report) => {
      const w = this.waiting;
      this.waiting = null;
      if (!w) return;
      if (r.type === 'error') w.reject(new Error(`${this.name}: ${r.message}`));
      else w.resolve(r);
    });
    this.child.on('exit', (code, signal) => {
      this.waiting?.reject(new Error(`${this.name} exited (code ${code}, signal ${signal})\n${this.stderr}`));
      this.waiting = null;
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Sends an order and waits for its report of the expected type. */
  ask<T extends Report['type']>(order: Exclude<Order, { type: 'close' }>, expect: T): Promise<Extract<Report, { type: T }>> {
    if (this.waiting) throw new Error(`${this.name}: an order is already under way`);
    return new Promise<Report>((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.child.send(order);
    }).then((r) => {
      if (r.type !== expect) throw new Error(`${this.name}: expected ${expect}, got ${r.type}`);
      return r as Extract<Report, { type: T }>;
    });
  }

  /** Closes the window's database and waits for the process to end. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'close' } satisfies Order);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** stderr so far (warnings of the window's agents). */
  output(): string {
    return this.stderr;
  }
}
