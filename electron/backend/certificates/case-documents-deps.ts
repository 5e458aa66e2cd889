import type { CaseActor, CaseState } from '../../../shared/case/types.js';
import type { CaseView } from '../../../shared/case/view.js';
import { AppError } from '../../../shared/errors.js';
import { parseWindowId, windowLabel } from '../../../shared/office/config.js';
import type { AttachmentStore } from '../attachments/attachment-store.js';
import type { CatalogProvider } from '../catalog/window-catalog.js';
import type { CaseRow, CaseStore, WindowCaseAction } from '../cases/case-store.js';
import type { Db } from '../store/database.js';
import type { Outbox } from '../store/outbox.js';
import { referenceData } from '../sync/replica-reference.js';
import type { CaseContext } from './case-fields.js';
import type { DocumentNumbers } from './document-serials.js';
import { caseIssuer, type CaseIssuer } from './issuing-office.js';
import type { Printer } from './printing.js';

/** What the documents of cases need from the workstation (electron/backend/index.ts wires it). */
export interface CaseDocumentsDeps {
  db: Db;
  store: CaseStore;
  outbox: Outbox;
  catalogs: CatalogProvider;
  attachments: AttachmentStore;
  /** The case service's view and its normal action path (reducer check, outbox, push). */
  cases: { view(caseId: string): CaseView; act(caseId: string, action: WindowCaseAction): Promise<CaseView> };
  session(): { staffId: string; windowId: string } | null;
  /** The hall server's address: documents' QR codes lead to `<hallUrl>/verify/<id>`. */
  hallUrl(): string | null;
  now(): number;
  /** A case write committed: push it (as CaseServiceDeps.written). */
  written(wait: boolean): Promise<void>;
  printer: Printer;
  /** Document numbers from the blocks the hall hands this workstation (document-serials.ts). */
  numbers: DocumentNumbers;
}

/** Reading helpers shared by the issuing, the notices and the printing of a case's documents. */
export class CaseDocumentsBase {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(protected readonly d: CaseDocumentsDeps) {}

  /** One issue at a time at this workstation: document numbers are taken in order. */
  protected serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn, fn);
    this.chain = p.catch(() => undefined);
    return p;
  }

  protected actor(): CaseActor {
    const s = this.d.session();
    if (!s) throw new AppError('unauthorized', '请先登录');
    return { staffId: s.staffId, windowId: s.windowId, office: parseWindowId(s.windowId).office };
  }

  /** A case of the clerk's office (another office's documents are not this window's to hand out). */
  protected row(caseId: string, actor: CaseActor): CaseRow {
    const row = this.d.store.get(caseId);
    if (!row) throw new AppError('not_found', '没有找到该办件。', `no case ${caseId}`);
    if (row.state.office !== actor.office) throw new AppError('forbidden', '该办件属于其他办理机构，本窗口不能出具其文书。', `case of ${row.state.office}`);
    return row;
  }

  protected hallUrl(): string {
    const url = this.d.hallUrl();
    if (!url) throw new AppError('unauthorized', '本机尚未登记到大厅服务器，不能出具带核验二维码的文书。', 'no hall url');
    return url;
  }

  protected context(state: CaseState): CaseContext {
    const office = this.d.catalogs.office(state.office);
    const no = parseWindowId(state.windowId).no;
    const w = office?.windows.find((x) => x.no === no);
    return { state, index: this.d.catalogs.catalog().index, timeZone: this.d.catalogs.timeZone(), windowName: windowLabel(w ?? { no }) };
  }

  protected issuer(office: string): CaseIssuer {
    return caseIssuer(this.d.db, office, this.d.catalogs.office(office), referenceData(this.d.db).office?.hallName);
  }

  /** Records that the clerk took a case's personal data out of the window (saved or viewed a document). */
  protected audit(caseId: string, actor: CaseActor, what: 'case.exported' | 'case.printed', summary: string): void {
    this.d.outbox.append({ kind: 'audit', caseId, what, windowId: actor.windowId, staffId: actor.staffId, at: this.d.now() }, summary);
    void this.d.written(false).catch(() => undefined);
  }
}

/** 异地就医备案回执-齐审批备〔2026〕3号.pdf, without characters a file system refuses. */
export function pdfFileName(title: string, number: string): string {
  return `${title}-${number}`.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 120) + '.pdf';
}
