import { webcrypto } from 'node:crypto';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { SigningIdentity } from './signing-identity.js';

/**
 * A detached CMS signature (PAdES baseline B: ETSI.CAdES.detached with the signing-certificate-v2
 * attribute, no signing-time attribute) made with pkijs over WebCrypto. The signer's issuer and
 * serial are taken from the certificate's own DER, never re-encoded (node-forge re-encodes
 * Chinese names and breaks the signature).
 */

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha384: '2.16.840.1.101.3.4.2.2',
};

const ab = (u: Uint8Array): ArrayBuffer => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;

export class PkijsSigner extends Signer {
  constructor(private readonly identity: SigningIdentity) {
    super();
  }

  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    const id = this.identity;
    const subtle = webcrypto.subtle;
    const cert = pkijs.Certificate.fromBER(ab(id.certificate));
    const digest = await subtle.digest(id.hash, pdfBuffer);
    const certHash = await subtle.digest(id.hash, id.certificate);
    // ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash }
    const essId: asn1js.BaseBlock[] = [];
    if (id.hash === 'SHA-384') essId.push(new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha384 }).toSchema());
    essId.push(new asn1js.OctetString({ valueHex: certHash }));
    const signingCertificateV2 = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: essId })] })] });
    const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 0,
      attributes: [
        new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
        new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: digest })] }),
        new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2] }),
      ],
    });
    const signedData = new pkijs.SignedData({
      version: 1,
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          // cert.issuer keeps the bytes it was decoded from and is written back verbatim.
          sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
          signedAttrs,
        }),
      ],
      certificates: [cert, ...id.chain.map((d) => pkijs.Certificate.fromBER(ab(d)))],
    });
    await signedData.sign(id.privateKey as CryptoKey, 0, id.hash);
    const info = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
    return Buffer.from(info.toSchema().toBER(false));
  }
}

export interface SignatureDetails {
  reason: string;
  location: string;
  name: string;
  signingTime: Date;
}

/** Room for the CMS blob: the certificates plus signature, attributes and slack. */
function placeholderBytes(id: SigningIdentity): number {
  const certs = id.certificate.length + id.chain.reduce((a, c) => a + c.length, 0);
  return certs + 1536;
}

/** Adds a signature field to the PDF (an incremental update) and signs the whole file. */
export async function signPdf(pdf: Uint8Array, id: SigningIdentity, d: SignatureDetails): Promise<Uint8Array> {
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength),
    // The placeholder writer turns non-ASCII strings into garbage; these fields stay ASCII.
    reason: d.reason,
    contactInfo: '',
    name: d.name,
    location: d.location,
    signingTime: d.signingTime,
    signatureLength: placeholderBytes(id),
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: 'OneWindow',
  });
  const signed = await new SignPdf().sign(withPlaceholder, new PkijsSigner(id));
  return new Uint8Array(signed.buffer, signed.byteOffset, signed.byteLength);
}
