import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SHIPPED_CATALOG_DIR } from '../../../shared/catalog/test-support.js';
import type { HallInput, PullPage } from '../../../shared/hall/api.js';
import { startHallServer, type HallServer } from '../../../upstream/server.js';
import { HallHttp } from '../hall-client/http.js';
import { openDatabase, type Db } from '../store/database.js';
import { tempDir } from '../test-helpers.js';
import { Puller } from './puller.js';
import { referenceData } from './replica.js';

let hall: HallServer | undefined;
let db: Db | undefined;
afterEach(async () => {
  db?.close();
  await hall?.close();
  hall = db = undefined;
});

describe('reference data pulled by a workstation', () => {
  it('takes the catalog once, nothing on the next pull, and the new version after the hall restarts with a changed catalog', async () => {
    const catalogDir = path.join(tempDir('catalog'), 'catalog');
    cpSync(SHIPPED_CATALOG_DIR, catalogDir, { recursive: true });
    const hallDir = tempDir('hall');
    const start = () => startHallServer({ dataDir: hallDir, port: 0, catalogDir, log: () => {} });
    hall = await start();
    const dev = await new HallHttp(hall.url).call('enroll', { code: hall.createEnrolmentCode('qihe-county'), deviceName: '测试' });
    db = openDatabase(path.join(tempDir('ws'), 'workstation.db'));
    const pages: Array<{ input: HallInput<'pull'>; page: PullPage }> = [];
    const puller = new Puller(db, {
      source: () => ({
        clientId: dev.clientId,
        pull: async (input) => {
          const page = await new HallHttp(hall!.url).call('pull', input, { deviceToken: dev.deviceToken });
          pages.push({ input, page });
          return page;
        },
      }),
    });

    await puller.request();
    expect(pages).toHaveLength(1);
    expect(pages[0]!.input).toEqual({ cursor: 0, caseCursor: 0, limit: 500 });
    expect(pages[0]!.page.catalog).not.toBeNull();
    const first = referenceData(db);
    const v1 = first.versions.catalog;
    expect(v1).toBe(pages[0]!.page.catalogVersion);
    expect(first.catalog?.matters.get('37142500-XZSP-001')).toBeDefined();
    expect(first.calendar?.holidays.size).toBeGreaterThan(0);
    expect(first.office?.offices.map((o) => o.id)).toEqual(['qihe-county', 'qihe-edz']);

    // Next pull: the window names its three versions and gets none of the parts again.
    await puller.request();
    expect(pages[1]!.input).toMatchObject({ referenceVersion: first.versions.office, catalogVersion: v1, calendarVersion: first.versions.calendars });
    expect(pages[1]!.page).toMatchObject({ reference: null, catalog: null, calendars: null, catalogVersion: v1 });

    // The hall is restarted with a matter renamed: the window gets that catalog, and only it.
    await hall.close();
    const file = path.join(catalogDir, 'matters', 'market.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as { matters: Array<{ code: string; name: string }> };
    const renamed = json.matters[0]!;
    renamed.name = `${renamed.name}（新版）`;
    writeFileSync(file, JSON.stringify(json, null, 2));
    hall = await start();
    await puller.request();
    expect(pages[2]!.input.catalogVersion).toBe(v1);
    expect(pages[2]!.page.catalog).not.toBeNull();
    expect(pages[2]!.page).toMatchObject({ reference: null, calendars: null });
    const after = referenceData(db);
    expect(after.versions.catalog).not.toBe(v1);
    expect(after.versions.calendars).toBe(first.versions.calendars);
    expect(after.catalog?.matters.get(renamed.code)?.name).toBe(renamed.name);
    await puller.request();
    expect(pages[3]!.page.catalog).toBeNull();
  });
});
