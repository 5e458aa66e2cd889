import type { ServerResponse } from 'node:http';
import { HTTP_STATUS, toErrorBody } from '../../shared/errors.js';
import { contentSecurityPolicy } from '../../shared/web-security.js';

/** Headers every hall response carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The kiosk, display and evaluator pages talk to this server only, over HTTP and its WebSocket. */
export const PAGE_CSP = contentSecurityPolicy("'self' ws: wss:");

export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown, extra: Record<string, string> = {}): void {
  const body = toErrorBody(err);
  sendJson(res, HTTP_STATUS[body.code], { error: body }, extra);
}
