import type { CombinedField, CombinedMaterial } from '../catalog/bundle.js';
import { documentFieldLabel } from './document-fields.js';
import type { CheckInput, ExtractedField, FindingValue } from './types.js';

/** What every evaluator looks up: form values, extracted fields by material, labels. Built once per run. */
export interface CheckContext {
  input: CheckInput;
  fields: ReadonlyMap<string, CombinedField>;
  materials: ReadonlyMap<string, CombinedMaterial>;
  documents: ReadonlyMap<string, { docType: string; fields: Map<string, ExtractedField> }>;
}

export function buildContext(input: CheckInput): CheckContext {
  const documents = new Map<string, { docType: string; fields: Map<string, ExtractedField> }>();
  for (const d of input.documents) {
    let cur = documents.get(d.materialId);
    if (!cur) {
      cur = { docType: d.docType, fields: new Map() };
      documents.set(d.materialId, cur);
    }
    for (const [name, f] of Object.entries(d.fields)) {
      const prev = cur.fields.get(name);
      // Two sides or two scans of one material: the more confident reading wins.
      if (f.value.trim() !== '' && (!prev || f.confidence > prev.confidence)) cur.fields.set(name, f);
    }
  }
  return {
    input,
    fields: new Map(input.resolution.fields.map((f) => [f.key, f])),
    materials: new Map(input.resolution.materials.map((m) => [m.id, m])),
    documents,
  };
}

/** A form value, trimmed; undefined when empty. */
export function formValue(ctx: CheckContext, key: string): string | undefined {
  const v = ctx.input.form[key]?.value.trim();
  return v === undefined || v === '' ? undefined : v;
}

export function fieldLabel(ctx: CheckContext, key: string): string {
  return ctx.fields.get(key)?.label ?? key;
}

export function materialName(ctx: CheckContext, id: string): string {
  return ctx.materials.get(id)?.name ?? id;
}

/** A document field's Chinese name; on an application form the field is a form key. */
export function docFieldLabel(ctx: CheckContext, material: string, field: string): string {
  const docType = ctx.documents.get(material)?.docType ?? ctx.materials.get(material)?.docType ?? 'other';
  return documentFieldLabel(docType, field) ?? fieldLabel(ctx, field);
}

export function formEvidence(ctx: CheckContext, key: string, value: string): FindingValue {
  const origin = ctx.input.form[key]?.source?.kind;
  return { value, label: `申请表·${fieldLabel(ctx, key)}`, source: { kind: 'form', key, ...(origin ? { origin } : {}) } };
}

/** An extracted document field with its page evidence, or undefined when not read. */
export function documentValue(ctx: CheckContext, material: string, field: string): { field: ExtractedField; evidence: FindingValue } | undefined {
  const doc = ctx.documents.get(material);
  const f = doc?.fields.get(field);
  if (!doc || !f) return undefined;
  return {
    field: f,
    evidence: {
      value: f.value.trim(),
      label: `${materialName(ctx, material)}·${docFieldLabel(ctx, material, field)}`,
      source: { kind: 'page', sha256: f.sha256, ...(f.region ? { region: f.region } : {}), docType: doc.docType, field, materialId: material, confidence: f.confidence },
    },
  };
}
