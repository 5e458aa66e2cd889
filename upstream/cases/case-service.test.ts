import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseMutation } from '../../shared/hall/api.js';
import { loadHallConfig } from '../config.js';
import { openHallStore, type HallStore } from '../store/hall-store.js';
import { testClock } from '../testing.js';
import { CaseService } from './case-service.js';
import { newCaseId, newKey, openAction } from './test-support.js';

const opened: Array<{ dir: string; store: HallStore }> = [];
afterEach(() => {
  for (const o of opened.splice(0)) {
    o.store.close();
    rmSync(o.dir, { recursive: true, force: true });
  }
});

function service() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'onewindow-cases-'));
  const store = openHallStore(dir);
  opened.push({ dir, store });
  const clock = testClock();
  return { store, cases: new CaseService(store, loadHallConfig(), clock.now), clock };
}

const COUNTY_DEVICE = { id: 'd1', office: 'qihe-county', enrolledAt: Date.parse('2025-03-01T09:00:00+08:00') };
const BRANCH_DEVICE = { id: 'd2', office: 'qihe-edz', enrolledAt: Date.parse('2025-03-01T09:00:00+08:00') };

function opening(caseId = newCaseId(), windowId = 'qihe-county/1', staffId = '1001'): CaseMutation {
  return { mutationId: 1, kind: 'case_action', caseId, key: newKey(), windowId, staffId, at: 0, action: openAction() };
}

describe('case service', () => {
  it('numbers inside the caller’s transaction: if it rolls back, the counter, the opening and its number are all gone', async () => {
    const { store, cases } = service();
    const m = opening();
    expect(() =>
      store.transaction(() => {
        expect(cases.apply(COUNTY_DEVICE, 'client-1:1', m).caseNo).toBe('QIHE-2025-000001');
        throw new Error('killed before the progress was written');
      }),
    ).toThrow('killed');
    await store.whenCommitted();
    expect(store.cases.get(m.caseId)).toBeUndefined();
    expect(store.cases.events(m.caseId)).toEqual([]);
    expect(store.cases.lastSeq()).toBe(0);
    // the number was not used up: the next opening gets it
    const next = opening();
    expect(store.transaction(() => cases.apply(COUNTY_DEVICE, 'client-1:1', next)).caseNo).toBe('QIHE-2025-000001');
    await store.whenCommitted();
    expect(store.cases.events(next.caseId).map((e) => [e.eventId, e.action.type])).toEqual([
      ['client-1:1', 'opened'],
      ['s2', 'numbered'],
    ]);
  });

  it('tells a device a case number only for a case its office may see', () => {
    const { store, cases } = service();
    const county = opening();
    const branch = opening(newCaseId(), 'qihe-edz/1', '2001');
    store.transaction(() => {
      cases.apply(COUNTY_DEVICE, 'a:1', county);
      cases.apply(BRANCH_DEVICE, 'b:1', branch);
    });
    expect(cases.caseNoFor('qihe-county', county.caseId)).toBe('QIHE-2025-000001');
    expect(cases.caseNoFor('qihe-county', branch.caseId)).toBe('QIHE-K-2025-000001');
    expect(cases.caseNoFor('qihe-edz', branch.caseId)).toBe('QIHE-K-2025-000001');
    expect(cases.caseNoFor('qihe-edz', county.caseId)).toBeUndefined();
    expect(cases.caseNoFor('qihe-county', newCaseId())).toBeUndefined();
  });
});
