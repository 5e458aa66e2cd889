import { createHash, createPrivateKey, createPublicKey, webcrypto, type KeyObject } from 'node:crypto';
import * as pkijs from 'pkijs';
import { AppError } from '../../../shared/errors.js';
import { formatChineseDate, chinaDate } from './fields.js';
import type { OfficeSeal } from './seal.js';
import { createSelfSignedCertificate } from './self-signed.js';

/**
 * The key and certificate an office signs its PDFs with (CMS / PAdES). Read from the office's
 * PKCS#12 (pkijs: PBES2 / PBKDF2 / AES as OpenSSL 3 and Windows 10+ export it; the legacy
 * RC2/3DES encryption is refused with instructions) or from a PEM key and certificate chain.
 * RSA (≥ 2048 bits) and ECDSA P-256 / P-384 keys; SM2 certificates are refused (PDF readers
 * cannot validate them — the SM2 key signs the verification record instead).
 */

export interface SigningIdentity {
  privateKey: webcrypto.CryptoKey;
  /** The signer's certificate, DER, exactly as issued. */
  certificate: Uint8Array;
  /** The rest of the chain, DER, signer's issuer first. */
  chain: Uint8Array[];
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the certificate DER, hex. */
  fingerprint: string;
  hash: 'SHA-256' | 'SHA-384';
  /** True for the self-signed 样本证书 of an office that has not imported its own. */
  specimen: boolean;
}

const BAG_KEY = '1.2.840.113549.1.12.10.1.2';
const BAG_CERT = '1.2.840.113549.1.12.10.1.3';
const CN = '2.5.4.3';

const ab = (u: Uint8Array): ArrayBuffer => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;

/** The CN of a name, else its first attribute. */
export function nameOf(n: pkijs.RelativeDistinguishedNames): string {
  const tv = n.typesAndValues.find((t) => t.type === CN) ?? n.typesAndValues[0];
  const v = tv?.value.valueBlock as { value?: unknown } | undefined;
  return typeof v?.value === 'string' ? v.value : '';
}

function badFile(detail: string): AppError {
  return new AppError('bad_request', '数字证书文件无法读取（不是有效的 PKCS#12 证书文件）。请重新导入单位的 .p12/.pfx 证书。未出具任何文书。', detail);
}

async function readP12(bytes: Uint8Array, password: string): Promise<{ keys: Uint8Array[]; certs: Uint8Array[] }> {
  const pw = ab(new TextEncoder().encode(password));
  let pfx: pkijs.PFX;
  try {
    pfx = pkijs.PFX.fromBER(ab(bytes));
  } catch (err) {
    throw badFile(String(err));
  }
  try {
    await pfx.parseInternalValues({ password: pw, checkIntegrity: true });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/integrity/i.test(msg)) throw new AppError('bad_request', '数字证书密码错误，请重新输入证书密码。未出具任何文书。', `PKCS#12 MAC: ${msg}`);
    throw badFile(msg);
  }
  const out = { keys: [] as Uint8Array[], certs: [] as Uint8Array[] };
  try {
    const safe = pfx.parsedValue?.authenticatedSafe;
    if (!safe) throw new Error('no authenticated safe');
    await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password: pw })) });
    for (const sc of safe.parsedValue?.safeContents ?? []) {
      for (const bag of sc.value.safeBags) {
        if (bag.bagId === BAG_KEY) {
          const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
          // Public in pkijs' JavaScript; its typings mark it protected.
          await (shrouded as unknown as { parseInternalValues(p: { password: ArrayBuffer }): Promise<void> }).parseInternalValues({ password: pw });
          if (shrouded.parsedValue) out.keys.push(new Uint8Array(shrouded.parsedValue.toSchema().toBER(false)));
        } else if (bag.bagId === BAG_CERT) {
          const c = (bag.bagValue as pkijs.CertBag).parsedValue;
          if (c instanceof pkijs.Certificate) out.certs.push(new Uint8Array(c.toSchema(false).toBER(false)));
        }
      }
    }
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/Unknown .*(Algorithm|algorithm)|1\.2\.840\.113549\.1\.12\.1\./.test(msg)) {
      throw new AppError(
        'bad_request',
        '该证书文件使用旧式加密（RC2/3DES），暂不支持。请用 openssl pkcs12 -export -keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256 重新导出，或改为导入 PEM 格式的私钥和证书。未出具任何文书。',
        `PKCS#12: ${msg}`,
      );
    }
    throw badFile(msg);
  }
  return out;
}

function pemBlocks(pem: string, label: string): Uint8Array[] {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  return [...pem.matchAll(re)].map((m) => new Uint8Array(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')));
}

function spkiOf(cert: pkijs.Certificate): Buffer {
  return Buffer.from(cert.subjectPublicKeyInfo.toSchema().toBER(false));
}

/** OID 1.2.156.10197.1.301 (sm2p256v1) in DER. */
const SM2_OID = Buffer.from('06082a811ccf5501822d', 'hex');

function isSm2(key: KeyObject): boolean {
  try {
    return key.export({ type: 'pkcs8', format: 'der' }).includes(SM2_OID);
  } catch {
    return false;
  }
}

async function identityFrom(keyObject: KeyObject, certDers: Uint8Array[], at: Date, specimen: boolean): Promise<SigningIdentity> {
  if (isSm2(keyObject)) {
    throw new AppError('bad_request', '暂不支持用 SM2 证书签署 PDF（PDF 阅读器无法验证 SM2 签名）。请导入 RSA 或 ECDSA 签名证书；SM2 密钥用于二维码核验记录。', 'SM2 signing key');
  }
  if (certDers.length === 0) throw new AppError('bad_request', '证书文件中没有找到签名证书。请重新导入单位的数字证书。未出具任何文书。', 'no certificate');
  const spki = createPublicKey(keyObject).export({ type: 'spki', format: 'der' });
  const parsed = certDers.map((d) => ({ der: d, cert: pkijs.Certificate.fromBER(ab(d)) }));
  const own = parsed.find((p) => spkiOf(p.cert).equals(spki));
  if (!own) throw new AppError('bad_request', '证书与私钥不匹配。请导入同一套私钥和证书。未出具任何文书。', 'no certificate matches the private key');
  const type: string | undefined = keyObject.asymmetricKeyType;
  const curve = keyObject.asymmetricKeyDetails?.namedCurve;
  let algorithm: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams;
  let hash: SigningIdentity['hash'] = 'SHA-256';
  if (type === 'rsa') {
    if ((keyObject.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new AppError('bad_request', '签名证书的 RSA 密钥短于 2048 位，不安全，不能使用。', 'RSA < 2048');
    algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  } else if (type === 'ec' && (curve === 'prime256v1' || curve === 'secp384r1')) {
    algorithm = { name: 'ECDSA', namedCurve: curve === 'prime256v1' ? 'P-256' : 'P-384' };
    if (curve === 'secp384r1') hash = 'SHA-384';
  } else {
    throw new AppError('bad_request', `签名证书的密钥类型（${type ?? '未知'} ${curve ?? ''}）不受支持，请使用 RSA 或 ECDSA P-256 证书。`, `key type ${type} ${curve}`);
  }
  const pkcs8 = keyObject.export({ type: 'pkcs8', format: 'der' });
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']);
  const notBefore = own.cert.notBefore.value;
  const notAfter = own.cert.notAfter.value;
  const day = (d: Date) => formatChineseDate(chinaDate(d)) ?? d.toISOString();
  if (at.getTime() > notAfter.getTime()) {
    throw new AppError('bad_request', `本单位的数字证书已于 ${day(notAfter)} 过期，请更换证书后再出具。未出具任何文书。`, `certificate expired ${notAfter.toISOString()}`);
  }
  if (at.getTime() < notBefore.getTime()) {
    throw new AppError('bad_request', `本单位的数字证书自 ${day(notBefore)} 起才生效，请检查电脑时间或证书。未出具任何文书。`, `certificate not yet valid ${notBefore.toISOString()}`);
  }
  return {
    privateKey,
    certificate: own.der,
    chain: parsed.filter((p) => p !== own).map((p) => p.der),
    subject: nameOf(own.cert.subject),
    issuer: nameOf(own.cert.issuer),
    notBefore,
    notAfter,
    fingerprint: createHash('sha256').update(own.der).digest('hex'),
    hash,
    specimen,
  };
}

function keyFromDer(der: Uint8Array): KeyObject {
  try {
    return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  } catch (err) {
    throw badFile(`private key: ${String(err)}`);
  }
}

const cache = new Map<string, Promise<{ key: KeyObject; certs: Uint8Array[] }>>();

async function material(seal: OfficeSeal): Promise<{ key: KeyObject; certs: Uint8Array[] } | undefined> {
  if (seal.p12) {
    const p12 = seal.p12;
    const id = createHash('sha256').update(p12).update('\0').update(seal.p12Password ?? '').digest('hex');
    let hit = cache.get(id);
    if (!hit) {
      hit = readP12(p12, seal.p12Password ?? '').then((r) => {
        if (r.keys.length !== 1) throw new AppError('bad_request', '证书文件中应恰有一个私钥。请重新导出单位的数字证书。未出具任何文书。', `${r.keys.length} keys`);
        return { key: keyFromDer(r.keys[0] as Uint8Array), certs: r.certs };
      });
      hit.catch(() => cache.delete(id));
      cache.set(id, hit);
    }
    return hit;
  }
  if (seal.keyPem && seal.certPem) {
    let key: KeyObject;
    try {
      key = createPrivateKey(seal.p12Password ? { key: seal.keyPem, passphrase: seal.p12Password } : seal.keyPem);
    } catch (err) {
      const msg = String(err);
      if (/pass|decrypt|bad decrypt/i.test(msg)) throw new AppError('bad_request', '私钥密码错误，请重新输入证书密码。未出具任何文书。', msg);
      throw new AppError('bad_request', '私钥文件无法读取（应为 PEM 格式）。未出具任何文书。', msg);
    }
    return { key, certs: pemBlocks(seal.certPem, 'CERTIFICATE') };
  }
  return undefined;
}

const specimens = new Map<string, Promise<SigningIdentity>>();

/** The office's signing identity at time `at`; the 样本证书 when it has none configured. */
export async function loadSigningIdentity(seal: OfficeSeal, at: Date): Promise<SigningIdentity> {
  const m = await material(seal);
  if (m) return identityFrom(m.key, m.certs, at, false);
  let hit = specimens.get(seal.officeName);
  if (!hit) {
    hit = createSelfSignedCertificate({ commonName: `${seal.officeName}（样本证书）`, organization: seal.officeName }).then((g) =>
      identityFrom(createPrivateKey({ key: Buffer.from(g.privateKeyDer), format: 'der', type: 'pkcs8' }), [g.certificateDer], at, true),
    );
    specimens.set(seal.officeName, hit);
  }
  return hit;
}
