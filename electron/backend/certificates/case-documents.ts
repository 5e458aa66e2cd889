import { CASE_ACTION_LABEL } from '../../../shared/case/case-reducer.js';
import { CASE_STATUS_LABEL, type CaseState } from '../../../shared/case/types.js';
import type { CaseView } from '../../../shared/case/view.js';
import { AppError } from '../../../shared/errors.js';
import { businessDate } from '../../../shared/queue/numbering.js';
import type { NewAction } from '../cases/case-store.js';
import { createLogger } from '../log.js';
import { matterFields } from './case-fields.js';
import { CaseDocumentsBase, pdfFileName } from './case-documents-deps.js';
import { resolveFields, type FieldValues } from './fields.js';
import { issuePermitsTogether, LAND_TO_CONSTRUCTION_TEMPLATES } from './permits.js';
import type { PrinterInfo } from './printing.js';
import { getTemplate } from './templates.js';
import type { Template } from './template-schema.js';

export type { CaseDocumentsDeps } from './case-documents-deps.js';

const log = createLogger('case-documents');

/** A result document a case's matter produces and the case has not got yet. */
interface PendingResult {
  matter: string;
  template: Template;
  title: string;
  fields: FieldValues;
}

/**
 * The documents of a case at the window (智能制证 wired into the case): issuing the result
 * documents of an approved case, reading a document back (saved or previewed), printing with the
 * count recorded, revoking. Each issued document is a `certificate_issued` case action that
 * carries its SM2-signed verification record to the hall (which publishes it at /verify/<id>);
 * its PDF is kept with the attachments (by SHA-256, uploaded to the hall by itself).
 */
export class CaseDocuments extends CaseDocumentsBase {
  /**
   * 制证: every result document of the case's accepted matters that it does not have yet (a
   * document revoked may be issued anew), all checked before any is drawn and recorded together
   * in one transaction with their document numbers — so 拿地即开工's four permits are issued in
   * one action, and a refusal (a required field missing, named with every other) issues nothing.
   * Issuing again when everything is issued changes nothing.
   */
  issue(caseId: string): Promise<CaseView> {
    return this.serial(async () => {
      const actor = this.actor();
      const state = this.row(caseId, actor).state;
      if (state.status !== 'APPROVED' && state.status !== 'CERTIFIED') {
        throw new AppError('invalid_transition', `办件当前为“${CASE_STATUS_LABEL[state.status]}”，批准后才能制证。`, `issue on ${state.status}`);
      }
      const pending = this.pendingResults(state);
      if (pending.length === 0) return this.d.cases.view(caseId);
      const issuer = this.issuer(state.office);
      const hallUrl = this.hallUrl();
      refuseMissing(pending, issuer.office.officeName);
      const now = this.d.now();
      const year = Number(businessDate(now, this.d.catalogs.timeZone()).slice(0, 4));
      const numberings = pending.map((p) => p.template.numbering);
      // Final numbers before anything is drawn: from this window's blocks, reserved from the hall if they run short.
      await this.d.numbers.ensure(state.office, year, numberings);
      const numbers = this.d.numbers.plan(state.office, year, issuer.abbreviation, numberings);
      const together = LAND_TO_CONSTRUCTION_TEMPLATES.every((t) => pending.some((p) => p.template.id === t));
      const rendered = await issuePermitsTogether({
        fields: {},
        office: issuer.office,
        seal: issuer.seal,
        issuedAt: new Date(now),
        hallUrl,
        permits: pending.map((p, i) => ({ template: p.template.id, number: numbers[i]!.number, title: p.title, fields: p.fields })),
      });
      const stored: Array<{ sha256: string }> = [];
      for (const r of rendered) stored.push(await this.d.attachments.put(r.pdf, { mime: 'application/pdf' }));
      const no = state.caseNo ?? state.provisionalNo;
      const actions: NewAction[] = pending.map((p, i) => ({
        action: {
          type: 'certificate_issued',
          template: p.template.id,
          documentNo: numbers[i]!.number,
          sha256: stored[i]!.sha256,
          matter: p.matter,
          title: p.title,
          verification: { id: rendered[i]!.id, signed: rendered[i]!.record },
        },
        summary: `办件 ${no} ${CASE_ACTION_LABEL.certificate_issued} ${p.title}`,
      }));
      // The numbers are taken in the transaction that records the documents: none used twice, none skipped.
      this.d.store.write(caseId, actor, () => {
        this.d.numbers.take(numbers);
        return actions;
      });
      void this.d.numbers.refill({ office: state.office, numberings });
      log.info(`case ${caseId}: issued ${pending.length} document(s)${together ? ' (拿地即开工 permits together)' : ''}: ${numbers.map((n) => n.number).join(', ')}`);
      await this.d.written(true).catch((err: unknown) => log.debug('push after issuing did not complete; it stays in the outbox', err));
      return this.d.cases.view(caseId);
    });
  }

  /** An issued document's PDF (to preview or save); recorded in the audit log as personal data leaving the case. */
  async document(caseId: string, documentNo: string): Promise<{ pdfBase64: string; fileName: string }> {
    const actor = this.actor();
    const state = this.row(caseId, actor).state;
    const cert = certificate(state, documentNo);
    const pdf = await this.d.attachments.get(cert.sha256);
    this.audit(caseId, actor, 'case.exported', `办件 ${state.caseNo ?? state.provisionalNo} 查看文书 ${documentNo}`);
    return { pdfBase64: pdf.toString('base64'), fileName: pdfFileName(cert.title ?? getTemplate(cert.template).name, documentNo) };
  }

  printers(): Promise<PrinterInfo[]> {
    this.actor();
    return this.d.printer.list();
  }

  /**
   * Prints an issued document and records the print with its copies (`printed`); printing again
   * (补打) is another print record, never another document.
   */
  async print(input: { caseId: string; documentNo: string; copies: number; printer: string }): Promise<CaseView> {
    const actor = this.actor();
    const state = this.row(input.caseId, actor).state;
    const cert = certificate(state, input.documentNo);
    if (cert.revoked) throw new AppError('invalid_transition', `文书 ${input.documentNo} 已撤销，不能打印。`, 'print revoked');
    if (state.status !== 'CERTIFIED' && state.status !== 'DELIVERED') {
      throw new AppError('invalid_transition', `办件当前为“${CASE_STATUS_LABEL[state.status]}”，不能打印。`, `print on ${state.status}`);
    }
    const pdf = await this.d.attachments.get(cert.sha256);
    await this.d.printer.print(pdf, { printer: input.printer, copies: input.copies, title: `${cert.title ?? cert.template} ${cert.documentNo}` });
    return this.d.cases.act(input.caseId, { type: 'printed', documentNo: input.documentNo, copies: input.copies, printer: input.printer });
  }

  /** 撤销: the document is marked revoked in the case, and on the hall's verification page once pushed. */
  revoke(input: { caseId: string; documentNo: string; reason: string }): Promise<CaseView> {
    const actor = this.actor();
    certificate(this.row(input.caseId, actor).state, input.documentNo);
    return this.d.cases.act(input.caseId, { type: 'certificate_revoked', documentNo: input.documentNo, reason: input.reason.trim() });
  }

  /** The result documents of the case's accepted matters it has not got (or got and had revoked). */
  private pendingResults(state: CaseState): PendingResult[] {
    const ctx = this.context(state);
    const out: PendingResult[] = [];
    for (const code of state.acceptedMatters) {
      const m = ctx.index.matters.get(code);
      for (const r of m?.results ?? []) {
        if (state.certificates.some((c) => c.template === r.template && c.matter === code && !c.revoked)) continue;
        out.push({ matter: code, template: getTemplate(r.template), title: r.name, fields: matterFields(ctx, code, r.name) });
      }
    }
    return out;
  }
}

function certificate(state: CaseState, documentNo: string): CaseState['certificates'][number] {
  const c = state.certificates.find((x) => x.documentNo === documentNo);
  if (!c) throw new AppError('not_found', `本办件没有文书 ${documentNo}。`, `no document ${documentNo}`);
  return c;
}

/**
 * Every document's fields checked before anything is numbered or drawn, so the clerk sees all
 * that is missing at once, per document; nothing is issued.
 */
function refuseMissing(pending: readonly PendingResult[], officeName: string): void {
  const problems: string[] = [];
  for (const p of pending) {
    try {
      resolveFields(p.template, p.fields, { 'doc.number': '-', 'doc.title': p.title, 'doc.issuedAt': '', 'office.name': officeName, 'verify.url': '', 'verify.id': '' });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      problems.push(`《${p.title}》${err.message.replace(/请补全后再出具，未出具任何文书。$|请更正后再出具，未出具任何文书。$/, '')}`);
    }
  }
  if (problems.length > 0) throw new AppError('bad_request', `${problems.join('')}请补全后再制证；未出具任何文书。`, `missing fields: ${problems.join(' | ')}`);
}
