import type { CaseDocumentMethods } from '../../../shared/case/document-contract.js';
import type { HandlerImpl } from '../handlers.js';
import type { CaseDocuments } from './case-documents.js';
import type { CaseNotices } from './case-notices.js';

type DocumentMethodName = keyof typeof CaseDocumentMethods;

/** The contract's case document methods (shared/case/document-contract.ts). */
export function caseDocumentHandlers(docs: CaseDocuments, notices: CaseNotices): Pick<HandlerImpl, DocumentMethodName> {
  return {
    'case.issueDocuments': (i) => docs.issue(i.caseId),
    'case.document': (i) => docs.document(i.caseId, i.documentNo),
    'case.noticeDocument': (i) => notices.notice(i.caseId, i.kind),
    'case.printers': async () => ({ printers: await docs.printers() }),
    'case.print': (i) => docs.print(i),
    'case.revokeDocument': (i) => docs.revoke(i),
  };
}
