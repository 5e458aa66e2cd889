import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { readRecord } from './pdf-update.js';
import { verifyRecordSignature, type VerificationRecord } from './record.js';
import { nameOf } from './signing-identity.js';

/**
 * Offline verification of a OneWindow PDF: the CMS signature (every byte of the file but the
 * signature itself, nothing after it, the signature's zero padding untouched), the SM2-signed
 * verification record, the hash of revision 1 against the record, and revocation.
 */

export interface Revocation {
  id: string;
  reason: string;
  revokedAt: string;
}

export interface VerificationTrust {
  /** The SM2 public keys each office signs records with (from the offices' settings or the hall). */
  officeKeys?: Record<string, readonly string[]>;
  /** SHA-256 fingerprints (hex) of signing certificates to trust. */
  certificates?: readonly string[];
  /** Revocation lookup; without it `revoked` is null (not checked). */
  revocation?: (id: string) => Revocation | undefined;
}

export interface SignerInfo {
  subject: string;
  issuer: string;
  fingerprint: string;
  notBefore: string;
  notAfter: string;
}

export interface VerificationResult {
  /** The CMS signature: valid covers the whole file unchanged. */
  signature: 'valid' | 'invalid' | 'missing';
  signer?: SignerInfo;
  /** The signer's certificate is one of trust.certificates. */
  signatureTrusted: boolean;
  /** The SM2 signature of the verification record (with the record's own key). */
  qr_record: 'valid' | 'invalid' | 'missing';
  /** The record's key is the office's key according to trust.officeKeys. */
  recordTrusted: boolean;
  hash_match: boolean;
  revoked: boolean | null;
  revocation?: Revocation;
  office: string | null;
  number: string | null;
  id: string | null;
  specimen: boolean | null;
  record?: VerificationRecord;
  /** Everything intact, the record valid and not revoked (trust is reported separately). */
  ok: boolean;
  /** What failed, in English, for logs and the CLI. */
  problems: string[];
}

const ab = (u: Uint8Array): ArrayBuffer => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;

interface SignatureCheck {
  status: 'valid' | 'invalid';
  signer?: SignerInfo;
  problem?: string;
}

/** Length of the DER value starting at `der[0]` (tag, length octets, content), or -1. */
function derLength(der: Uint8Array): number {
  if (der.length < 2) return -1;
  const first = der[1] as number;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || der.length < 2 + n) return -1;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + (der[2 + i] as number);
  return 2 + n + len;
}

async function checkSignature(pdf: Uint8Array, range: [number, number, number, number], last: boolean): Promise<SignatureCheck> {
  const [a, b, c, d] = range;
  if (a !== 0 || b <= 0 || c <= b || d < 0 || c + d > pdf.length) return { status: 'invalid', problem: 'byte range out of the file' };
  if (last && c + d !== pdf.length) return { status: 'invalid', problem: `${pdf.length - c - d} bytes after the signed range (changed or appended after signing)` };
  if (pdf[b] !== 0x3c || pdf[c - 1] !== 0x3e) return { status: 'invalid', problem: 'signature contents not delimited' };
  const hex = Buffer.from(pdf.subarray(b + 1, c - 1)).toString('latin1');
  // Lower-case only, as written at signing: 'A' and 'a' decode alike, so either would let a byte change pass.
  if (!/^[0-9a-f]*$/.test(hex) || hex.length % 2 !== 0) return { status: 'invalid', problem: 'signature contents are not lower-case hex' };
  const raw = new Uint8Array(Buffer.from(hex, 'hex'));
  const len = derLength(raw);
  if (len < 0 || len > raw.length) return { status: 'invalid', problem: 'signature is not DER' };
  if (raw.subarray(len).some((x) => x !== 0)) return { status: 'invalid', problem: 'signature padding changed' };
  const signed = Buffer.concat([pdf.subarray(0, b), pdf.subarray(c, c + d)]);
  try {
    const asn = asn1js.fromBER(ab(raw.subarray(0, len)));
    if (asn.offset === -1) return { status: 'invalid', problem: 'signature is not DER' };
    const info = new pkijs.ContentInfo({ schema: asn.result });
    const sd = new pkijs.SignedData({ schema: info.content });
    const result = await sd.verify({ signer: 0, data: ab(signed), checkChain: false, extendedMode: true });
    const cert = result.signerCertificate ?? (sd.certificates?.[0] as pkijs.Certificate | undefined);
    const signer = cert
      ? {
          subject: nameOf(cert.subject),
          issuer: nameOf(cert.issuer),
          fingerprint: createHash('sha256').update(new Uint8Array(cert.toSchema(false).toBER(false))).digest('hex'),
          notBefore: cert.notBefore.value.toISOString(),
          notAfter: cert.notAfter.value.toISOString(),
        }
      : undefined;
    return result.signatureVerified ? { status: 'valid', signer } : { status: 'invalid', signer, problem: 'CMS signature does not verify' };
  } catch (err) {
    const e = err as { message?: string; signatureVerified?: boolean; date?: unknown };
    return { status: 'invalid', problem: `CMS signature does not verify: ${e?.message ?? String(err)}` };
  }
}

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

export async function verifyPdf(bytes: Uint8Array, trust: VerificationTrust = {}): Promise<VerificationResult> {
  const problems: string[] = [];
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const ranges = [...text.matchAll(BYTE_RANGE)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as [number, number, number, number]);
  let signature: VerificationResult['signature'] = 'missing';
  let signer: SignerInfo | undefined;
  if (ranges.length === 0) problems.push('no signature');
  else {
    signature = 'valid';
    const last = ranges.reduce((m, r) => (r[2] + r[3] > m[2] + m[3] ? r : m));
    for (const r of ranges) {
      const check = await checkSignature(bytes, r, r === last);
      if (r === last) signer = check.signer;
      if (check.status !== 'valid') {
        signature = 'invalid';
        problems.push(check.problem ?? 'signature invalid');
      }
    }
  }
  const signatureTrusted = signature === 'valid' && !!signer && (trust.certificates ?? []).includes(signer.fingerprint);

  const found = readRecord(bytes);
  let qr: VerificationResult['qr_record'] = 'missing';
  let record: VerificationRecord | undefined;
  let recordTrusted = false;
  let hashMatch = false;
  if (!found.ok) {
    if (found.reason !== 'missing') qr = 'invalid';
    problems.push(`verification record ${found.reason}: ${found.detail}`);
  } else {
    record = found.signed.record;
    qr = verifyRecordSignature(found.signed) ? 'valid' : 'invalid';
    if (qr === 'invalid') problems.push('verification record signature does not verify');
    recordTrusted = qr === 'valid' && (trust.officeKeys?.[record.officeId] ?? []).includes(record.publicKey);
    const { length, value } = record.hash;
    if (length <= bytes.length) {
      const rev1 = bytes.subarray(0, length);
      const tail = Buffer.from(rev1.subarray(Math.max(0, length - 8))).toString('latin1');
      hashMatch = /%%EOF\s*$/.test(tail) && createHash('sha256').update(rev1).digest('hex') === value;
    }
    if (!hashMatch) problems.push('document content does not match the hash in the record');
  }
  let revoked: boolean | null = null;
  let revocation: Revocation | undefined;
  if (trust.revocation && record) {
    revocation = trust.revocation(record.id);
    revoked = revocation !== undefined;
    if (revoked) problems.push(`revoked ${revocation?.revokedAt}: ${revocation?.reason}`);
  }
  return {
    signature,
    signer,
    signatureTrusted,
    qr_record: qr,
    recordTrusted,
    hash_match: hashMatch,
    revoked,
    revocation,
    office: record?.officeName ?? null,
    number: record?.number ?? null,
    id: record?.id ?? null,
    specimen: record?.specimen ?? null,
    record,
    ok: signature === 'valid' && qr === 'valid' && hashMatch && revoked !== true,
    problems,
  };
}
