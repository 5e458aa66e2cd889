import type { FieldType } from '../catalog/fields.js';
import type { DocumentType } from '../catalog/schema.js';
import { DOCUMENT_FIELDS, isDocumentField } from './document-fields.js';
import type { CheckRule, DocumentRef } from './rule-schema.js';

/**
 * Cross-references of declared check rules, for validateCatalog: every field a rule names is a
 * field of its matter (or of a matter of its bundle), every material one of its materials, every
 * document field one extraction reads from that material's document type.
 */
export interface RuleScope {
  /** `matter 37142500-XZSP-002` / `bundle enterprise-opening`, for messages. */
  name: string;
  fields: ReadonlyMap<string, FieldType>;
  materials: ReadonlyMap<string, DocumentType>;
  /** Whether a key is in the field dictionary (the fields of an application form). */
  isFormKey: (key: string) => boolean;
}

type Report = (path: ReadonlyArray<string | number>, message: string) => void;

const AGE_TYPES: readonly FieldType[] = ['idNumber', 'date'];
const RANGE_TYPES: readonly FieldType[] = ['number', 'money', 'area'];

function checkField(scope: RuleScope, key: string, allowed: readonly FieldType[] | null, path: ReadonlyArray<string | number>, report: Report): void {
  const type = scope.fields.get(key);
  if (type === undefined) {
    report(path, `unknown field "${key}": not a field of ${scope.name}`);
  } else if (allowed && !allowed.includes(type)) {
    report(path, `field "${key}" is of type ${type}; this rule needs ${allowed.join(' or ')}`);
  }
}

function checkDocument(scope: RuleScope, ref: DocumentRef, path: ReadonlyArray<string | number>, report: Report): void {
  const docType = scope.materials.get(ref.material);
  if (docType === undefined) {
    report([...path, 'material'], `unknown material "${ref.material}": not a material of ${scope.name}`);
    return;
  }
  if (!isDocumentField(docType, ref.field, scope.isFormKey)) {
    const known = docType === 'application_form' ? 'the field dictionary keys' : DOCUMENT_FIELDS[docType].join(', ') || 'none';
    report([...path, 'field'], `unknown document field "${ref.field}" of ${docType} (material ${ref.material}; known: ${known})`);
  }
}

/** Reports every unknown reference and every rule id used twice in `rules` (paths relative to the checks array). */
export function checkRuleReferences(rules: readonly CheckRule[], scope: RuleScope, report: Report): void {
  const ids = new Map<string, number>();
  rules.forEach((r, i) => {
    const first = ids.get(r.id);
    if (first !== undefined) report([i, 'id'], `duplicate check id "${r.id}" (first at checks[${first}])`);
    else ids.set(r.id, i);
    switch (r.kind) {
      case 'age':
        return checkField(scope, r.field, AGE_TYPES, [i, 'field'], report);
      case 'range':
        return checkField(scope, r.field, RANGE_TYPES, [i, 'field'], report);
      case 'form_document':
        checkField(scope, r.field, null, [i, 'field'], report);
        return checkDocument(scope, r.document, [i, 'document'], report);
      case 'document_document':
        checkDocument(scope, r.left, [i, 'left'], report);
        return checkDocument(scope, r.right, [i, 'right'], report);
      case 'not_expired':
        return checkDocument(scope, r.document, [i, 'document'], report);
    }
  });
}

/**
 * One id, one rule across the catalog: a rule reused by several matters must be declared
 * identically everywhere. Returns where it was first declared differently, or null.
 */
export class RuleRegistry {
  private readonly seen = new Map<string, { json: string; at: string }>();
  conflict(rule: CheckRule, at: string): string | null {
    const json = JSON.stringify(rule);
    const prev = this.seen.get(rule.id);
    if (!prev) {
      this.seen.set(rule.id, { json, at });
      return null;
    }
    return prev.json === json ? null : prev.at;
  }
}
