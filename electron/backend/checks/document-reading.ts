import type { DocumentFieldReading } from '../../../shared/case/types.js';
import type { CaseState } from '../../../shared/case/types.js';
import type { CombinedMaterial } from '../../../shared/catalog/bundle.js';
import { AppError } from '../../../shared/errors.js';
import type { WindowCaseAction } from '../cases/case-store.js';

/**
 * What capture read from one page of a material, as a case action (document_read). The page must
 * be one of the material's attachments, so the evidence the checks point at travels with the case.
 */
export function documentReadAction(
  state: CaseState,
  m: CombinedMaterial,
  input: { sha256: string; docType: string; fields: Record<string, DocumentFieldReading> },
): WindowCaseAction {
  if (!state.materials[m.id]?.attachments.some((x) => x.sha256 === input.sha256)) {
    throw new AppError('bad_request', `识别结果对应的页面不是“${m.name}”的附件，请先添加该页面。`, `document_read of ${input.sha256} not attached to ${m.id}`);
  }
  if (Object.keys(input.fields).length === 0) throw new AppError('bad_request', '没有识别出任何内容，无需记录。', 'document_read without fields');
  return { type: 'document_read', materialId: m.id, sha256: input.sha256, docType: input.docType, fields: input.fields };
}
