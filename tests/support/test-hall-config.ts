import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { hashPin } from '../../upstream/auth/pin.js';
import { HallConfig, windowId } from '../../shared/office/config.js';

/**
 * A generated hall configuration for load tests: one office with `windows` windows, each serving every
 * board (so all windows compete for the same lines), and one clerk per window (`c001`, `c002`, ...,
 * all with PIN `TEST_PIN`). No call gap, no anti-starvation: the tests drive the queue flat out.
 */
export const TEST_OFFICE = 'test-hall';
export const TEST_PIN = '123456';

export interface TestHallOptions {
  windows: number;
  boards?: readonly string[];
  /** Weight of each board at every window, by position (default all 1). */
  weights?: readonly number[];
  minCallGapMs?: number;
  recallLimit?: number;
}

export interface TestHall {
  config: HallConfig;
  office: string;
  staff: Array<{ staffId: string; windowId: string; pin: string }>;
  boards: readonly string[];
}

let pinHash: Promise<string> | undefined;

export async function makeTestHallConfig(o: TestHallOptions): Promise<TestHall> {
  // One slow KDF run for all clerks: they share the PIN, so they may share its hash.
  pinHash ??= hashPin(TEST_PIN);
  const hash = await pinHash;
  const boards = o.boards ?? ['A', 'B', 'C'];
  const staff = Array.from({ length: o.windows }, (_, i) => ({
    staffId: `c${String(i + 1).padStart(3, '0')}`,
    windowId: windowId(TEST_OFFICE, i + 1),
    pin: TEST_PIN,
  }));
  const config = HallConfig.parse({
    hallName: '测试政务服务中心',
    offices: [
      {
        id: TEST_OFFICE,
        name: '测试政务服务中心',
        shortName: '测试大厅',
        kind: 'county',
        prefix: '',
        boards: boards.map((code) => ({ code, name: `测试板块${code}`, defaultServiceMinutes: 5, recallLimit: o.recallLimit ?? 2 })),
        windows: staff.map((_, i) => ({
          no: i + 1,
          boards: boards.map((board, j) => ({ board, weight: o.weights?.[j] ?? 1 })),
        })),
        policy: { targetWaitMinutes: 10, minCallGapMs: o.minCallGapMs ?? 0, maxWaitMinutes: 0 },
      },
    ],
    staff: staff.map((s, i) => ({ id: s.staffId, name: `测试员${i + 1}`, office: TEST_OFFICE, roles: ['clerk'], pinHash: hash })),
  });
  return { config, office: TEST_OFFICE, staff, boards };
}

/** Writes the configuration as JSON for `--config FILE`; returns the file's path. */
export function writeHallConfig(dir: string, config: HallConfig): string {
  const file = path.join(dir, 'hall-config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}
