import type { NoticeKind } from '../../../shared/case/document-contract.js';
import { CASE_STATUS_LABEL, type CaseState } from '../../../shared/case/types.js';
import { AppError } from '../../../shared/errors.js';
import { businessDate } from '../../../shared/queue/numbering.js';
import { caseFields, compactNoticeRows, legalBasis, noticeRows, promisedDays, type CaseContext } from './case-fields.js';
import { CaseDocumentsBase, pdfFileName } from './case-documents-deps.js';
import type { FieldValues } from './fields.js';
import { renderDocument } from './render.js';
import { getTemplate } from './templates.js';

/**
 * The notices a case hands the applicant, made on demand for its state: 受理通知书 once accepted,
 * 一次性告知书 after a one-time notice, 不予受理通知书 after a refusal to accept — each once per case,
 * recorded in the case log (notice_document_issued) with its verification record for the hall.
 */


/** The notice's own fields for the case, or the reason the case has no such notice. */
function noticeFields(kind: NoticeKind, ctx: CaseContext): FieldValues | string {
  const s: CaseState = ctx.state;
  const base = caseFields(ctx);
  switch (kind) {
    case 'acceptance_notice':
      if (s.acceptedAt === undefined) return `办件当前为“${CASE_STATUS_LABEL[s.status]}”，尚未受理，没有受理通知书。`;
      return { ...base, 'matter.promisedDays': promisedDays(s, ctx.index) };
    case 'one_time_notice':
      if (s.status !== 'NOTICE_ISSUED' || !s.notice) return `办件当前为“${CASE_STATUS_LABEL[s.status]}”，没有出具一次性告知。`;
      return { ...base, 'notice.missing': noticeRows(s.notice, ctx.index) };
    case 'rejection_notice':
      if (s.status !== 'NOT_ACCEPTED') return `办件当前为“${CASE_STATUS_LABEL[s.status]}”，没有不予受理通知书。`;
      return { ...base, 'notice.reason': s.reason ?? '', 'notice.legalBasis': legalBasis(s, ctx.index) };
  }
}

export class CaseNotices extends CaseDocumentsBase {
  /**
   * The notice as a PDF (to preview, print or save), recorded in the audit log. Made once per case
   * and kind: the first request numbers it, keeps the PDF with the attachments and records
   * `notice_document_issued` (carrying its verification record to the hall) in the transaction
   * that takes the number; later requests hand out the same PDF.
   */
  notice(caseId: string, kind: NoticeKind): Promise<{ pdfBase64: string; fileName: string }> {
    return this.serial(async () => {
      const actor = this.actor();
      const state = this.row(caseId, actor).state;
      const template = getTemplate(kind);
      const given = state.noticeDocuments?.find((n) => n.kind === kind);
      let pdf: Uint8Array;
      let number: string;
      if (given) {
        pdf = await this.d.attachments.get(given.sha256);
        number = given.documentNo;
      } else {
        const fields = noticeFields(kind, this.context(state));
        if (typeof fields === 'string') throw new AppError('invalid_transition', fields, `${kind} on ${state.status}`);
        const issuer = this.issuer(state.office);
        const now = this.d.now();
        const year = Number(businessDate(now, this.d.catalogs.timeZone()).slice(0, 4));
        await this.d.numbers.ensure(state.office, year, [template.numbering]);
        const planned = this.d.numbers.plan(state.office, year, issuer.abbreviation, [template.numbering]);
        number = planned[0]!.number;
        const input = { template, fields, office: issuer.office, seal: issuer.seal, number, issuedAt: new Date(now), hallUrl: this.hallUrl() };
        const doc = await renderDocument(input).catch((err: unknown) => {
          // A one-time notice too long for its page: the same items, compact (see compactNoticeRows).
          if (kind !== 'one_time_notice' || !(err instanceof AppError) || !err.detail?.includes('does not fit') || !state.notice) throw err;
          return renderDocument({ ...input, fields: { ...fields, 'notice.missing': compactNoticeRows(state.notice, this.context(state).index) } });
        });
        const stored = await this.d.attachments.put(doc.pdf, { mime: 'application/pdf' });
        this.d.store.write(caseId, actor, () => {
          this.d.numbers.take(planned);
          const action = { type: 'notice_document_issued' as const, kind, documentNo: number, sha256: stored.sha256, verification: { id: doc.id, signed: doc.record } };
          return [{ action, summary: `办件 ${state.caseNo ?? state.provisionalNo} 出具${template.name}` }];
        });
        void this.d.written(false).catch(() => undefined);
        void this.d.numbers.refill({ office: state.office, numberings: [template.numbering] });
        pdf = doc.pdf;
      }
      this.audit(caseId, actor, 'case.exported', `办件 ${state.caseNo ?? state.provisionalNo} 查看${template.name}`);
      return { pdfBase64: Buffer.from(pdf).toString('base64'), fileName: pdfFileName(template.name, number) };
    });
  }
}
