import { z } from 'zod';
import { method } from '../contract-method.js';
import { CaseId } from './types.js';
import { CaseView } from './view.js';

/**
 * The workstation methods of a case's documents (智能制证): issue the result documents of an
 * approved case, read one back as a PDF (preview, save), the notices of the case, printers,
 * printing with the count recorded, revoking. Spread into `Contract` (shared/contract.ts).
 */
export const NoticeKind = z.enum(['acceptance_notice', 'one_time_notice', 'rejection_notice']);
export type NoticeKind = z.infer<typeof NoticeKind>;
export const NOTICE_KIND_LABEL: Record<NoticeKind, string> = {
  acceptance_notice: '受理通知书',
  one_time_notice: '一次性告知书',
  rejection_notice: '不予受理通知书',
};

const DocumentNo = z.string().trim().min(1).max(60);
/** A PDF handed to the page: the bytes as base64 and the name to save it under. */
const PdfFile = z.object({ pdfBase64: z.string(), fileName: z.string() });

export const CaseDocumentMethods = {
  /** 制证: issues every result document the case does not have yet (idempotent). */
  'case.issueDocuments': method(z.object({ caseId: CaseId }).strict(), CaseView, { session: true }),
  /** An issued document's PDF (personal data: recorded in the audit log). */
  'case.document': method(z.object({ caseId: CaseId, documentNo: DocumentNo }).strict(), PdfFile, { session: true }),
  /** A notice of the case for its state (受理通知书, 一次性告知书, 不予受理通知书). */
  'case.noticeDocument': method(z.object({ caseId: CaseId, kind: NoticeKind }).strict(), PdfFile, { session: true }),
  /** The printers this workstation can print to. */
  'case.printers': method(z.object({}).strict(), z.object({ printers: z.array(z.object({ name: z.string(), isDefault: z.boolean() })) }), { session: true }),
  /** Prints an issued document; each print is recorded in the case with its copies (补打 too). */
  'case.print': method(
    z.object({ caseId: CaseId, documentNo: DocumentNo, copies: z.number().int().min(1, '至少打印 1 份').max(20, '一次最多打印 20 份'), printer: z.string().trim().min(1, '请选择打印机').max(120) }).strict(),
    CaseView,
    { session: true },
  ),
  /** 撤销: the document is marked revoked, with the reason, in the case and on the hall's verification page. */
  'case.revokeDocument': method(
    z.object({ caseId: CaseId, documentNo: DocumentNo, reason: z.string().trim().min(1, '请填写撤销原因').max(500) }).strict(),
    CaseView,
    { session: true },
  ),
} as const;
