import { AppError } from '../../../shared/errors.js';
import { businessDate } from '../../../shared/queue/numbering.js';
import type { HallHttp } from '../hall-client/http.js';
import type { Db } from '../store/database.js';
import { DocumentNumbers, type NumberBlockSource } from './document-serials.js';
import { getTemplate } from './templates.js';
import type { Numbering } from './template-schema.js';

const NOTICE_KINDS = ['acceptance_notice', 'one_time_notice', 'rejection_notice'] as const;

/**
 * The hall's reserveDocumentNumbers route (shared/hall/document-number-api.ts) as a
 * NumberBlockSource, over the window's current hall connection. Wired in electron/backend/index.ts.
 */
export function hallNumberBlockSource(deps: {
  connection: () => { http: HallHttp; online(): boolean } | null;
  deviceToken: () => string | null | undefined;
}): NumberBlockSource {
  return {
    online: () => (deps.connection()?.online() ?? false) && !!deps.deviceToken(),
    async reserve(input, timeoutMs) {
      const c = deps.connection();
      const token = deps.deviceToken();
      if (!c || !token) throw new AppError('offline', '未连接大厅服务器。', 'document number reservation without a hall connection');
      return (await c.http.call('reserveDocumentNumbers', input, { deviceToken: token }, timeoutMs)).blocks;
    },
  };
}

/** The workstation's document numbers over its hall connection (electron/backend/index.ts). */
export function workstationDocumentNumbers(deps: {
  db: Db;
  connection: () => { http: HallHttp; online(): boolean } | null;
  deviceToken: () => string | null | undefined;
  now: () => number;
  timeZone: () => string;
}): DocumentNumbers {
  return new DocumentNumbers({
    db: deps.db,
    source: hallNumberBlockSource(deps),
    year: () => Number(businessDate(deps.now(), deps.timeZone()).slice(0, 4)),
  });
}

/**
 * What to top up when the hall connection opens: every series held, plus the notices' series of the
 * window's office (受理 / 一次性告知 / 不予受理 — every window hands them out), so a window that loses
 * the hall before its first notice can still number one.
 */
export function prefetchOnConnect(office: string | null | undefined): { office: string; numberings: Numbering[] } | undefined {
  if (!office) return undefined;
  return { office, numberings: NOTICE_KINDS.map((k) => getTemplate(k).numbering) };
}
