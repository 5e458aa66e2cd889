import { SignedRecord } from './record.js';

/**
 * The incremental update that attaches the signed verification record to a rendered PDF (its
 * first revision), and reading it back. Revision 1 is written by pdf-lib with a classic xref table
 * (no object streams), so both this update and the signature placeholder after it can be
 * appended as plain text.
 */

const latin1 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

export interface Revision1Facts {
  /** Object number of the catalog. */
  rootObject: number;
  /** The catalog dictionary's entries, as written in revision 1 (without the outer << >>). */
  catalogEntries: string;
  infoObject?: number;
  /** Largest object number in use. */
  largestObject: number;
}

function startxref(pdf: string): number {
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(pdf);
  if (!m) throw new Error('no startxref at the end of the PDF');
  return Number(m[1]);
}

const pad10 = (n: number) => String(n).padStart(10, '0');

/** Appends the record as revision 2: a stream object and the catalog pointing to it. */
export function appendRecordRevision(rev1: Uint8Array, facts: Revision1Facts, signed: SignedRecord): Uint8Array {
  const prev = startxref(latin1(rev1.subarray(Math.max(0, rev1.length - 64))));
  // `/` escaped so no value can imitate a PDF name such as /Type /OneWindowRecord.
  const json = Buffer.from(JSON.stringify(signed).replace(/\//g, '\\/'), 'utf8');
  const recordObj = facts.largestObject + 1;
  const parts: Buffer[] = [Buffer.from('\n')];
  let offset = rev1.length + 1;
  const offsets = new Map<number, number>();
  const add = (buf: Buffer, obj: number) => {
    offsets.set(obj, offset);
    parts.push(buf);
    offset += buf.length;
  };
  add(
    Buffer.concat([Buffer.from(`${recordObj} 0 obj\n<< /Type /OneWindowRecord /Length ${json.length} >>\nstream\n`), json, Buffer.from('\nendstream\nendobj\n')]),
    recordObj,
  );
  add(Buffer.from(`${facts.rootObject} 0 obj\n<<${facts.catalogEntries}\n/OneWindowRecord ${recordObj} 0 R\n>>\nendobj\n`, 'latin1'), facts.rootObject);
  const xrefAt = offset;
  const rows = [...offsets.entries()].sort(([a], [b]) => a - b).map(([obj, off]) => `${obj} 1\n${pad10(off)} 00000 n `);
  const trailer =
    `xref\n0 1\n0000000000 65535 f \n${rows.join('\n')}\ntrailer\n<<\n/Size ${recordObj + 1}\n/Root ${facts.rootObject} 0 R\n` +
    (facts.infoObject !== undefined ? `/Info ${facts.infoObject} 0 R\n` : '') +
    `/Prev ${prev}\n>>\nstartxref\n${xrefAt}\n%%EOF\n`;
  parts.push(Buffer.from(trailer, 'latin1'));
  const out = Buffer.concat([Buffer.from(rev1.buffer, rev1.byteOffset, rev1.byteLength), ...parts]);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

export type RecordLookup =
  | { ok: true; signed: SignedRecord }
  | { ok: false; reason: 'missing' | 'duplicate' | 'malformed'; detail: string };

/** Finds the one record object in a PDF and parses it. */
export function readRecord(pdf: Uint8Array): RecordLookup {
  const text = latin1(pdf);
  const marker = '/Type /OneWindowRecord /Length ';
  const at = text.indexOf(marker);
  if (at < 0) return { ok: false, reason: 'missing', detail: 'no OneWindowRecord object' };
  if (text.indexOf(marker, at + 1) >= 0) return { ok: false, reason: 'duplicate', detail: 'more than one OneWindowRecord object' };
  const m = /^(\d+) >>\nstream\n/.exec(text.slice(at + marker.length, at + marker.length + 40));
  if (!m) return { ok: false, reason: 'malformed', detail: 'record stream header' };
  const start = at + marker.length + m[0].length;
  const length = Number(m[1]);
  const body = Buffer.from(pdf.buffer, pdf.byteOffset + start, Math.min(length, pdf.length - start)).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'malformed', detail: 'record is not JSON' };
  }
  const parsed = SignedRecord.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'malformed', detail: parsed.error.issues[0]?.message ?? 'schema' };
  return { ok: true, signed: parsed.data };
}
