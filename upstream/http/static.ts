import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { PAGE_CSP, SECURITY_HEADERS, sendError } from './respond.js';
import { AppError } from '../../shared/errors.js';
import { MIME_TYPES } from '../../shared/web-security.js';

/** The hall's public pages (kiosk, call display, evaluator) and their assets, from dist/web. */
const PAGES: Readonly<Record<string, string>> = {
  '/kiosk': 'kiosk.html',
  '/display': 'display.html',
  '/evaluator': 'evaluator.html',
};


const NOT_BUILT = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>页面尚未构建</title></head>
<body><h1>页面尚未构建</h1><p>取号、叫号屏和评价页面还没有构建。请在项目目录运行 <code>npm run build</code> 后刷新本页。</p></body></html>`;

function fileIfExists(p: string): number | undefined {
  try {
    const st = statSync(p);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}

function sendFile(res: ServerResponse, file: string, size: number, cache: string, head: boolean): void {
  const type = MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const headers: Record<string, string | number> = { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': size, 'Cache-Control': cache };
  if (type.startsWith('text/html')) headers['Content-Security-Policy'] = PAGE_CSP;
  res.writeHead(200, headers);
  if (head) {
    res.end();
    return;
  }
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

/** Serves a page or asset if `pathname` names one; returns false when the path is not static. */
export function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string, webDir: string): boolean {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) return false;
  const page = PAGES[pathname];
  if (page !== undefined) {
    const file = path.join(webDir, page);
    const size = fileIfExists(file);
    if (size === undefined) {
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': PAGE_CSP, 'Cache-Control': 'no-store' });
      res.end(head ? undefined : NOT_BUILT);
      return true;
    }
    sendFile(res, file, size, 'no-cache', head);
    return true;
  }
  if (pathname.startsWith('/assets/')) {
    const assets = path.resolve(webDir, 'assets');
    let rel: string;
    try {
      rel = decodeURIComponent(pathname.slice('/assets/'.length));
    } catch {
      sendError(res, new AppError('bad_request', '地址格式有误。', 'bad percent-encoding'));
      return true;
    }
    const file = path.resolve(assets, rel);
    const size = rel.includes('\0') || !file.startsWith(assets + path.sep) ? undefined : fileIfExists(file);
    if (size === undefined) {
      sendError(res, new AppError('not_found', '没有找到该文件。', `asset ${pathname}`));
      return true;
    }
    sendFile(res, file, size, 'public, max-age=31536000, immutable', head);
    return true;
  }
  return false;
}
