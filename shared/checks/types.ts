import type { Resolution } from '../catalog/bundle.js';
import type { FieldType } from '../catalog/fields.js';
import type { Bundle } from '../catalog/schema.js';
import type { EnterpriseRecord, IssuedCertificate, OpenCase, RegistryAnswer } from './registry-schema.js';
import type { CheckRule, Comparison, DocumentRef, Severity } from './rule-schema.js';

/** The inputs and outputs of the comparison checks (智能比对). Plain data, JSON-safe. */

export type { Severity };

/** As in shared/case/types.ts: 容缺 is supplement_later, 告知承诺 is commitment. */
export type MaterialStatus = 'present' | 'missing' | 'supplement_later' | 'commitment' | 'not_needed';
export interface MaterialState {
  status: MaterialStatus;
  /** 容缺: the date by which it must be supplied (YYYY-MM-DD). */
  deadline?: string;
}

/** A rectangle on a page image: x, y, width, height in pixels. */
export type PageRegion = readonly [number, number, number, number];

/** Where a form value came from: typed by the clerk, or accepted from a page's extraction. */
export type FormValueOrigin =
  | { kind: 'typed' }
  | { kind: 'extracted'; sha256: string; docType: string; field: string; confidence: number; region?: PageRegion };

export interface FormEntry {
  value: string;
  source?: FormValueOrigin;
}

/** One field extracted from a page of a material. */
export interface ExtractedField {
  value: string;
  /** 0..1 */
  confidence: number;
  /** The page image it was read from. */
  sha256: string;
  region?: PageRegion;
}

/** What extraction read from one material (several entries for one material, e.g. two sides of an ID card, are merged). */
export interface ExtractedDocument {
  materialId: string;
  docType: string;
  /** By document field name (see DOCUMENT_FIELDS). */
  fields: Readonly<Record<string, ExtractedField>>;
}

export type { EnterpriseRecord, IssuedCertificate, OpenCase, RegistryAnswer };

export interface CheckInput {
  /** The resolved matter or bundle (resolveBundle / resolveMatter). */
  resolution: Resolution;
  /** The bundle, when the case is one: its own `checks` apply too. */
  bundle?: Bundle | null;
  /** Form values by semantic key. */
  form: Readonly<Record<string, FormEntry>>;
  documents: readonly ExtractedDocument[];
  /** Status of each material by id; a material with extracted pages and no status counts as present. */
  materials: Readonly<Record<string, MaterialState>>;
  /** YYYY-MM-DD: ages and expiry are judged on this day. */
  acceptanceDate: string;
  openCases?: readonly OpenCase[];
  registry?: readonly RegistryAnswer[];
  /** This case, so that it is not its own duplicate. */
  caseId?: string;
}

export type ValueSource =
  | { kind: 'form'; key: string; origin?: 'typed' | 'extracted' }
  | { kind: 'page'; sha256: string; region?: PageRegion; docType: string; field: string; materialId: string; confidence: number }
  | { kind: 'registry'; name: string; stale: boolean; fetchedAt: string };

export interface FindingValue {
  value: string;
  /** Where, in Chinese: 申请表·法定代表人姓名 / 法定代表人身份证·姓名 / 企业登记信息·名称. */
  label: string;
  source: ValueSource;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  /** Chinese, for the clerk and the one-time notice. */
  message: string;
  values: FindingValue[];
  materialId?: string;
  fieldKey?: string;
  /** Matter codes the finding concerns (for instant approval of one matter of a bundle). */
  matters: string[];
  /** A warning may be overridden with a written reason (audited); a blocking finding may not. */
  overridable: boolean;
}

/** A rule as the engine runs it: declared ones from the catalog, derived ones from field types and materials. */
export type EffectiveRule = { matters: string[] } & (
  | CheckRule
  | { kind: 'required_field'; id: string; field: string; severity: Severity }
  | { kind: 'format'; id: string; field: string; type: FieldType; severity: Severity }
  | { kind: 'material'; id: string; material: string }
  | { kind: 'duplicate'; id: string; matter: string }
  | { kind: 'enterprise_registry'; id: string; field: string }
  | { kind: 'certificate_registry'; id: string; matter: string; templates: string[] }
);

export type { CheckRule, Comparison, DocumentRef };
