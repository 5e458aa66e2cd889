import smCrypto from 'sm-crypto';

/**
 * SM2 signing (GB/T 32918.2, SM3, user id 1234567812345678) with native BigInt and a fixed-base
 * table for k·G: about 1–2 ms a signature instead of 15–20 ms with sm-crypto's jsbn arithmetic,
 * which dominated the cost of issuing a document. The hashes are sm-crypto's SM3; signatures are
 * verified with sm-crypto (record.ts), so any slip here shows as a failed verification.
 */

const P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
const A = P - 3n;
const B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const GX = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
const GY = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n;

type Jac = readonly [bigint, bigint, bigint];
const INF: Jac = [1n, 1n, 0n];

const md = (a: bigint, m: bigint = P) => {
  const r = a % m;
  return r < 0n ? r + m : r;
};

function inv(a: bigint, m: bigint): bigint {
  // Extended Euclid.
  let [r0, r1] = [md(a, m), m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return md(s0, m);
}

function dbl([x, y, z]: Jac): Jac {
  if (z === 0n || y === 0n) return INF;
  // dbl-2001-b for a = −3.
  const delta = md(z * z);
  const gamma = md(y * y);
  const beta = md(x * gamma);
  const alpha = md(3n * (x - delta) * (x + delta));
  const x3 = md(alpha * alpha - 8n * beta);
  const z3 = md((y + z) * (y + z) - gamma - delta);
  const y3 = md(alpha * (4n * beta - x3) - 8n * gamma * gamma);
  return [x3, y3, z3];
}

function add(p: Jac, q: Jac): Jac {
  if (p[2] === 0n) return q;
  if (q[2] === 0n) return p;
  const [x1, y1, z1] = p;
  const [x2, y2, z2] = q;
  // add-2007-bl.
  const z1z1 = md(z1 * z1);
  const z2z2 = md(z2 * z2);
  const u1 = md(x1 * z2z2);
  const u2 = md(x2 * z1z1);
  const s1 = md(y1 * z2 * z2z2);
  const s2 = md(y2 * z1 * z1z1);
  const h = md(u2 - u1);
  const r = md(2n * (s2 - s1));
  if (h === 0n) return r === 0n ? dbl(p) : INF;
  const i = md(4n * h * h);
  const j = md(h * i);
  const v = md(u1 * i);
  const x3 = md(r * r - j - 2n * v);
  const y3 = md(r * (v - x3) - 2n * s1 * j);
  const z3 = md(((z1 + z2) * (z1 + z2) - z1z1 - z2z2) * h);
  return [x3, y3, z3];
}

let table: Jac[][] | undefined;

/** table[i][j] = j · 16^i · G (64 windows of 4 bits). */
function baseTable(): Jac[][] {
  if (table) return table;
  const t: Jac[][] = [];
  let base: Jac = [GX, GY, 1n];
  for (let i = 0; i < 64; i++) {
    const row: Jac[] = [INF, base];
    for (let j = 2; j < 16; j++) row.push(add(row[j - 1] as Jac, base));
    t.push(row);
    base = dbl(dbl(dbl(dbl(base))));
  }
  table = t;
  return t;
}

/** Affine k·G. */
export function mulG(k: bigint): [bigint, bigint] {
  const t = baseTable();
  let acc: Jac = INF;
  for (let i = 0; i < 64; i++) {
    const nibble = Number((k >> BigInt(4 * i)) & 15n);
    if (nibble !== 0) acc = add(acc, (t[i] as Jac[])[nibble] as Jac);
  }
  const zi = inv(acc[2], P);
  const zi2 = md(zi * zi);
  return [md(acc[0] * zi2), md(acc[1] * zi2 * zi)];
}

const hex64 = (v: bigint) => v.toString(16).padStart(64, '0');

/** Uncompressed public key 04‖x‖y of a private key (hex). */
export function publicKeyOf(privateKeyHex: string): string {
  const d = BigInt(`0x${privateKeyHex}`);
  if (d <= 0n || d >= N - 1n) throw new Error('private key out of range');
  const [x, y] = mulG(d);
  return `04${hex64(x)}${hex64(y)}`;
}

const zCache = new Map<string, number[]>();
const hexBytes = (h: string) => Array.from(Buffer.from(h, 'hex'));

/** Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA) with the default id 1234567812345678. */
function zOf(publicKey: string): number[] {
  let z = zCache.get(publicKey);
  if (!z) {
    const id = Array.from(Buffer.from('1234567812345678', 'utf8'));
    const entl = id.length * 8;
    const data = [entl >> 8, entl & 255, ...id, ...hexBytes(hex64(A) + hex64(B) + hex64(GX) + hex64(GY) + publicKey.slice(2))];
    z = hexBytes(smCrypto.sm3(data as unknown as string));
    zCache.set(publicKey, z);
  }
  return z;
}

function randomScalar(): bigint {
  for (;;) {
    const k = BigInt(`0x${Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(32))).toString('hex')}`);
    if (k > 0n && k < N) return k;
  }
}

/** SM2 signature r‖s (hex) of the UTF-8 message. */
export function sm2Sign(message: string, privateKeyHex: string, publicKey: string): string {
  const d = BigInt(`0x${privateKeyHex}`);
  const e = BigInt(`0x${smCrypto.sm3([...zOf(publicKey), ...Buffer.from(message, 'utf8')] as unknown as string)}`);
  const dInv = inv(1n + d, N);
  for (;;) {
    const k = randomScalar();
    const [x1] = mulG(k);
    const r = md(e + x1, N);
    if (r === 0n || r + k === N) continue;
    const s = md(dInv * (k - r * d), N);
    if (s === 0n) continue;
    return hex64(r) + hex64(s);
  }
}
