import { PRODUCED_FIELDS, type CombinedField, type CombinedMaterial, type Resolution } from '../catalog/bundle.js';
import { keySubject } from '../catalog/fields.js';
import type { Bundle } from '../catalog/schema.js';
import type { CheckRule, Comparison, DocumentRef, Severity } from './rule-schema.js';
import { sha256Hex } from './sha256.js';
import type { EffectiveRule } from './types.js';

/**
 * The rule set for a resolved matter or bundle: rules derived from the catalog (field types,
 * required fields and materials, the person on an ID card, licences, expiry, duplicates, registry)
 * followed by the rules the matters and the bundle declare. Derived ids contain a colon.
 */

/** Bump when the engine's behaviour changes without the rule data changing: it enters rulesVersion. */
export const RULES_ENGINE_VERSION = 'checks-1';

export { PRODUCED_FIELDS };

/** Field keys a result of one of the resolution's matters fills in for another (see resolveBundle). */
export function producedFieldKeys(resolution: Resolution): Set<string> {
  return new Set(resolution.fields.filter((f) => f.producedBy !== undefined).map((f) => f.key));
}

const FORMAT_SEVERITY: Partial<Record<CombinedField['type'], Severity>> = {
  idNumber: 'blocking', uscc: 'blocking', date: 'blocking', money: 'blocking', area: 'blocking', number: 'blocking',
  enum: 'blocking', boolean: 'blocking', phone: 'warning',
};

/** Matter codes that need a material (not the bundle itself). */
const mattersOf = (m: CombinedMaterial): string[] => [...new Set(m.neededBy.flatMap((n) => (n.matter === null ? [] : [n.matter])))];

function derivedDocumentRules(m: CombinedMaterial, fields: ReadonlyMap<string, CombinedField>): EffectiveRule[] {
  const out: EffectiveRule[] = [];
  const matters = mattersOf(m);
  const subject = keySubject(m.id);
  const pair = (field: string, docField: string, compare: Comparison, severity: Severity): void => {
    if (!fields.has(field)) return;
    const document: DocumentRef = { material: m.id, field: docField };
    out.push({ id: `form:${field}=${m.id}.${docField}`, kind: 'form_document', field, document, compare, severity, matters });
  };
  const expiry = (): void => {
    out.push({ id: `expiry:${m.id}`, kind: 'not_expired', document: { material: m.id, field: 'validUntil' }, warnWithinDays: 30, severity: 'blocking', matters });
  };
  if (m.docType === 'id_card' && fields.has(`${subject}.idNumber`)) {
    // The person on the card is the subject of the material id: legalRep.idCard ↔ legalRep.*.
    pair(`${subject}.name`, 'name', 'name', 'blocking');
    pair(`${subject}.idNumber`, 'idNumber', 'idNumber', 'blocking');
    pair(`${subject}.birthDate`, 'birthDate', 'date', 'blocking');
    pair(`${subject}.idValidUntil`, 'validUntil', 'date', 'warning');
    pair(`${subject}.householdAddress`, 'address', 'address', 'warning');
  }
  if (m.docType === 'id_card') expiry();
  if (m.docType === 'business_licence' && fields.has(`${subject}.uscc`)) {
    pair(`${subject}.name`, 'name', 'name', 'blocking');
    pair(`${subject}.uscc`, 'uscc', 'uscc', 'blocking');
    pair(`${subject}.address`, 'address', 'address', 'warning');
    if (subject === 'enterprise') pair('legalRep.name', 'legalRepresentative', 'name', 'blocking');
  }
  if (m.docType === 'business_licence') expiry();
  return out;
}

function deriveRules(resolution: Resolution): EffectiveRule[] {
  const out: EffectiveRule[] = [];
  const fields = new Map(resolution.fields.map((f) => [f.key, f]));
  const produced = producedFieldKeys(resolution);
  for (const f of resolution.fields) {
    if (f.required && !produced.has(f.key)) out.push({ id: `required:${f.key}`, kind: 'required_field', field: f.key, severity: 'blocking', matters: [...f.neededBy] });
    const severity = FORMAT_SEVERITY[f.type];
    if (severity) out.push({ id: `format:${f.key}`, kind: 'format', field: f.key, type: f.type, severity, matters: [...f.neededBy] });
  }
  for (const m of resolution.materials) {
    if (m.producedBy !== undefined) continue;
    if (m.requirement === 'required') out.push({ id: `material:${m.id}`, kind: 'material', material: m.id, matters: mattersOf(m) });
    out.push(...derivedDocumentRules(m, fields));
  }
  for (const m of resolution.matters) out.push({ id: `duplicate:${m.code}`, kind: 'duplicate', matter: m.code, matters: [m.code] });
  const uscc = fields.get('enterprise.uscc');
  if (uscc && !produced.has(uscc.key)) out.push({ id: 'registry:enterprise', kind: 'enterprise_registry', field: uscc.key, matters: [...uscc.neededBy] });
  for (const m of resolution.matters) {
    if (m.results.length === 0) continue;
    out.push({ id: `registry:certificates:${m.code}`, kind: 'certificate_registry', matter: m.code, templates: m.results.map((r) => r.template), matters: [m.code] });
  }
  return out;
}

/** The matters' and the bundle's declared rules, each id once (the same id declares the same rule: catalog check enforces it). */
function declaredRules(resolution: Resolution, bundle: Bundle | null | undefined): EffectiveRule[] {
  const byId = new Map<string, EffectiveRule>();
  for (const m of resolution.matters) {
    for (const r of m.checks ?? []) {
      const cur = byId.get(r.id);
      if (cur) cur.matters.push(m.code);
      else byId.set(r.id, { ...r, matters: [m.code] });
    }
  }
  for (const r of bundle?.checks ?? []) {
    if (!byId.has(r.id)) byId.set(r.id, { ...r, matters: resolution.matters.map((m) => m.code) });
  }
  return [...byId.values()];
}

const cache = new WeakMap<Resolution, Map<string, { rules: EffectiveRule[]; version: string }>>();

function compute(resolution: Resolution, bundle: Bundle | null | undefined): { rules: EffectiveRule[]; version: string } {
  const key = bundle?.id ?? '';
  let perBundle = cache.get(resolution);
  const hit = perBundle?.get(key);
  if (hit) return hit;
  const rules = [...deriveRules(resolution), ...declaredRules(resolution, bundle)];
  const version = sha256Hex(JSON.stringify({ engine: RULES_ENGINE_VERSION, rules }));
  const entry = { rules, version };
  if (!perBundle) {
    perBundle = new Map();
    cache.set(resolution, perBundle);
  }
  perBundle.set(key, entry);
  return entry;
}

/** Every rule that applies to this resolution, in evaluation order. Memoised per resolution object. */
export function effectiveRules(resolution: Resolution, bundle?: Bundle | null): readonly EffectiveRule[] {
  return compute(resolution, bundle).rules;
}

/** SHA-256 (hex) of the engine version and the effective rule set: recorded with every automated decision. */
export function rulesVersion(resolution: Resolution, bundle?: Bundle | null): string {
  return compute(resolution, bundle).version;
}

export type { CheckRule };
