import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HallConnection } from '../hall-client/connection.js';
import { openDatabase } from '../store/database.js';
import { closedAfterEach, enrolDevice, tempDir, waitFor } from '../test-helpers.js';
import { hallRegistrySource } from './hall-registry-source.js';
import { REGISTRY_CACHE_MAX, WindowRegistry, registryKeysOf } from './registry-cache.js';

const { cleanups, hallAt } = closedAfterEach();
const LUQI = '91371425MA3C8K7P1B';

describe('registry answers cached at the window, through the hall', () => {
  it('are fresh while the hall answers, stale (and still there) while it is down, fresh again when it is back', async () => {
    const hallDir = tempDir('hall');
    let hall = await hallAt(hallDir);
    const port = Number(new URL(hall.url).port);
    const { deviceToken } = await enrolDevice(hall);
    const connection = new HallConnection(hall.url, deviceToken, Date.now, { onOpen: () => {}, onQueueChanged: () => {}, onCasesChanged: () => {}, onStatus: () => {} });
    cleanups.push(() => connection.close());
    await waitFor('online', () => connection.online());
    const db = openDatabase(path.join(tempDir('ws'), 'workstation.db'));
    cleanups.push(() => void db.close());
    const registry = new WindowRegistry(db, Date.now, hallRegistrySource({ connection: () => connection, deviceToken: () => deviceToken }));
    const keys = registryKeysOf({ 'enterprise.uscc': LUQI, 'applicant.idNumber': '371425199003070018' });
    expect(keys).toEqual({ enterprises: [LUQI], holders: [LUQI, '371425199003070018'] });

    expect(registry.answers(keys)).toEqual([]);
    expect(registry.needsRefresh(keys)).toBe(true);
    await registry.refresh(keys);
    const fresh = registry.answers(keys);
    expect(fresh.map((a) => [a.registry, a.key, a.stale])).toEqual([
      ['enterprise', LUQI, false],
      ['certificates', LUQI, false],
      ['certificates', '371425199003070018', false],
    ]);
    expect(fresh[0]).toMatchObject({ record: { name: '齐河县鲁齐商贸有限公司', legalRep: '张伟' } });
    expect(registry.needsRefresh(keys)).toBe(false);

    await hall.close();
    await waitFor('offline', () => !connection.online(), 10_000);
    expect(registry.needsRefresh(keys)).toBe(false); // nobody to ask
    await registry.refresh(keys); // does nothing, throws nothing
    expect(registry.answers(keys).map((a) => a.stale)).toEqual([true, true, true]);
    expect(registry.answers(keys)[0]).toMatchObject({ record: { name: '齐河县鲁齐商贸有限公司' } });

    hall = await hallAt(hallDir, port);
    await waitFor('online again', () => connection.online(), 15_000);
    expect(registry.answers(keys).map((a) => a.stale)).toEqual([false, false, false]);
  }, 40_000);

  it('keeps at most the most recent answers, and survives an unreadable cache row', async () => {
    const db = openDatabase(path.join(tempDir('ws'), 'workstation.db'));
    cleanups.push(() => void db.close());
    let n = 0;
    const source = {
      online: () => true,
      lookup: async (k: { holders: string[] }) =>
        k.holders.map((key) => ({ registry: 'certificates' as const, key, stale: false, fetchedAt: `t${++n}`, certificates: [] })),
    };
    const registry = new WindowRegistry(db, Date.now, source);
    const holder = (i: number) => `3714251990030${String(i).padStart(5, '0')}`;
    for (let i = 0; i < REGISTRY_CACHE_MAX + 5; i++) await registry.refresh({ enterprises: [], holders: [holder(i)] });
    const again = new WindowRegistry(db, Date.now, null);
    expect(again.answers({ enterprises: [], holders: [holder(0)] })).toEqual([]);
    expect(again.answers({ enterprises: [], holders: [holder(REGISTRY_CACHE_MAX + 4)] })).toHaveLength(1);
    db.prepare("UPDATE meta SET value = '{not json' WHERE key = 'checks.registry_cache'").run();
    expect(new WindowRegistry(db, Date.now, null).answers({ enterprises: [], holders: [holder(REGISTRY_CACHE_MAX + 4)] })).toEqual([]);
  });
});
