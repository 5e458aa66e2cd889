import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/**
 * Self-signed signing certificates, made with pkijs and WebCrypto. Used for the specimen identity
 * of an office that has not imported its own certificate (its name says 样本证书), and by tests
 * (Chinese names, expired certificates). A real office imports the PKCS#12 its CA issued.
 */

export interface SelfSignedOptions {
  commonName: string;
  organization?: string;
  keyType?: 'ec' | 'rsa';
  notBefore?: Date;
  notAfter?: Date;
}

export interface GeneratedCertificate {
  certificateDer: Uint8Array;
  /** PKCS#8 DER of the private key. */
  privateKeyDer: Uint8Array;
  certPem: string;
  keyPem: string;
  privateKey: webcrypto.CryptoKey;
}

const OID = { c: '2.5.4.6', o: '2.5.4.10', cn: '2.5.4.3' };

/** A distinguished name with one attribute per RDN (C, O, CN), strings in UTF8String. */
export function distinguishedName(commonName: string, organization?: string): pkijs.RelativeDistinguishedNames {
  const rdn = (type: string, value: asn1js.BaseBlock) =>
    new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: type }), value] })] });
  const parts = [rdn(OID.c, new asn1js.PrintableString({ value: 'CN' }))];
  if (organization) parts.push(rdn(OID.o, new asn1js.Utf8String({ value: organization })));
  parts.push(rdn(OID.cn, new asn1js.Utf8String({ value: commonName })));
  const der = new asn1js.Sequence({ value: parts }).toBER(false);
  return pkijs.RelativeDistinguishedNames.fromBER(der);
}

export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').trimEnd();
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export async function createSelfSignedCertificate(opts: SelfSignedOptions): Promise<GeneratedCertificate> {
  const subtle = webcrypto.subtle;
  const rsa = opts.keyType === 'rsa';
  const algorithm = rsa
    ? { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }
    : { name: 'ECDSA', namedCurve: 'P-256' };
  const keys = (await subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = new pkijs.Certificate();
  cert.version = 2;
  const serial = randomBytes(12);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x10;
  cert.serialNumber = new asn1js.Integer({ valueHex: serial });
  const name = distinguishedName(opts.commonName, opts.organization);
  cert.issuer = name;
  cert.subject = distinguishedName(opts.commonName, opts.organization);
  const now = Date.now();
  cert.notBefore.value = opts.notBefore ?? new Date(now - 24 * 3600_000);
  cert.notAfter.value = opts.notAfter ?? new Date(now + 5 * 365 * 24 * 3600_000);
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey as CryptoKey);
  const spki = new Uint8Array(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView);
  const keyId = createHash('sha1').update(spki).digest();
  cert.extensions = [
    new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false) }),
    // digitalSignature + nonRepudiation (contentCommitment)
    new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: new asn1js.BitString({ valueHex: new Uint8Array([0xc0]).buffer, unusedBits: 6 }).toBER(false) }),
    new pkijs.Extension({ extnID: '2.5.29.14', extnValue: new asn1js.OctetString({ valueHex: keyId }).toBER(false) }),
  ];
  await cert.sign(keys.privateKey as CryptoKey, 'SHA-256');
  const certificateDer = new Uint8Array(cert.toSchema(true).toBER(false));
  const privateKeyDer = new Uint8Array(await subtle.exportKey('pkcs8', keys.privateKey));
  return {
    certificateDer,
    privateKeyDer,
    certPem: toPem('CERTIFICATE', certificateDer),
    keyPem: toPem('PRIVATE KEY', privateKeyDer),
    privateKey: keys.privateKey,
  };
}
