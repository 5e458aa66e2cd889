import type { CaptureResult } from '../../../shared/case/capture-contract.js';
import { CASE_STATUS_LABEL } from '../../../shared/case/types.js';
import type { CaseView, MaterialView } from '../../../shared/case/view.js';
import { AppError } from '../../../shared/errors.js';
import type { CaseService } from '../cases/case-service.js';
import { createLogger } from '../log.js';
import type { ImportResult } from './capture-service.js';
import { pageReading, pageView, suggestionsFor } from './capture-suggestions.js';

const log = createLogger('capture');
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** The reducer takes attachments while a case is a draft, accepted or approved (容缺 supplied later). */
const TAKES_PAGES = new Set(['DRAFT', 'ACCEPTED', 'APPROVED']);

/** The base64 of a call, or a Chinese error. */
export function decodeBase64(dataBase64: string): Buffer {
  const b64 = dataBase64.replace(/\s+/g, '');
  if (b64.length % 4 !== 0 || !BASE64.test(b64)) throw new AppError('bad_request', '文件数据有误，请重新选择文件。', 'capture data is not valid base64');
  return Buffer.from(b64, 'base64');
}

/**
 * The material pages go to, checked before any page is read: the case exists, the material is on
 * its checklist and asked from the applicant, and the case still takes pages.
 */
export function captureTarget(cases: CaseService, caseId: string, materialId: string): { view: CaseView; material: MaterialView } {
  const view = cases.view(caseId);
  const material = view.materials.find((m) => m.id === materialId);
  if (!material) throw new AppError('bad_request', '该材料不在本办件的材料清单中，请刷新后重试。', `no material ${materialId}`);
  if (material.producedBy) throw new AppError('bad_request', `“${material.name}”由本次办理产生，无需收取。`, `material ${materialId} is produced`);
  if (!TAKES_PAGES.has(view.summary.status)) {
    throw new AppError('invalid_transition', `办件当前为“${CASE_STATUS_LABEL[view.summary.status]}”，不能再添加材料。`, `capture on ${view.summary.status}`);
  }
  return { view, material };
}

function pageName(fileName: string, index: number, pages: number): string {
  const stem = fileName.trim().replace(/\.[A-Za-z0-9]{1,5}$/, '') || '材料';
  return `${stem.slice(0, 180)}${pages > 1 ? `-第${index + 1}页` : ''}.jpg`;
}

/**
 * Stores the kept pages of a finished import on the material — each through `case.attach`'s own path
 * (CaseService.attach) — and records what each page says (document_read). If anything fails, the
 * pages this call added are taken off again, so nothing is left half-stored.
 */
export async function storePages(
  cases: CaseService,
  target: { caseId: string; materialId: string; fileName: string },
  result: Pick<ImportResult, 'pages' | 'skipped'>,
  before: CaseView,
): Promise<CaptureResult> {
  const { caseId, materialId } = target;
  const had = new Set(before.materials.find((m) => m.id === materialId)?.attachments.map((a) => a.sha256) ?? []);
  const added: string[] = [];
  const total = result.pages.length + result.skipped.length;
  let view = before;
  try {
    for (const page of result.pages) {
      const sha = page.stored.sha256;
      const name = pageName(target.fileName, page.index, total);
      view = await cases.attach({ caseId, materialId, name, dataBase64: Buffer.from(page.stored.bytes).toString('base64') });
      if (!had.has(sha)) {
        had.add(sha);
        added.push(sha);
      }
    }
    for (const page of result.pages) {
      const reading = pageReading(page);
      if (reading) view = await cases.readDocument({ caseId, materialId, sha256: page.stored.sha256, ...reading });
    }
  } catch (err) {
    for (const sha of added.reverse()) {
      await cases.detach(caseId, materialId, sha).catch((e: unknown) => log.warn(`could not take page ${sha.slice(0, 12)} off ${caseId} after a failed capture`, e));
    }
    throw err;
  }
  log.info(`case ${caseId}: ${result.pages.length} page(s) captured onto ${materialId}, ${result.skipped.length} skipped`);
  return {
    view,
    pages: result.pages.map(pageView),
    suggestions: view.summary.status === 'DRAFT' ? suggestionsFor(view, materialId, result.pages) : [],
    skipped: result.skipped,
  };
}
