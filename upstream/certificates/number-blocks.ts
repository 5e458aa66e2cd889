import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { AppError } from '../../shared/errors.js';
import {
  counterOf,
  DOCUMENT_SERIAL_MAX,
  type DocumentNumberBlock,
  type ReserveDocumentNumbersInput,
  type ReserveDocumentNumbersOutput,
} from '../../shared/hall/document-number-api.js';
import { businessDate } from '../../shared/queue/numbering.js';
import type { DeviceRow } from '../store/hall-store.js';

/**
 * The hall's document number blocks (reserveDocumentNumbers, shared/hall/document-number-api.ts)
 * over the tables of DOCUMENT_NUMBER_MIGRATION. A reservation takes `count` serials from the
 * series' counter and records them as the device's block, in one transaction of the hall's group
 * commit (the reply waits for it to be durable). Requests run one at a time on the hall's single
 * connection, so two windows reserving at once get disjoint blocks. A retried request (same device,
 * same request id) gets the blocks it got the first time; the same id with other content is refused.
 *
 * Numbers may have gaps: a block a window does not use up (year end, a retired workstation) is
 * never handed out again.
 */

type Input = Omit<ReserveDocumentNumbersInput, 'series'> & {
  series: Array<{ office?: string; year: number; series: string; count: number; usedUpTo?: number }>;
};

export type DocumentNumberBlocks = ReturnType<typeof createDocumentNumberBlocks>;

interface BlockRow {
  office: string;
  year: number;
  series: string;
  first: number;
  last: number;
  request_hash: string;
}

export function createDocumentNumberBlocks(deps: {
  db: Database.Database;
  /** The hall store's group-commit transaction (`store.transaction`). */
  transaction: <T>(fn: () => T) => T;
  now: () => number;
  timeZone: string;
}) {
  const { db } = deps;
  const q = {
    counter: db.prepare<[string, number, string], { last: number }>('SELECT last FROM document_number_counter WHERE scope = ? AND year = ? AND series = ?'),
    setCounter: db.prepare(
      `INSERT INTO document_number_counter (scope, year, series, last) VALUES (?, ?, ?, ?)
       ON CONFLICT(scope, year, series) DO UPDATE SET last = excluded.last`,
    ),
    insertBlock: db.prepare(
      'INSERT INTO document_number_block (office, year, series, first, last, device_id, request_id, item, request_hash, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    blocksOf: db.prepare<[string, string], BlockRow>(
      'SELECT office, year, series, first, last, request_hash FROM document_number_block WHERE device_id = ? AND request_id = ? ORDER BY item',
    ),
  };

  function reserve(device: DeviceRow, input: Input): ReserveDocumentNumbersOutput {
    const hash = createHash('sha256').update(JSON.stringify(input.series)).digest('hex');
    const hallYear = Number(businessDate(deps.now(), deps.timeZone).slice(0, 4));
    for (const s of input.series) {
      if (s.office !== undefined && s.office !== device.office) {
        throw new AppError('forbidden', '只能为本工作站所属办理机构领取文号。', `device ${device.id} of ${device.office} asked for ${s.office}`);
      }
      if (Math.abs(s.year - hallYear) > 1) {
        throw new AppError('bad_request', `文号年份 ${s.year} 与大厅服务器当前年份 ${hallYear} 不符，请检查本机时间。`, `year ${s.year} vs hall ${hallYear}`);
      }
    }
    const blocks = deps.transaction((): DocumentNumberBlock[] => {
      const earlier = q.blocksOf.all(device.id, input.requestId);
      if (earlier.length > 0) {
        if (earlier[0]!.request_hash !== hash) {
          throw new AppError('conflict', '领取文号的请求编号重复，请重试。', `request ${input.requestId} of device ${device.id} was for other series`);
        }
        return earlier.map((r) => ({ office: r.office, year: r.year, series: r.series, first: r.first, last: r.last }));
      }
      const at = deps.now();
      return input.series.map((s, item) => {
        const office = device.office;
        const c = counterOf(office, s.year, s.series);
        const last = Math.max(q.counter.get(c.scope, c.year, c.series)?.last ?? 0, s.usedUpTo ?? 0);
        const first = last + 1;
        const end = last + s.count;
        if (end > DOCUMENT_SERIAL_MAX) {
          throw new AppError('conflict', `文号序号已用尽（${s.series.slice(2)}），请联系管理员。`, `series ${c.scope}/${c.year}/${c.series} exhausted at ${last}`);
        }
        q.setCounter.run(c.scope, c.year, c.series, end);
        q.insertBlock.run(office, s.year, s.series, first, end, device.id, input.requestId, item, hash, at);
        return { office, year: s.year, series: s.series, first, last: end };
      });
    });
    return { blocks, serverNow: deps.now() };
  }

  return {
    reserve,
    /** Every block of an office's series, in order (for tests and the supervisor). */
    blocks(office: string, year: number, series: string): Array<DocumentNumberBlock & { deviceId: string }> {
      return (
        db
          .prepare('SELECT office, year, series, first, last, device_id FROM document_number_block WHERE office = ? AND year = ? AND series = ? ORDER BY first')
          .all(office, year, series) as Array<DocumentNumberBlock & { device_id: string }>
      ).map(({ device_id, ...b }) => ({ ...b, deviceId: device_id }));
    },
  };
}
