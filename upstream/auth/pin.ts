import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Staff PINs are stored as `scrypt$N$r$p$salt$hash` (salt and hash base64), never in plain text.
 * scrypt with N=16384, r=8, p=1 takes ~50 ms and 16 MB per attempt: slow enough to make guessing
 * a 6-digit PIN from a stolen configuration expensive, fast enough for a sign-in.
 */
export const PIN_KDF = { N: 16384, r: 8, p: 1, saltBytes: 16, keyBytes: 32 } as const;

function scryptAsync(pin: string, salt: Buffer, keyLen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, keyLen, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function maxmem(N: number, r: number, p: number): number {
  return 128 * N * r * p + 32 * 1024 * 1024;
}

export async function hashPin(pin: string, params: { N: number; r: number; p: number } = PIN_KDF): Promise<string> {
  const salt = randomBytes(PIN_KDF.saltBytes);
  const { N, r, p } = params;
  const key = await scryptAsync(pin, salt, PIN_KDF.keyBytes, { N, r, p, maxmem: maxmem(N, r, p) });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  // Refuse absurd parameters from a tampered file rather than burning memory on them.
  if (!Number.isInteger(N) || N < 2 || N > 1 << 20 || (N & (N - 1)) !== 0) return undefined;
  if (!Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) return undefined;
  const salt = Buffer.from(parts[4]!, 'base64');
  const key = Buffer.from(parts[5]!, 'base64');
  if (salt.length < 8 || key.length < 16) return undefined;
  return { N, r, p, salt, key };
}

/** Constant-time check of a PIN against a stored hash. A malformed hash never matches. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const h = parseHash(stored);
  if (h === undefined) return false;
  const key = await scryptAsync(pin, h.salt, h.key.length, { N: h.N, r: h.r, p: h.p, maxmem: maxmem(h.N, h.r, h.p) });
  return key.length === h.key.length && timingSafeEqual(key, h.key);
}

/** A hash of a random PIN, verified against when the staff id is unknown so timing does not tell. */
let dummy: Promise<string> | undefined;
export function dummyPinHash(): Promise<string> {
  dummy ??= hashPin(randomBytes(8).toString('hex'));
  return dummy;
}
