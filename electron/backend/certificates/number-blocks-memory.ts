import Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import { ReserveDocumentNumbersInput } from '../../../shared/hall/document-number-api.js';
import { createDocumentNumberBlocks } from '../../../upstream/certificates/number-blocks.js';
import { runMigrations } from '../../../upstream/store/migrations.js';
import type { NumberBlockSource } from './document-serials.js';

/**
 * Test support: the hall's own block allocator (upstream/certificates/number-blocks.ts) on an
 * in-memory hall database, for window tests without an HTTP hall. `hall.source(office)` is one
 * enrolled device of that office; `hall.offline = true` makes every source fail as unreachable.
 */
export function memoryNumberHall(now: () => number = Date.now) {
  const db = new Database(':memory:');
  runMigrations(db, now());
  const blocks = createDocumentNumberBlocks({ db, transaction: (fn) => db.transaction(fn)(), now, timeZone: 'Asia/Shanghai' });
  let devices = 0;
  const hall = {
    offline: false,
    calls: 0,
    blocks,
    source(office: string): NumberBlockSource {
      const device = { id: `dev-${++devices}`, office, name: 'test', clientId: `c-${devices}`, enrolledAt: now(), revoked: false };
      return {
        online: () => !hall.offline,
        reserve: async (input) => {
          hall.calls++;
          if (hall.offline) throw new AppError('offline', '无法连接大厅服务器。', 'memory hall offline');
          return blocks.reserve(device, ReserveDocumentNumbersInput.parse(input)).blocks;
        },
      };
    },
    close: () => db.close(),
  };
  return hall;
}
