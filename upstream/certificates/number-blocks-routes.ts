import { AppError } from '../../shared/errors.js';
import type { DocumentNumberRouteName } from '../../shared/hall/document-number-api.js';
import type { RouteHandlers } from '../http/routes.js';
import type { DocumentNumberBlocks } from './number-blocks.js';

/** The handler behind reserveDocumentNumbers (device auth, done by the caller), spread by the hall next to `createRouteHandlers`. */
export function createDocumentNumberRouteHandlers(blocks: DocumentNumberBlocks): Pick<RouteHandlers, DocumentNumberRouteName> {
  return {
    reserveDocumentNumbers: (input, ctx) => {
      if (!ctx.device) throw new AppError('internal', '系统内部错误。', 'route without device context');
      return blocks.reserve(ctx.device, input);
    },
  };
}
