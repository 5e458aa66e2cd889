import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, describeIssues } from '../../shared/errors.js';
import { HallApi, type HallRouteName } from '../../shared/hall/api.js';
import type { Access } from '../auth/access.js';
import type { QueueEngine } from '../queue/engine.js';
import { isAttachmentPath, type createAttachmentHandler } from '../attachments/routes.js';
import { readJsonBody } from './body.js';
import { sendError, sendJson } from './respond.js';
import { createDashboardRouteHandlers } from '../dashboard/routes.js';
import type { HallRegistry } from '../registry/hall-registry.js';
import { createRegistryRouteHandlers } from '../registry/routes.js';
import type { DashboardService } from '../dashboard/service.js';
import { createRouteHandlers, type RouteContext, type RouteHandlers } from './routes.js';
import { serveStatic } from './static.js';
import { handleVerifyPage } from '../certificates/verify-page.js';
import type { CertificateStore } from '../certificates/store.js';
import type { DocumentNumberBlocks } from '../certificates/number-blocks.js';
import { createDocumentNumberRouteHandlers } from '../certificates/number-blocks-routes.js';

/**
 * The hall's HTTP request handler: HallApi routes (validated, authenticated) and the public pages.
 * Every API reply — success or error, read or write — waits for `committed()`: what a handler saw or
 * wrote may belong to a group-commit batch that is not durable yet.
 */
export function createHallHandler(opts: {
  queue: QueueEngine;
  access: Access;
  /** The supervisor dashboard's figures (routes of shared/dashboard/api.ts). */
  dashboard: DashboardService;
  /** Registry look-ups for the checks (routes of shared/hall/registry-api.ts). */
  registry: HallRegistry;
  /** Verification records of issued documents (the page a certificate's QR code leads to). */
  certificates?: CertificateStore;
  /** Document number blocks for the windows (routes of shared/hall/document-number-api.ts). */
  numberBlocks: DocumentNumberBlocks;
  webDir: string;
  committed: () => Promise<void>;
  log?: (line: string) => void;
  /** Binary attachment routes (`/api/attachments/*`), served before the JSON path reads any body. */
  attachments?: ReturnType<typeof createAttachmentHandler>;
}) {
  const handlers: RouteHandlers = { ...createRouteHandlers(opts.queue, opts.access), ...createDashboardRouteHandlers(opts.dashboard), ...createRegistryRouteHandlers(opts.registry), ...createDocumentNumberRouteHandlers(opts.numberBlocks) };
  const log = opts.log ?? ((line: string) => console.error(line));
  const byPath = new Map<string, Map<string, HallRouteName>>();
  for (const name of Object.keys(HallApi) as HallRouteName[]) {
    const r = HallApi[name];
    const m = byPath.get(r.path) ?? new Map<string, HallRouteName>();
    m.set(r.method, name);
    byPath.set(r.path, m);
  }

  function bearer(req: IncomingMessage): string | undefined {
    const h = req.headers.authorization;
    if (typeof h !== 'string') return undefined;
    const m = /^Bearer\s+(\S{1,200})$/i.exec(h.trim());
    return m?.[1];
  }

  async function handleApi(req: IncomingMessage, url: URL): Promise<unknown> {
    const methods = byPath.get(url.pathname);
    const name = methods?.get(req.method ?? '');
    if (methods === undefined || name === undefined) {
      throw methods === undefined
        ? new AppError('not_found', '没有这个接口，请检查地址。', `no route ${req.method} ${url.pathname}`)
        : new AppError('not_found', '该接口不支持这种请求方式。', `method ${req.method} not allowed on ${url.pathname}; use ${[...methods.keys()].join(', ')}`);
    }
    const route = HallApi[name];
    const ctx: RouteContext = { device: undefined, session: undefined };
    if (route.auth === 'device') ctx.device = opts.access.device(bearer(req));
    if (route.auth === 'session') {
      const x = req.headers['x-session'];
      ctx.session = opts.access.session(bearer(req), typeof x === 'string' ? x : undefined);
      ctx.device = ctx.session.device;
    }
    const raw = route.method === 'GET' ? Object.fromEntries(url.searchParams) : await readJsonBody(req);
    const parsed = route.input.safeParse(raw);
    if (!parsed.success) {
      throw new AppError('bad_request', '请求内容不符合要求，请检查后重试。', describeIssues(parsed.error.issues));
    }
    const handler = handlers[name] as (input: unknown, ctx: RouteContext) => unknown;
    return handler(parsed.data, ctx);
  }

  return function handle(req: IncomingMessage, res: ServerResponse): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://hall.invalid');
    } catch {
      sendError(res, new AppError('bad_request', '地址格式有误。', 'bad url'));
      return;
    }
    if (opts.attachments && isAttachmentPath(url.pathname)) {
      opts.attachments(req, res, url, () => opts.access.device(bearer(req)));
      return;
    }
    if (opts.certificates && url.pathname.startsWith('/verify/')) {
      handleVerifyPage(req, res, { store: opts.certificates });
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      if (url.pathname === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
        res.writeHead(302, { Location: `/display?office=${encodeURIComponent(opts.queue.config.offices[0]!.id)}` });
        res.end();
        return;
      }
      if (serveStatic(req, res, url.pathname, opts.webDir)) return;
      sendError(res, new AppError('not_found', '没有找到该页面。', `no page ${url.pathname}`));
      return;
    }
    const fail = (err: unknown) => {
      const code = err instanceof AppError ? err.code : 'internal';
      if (code === 'internal') log(`hall: ${req.method} ${url.pathname} failed: ${err instanceof Error ? err.stack : String(err)}`);
      sendError(res, err, code === 'payload_too_large' ? { Connection: 'close' } : {});
    };
    const reply = handleApi(req, url).then(
      (out) => ({ ok: true as const, out }),
      (err: unknown) => ({ ok: false as const, err }),
    );
    reply
      .then(async (r) => {
        await opts.committed(); // a refusal too may describe state of a batch not yet durable
        if (!r.ok) throw r.err;
        sendJson(res, 200, r.out);
      })
      .catch(fail);
  };
}
