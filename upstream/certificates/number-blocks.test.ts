import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOCUMENT_NUMBER_MAX_BLOCK, ReserveDocumentNumbersOutput } from '../../shared/hall/document-number-api.js';
import { authHeaders, requestId, startTestHall, testClock, type TestHall } from '../testing.js';

/**
 * reserveDocumentNumbers on the hall: only an enrolled device, only for its own office; blocks of
 * one counter never overlap, whichever device asks and however many ask at once; a retried request
 * gets its first blocks again and burns none; bad bodies are refused and change nothing; licence
 * patterns are counted once for the county and its branch.
 */

const PATH = '/api/document-numbers/reserve';
const OFFICIAL = 'w:备';
const LICENCE = 'p:JY1{division}{serial:7}';
type Block = { office: string; year: number; series: string; first: number; last: number };

let t: TestHall;
beforeEach(async () => {
  t = await startTestHall({ clock: testClock(Date.parse('2026-05-11T08:30:00+08:00')) });
});
afterEach(async () => {
  await t.stop();
});

async function reserve(token: string, series: unknown[], id = requestId()) {
  return t.request('POST', PATH, { requestId: id, series }, authHeaders({ device: token }));
}

async function blocks(token: string, series: unknown[], id?: string): Promise<Block[]> {
  const r = await reserve(token, series, id);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return ReserveDocumentNumbersOutput.parse(r.body).blocks;
}

/** Every block the hall's database holds, read straight from the table. */
function stored(): Block[] {
  const db = new Database(path.join(t.dataDir, 'hall.db'), { readonly: true });
  try {
    return db.prepare('SELECT office, year, series, first, last FROM document_number_block ORDER BY office, series, first').all() as Block[];
  } finally {
    db.close();
  }
}

function overlapping(list: readonly Block[]): boolean {
  const sorted = [...list].sort((a, b) => a.first - b.first);
  return sorted.some((b, i) => i > 0 && b.first <= sorted[i - 1]!.last);
}

describe('reserveDocumentNumbers (device)', () => {
  it('hands an enrolled device a block of its own office, the next one after it, and refuses without a device token', async () => {
    const { deviceToken } = await t.enroll('qihe-county');
    const [a] = await blocks(deviceToken, [{ year: 2026, series: OFFICIAL, count: 20 }]);
    expect(a).toEqual({ office: 'qihe-county', year: 2026, series: OFFICIAL, first: 1, last: 20 });
    const [b] = await blocks(deviceToken, [{ office: 'qihe-county', year: 2026, series: OFFICIAL, count: 5 }]);
    expect(b).toMatchObject({ first: 21, last: 25 });

    const anonymous = await t.request('POST', PATH, { requestId: requestId(), series: [{ year: 2026, series: OFFICIAL, count: 5 }] });
    expect(anonymous.status).toBe(401);
    const forged = await reserve('not-a-real-token-000000', [{ year: 2026, series: OFFICIAL, count: 5 }]);
    expect(forged.status).toBe(401);
    expect(stored()).toHaveLength(2);
  });

  it('refuses another office’s series, naming the reason in Chinese, and hands nothing out', async () => {
    const { deviceToken } = await t.enroll('qihe-county');
    const r = await reserve(deviceToken, [
      { year: 2026, series: OFFICIAL, count: 5 },
      { office: 'qihe-edz', year: 2026, series: OFFICIAL, count: 5 },
    ]);
    expect(r.status).toBe(403);
    expect(r.body.error.message).toBe('只能为本工作站所属办理机构领取文号。');
    expect(stored()).toEqual([]);
  });

  it('a retried request gets the same blocks and burns none; the same id for other series is refused', async () => {
    const { deviceToken } = await t.enroll('qihe-county');
    const id = requestId();
    const ask = [
      { year: 2026, series: OFFICIAL, count: 20 },
      { year: 2026, series: LICENCE, count: 10 },
    ];
    const first = await blocks(deviceToken, ask, id);
    await t.restart(); // the answer was lost; the hall restarted meanwhile
    const again = await blocks(deviceToken, ask, id);
    expect(again).toEqual(first);
    const [next] = await blocks(deviceToken, [{ year: 2026, series: OFFICIAL, count: 1 }]);
    expect(next!.first).toBe(first[0]!.last + 1);
    const clash = await reserve(deviceToken, [{ year: 2026, series: OFFICIAL, count: 3 }], id);
    expect(clash.status).toBe(409);
    expect(stored()).toHaveLength(3);
  });

  it('two devices reserving at once never get overlapping blocks, and together use the counter without a hole', async () => {
    const one = await t.enroll('qihe-county');
    const two = await t.enroll('qihe-county');
    const asks = Array.from({ length: 40 }, (_, i) => blocks(i % 2 === 0 ? one.deviceToken : two.deviceToken, [{ year: 2026, series: OFFICIAL, count: 1 + (i % 7) }]));
    const got = (await Promise.all(asks)).flat();
    expect(got).toHaveLength(40);
    expect(overlapping(got)).toBe(false);
    const total = got.reduce((n, b) => n + (b.last - b.first + 1), 0);
    expect(Math.max(...got.map((b) => b.last))).toBe(total);
    expect(Math.min(...got.map((b) => b.first))).toBe(1);
  });

  it('counts official series per office, a licence pattern once for the county and its branch, a pattern without {year} on across years', async () => {
    const county = await t.enroll('qihe-county');
    const branch = await t.enroll('qihe-edz');
    const [c1, c2] = await blocks(county.deviceToken, [
      { year: 2026, series: OFFICIAL, count: 20 },
      { year: 2026, series: LICENCE, count: 20 },
    ]);
    const [b1, b2] = await blocks(branch.deviceToken, [
      { year: 2026, series: OFFICIAL, count: 20 },
      { year: 2026, series: LICENCE, count: 20 },
    ]);
    expect([c1!.first, b1!.first]).toEqual([1, 1]); // 齐审批备 and 齐开审批备 are different numbers
    expect(b1!.office).toBe('qihe-edz');
    expect(overlapping([c2!, b2!])).toBe(false); // JY1371425… is one series for both
    // Next year: official series start again; JY1{division}{serial:7} has no year, so it runs on.
    const [n1, n2] = await blocks(county.deviceToken, [
      { year: 2027, series: OFFICIAL, count: 5 },
      { year: 2027, series: LICENCE, count: 5 },
    ]);
    expect(n1!.first).toBe(1);
    expect(n2!.first).toBe(Math.max(c2!.last, b2!.last) + 1);
    // A pattern with {year} starts again each year.
    const yearly = 'p:地字第{division}{year}{serial:5}号';
    const [y6] = await blocks(branch.deviceToken, [{ year: 2026, series: yearly, count: 3 }]);
    const [y7] = await blocks(county.deviceToken, [{ year: 2027, series: yearly, count: 3 }]);
    expect([y6!.first, y7!.first]).toEqual([1, 1]);
  });

  it('starts after the serials a workstation numbered by itself before blocks (usedUpTo)', async () => {
    const { deviceToken } = await t.enroll('qihe-county');
    const [a] = await blocks(deviceToken, [{ year: 2026, series: OFFICIAL, count: 20, usedUpTo: 37 }]);
    expect(a).toMatchObject({ first: 38, last: 57 });
    const [b] = await blocks(deviceToken, [{ year: 2026, series: OFFICIAL, count: 20, usedUpTo: 3 }]);
    expect(b).toMatchObject({ first: 58, last: 77 });
  });

  it('refuses bad bodies and changes nothing', async () => {
    const { deviceToken } = await t.enroll('qihe-county');
    const bad: unknown[] = [
      [{ year: 2026, series: OFFICIAL, count: 0 }],
      [{ year: 2026, series: OFFICIAL, count: DOCUMENT_NUMBER_MAX_BLOCK + 1 }],
      [{ year: 2026, series: OFFICIAL, count: 2.5 }],
      [{ year: 2026, series: 'x:备', count: 5 }],
      [{ year: 2026, series: 'p:JY1{division}', count: 5 }], // a pattern without a serial
      [{ year: 1999, series: OFFICIAL, count: 5 }],
      [{ year: 2026, series: OFFICIAL, count: 5, extra: true }],
      [{ year: 2026, series: OFFICIAL, count: 5, office: 'QIHE COUNTY' }],
      [],
      Array.from({ length: 21 }, () => ({ year: 2026, series: OFFICIAL, count: 1 })),
    ];
    for (const series of bad) {
      const r = await reserve(deviceToken, series as unknown[]);
      expect(r.status, JSON.stringify(series)).toBe(400);
      expect(r.body.error.message).toBe('请求内容不符合要求，请检查后重试。');
    }
    const noId = await t.request('POST', PATH, { series: [{ year: 2026, series: OFFICIAL, count: 5 }] }, authHeaders({ device: deviceToken }));
    expect(noId.status).toBe(400);
    // A year the hall's clock does not agree with (a workstation clock years off).
    const far = await reserve(deviceToken, [{ year: 2030, series: OFFICIAL, count: 5 }]);
    expect(far.status).toBe(400);
    expect(far.body.error.message).toContain('与大厅服务器当前年份 2026 不符');
    expect(stored()).toEqual([]);
  });
});
