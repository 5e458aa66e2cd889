import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyRecordSignature, VERIFY_ID } from '../../electron/backend/certificates/record.js';
import { PAGE_CSP, SECURITY_HEADERS, sendJson } from '../http/respond.js';
import type { CertificateStore, StoredRecord } from './store.js';

/**
 * `GET /verify/:id` — the page a certificate's QR code opens: whether the hall knows the document,
 * the record's SM2 signature and the office key, revocation, and the key facts to compare with
 * the paper. `?format=json` returns the same as JSON (for `onewindow verify --hall`). Public, no
 * script; ID numbers are masked and short (personal) holder names partly hidden.
 */

export interface VerifyPageDeps {
  store: CertificateStore;
}

export interface VerifyJson {
  found: boolean;
  id: string;
  record?: StoredRecord['signed'];
  signatureValid?: boolean;
  keyRegistered?: boolean;
  officeKeys?: string[];
  revoked?: boolean;
  revocation?: { reason: string; revokedAt: string } | null;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** 371425198805126021 → 371425********6021; a name of up to four characters → 王*娟. */
export function maskValue(v: string): string {
  return v.replace(/\b(\d{6})\d{8,11}([\dXx]{4})\b/g, (_m, a: string, b: string) => `${a}********${b}`);
}

export function maskHolder(name: string): string {
  const chars = [...name];
  if (chars.length > 4 || chars.length < 2) return name;
  return chars.length === 2 ? `${chars[0]}*` : `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

function inChina(iso: string): string {
  const d = new Date(iso);
  return new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric' }).format(d);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>
body{font-family:"Noto Serif SC","Source Han Serif SC","SimSun",serif;margin:0;background:#f4f1ec;color:#222}
main{max-width:640px;margin:0 auto;padding:24px 16px}
h1{font-size:22px;margin:0 0 16px;text-align:center}
.status{padding:14px 16px;border-radius:6px;font-size:18px;font-weight:bold;margin-bottom:16px}
.ok{background:#e5f4e8;color:#1d6b31;border:1px solid #9fd3ab}.bad{background:#fbe7e7;color:#a11d1d;border:1px solid #eba5a5}
.warn{background:#fff4dc;color:#8a5a00;border:1px solid #f0cf87}
table{width:100%;border-collapse:collapse;background:#fff}th,td{border:1px solid #ddd;padding:8px 10px;text-align:left;vertical-align:top}
th{width:32%;background:#faf8f5;font-weight:normal;color:#555}.hash{font-family:monospace;font-size:12px;word-break:break-all}
p.note{font-size:13px;color:#666;line-height:1.6}
</style></head><body><main>${body}</main></body></html>`;
}

function verdict(found: StoredRecord, signatureValid: boolean, keyRegistered: boolean): { cls: string; text: string } {
  if (found.revocation) return { cls: 'bad', text: `该文书已于${inChina(new Date(found.revocation.revokedAt).toISOString())}撤销` };
  if (!signatureValid || !keyRegistered) return { cls: 'bad', text: '核验记录的电子签名无法验证，请向出证单位核实' };
  if (found.signed.record.specimen) return { cls: 'warn', text: '样本文书：出证单位尚未启用电子印章，不具法律效力' };
  return { cls: 'ok', text: '核验通过：该文书由出证单位依法出具，目前有效' };
}

function recordPage(found: StoredRecord, signatureValid: boolean, keyRegistered: boolean): string {
  const r = found.signed.record;
  const v = verdict(found, signatureValid, keyRegistered);
  const rows: Array<[string, string]> = [
    ['文书名称', r.title],
    ['文书编号', r.number],
    ['持有人', maskHolder(r.holder)],
    ...r.fields.map(([l, x]) => [l, maskValue(x)] as [string, string]),
    ['出证单位', r.officeName],
    ['签发日期', inChina(r.issuedAt)],
  ];
  if (found.revocation) rows.push(['撤销原因', found.revocation.reason]);
  const table = rows.map(([k, x]) => `<tr><th>${esc(k)}</th><td>${esc(x)}</td></tr>`).join('');
  return page(
    `电子文书核验 ${r.number}`,
    `<h1>电子文书核验</h1><div class="status ${v.cls}">${esc(v.text)}</div><table>${table}
<tr><th>文件摘要（SHA-256）</th><td class="hash">${esc(r.hash.value)}<br>前 ${r.hash.length} 字节</td></tr>
<tr><th>核验编号</th><td class="hash">${esc(r.id)}</td></tr></table>
<p class="note">请将上列信息与纸质文书逐项核对。持有电子文件（PDF）的，可在一窗受理工作台用「onewindow verify 文件.pdf」核验文件的数字签名和摘要。</p>`,
  );
}

export function handleVerifyPage(req: IncomingMessage, res: ServerResponse, deps: VerifyPageDeps): void {
  const url = new URL(req.url ?? '/', 'http://hall.invalid');
  const m = /^\/verify\/([^/]+)$/.exec(url.pathname);
  const id = decodeURIComponent(m?.[1] ?? '');
  const json = url.searchParams.get('format') === 'json';
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    sendJson(res, 405, { error: { code: 'bad_request', message: '该地址只支持查询。' } }, { Allow: 'GET, HEAD' });
    return;
  }
  const found = VERIFY_ID.test(id) ? deps.store.getRecord(id) : undefined;
  let body: VerifyJson = { found: false, id };
  if (found) {
    const officeKeys = deps.store.officeKeys(found.signed.record.officeId);
    const signatureValid = verifyRecordSignature(found.signed);
    const keyRegistered = officeKeys.includes(found.signed.record.publicKey);
    body = {
      found: true,
      id,
      record: found.signed,
      signatureValid,
      keyRegistered,
      officeKeys,
      revoked: !!found.revocation,
      revocation: found.revocation ? { reason: found.revocation.reason, revokedAt: new Date(found.revocation.revokedAt).toISOString() } : null,
    };
  }
  if (json) {
    sendJson(res, found ? 200 : 404, body);
    return;
  }
  const html = found
    ? recordPage(found, body.signatureValid === true, body.keyRegistered === true)
    : page('电子文书核验', `<h1>电子文书核验</h1><div class="status bad">未查询到该文书的核验记录</div><p class="note">核验编号：${esc(id.slice(0, 40))}。请确认二维码完整清晰；如仍无法核验，请向出证单位咨询。</p>`);
  const buf = Buffer.from(html, 'utf8');
  res.writeHead(found ? 200 : 404, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': buf.length,
    'Content-Security-Policy': PAGE_CSP,
    'Cache-Control': 'no-store',
  });
  res.end(head ? undefined : buf);
}
