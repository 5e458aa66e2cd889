import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type { HallServer } from '../../../upstream/server.js';
import { HallHttp } from '../hall-client/http.js';
import { getMeta, openDatabase, setMeta, type Db } from '../store/database.js';
import { closedAfterEach, tempDir } from '../test-helpers.js';
import { BLOCK_SIZE, DocumentNumbers, LOW_WATER, OUT_OF_NUMBERS, type NumberBlockSource } from './document-serials.js';
import { PENDING_KEY } from './number-block-store.js';
import { hallNumberBlockSource } from './number-block-source.js';
import { memoryNumberHall } from './number-blocks-memory.js';
import type { Numbering } from './template-schema.js';

/**
 * Document numbers from blocks the hall reserves: workstations of one office (and the county and
 * its branch for licences) never number two documents alike; a workstation numbers offline from
 * the blocks it holds and is refused, with nothing taken, when none are left; a reservation whose
 * answer was lost is asked again with its request id and burns no block.
 */

const { hallAt } = closedAfterEach();
const dbs: Db[] = [];
afterEach(() => {
  while (dbs.length) dbs.pop()!.close();
});

const OFFICIAL: Numbering = { style: 'official', word: '备' };
const LICENCE: Numbering = { style: 'pattern', pattern: 'JY1{division}{serial:7}' };
const YEAR = new Date().getFullYear();

/** Each DocumentNumbers' own database, for `issue` to write in. */
const dbOf = new WeakMap<DocumentNumbers, Db>();

function localDb(): Db {
  const db = openDatabase(path.join(tempDir('numbers'), 'workstation.db'));
  dbs.push(db);
  return db;
}

function numbersAt(db: Db, source: NumberBlockSource, opts: { blockSize?: number; lowWater?: number } = {}): DocumentNumbers {
  const n = new DocumentNumbers({ db, source, year: () => YEAR, ...opts });
  dbOf.set(n, db);
  return n;
}

/** One workstation of `office` enrolled with the hall: its own database, the hall's route over HTTP. */
async function workstation(hall: HallServer, office: string, opts: { blockSize?: number; lowWater?: number } = {}) {
  const http = new HallHttp(hall.url);
  const { deviceToken } = await http.call('enroll', { code: hall.createEnrolmentCode(office), deviceName: `${office} 工作站` });
  const source = hallNumberBlockSource({ connection: () => ({ http, online: () => true }), deviceToken: () => deviceToken });
  return numbersAt(localDb(), source, opts);
}

/** An issue at a workstation as CaseDocuments makes it: ensure, plan, then take in the writing transaction. */
async function issue(n: DocumentNumbers, office: string, abbreviation: string, numberings: Numbering[]): Promise<string[]> {
  await n.ensure(office, YEAR, numberings);
  const planned = n.plan(office, YEAR, abbreviation, numberings);
  dbOf.get(n)!.transaction(() => n.take(planned))();
  return planned.map((p) => p.number);
}

describe('document numbers reserved from the hall', () => {
  it('two workstations of one office issuing interleaved (with background top-ups) never give two documents one number', async () => {
    const hall = await hallAt(tempDir('hall'));
    const one = await workstation(hall, 'qihe-county', { blockSize: 5, lowWater: 2 });
    const two = await workstation(hall, 'qihe-county', { blockSize: 5, lowWater: 2 });
    const numbers: string[] = [];
    for (let i = 0; i < 30; i++) {
      const ws = i % 3 === 0 ? two : one;
      const docs = i % 4 === 0 ? [OFFICIAL, OFFICIAL, LICENCE] : [OFFICIAL];
      numbers.push(...(await issue(ws, 'qihe-county', '齐审批', docs)));
      if (i % 5 === 0) void ws.refill({ office: 'qihe-county', numberings: docs });
    }
    await Promise.all([one.refill(), two.refill()]);
    expect(numbers.length).toBeGreaterThan(30);
    expect(new Set(numbers).size).toBe(numbers.length);
    // Both drew from the one series of the office: serials from both sides of several blocks.
    const serials = numbers.filter((n) => n.startsWith('齐审批备')).map((n) => Number(/〕(\d+)号/.exec(n)![1]));
    expect(Math.max(...serials)).toBeGreaterThan(serials.length / 2);
  });

  it('the county and the branch never print the same licence number; their official series are their own', async () => {
    const hall = await hallAt(tempDir('hall'));
    const county = await workstation(hall, 'qihe-county');
    const branch = await workstation(hall, 'qihe-edz');
    const licences: string[] = [];
    for (let i = 0; i < 2 * BLOCK_SIZE + 3; i++) {
      licences.push(...(await issue(i % 2 === 0 ? county : branch, i % 2 === 0 ? 'qihe-county' : 'qihe-edz', i % 2 === 0 ? '齐审批' : '齐开审批', [LICENCE])));
    }
    expect(licences.every((n) => /^JY1371425\d{7}$/.test(n))).toBe(true);
    expect(new Set(licences).size).toBe(licences.length);
    expect(await issue(county, 'qihe-county', '齐审批', [OFFICIAL])).toEqual([`齐审批备〔${YEAR}〕1号`]);
    expect(await issue(branch, 'qihe-edz', '齐开审批', [OFFICIAL])).toEqual([`齐开审批备〔${YEAR}〕1号`]);
  });

  it('numbers offline from the block it holds, then refuses in Chinese with nothing taken; reserves again once the hall is back', async () => {
    const hall = memoryNumberHall();
    const n = numbersAt(localDb(), hall.source('qihe-county'));
    const key = { office: 'qihe-county', year: YEAR, numbering: OFFICIAL };
    expect(await issue(n, 'qihe-county', '齐审批', [OFFICIAL])).toEqual([`齐审批备〔${YEAR}〕1号`]);
    hall.offline = true;
    for (let i = 2; i <= BLOCK_SIZE; i++) expect(await issue(n, 'qihe-county', '齐审批', [OFFICIAL])).toEqual([`齐审批备〔${YEAR}〕${i}号`]);
    await n.refill(); // offline: nothing, no error
    expect(n.remaining(key)).toBe(0);
    const refused = await issue(n, 'qihe-county', '齐审批', [OFFICIAL]).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).message).toBe(OUT_OF_NUMBERS);
    expect(OUT_OF_NUMBERS).toBe('本窗口预留的文号已用完，且无法连接大厅服务器领取新号段，请恢复网络后再制证。');
    expect(() => n.plan('qihe-county', YEAR, '齐审批', [OFFICIAL])).toThrow(OUT_OF_NUMBERS);
    hall.offline = false;
    expect(await issue(n, 'qihe-county', '齐审批', [OFFICIAL])).toEqual([`齐审批备〔${YEAR}〕${BLOCK_SIZE + 1}号`]);
    expect(n.remaining(key)).toBe(BLOCK_SIZE - 1);
  });

  it('an issue needing more than is left, offline, is refused whole and leaves the blocks as they were', async () => {
    const hall = memoryNumberHall();
    const db = localDb();
    const n = numbersAt(db, hall.source('qihe-county'), { blockSize: 2 });
    await issue(n, 'qihe-county', '齐审批', [OFFICIAL]);
    hall.offline = true;
    const before = getMeta(db, `certificates.blocks.qihe-county.${YEAR}.w:备`);
    await expect(issue(n, 'qihe-county', '齐审批', [OFFICIAL, OFFICIAL])).rejects.toThrow(OUT_OF_NUMBERS);
    expect(getMeta(db, `certificates.blocks.qihe-county.${YEAR}.w:备`)).toBe(before);
    expect(await issue(n, 'qihe-county', '齐审批', [OFFICIAL])).toEqual([`齐审批备〔${YEAR}〕2号`]);
  });

  it('tops a series up in the background once fewer than LOW_WATER are left, and only then', async () => {
    const hall = memoryNumberHall();
    const n = numbersAt(localDb(), hall.source('qihe-county'));
    const key = { office: 'qihe-county', year: YEAR, numbering: OFFICIAL };
    await issue(n, 'qihe-county', '齐审批', [OFFICIAL]);
    const calls = hall.calls;
    await n.refill();
    expect(hall.calls).toBe(calls); // plenty left: the hall is not asked
    while (n.remaining(key) >= LOW_WATER) await issue(n, 'qihe-county', '齐审批', [OFFICIAL]);
    const left = n.remaining(key);
    await n.refill();
    expect(n.remaining(key)).toBe(left + BLOCK_SIZE);
    // The next serials run on from the old block into the new one, in order.
    const next = await issue(n, 'qihe-county', '齐审批', Array.from({ length: left + 1 }, () => OFFICIAL));
    expect(next.at(-1)).toBe(`齐审批备〔${YEAR}〕${BLOCK_SIZE + 1}号`);
  });

  it('a reservation whose answer was lost is sent again with its request id: the same block, none burnt', async () => {
    const hall = memoryNumberHall();
    const real = hall.source('qihe-county');
    let loseAnswer = true;
    const sent: string[] = [];
    const flaky: NumberBlockSource = {
      online: () => true,
      async reserve(input, timeoutMs) {
        sent.push(input.requestId);
        const blocks = await real.reserve(input, timeoutMs);
        if (loseAnswer) throw new AppError('offline', '无法连接大厅服务器。', 'answer lost');
        return blocks;
      },
    };
    const db = localDb();
    const n = numbersAt(db, flaky);
    await expect(issue(n, 'qihe-county', '齐审批', [OFFICIAL])).rejects.toThrow(OUT_OF_NUMBERS);
    expect(getMeta(db, PENDING_KEY)).not.toBeNull();
    loseAnswer = false;
    expect(await issue(n, 'qihe-county', '齐审批', [OFFICIAL])).toEqual([`齐审批备〔${YEAR}〕1号`]);
    expect(sent).toEqual([sent[0], sent[0]]);
    expect(getMeta(db, PENDING_KEY)).toBeNull();
    expect(hall.blocks.blocks('qihe-county', YEAR, 'w:备')).toHaveLength(1);
  });

  it('starts after the serials the workstation numbered by itself before blocks existed', async () => {
    const hall = memoryNumberHall();
    const db = localDb();
    setMeta(db, `certificates.serial.qihe-county.${YEAR}.w:备`, '7'); // the old per-workstation counter
    const n = numbersAt(db, hall.source('qihe-county'));
    expect(await issue(n, 'qihe-county', '齐审批', [OFFICIAL])).toEqual([`齐审批备〔${YEAR}〕8号`]);
  });

  it('refuses with the hall’s own message when the hall refuses (not as offline)', async () => {
    const hall = await hallAt(tempDir('hall'));
    const n = await workstation(hall, 'qihe-county');
    const err = await n.ensure('qihe-county', YEAR + 5, [OFFICIAL]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toContain('与大厅服务器当前年份');
  });
});
