import type { CaseState, MaterialStatus } from '../../../shared/case/types.js';
import type { CombinedMaterial, Resolution } from '../../../shared/catalog/bundle.js';
import { keySubject } from '../../../shared/catalog/fields.js';
import type { Bundle } from '../../../shared/catalog/schema.js';
import type { CheckInput, ExtractedDocument, ExtractedField, FormEntry, MaterialState, OpenCase, RegistryAnswer } from '../../../shared/checks/index.js';

/**
 * The comparison checks' input (shared/checks CheckInput) from a case as the window knows it: the
 * form with each value's source, what was read from the pages of each material, the checklist's
 * statuses, and from outside the case the office's open cases and the registry answers cached at
 * the window. Pure: the caller passes everything in.
 *
 * Documents come from two places:
 *  - `document_read` readings kept in the case (capture's fields of one page of one material);
 *  - form values accepted from a page (`sources[key].kind === 'extracted'`): the value is what the page
 *    said, so it stands for that field of the document it came from. The material is the one of that
 *    document type whose subject is the key's (legalRep.name from an ID card → legalRep.idCard), else
 *    the only material of that type in the checklist.
 */

/** Capture's document types (electron/backend/capture/extract/doc-types.ts) as the catalog names them. */
const CAPTURE_DOC_TYPES: Readonly<Record<string, string>> = {
  idcard_front: 'id_card',
  idcard_back: 'id_card',
  business_license: 'business_licence',
};

export function catalogDocType(docType: string): string {
  return CAPTURE_DOC_TYPES[docType] ?? docType;
}

/** A material's status in the checklist: as marked, else 缺少 (or 无需提供 for one the bundle produces). */
export function materialStatus(state: CaseState, m: CombinedMaterial): MaterialStatus {
  return state.materials[m.id]?.status ?? (m.producedBy !== undefined ? 'not_needed' : 'missing');
}

export function formEntries(state: CaseState): Record<string, FormEntry> {
  const out: Record<string, FormEntry> = {};
  for (const [key, value] of Object.entries(state.form)) {
    const src = state.sources[key];
    out[key] = { value, ...(src ? { source: src } : {}) };
  }
  return out;
}

function materialFor(key: string, docType: string, materials: readonly CombinedMaterial[]): CombinedMaterial | undefined {
  const ofType = materials.filter((m) => m.docType === docType);
  return ofType.find((m) => keySubject(m.id) === keySubject(key)) ?? (ofType.length === 1 ? ofType[0] : undefined);
}

/** What was read from the case's pages, by material (readings first, then values the form took from pages). */
export function caseDocuments(state: CaseState, resolution: Resolution): ExtractedDocument[] {
  const docs: ExtractedDocument[] = [];
  for (const [materialId, readings] of Object.entries(state.documents ?? {})) {
    for (const r of readings) {
      const fields: Record<string, ExtractedField> = {};
      for (const [name, f] of Object.entries(r.fields)) fields[name] = { value: f.value, confidence: f.confidence, sha256: r.sha256, ...(f.region ? { region: f.region } : {}) };
      docs.push({ materialId, docType: catalogDocType(r.docType), fields });
    }
  }
  for (const [key, src] of Object.entries(state.sources)) {
    const value = state.form[key];
    if (src.kind !== 'extracted' || value === undefined) continue;
    const docType = catalogDocType(src.docType);
    const m = materialFor(key, docType, resolution.materials);
    if (!m) continue;
    const field: ExtractedField = { value, confidence: src.confidence, sha256: src.sha256, ...(src.region ? { region: src.region } : {}) };
    docs.push({ materialId: m.id, docType, fields: { [src.field]: field } });
  }
  return docs;
}

/** Every material of the checklist with its status as the checklist shows it (pages read do not change it). */
export function materialStates(state: CaseState, resolution: Resolution): Record<string, MaterialState> {
  const out: Record<string, MaterialState> = {};
  for (const m of resolution.materials) {
    const deadline = state.materials[m.id]?.deadline;
    out[m.id] = { status: materialStatus(state, m), ...(deadline ? { deadline } : {}) };
  }
  return out;
}

export interface CaseCheckContext {
  state: CaseState;
  resolution: Resolution;
  bundle: Bundle | null;
  /** The business day (YYYY-MM-DD) the case would be accepted on. */
  today: string;
  openCases: readonly OpenCase[];
  registry: readonly RegistryAnswer[];
}

export function checkInputOf(c: CaseCheckContext): CheckInput {
  return {
    resolution: c.resolution,
    bundle: c.bundle,
    form: formEntries(c.state),
    documents: caseDocuments(c.state, c.resolution),
    materials: materialStates(c.state, c.resolution),
    acceptanceDate: c.today,
    openCases: c.openCases,
    registry: c.registry,
    caseId: c.state.caseId,
  };
}
