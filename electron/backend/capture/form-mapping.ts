import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExtractedValue } from './autofill.js';
import { amountYuan } from './extract/values.js';
import type { CapturedPage, ExtractedField } from './types.js';

/**
 * From a document's fields to the form's semantic keys (resources/catalog/fields.json). Whose
 * data it is comes from the material: the ID card held as `legalRep.idCard` fills `legalRep.name`
 * and `legalRep.idNumber`; a business licence held as `mortgage.creditorLicence` names the
 * mortgagee. Keys the catalog does not define are never produced.
 */

type Convert = (f: ExtractedField) => string | null;
const asIs: Convert = (f) => f.value;
const SEX: Convert = (f) => ({ 男: 'male', 女: 'female' })[f.value] ?? null;
const DATE: Convert = (f) => (/^\d{4}-\d{2}-\d{2}/.test(f.value) ? f.value.slice(0, 10) : null);
const MONEY: Convert = (f) => {
  const y = amountYuan(f.value);
  return y === null ? null : String(y);
};
const ENTITY_TYPE: Convert = (f) => {
  const t = f.value;
  if (t.includes('个体')) return 'individual_business';
  if (t.includes('合伙')) return 'partnership';
  if (t.includes('个人独资')) return 'sole_proprietorship';
  if (t.includes('股份有限')) return 'joint_stock';
  if (t.includes('有限责任') || t.includes('有限公司')) return 'llc';
  return null;
};
const PROPERTY_USE: Convert = (f) => {
  const u = f.value.split('/').pop() ?? f.value;
  for (const [word, value] of [['住宅', 'residential'], ['商业', 'commercial'], ['商服', 'commercial'], ['工业', 'industrial'], ['办公', 'office'], ['仓储', 'storage']] as const) {
    if (u.includes(word)) return value;
  }
  return null;
};

/**
 * field name → [key, converter, only for the type's default role]. `$` stands for the role
 * (subject) of the material: the ID card of `seller.idCard` fills seller.name.
 */
const MAP: Record<string, Record<string, [string, Convert, boolean?]>> = {
  idcard_front: {
    name: ['$.name', asIs],
    idNumber: ['$.idNumber', asIs],
    sex: ['$.sex', SEX],
    birthDate: ['$.birthDate', DATE],
    address: ['$.householdAddress', asIs],
  },
  idcard_back: { validUntil: ['$.idValidUntil', DATE] },
  business_license: {
    name: ['$.name', asIs],
    uscc: ['$.uscc', asIs],
    entityType: ['$.type', ENTITY_TYPE],
    registeredCapital: ['$.registeredCapital', MONEY],
    address: ['$.address', asIs],
    businessScope: ['$.businessScope', asIs],
    legalRepresentative: ['legalRep.name', asIs, true],
  },
  property_certificate: {
    owner: ['$.name', asIs],
    certificateNo: ['property.certificateNo', asIs],
    unitNo: ['property.unitNo', asIs],
    address: ['property.address', asIs],
    buildingArea: ['property.area', asIs],
    landArea: ['property.landArea', asIs],
    use: ['property.use', PROPERTY_USE],
  },
  birth_certificate: {
    newbornName: ['newborn.name', asIs],
    newbornSex: ['newborn.sex', SEX],
    birthTime: ['newborn.birthDate', DATE],
    institution: ['newborn.birthPlace', asIs],
    certificateNo: ['newborn.birthCertificateNo', asIs],
    motherName: ['mother.name', asIs],
    motherIdNumber: ['mother.idNumber', asIs],
    fatherName: ['father.name', asIs],
    fatherIdNumber: ['father.idNumber', asIs],
  },
};

/** Whose data a document is when the material does not say. */
export const DEFAULT_ROLE: Record<string, string> = {
  idcard_front: 'applicant',
  idcard_back: 'applicant',
  business_license: 'enterprise',
  property_certificate: 'applicant',
  birth_certificate: 'newborn',
};

/** The subject of a material id: `legalRep` for `legalRep.idCard`. */
export function roleOfMaterial(materialId: string): string {
  const dot = materialId.indexOf('.');
  return dot < 0 ? materialId : materialId.slice(0, dot);
}

let shippedKeys: Set<string> | undefined;
/** The semantic keys defined in resources/catalog/fields.json. */
export function catalogFieldKeys(file?: string): Set<string> {
  if (!file && shippedKeys) return shippedKeys;
  const f = file ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/catalog/fields.json');
  const keys = new Set((JSON.parse(readFileSync(f, 'utf8')) as { fields: Array<{ key: string }> }).fields.map((x) => x.key));
  if (!file) shippedKeys = keys;
  return keys;
}

export interface MappingOptions {
  /** The material the page was captured for (its subject becomes the role). */
  materialId?: string;
  /** Overrides the role (applicant, legalRep, seller …). */
  role?: string;
  /** Keys the form knows (default: the shipped catalog's). */
  knownKeys?: ReadonlySet<string>;
}

export function toFormValues(page: Pick<CapturedPage, 'docType' | 'fields' | 'engine' | 'stored'>, opts: MappingOptions = {}): ExtractedValue[] {
  if (!page.docType) return [];
  const map = MAP[page.docType] ?? {};
  const role = opts.role ?? (opts.materialId ? roleOfMaterial(opts.materialId) : DEFAULT_ROLE[page.docType]!);
  const known = opts.knownKeys ?? catalogFieldKeys();
  const out: ExtractedValue[] = [];
  for (const f of page.fields) {
    const m = map[f.name];
    if (!m) continue;
    if (m[2] && role !== DEFAULT_ROLE[page.docType]) continue;
    const key = m[0].replace('$', role);
    const value = m[1](f);
    if (!known.has(key) || value === null || value === '') continue;
    out.push({
      key,
      value,
      confidence: f.confidence,
      valid: f.valid,
      ...(f.problem ? { problem: f.problem } : {}),
      provenance: {
        pageSha256: page.stored.sha256,
        region: f.region,
        engine: page.engine,
        confidence: f.confidence,
        docType: page.docType,
        field: f.name,
        ...(opts.materialId ? { materialId: opts.materialId } : {}),
      },
    });
  }
  return out;
}
