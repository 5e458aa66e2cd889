import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSm2KeyPair, type Sm2KeyPair } from './record.js';
import type { IssuingOffice } from './render.js';
import type { OfficeSeal } from './seal.js';
import { createSelfSignedCertificate, type SelfSignedOptions } from './self-signed.js';

/** Test helpers: an office with an SM2 key, certificates as PKCS#12 made by OpenSSL, poppler tools. */

let sm2: Sm2KeyPair | undefined;

export function testOffice(officeName = '齐河县行政审批服务局', officeId = 'qihe-county'): IssuingOffice {
  sm2 ??= generateSm2KeyPair();
  return { officeId, officeName, sm2 };
}

export function specimenSeal(office: IssuingOffice): OfficeSeal {
  return { officeId: office.officeId, officeName: office.officeName };
}

function withTmp<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'ow-cert-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A self-signed certificate exported as PKCS#12 by the openssl CLI (AES-256-CBC / PBKDF2 and a
 * SHA-256 MAC, OpenSSL 3's defaults; `legacy` for the old RC2/3DES format).
 */
export async function makeP12(opts: SelfSignedOptions & { password: string; legacy?: boolean }): Promise<{ p12: Uint8Array; certPem: string; keyPem: string }> {
  const g = await createSelfSignedCertificate(opts);
  const p12 = withTmp((dir) => {
    writeFileSync(path.join(dir, 'key.pem'), g.keyPem);
    writeFileSync(path.join(dir, 'cert.pem'), g.certPem);
    const out = path.join(dir, 'office.p12');
    const args = ['pkcs12', '-export', '-inkey', path.join(dir, 'key.pem'), '-in', path.join(dir, 'cert.pem'), '-out', out, '-passout', `pass:${opts.password}`];
    if (opts.legacy) args.push('-legacy');
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    return new Uint8Array(readFileSync(out));
  });
  return { p12, certPem: g.certPem, keyPem: g.keyPem };
}

/** Runs a poppler tool on PDF bytes; returns stdout (stderr included when `withStderr`). */
export function poppler(tool: 'pdftotext' | 'pdffonts' | 'pdfsig' | 'pdfinfo', pdf: Uint8Array, args: string[] = [], withStderr = false): string {
  return withTmp((dir) => {
    const file = path.join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    const fullArgs = tool === 'pdftotext' ? [...args, file, '-'] : [...args, file];
    try {
      return execFileSync(tool, fullArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', withStderr ? 'pipe' : 'ignore'] });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      return `${e.stdout ?? ''}${withStderr ? (e.stderr ?? '') : ''}`;
    }
  });
}

export interface Word {
  text: string;
  xMin: number;
  xMax: number;
  /** PDF y (from the bottom) of the word box. */
  yMin: number;
  yMax: number;
}

/** Words with their boxes from `pdftotext -bbox`, y converted to PDF coordinates. */
export function pdfWords(pdf: Uint8Array): Word[] {
  const html = poppler('pdftotext', pdf, ['-bbox']);
  const page = /<page width="([\d.]+)" height="([\d.]+)">/.exec(html);
  const height = Number(page?.[2] ?? 0);
  const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    text: decode(m[5] ?? ''),
    xMin: Number(m[1]),
    xMax: Number(m[3]),
    yMin: height - Number(m[4]),
    yMax: height - Number(m[2]),
  }));
}

export interface FontRow {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
  unicode: boolean;
}

export function pdfFonts(pdf: Uint8Array): FontRow[] {
  const lines = poppler('pdffonts', pdf).split('\n').slice(2).filter((l) => l.trim() !== '');
  return lines.map((l) => {
    const cols = l.trim().split(/\s+/);
    // name type... encoding emb sub uni objectId gen
    const n = cols.length;
    return { name: cols[0] ?? '', type: cols.slice(1, n - 6).join(' '), embedded: cols[n - 5] === 'yes', subset: cols[n - 4] === 'yes', unicode: cols[n - 3] === 'yes' };
  });
}
