import { z } from 'zod';
import { FieldKey, SEMANTIC_KEY } from '../catalog/fields.js';

/**
 * Check rules as catalog data: the `checks` array of a matter (applies wherever the matter is
 * handled) or of a bundle (applies to the bundle's combined form and materials). Rules that every
 * matter needs — field formats by field type, required fields, required materials, the person on an
 * ID card against the form, expiry of ID cards and licences, duplicates, registry answers — are
 * derived from the catalog by `effectiveRules` and need not be declared.
 */

export const Severity = z.enum(['blocking', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/** Declared rule ids: `legal-rep-adult`, `lease.address-is-registered`. Derived ids contain a colon and cannot clash. */
export const RuleId = z.string().regex(/^[a-z][a-z0-9]*([.-][a-z0-9]+)*$/, 'must be a lower-case id such as legal-rep-adult');

/** How two values are compared: which normalisation applies. */
export const Comparison = z.enum(['name', 'idNumber', 'uscc', 'address', 'date', 'text', 'amount', 'area']);
export type Comparison = z.infer<typeof Comparison>;

/** A field of an extracted document: the material it belongs to and the field's name (see DOCUMENT_FIELDS). */
export const DocumentRef = z.strictObject({
  material: z.string().regex(SEMANTIC_KEY, 'must be a material id such as legalRep.idCard'),
  field: z.string().regex(/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)*$/, 'must be a document field such as name or validUntil'),
});
export type DocumentRef = z.infer<typeof DocumentRef>;

const base = { id: RuleId, message: z.string().min(1).optional() };

export const CheckRule = z
  .discriminatedUnion('kind', [
    /** Age in whole years on the acceptance date, from an ID number or a date field (法定代表人年满18周岁). */
    z.strictObject({ ...base, kind: z.literal('age'), field: FieldKey, min: z.number().int().min(0).max(150).optional(), max: z.number().int().min(0).max(150).optional(), severity: Severity.default('blocking') }),
    /** A number, amount or area within bounds (缴存比例 5–12). */
    z.strictObject({ ...base, kind: z.literal('range'), field: FieldKey, min: z.number().optional(), max: z.number().optional(), severity: Severity.default('warning') }),
    /** A form field against a field of a document (申请表 vs 身份证). */
    z.strictObject({ ...base, kind: z.literal('form_document'), field: FieldKey, document: DocumentRef, compare: Comparison.optional(), severity: Severity.default('blocking') }),
    /** A document against another (营业执照的法定代表人 = 身份证上的人; 租赁地址 = 产权证地址). */
    z.strictObject({ ...base, kind: z.literal('document_document'), left: DocumentRef, right: DocumentRef, compare: Comparison, severity: Severity.default('blocking') }),
    /** A document not expired on the acceptance date (warning `warnWithinDays` before). */
    z.strictObject({ ...base, kind: z.literal('not_expired'), document: DocumentRef, warnWithinDays: z.number().int().min(1).max(365).optional(), severity: Severity.default('blocking') }),
  ])
  .superRefine((r, ctx) => {
    if ((r.kind === 'age' || r.kind === 'range') && r.min === undefined && r.max === undefined) {
      ctx.addIssue({ code: 'custom', path: ['min'], message: `${r.kind === 'age' ? 'an age' : 'a range'} rule needs min or max` });
    }
    if ((r.kind === 'age' || r.kind === 'range') && r.min !== undefined && r.max !== undefined && r.min > r.max) {
      ctx.addIssue({ code: 'custom', path: ['max'], message: `max (${r.max}) is below min (${r.min})` });
    }
  });
export type CheckRule = z.infer<typeof CheckRule>;
export type CheckRuleInput = z.input<typeof CheckRule>;
