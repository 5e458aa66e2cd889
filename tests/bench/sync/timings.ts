/**
 * Where a sync run spends its time, measured from outside the code under test: named counters of
 * calls and wall milliseconds, filled by wrapping methods of the real objects (the outbox, the case
 * store's settlement hook, the attachment store, the hall client). Nested calls count in both.
 */
export type TimingTable = Record<string, { n: number; ms: number; items?: number }>;

export class Timings {
  readonly table: TimingTable = {};

  add(name: string, ms: number, items?: number): void {
    const e = (this.table[name] ??= { n: 0, ms: 0 });
    e.n++;
    e.ms += ms;
    if (items !== undefined) e.items = (e.items ?? 0) + items;
  }

  /**
   * Replaces `obj[method]` by a timed wrapper (sync or async). `name` may depend on the arguments;
   * `items` counts what a call handled (e.g. the mutations of a push).
   */
  wrap<T extends object, K extends keyof T & string>(
    obj: T,
    method: K,
    name: string | ((args: unknown[]) => string) = method,
    items?: (args: unknown[], result: unknown) => number | undefined,
  ): void {
    const original = obj[method] as unknown as (...a: unknown[]) => unknown;
    const self = this;
    const timed = function (this: unknown, ...args: unknown[]): unknown {
      const t0 = performance.now();
      const label = typeof name === 'string' ? name : name(args);
      const out = original.apply(this, args);
      if (out instanceof Promise) {
        return out.then((v: unknown) => {
          self.add(label, performance.now() - t0, items?.(args, v));
          return v;
        });
      }
      self.add(label, performance.now() - t0, items?.(args, out));
      return out;
    };
    (obj as Record<string, unknown>)[method] = timed;
  }

  static merge(tables: readonly TimingTable[]): TimingTable {
    const out: TimingTable = {};
    for (const t of tables) {
      for (const [k, v] of Object.entries(t)) {
        const e = (out[k] ??= { n: 0, ms: 0 });
        e.n += v.n;
        e.ms += v.ms;
        if (v.items !== undefined) e.items = (e.items ?? 0) + v.items;
      }
    }
    return out;
  }

  /** One line per counter: calls, total and mean wall time, items per call. */
  static format(t: TimingTable, indent = '    '): string {
    return Object.entries(t)
      .sort(([, a], [, b]) => b.ms - a.ms)
      .map(
        ([k, v]) =>
          `${indent}${k.padEnd(28)} ${String(v.n).padStart(6)} calls ${(v.ms / 1000).toFixed(2).padStart(7)} s  ${(v.ms / v.n).toFixed(2).padStart(7)} ms/call` +
          (v.items !== undefined ? `  ${(v.items / v.n).toFixed(0).padStart(5)} items/call` : ''),
      )
      .join('\n');
  }
}
