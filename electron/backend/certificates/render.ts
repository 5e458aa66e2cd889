import { createHash } from 'node:crypto';
import { PDFDocument, PDFRef } from 'pdf-lib';
import { z } from 'zod';
import { AppError, describeIssues } from '../../../shared/errors.js';
import './native-deflate.js';
import { signPdf } from './cms-signer.js';
import { drawLayout, FontSet } from './draw.js';
import { chinaDate, formatChineseDate, resolveFields, type FieldValues, type ResolvedFields } from './fields.js';
import { face, fontkitAdapter, unprintable } from './fonts.js';
import { layoutDocument, PT_PER_MM, type DocumentLayout, type Layer } from './layout.js';
import { appendRecordRevision } from './pdf-update.js';
import { drawQr } from './qr.js';
import { newVerificationId, signRecord, Sm2KeyPairSchema, VERIFY_ID, type SignedRecord, type Sm2KeyPair, type VerificationRecord } from './record.js';
import { drawImportedSeal, drawSpecimenSeal, drawWatermark, OfficeSealSchema, prepareSealImage, type OfficeSeal } from './seal.js';
import { loadSigningIdentity, type SigningIdentity } from './signing-identity.js';
import { getTemplate } from './templates.js';
import type { Template } from './template-schema.js';

/**
 * Renders one document: fields checked, laid out, drawn with the seal and the QR code (revision
 * 1), the SM2-signed verification record appended (revision 2), then the PDF signed (CMS).
 * Everything that can be refused is checked in `prepareDocument` before anything is drawn.
 */

export interface IssuingOffice {
  officeId: string;
  officeName: string;
  /** The office's SM2 key pair; signs the verification records. */
  sm2: Sm2KeyPair;
}

export interface RenderInput {
  /** Template id (resources/templates/<id>.json) or a loaded template. */
  template: string | Template;
  /** The result's name when the matter names it (药品经营许可证 on the generic licence); default the template's name. */
  title?: string;
  fields: FieldValues;
  office: IssuingOffice;
  seal: OfficeSeal;
  /** The document number, already formatted (see formatDocumentNumber). */
  number: string;
  issuedAt: Date | string;
  /** The hall server's public address; the QR code leads to `<hallUrl>/verify/<id>`. */
  hallUrl: string;
  /** Verification id; a new random one by default. */
  id?: string;
  /** `preprinted`: only the variable data, seal and QR, for paper with the form printed on it. */
  paper?: 'plain' | 'preprinted';
  /** Signing time (default now). */
  now?: Date;
}

export interface RenderedDocument {
  pdf: Uint8Array;
  record: SignedRecord;
  /** SHA-256 of revision 1 (record.record.hash.value). */
  sha256: string;
  id: string;
  url: string;
  specimen: boolean;
  layout: DocumentLayout;
}

export interface PreparedDocument {
  template: Template;
  input: RenderInput;
  fields: ResolvedFields;
  layout: DocumentLayout;
  identity: SigningIdentity;
  id: string;
  url: string;
  issuedAt: Date;
  now: Date;
  title: string;
}

const Office = z.strictObject({ officeId: z.string().min(1).max(64), officeName: z.string().min(2).max(40), sm2: Sm2KeyPairSchema });

function hallBase(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AppError('bad_request', `大厅服务器地址有误：${url}。`, 'bad hallUrl');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new AppError('bad_request', `大厅服务器地址有误：${url}（应以 http:// 或 https:// 开头）。`, 'bad hallUrl scheme');
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

function toDate(v: Date | string, what: string): Date {
  const d = v instanceof Date ? v : new Date(v);
  if (Number.isNaN(d.getTime())) throw new AppError('bad_request', `${what}有误。`, `bad date ${String(v)}`);
  return d;
}

/** Checks everything and lays the document out; throws AppError (nothing issued) on any problem. */
export async function prepareDocument(input: RenderInput, identity?: SigningIdentity): Promise<PreparedDocument> {
  const template = typeof input.template === 'string' ? getTemplate(input.template) : input.template;
  const office = Office.safeParse(input.office);
  if (!office.success) throw new AppError('bad_request', '出证单位设置不完整（名称或 SM2 密钥有误），未出具文书。', describeIssues(office.error.issues));
  const seal = OfficeSealSchema.safeParse(input.seal);
  if (!seal.success) throw new AppError('bad_request', '印章设置有误，未出具文书。', describeIssues(seal.error.issues));
  if (input.seal.officeId !== input.office.officeId) {
    throw new AppError('bad_request', '印章不属于出证单位，未出具文书。', `seal of ${input.seal.officeId}, office ${input.office.officeId}`);
  }
  const badName = unprintable(input.office.officeName, face('song'));
  if (badName.length > 0) throw new AppError('bad_request', `单位名称中的字符「${badName.join('')}」无法打印。`, 'office name');
  if (input.seal.sealImage && !input.seal.p12 && !input.seal.keyPem) {
    throw new AppError('bad_request', '本单位已导入印章图片，但尚未导入数字证书（PKCS#12），不能出具加盖印章的文书。请在印章设置中导入证书。', 'seal image without certificate');
  }
  const number = input.number.trim();
  if (number === '' || number.length > 60) throw new AppError('bad_request', '文书编号为空或过长，未出具文书。', 'bad number');
  const now = input.now ?? new Date();
  const issuedAt = toDate(input.issuedAt, '签发日期');
  const id = input.id ?? newVerificationId();
  if (!VERIFY_ID.test(id)) throw new AppError('bad_request', '核验编号格式有误。', `bad id ${id}`);
  const url = `${hallBase(input.hallUrl)}/verify/${id}`;
  const signer = identity ?? (await loadSigningIdentity(input.seal, now));
  if (input.seal.sealImage) await prepareSealImage(input.seal.sealImage);
  const title = (input.title ?? template.name).trim();
  const fields = resolveFields(template, input.fields, {
    'doc.number': number,
    'doc.title': title,
    'doc.issuedAt': formatChineseDate(chinaDate(issuedAt)) ?? '',
    'office.name': input.office.officeName,
    'verify.url': url,
    'verify.id': id,
  });
  for (const [k, v] of [['doc.title', title], ['doc.number', number]] as const) {
    const bad = unprintable(v, face('song'));
    if (bad.length > 0) throw new AppError('bad_request', `${k === 'doc.title' ? '文书名称' : '文书编号'}中的字符「${bad.join('')}」无法打印。`, k);
  }
  const layout = layoutDocument(template, fields);
  return { template, input, fields, layout, identity: signer, id, url, issuedAt, now, title };
}

function recordOf(p: PreparedDocument, rev1: Uint8Array, sha256: string): VerificationRecord {
  const t = p.template;
  const label = (k: string) => t.fields.find((f) => f.key === k)?.label ?? k;
  return {
    v: 1,
    id: p.id,
    url: p.url,
    templateId: t.id,
    title: p.title,
    number: p.fields.text.get('doc.number') ?? '',
    holder: p.fields.text.get(t.holder) ?? '',
    officeId: p.input.office.officeId,
    officeName: p.input.office.officeName,
    issuedAt: p.issuedAt.toISOString(),
    fields: t.recordFields.map((k) => [label(k), p.fields.text.get(k) ?? ''] as [string, string]).filter(([, v]) => v !== ''),
    specimen: !p.input.seal.sealImage,
    hash: { alg: 'sha256', scope: 'revision1', length: rev1.length, value: sha256 },
    publicKey: p.input.office.sm2.publicKey,
  };
}

/** Draws, records and signs a prepared document. */
export async function producePrepared(p: PreparedDocument): Promise<RenderedDocument> {
  const { template: t, input } = p;
  const specimen = !input.seal.sealImage;
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkitAdapter as unknown as Parameters<PDFDocument['registerFontkit']>[0]);
  doc.setTitle(`${p.title} ${p.fields.text.get('doc.number') ?? ''}`.trim());
  doc.setAuthor(input.office.officeName);
  doc.setSubject(specimen ? `${p.title}（样本）` : p.title);
  doc.setKeywords([t.id, p.id, ...(specimen ? ['样本'] : [])]);
  doc.setCreator('OneWindow 一窗受理工作台 智能制证');
  doc.setProducer('OneWindow');
  doc.setCreationDate(p.issuedAt);
  doc.setModificationDate(p.issuedAt);
  const page = doc.addPage([p.layout.width, p.layout.height]);
  if (specimen) drawWatermark(doc, page);
  const layers = new Set<Layer>(input.paper === 'preprinted' ? ['data'] : ['form', 'data']);
  await drawLayout(page, p.layout, new FontSet(doc, p.id), layers);
  const mm = PT_PER_MM;
  drawQr(doc, page, p.url, t.qr.x * mm, p.layout.height - (t.qr.y + t.qr.size) * mm, t.qr.size * mm);
  const cx = t.seal.cx * mm;
  const cy = p.layout.height - t.seal.cy * mm;
  if (input.seal.sealImage) await drawImportedSeal(doc, page, cx, cy, t.seal.diameter, input.seal.sealImage);
  else drawSpecimenSeal(doc, page, cx, cy, t.seal.diameter, input.office.officeName);
  const rev1 = await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
  const sha256 = createHash('sha256').update(rev1).digest('hex');
  const signed = signRecord(recordOf(p, rev1, sha256), input.office.sm2);
  const trailer = doc.context.trailerInfo;
  const catalog = doc.catalog.toString().trim();
  const rev2 = appendRecordRevision(
    rev1,
    {
      rootObject: (trailer.Root as PDFRef).objectNumber,
      catalogEntries: catalog.slice(2, catalog.length - 2),
      infoObject: trailer.Info instanceof PDFRef ? trailer.Info.objectNumber : undefined,
      largestObject: doc.context.largestObjectNumber,
    },
    signed,
  );
  const pdf = await signPdf(rev2, p.identity, {
    reason: `OneWindow ${t.id} ${p.id}`,
    location: input.office.officeId,
    name: input.office.officeId,
    signingTime: p.now,
  });
  return { pdf, record: signed, sha256, id: p.id, url: p.url, specimen, layout: p.layout };
}

/** Checks, renders, records and signs one document. */
export async function renderDocument(input: RenderInput): Promise<RenderedDocument> {
  return producePrepared(await prepareDocument(input));
}
