import type { CaseDocumentReading, ValueSource } from '../../../shared/case/types.js';
import type { CaseView } from '../../../shared/case/view.js';
import { AppError } from '../../../shared/errors.js';
import type { CaseService } from '../cases/case-service.js';
import type { CaseStore } from '../cases/case-store.js';
import { sameValue } from './autofill.js';
import { readingValues, regionTuple } from './capture-suggestions.js';

export interface AcceptItem {
  key: string;
  value: string;
  sha256: string;
  /** The form's value the clerk saw when choosing ('' for empty); absent: not checked. */
  expected?: string | undefined;
}

/**
 * 采用识别结果: the chosen values go into the form through the form's own save path
 * (CaseService.saveForm) with their provenance (page, field, region, confidence). Only the values
 * named are taken — a clerk's value is replaced only when its key is in the list — and each must be
 * what the named page was recorded as saying (document_read), so provenance cannot be made up.
 * A field that changed since the clerk looked at it is refused, never overwritten.
 */
export async function acceptSuggestions(cases: CaseService, store: CaseStore, caseId: string, accept: readonly AcceptItem[]): Promise<CaseView> {
  const row = store.get(caseId);
  if (!row) throw new AppError('not_found', '没有找到该办件。', `no case ${caseId}`);
  const view = cases.view(caseId);
  const fields = new Map(view.fields.map((f) => [f.key, f]));
  const readings: Array<{ materialId: string; reading: CaseDocumentReading }> = Object.entries(row.state.documents ?? {}).flatMap(([materialId, list]) =>
    list.map((reading) => ({ materialId, reading })),
  );
  const values: Record<string, string> = {};
  const sources: Record<string, ValueSource> = {};
  for (const item of accept) {
    const field = fields.get(item.key);
    if (!field) throw new AppError('bad_request', '本办件的表单中没有这一项，请刷新后重试。', `no field ${item.key}`);
    if (item.key in values) throw new AppError('bad_request', `“${field.label}”只能采用一个值。`, `${item.key} twice`);
    const found = readings.find((r) => r.reading.sha256 === item.sha256);
    const read = found && readingValues(found.reading, found.materialId).find((e) => e.key === item.key && sameValue(e.value, item.value));
    if (!read) throw new AppError('bad_request', `“${field.label}”的识别结果与材料页面不符，请重新识别后再采用。`, `${item.key} not read from ${item.sha256.slice(0, 12)}`);
    if (item.expected !== undefined && field.value !== item.expected) {
      throw new AppError('conflict', `“${field.label}”在识别后已被修改（现为“${field.value || '空'}”），请重新比对后再采用。`, `${item.key} changed since the suggestion`);
    }
    values[item.key] = read.value;
    sources[item.key] = {
      kind: 'extracted',
      sha256: item.sha256,
      docType: read.provenance.docType,
      field: read.provenance.field,
      confidence: Math.min(1, Math.max(0, read.confidence)),
      region: regionTuple(read.provenance.region),
    };
  }
  return cases.saveForm(caseId, values, sources);
}
