import { z } from 'zod';

/**
 * The field dictionary: every semantic form key is defined once (label, type, enum options) in
 * resources/catalog/fields.json; matters refer to keys only. A key is `<subject>.<attribute>`:
 * the subject names whose data it is (applicant, legalRep, enterprise, premises, property, ...)
 * so that checks can line a document up with the fields of the same subject — the ID card held as
 * material `legalRep.idCard` is compared with `legalRep.name` and `legalRep.idNumber`.
 */
export const FIELD_TYPES = [
  'string',
  'date',
  'number',
  'phone',
  'idNumber',
  'uscc',
  'address',
  'money',
  'area',
  'enum',
  'boolean',
] as const;
export const FieldType = z.enum(FIELD_TYPES);
export type FieldType = z.infer<typeof FieldType>;

/** `applicant.idNumber`, `enterprise.uscc`, `newborn.birthDate`: a lower-camel subject, a dot, lower-camel attributes. */
export const SEMANTIC_KEY = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/;
export const FieldKey = z.string().regex(SEMANTIC_KEY, 'must be a dotted semantic key such as applicant.idNumber');

export const EnumOption = z.strictObject({
  value: z.string().min(1),
  label: z.string().min(1),
});
export type EnumOption = z.infer<typeof EnumOption>;

export const FieldDefinition = z
  .strictObject({
    key: FieldKey,
    label: z.string().min(1),
    type: FieldType,
    options: z.array(EnumOption).min(2).optional(),
    hint: z.string().optional(),
  })
  .superRefine((f, ctx) => {
    if (f.type === 'enum' && f.options === undefined) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'an enum field needs its options' });
    }
    if (f.type !== 'enum' && f.options !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: `only enum fields have options (type is ${f.type})` });
    }
    if (f.options) {
      const seen = new Set<string>();
      f.options.forEach((o, i) => {
        if (seen.has(o.value)) ctx.addIssue({ code: 'custom', path: ['options', i, 'value'], message: `duplicate option "${o.value}"` });
        seen.add(o.value);
      });
    }
  });
export type FieldDefinition = z.infer<typeof FieldDefinition>;

export const FieldsFile = z.strictObject({
  fields: z.array(FieldDefinition).min(1),
});
export type FieldsFile = z.infer<typeof FieldsFile>;

/** The subject part of a semantic key: `legalRep` for `legalRep.idNumber`. */
export function keySubject(key: string): string {
  const dot = key.indexOf('.');
  return dot < 0 ? key : key.slice(0, dot);
}
