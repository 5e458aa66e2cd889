import smCrypto from 'sm-crypto';
import { z } from 'zod';
import { AppError } from '../../../shared/errors.js';
import { publicKeyOf, sm2Sign } from './sm2-sign.js';

/**
 * The verification record behind a document's QR code, signed with the issuing office's SM2 key
 * (SM2 with SM3 and the default user id 1234567812345678, signature r‖s in hex) over its
 * canonical JSON (keys sorted at every level, no white space, UTF-8). Keys are made and
 * signatures verified with sm-crypto; signing uses the faster BigInt code of sm2-sign.ts.
 *
 * The hash: SHA-256 of the document's first revision — the PDF as rendered, bytes 0 to
 * `hash.length`, which ends with its first `%%EOF`. The record itself is then appended as an
 * incremental update (object `/Type /OneWindowRecord`, referenced from the catalog as
 * `/OneWindowRecord`), and the CMS signature after that covers both. Anyone can check the hash
 * with `head -c LENGTH file.pdf | sha256sum`.
 *
 * No node: imports (Buffer aside, in sm2-sign.ts): the hall server uses it too.
 */

const Hex = (len: number) => z.string().regex(new RegExp(`^[0-9a-f]{${len}}$`));
export const VERIFY_ID = /^[A-Z2-7]{26}$/;

export const VerificationRecord = z.strictObject({
  v: z.literal(1),
  id: z.string().regex(VERIFY_ID),
  url: z.string().url().max(300),
  templateId: z.string().min(1).max(64),
  title: z.string().min(1).max(100),
  number: z.string().min(1).max(100),
  holder: z.string().min(1).max(300),
  officeId: z.string().min(1).max(64),
  officeName: z.string().min(1).max(100),
  /** ISO instant of issue. */
  issuedAt: z.string().datetime({ offset: true }),
  /** Key fields as [label, value]. */
  fields: z.array(z.tuple([z.string().max(50), z.string().max(1000)])).max(8),
  /** True when the office had no seal of its own: the seal drawn is a 样章 and the page says 样本. */
  specimen: z.boolean(),
  hash: z.strictObject({ alg: z.literal('sha256'), scope: z.literal('revision1'), length: z.number().int().positive(), value: Hex(64) }),
  /** The office's SM2 public key (uncompressed, 04‖x‖y). */
  publicKey: z.string().regex(/^04[0-9a-f]{128}$/),
});
export type VerificationRecord = z.infer<typeof VerificationRecord>;

export const SignedRecord = z.strictObject({
  record: VerificationRecord,
  alg: z.literal('SM2-SM3'),
  signature: Hex(128),
});
export type SignedRecord = z.infer<typeof SignedRecord>;

export interface Sm2KeyPair {
  /** 32-byte private key, hex. */
  privateKey: string;
  /** Uncompressed public key 04‖x‖y, hex. */
  publicKey: string;
}

export const Sm2KeyPairSchema = z.strictObject({ privateKey: Hex(64), publicKey: z.string().regex(/^04[0-9a-f]{128}$/) });

/** A fresh SM2 key pair for an office (kept with the office's settings; the public key goes to the hall). */
export function generateSm2KeyPair(): Sm2KeyPair {
  const kp = smCrypto.sm2.generateKeyPairHex();
  return { privateKey: kp.privateKey.padStart(64, '0'), publicKey: kp.publicKey };
}

/** JSON with keys sorted at every level and no white space. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** 26 characters of RFC 4648 base32 from 128 random bits: unguessable, safe in a URL. */
export function newVerificationId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += alphabet[(acc << (5 - bits)) & 31];
  return out;
}

const checkedKeys = new Set<string>();

function derivePublicKey(privateKey: string): string {
  try {
    return publicKeyOf(privateKey);
  } catch {
    return '';
  }
}

export function signRecord(record: VerificationRecord, key: Sm2KeyPair): SignedRecord {
  if (record.publicKey !== key.publicKey) {
    throw new AppError('internal', '核验记录签名密钥不一致，未出具文书。', 'record.publicKey differs from the signing key');
  }
  if (!checkedKeys.has(key.privateKey + key.publicKey) && derivePublicKey(key.privateKey) !== key.publicKey) {
    throw new AppError('bad_request', '本单位的 SM2 签名密钥无效（私钥与公钥不匹配），请在单位设置中重新生成密钥。未出具任何文书。', 'SM2 private key does not match public key');
  }
  checkedKeys.add(key.privateKey + key.publicKey);
  const signature = sm2Sign(canonicalJson(record), key.privateKey, key.publicKey);
  return { record, alg: 'SM2-SM3', signature };
}

/** True when `signed.signature` is the SM2 signature of the record by `publicKey` (default: the record's own key). */
export function verifyRecordSignature(signed: SignedRecord, publicKey: string = signed.record.publicKey): boolean {
  try {
    return smCrypto.sm2.doVerifySignature(canonicalJson(signed.record), signed.signature, publicKey, { hash: true, der: false });
  } catch {
    return false;
  }
}
