import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { RetryLoop } from './retry-loop.js';

const log = createLogger('retry-loop-test');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('retry loop', () => {
  it('an idle loop runs by itself when its sweep finds work nobody kicked it for; never while a run is under way, never once closed', async () => {
    let work = 0;
    let runs = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const loop = new RetryLoop(
      'test',
      async () => {
        runs++;
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await sleep(30);
        work = 0;
        concurrent--;
      },
      () => undefined,
      log,
      { everyMs: 10, hasWork: () => work > 0 },
    );
    await sleep(50);
    expect(runs).toBe(0); // nothing to do: the sweep does not run it
    work = 3; // e.g. entries put back in the outbox without a kick
    await sleep(100);
    expect(runs).toBe(1);
    expect(maxConcurrent).toBe(1);
    loop.close();
    work = 1;
    await sleep(50);
    expect(runs).toBe(1);
  });
});
