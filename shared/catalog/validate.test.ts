import { describe, expect, it } from 'vitest';
import { readCatalogDir } from './node-loader.js';
import { SHIPPED_CATALOG_DIR } from './test-support.js';
import { formatCatalogError, formatPath, validateCatalog, type CatalogSourceFile } from './validate.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const shipped = readCatalogDir(SHIPPED_CATALOG_DIR);

/** The shipped catalog with one file's data edited in memory; returns the formatted errors. */
function errorsAfter(file: string, edit: (d: Json) => void): string[] {
  const files: CatalogSourceFile[] = shipped.map((f) => (f.file === file ? { file, data: structuredClone(f.data) } : f));
  const target = files.find((f) => f.file === file);
  if (!target) throw new Error(`no ${file}`);
  edit(target.data as Json);
  return validateCatalog(files).errors.map(formatCatalogError);
}

const enterpriseOpening = (d: Json) => (d.bundles as Json[]).find((b) => b.id === 'enterprise-opening')!;

describe('validateCatalog cross-references', () => {
  it('formats JSON paths the way the CLI prints them', () => {
    expect(formatPath(['matters', 3, 'fields', 2, 'key'])).toBe('matters[3].fields[2].key');
    expect(formatPath([])).toBe('');
  });

  it('refuses an unknown material in a bundle answer', () => {
    const errors = errorsAfter('bundles/market.json', (d) => {
      enterpriseOpening(d).situations[0].answers[0].materials = ['premises.deed'];
    });
    expect(errors).toContain('bundles/market.json: bundles[0].situations[0].answers[0].materials[0]: unknown material "premises.deed"');
  });

  it('refuses a situation none of whose answers selects anything', () => {
    const errors = errorsAfter('bundles/market.json', (d) => {
      const seal = enterpriseOpening(d).situations.find((s: Json) => s.id === 'seal');
      seal.answers[0].matters = [];
    });
    expect(errors).toContain('bundles/market.json: bundles[0].situations[2].answers: situation "seal" selects nothing: no answer adds a matter or a material');
  });

  it('refuses a conditional material that no situation of the bundle can ask for', () => {
    const errors = errorsAfter('bundles/market.json', (d) => {
      const b = enterpriseOpening(d);
      b.situations = b.situations.filter((s: Json) => s.id !== 'agent');
    });
    expect(errors.some((e) => e.startsWith('bundles/market.json: bundles[0].situations: conditional material "agent.idCard" of matter 37142500-XZSP-002'))).toBe(true);
  });

  it('refuses an answer that adds a matter the bundle always includes', () => {
    const errors = errorsAfter('bundles/market.json', (d) => {
      enterpriseOpening(d).situations[2].answers[0].matters = ['37142500-XZSP-002'];
    });
    expect(errors).toContain(
      'bundles/market.json: bundles[0].situations[2].answers[0].matters[0]: matter "37142500-XZSP-002" is always included in this bundle; an answer cannot add it',
    );
  });

  it('refuses an unknown material in a matter, a field listed twice, and a conditional material without its condition', () => {
    const errors = errorsAfter('matters/tax.json', (d) => {
      d.matters[0].materials[0].id = 'tax.nothing';
      d.matters[0].fields.push({ key: 'enterprise.name' });
      d.matters[1].materials.push({ id: 'agent.idCard', requirement: 'conditional' });
    });
    expect(errors).toContain('matters/tax.json: matters[0].materials[0].id: unknown material "tax.nothing"');
    expect(errors.some((e) => /^matters\/tax\.json: matters\[0\]\.fields\[\d+\]\.key: field "enterprise\.name" listed twice$/.test(e))).toBe(true);
    expect(errors.some((e) => /^matters\/tax\.json: matters\[1\]\.materials\[\d+\]\.condition: a conditional material needs its condition/.test(e))).toBe(true);
  });

  it('refuses a promise longer than the statutory limit and a malformed code', () => {
    const errors = errorsAfter('matters/market.json', (d) => {
      d.matters[1].promisedDays = 30;
      d.matters[2].code = '371425-XZSP-3';
    });
    expect(errors).toContain('matters/market.json: matters[1].promisedDays: promised time limit (30) exceeds the statutory one (3)');
    expect(errors.some((e) => e.startsWith('matters/market.json: matters[2].code: must look like 37142500-XZSP-001'))).toBe(true);
  });

  it('refuses an enum field without options and a duplicate field key in the dictionary', () => {
    const errors = errorsAfter('fields.json', (d) => {
      const sex = d.fields.find((f: Json) => f.key === 'applicant.sex');
      delete sex.options;
      d.fields.push({ key: 'enterprise.name', label: '名称', type: 'string' });
    });
    expect(errors.some((e) => /^fields\.json: fields\[\d+\]\.options: an enum field needs its options$/.test(e))).toBe(true);
    expect(errors.some((e) => /^fields\.json: fields\[\d+\]\.key: duplicate field key "enterprise\.name" \(first defined at fields\[\d+\]\)$/.test(e))).toBe(true);
  });

  it('reports a stray file and missing dictionaries', () => {
    const r = validateCatalog([{ file: 'notes.json', data: {} }]);
    const errors = r.errors.map(formatCatalogError);
    expect(errors).toContain('notes.json: (root): unexpected file (a catalog holds fields.json, materials.json, matters/*.json and bundles/*.json)');
    expect(errors).toContain('fields.json: (root): missing: the field dictionary is required');
    expect(errors).toContain('materials.json: (root): missing: the material dictionary is required');
    expect(r.catalog).toBeNull();
  });

  it('fills in each matter\'s fields and materials from the dictionaries', () => {
    const r = validateCatalog(shipped);
    expect(r.ok).toBe(true);
    const m = r.catalog!.matters.find((x) => x.code === '37142500-XZSP-002')!;
    expect(m.fields.find((f) => f.key === 'legalRep.idNumber')).toMatchObject({ label: '法定代表人公民身份号码', type: 'idNumber', required: true });
    expect(m.materials.find((x) => x.id === 'legalRep.idCard')).toMatchObject({ docType: 'id_card', form: 'copy', carrier: 'paper', copies: 1, requirement: 'required' });
    expect(m.materials.find((x) => x.id === 'premises.commitment')).toMatchObject({ requirement: 'conditional', condition: '经营场所无产权证明的' });
  });
});

describe('validateCatalog check rules', () => {
  const setUp = (d: Json) => d.matters.find((m: Json) => m.code === '37142500-XZSP-002');

  it('accepts the shipped rules and carries them on the matter', () => {
    const r = validateCatalog(shipped);
    expect(r.ok).toBe(true);
    const m = r.catalog!.matters.find((x) => x.code === '37142500-XZSP-002')!;
    expect(m.checks?.map((c) => c.id)).toContain('legal-rep-adult');
    expect(r.catalog!.bundles.find((b) => b.id === 'enterprise-opening')!.checks.map((c) => c.id)).toEqual(['lessor-owns-premises']);
  });

  it('refuses a rule naming a field the matter does not have', () => {
    const errors = errorsAfter('matters/market.json', (d) => {
      setUp(d).checks[0].field = 'legalRep.age';
    });
    expect(errors).toContain('matters/market.json: matters[1].checks[0].field: unknown field "legalRep.age": not a field of matter 37142500-XZSP-002');
  });

  it('refuses a rule naming a field of the dictionary that is not on this matter', () => {
    const errors = errorsAfter('matters/market.json', (d) => {
      setUp(d).checks[0].field = 'applicant.idNumber';
    });
    expect(errors).toContain('matters/market.json: matters[1].checks[0].field: unknown field "applicant.idNumber": not a field of matter 37142500-XZSP-002');
  });

  it('refuses a rule naming a material the matter does not ask for', () => {
    const errors = errorsAfter('matters/market.json', (d) => {
      setUp(d).checks[1].document.material = 'premises.deed';
    });
    expect(errors).toContain('matters/market.json: matters[1].checks[1].document.material: unknown material "premises.deed": not a material of matter 37142500-XZSP-002');
  });

  it('refuses a document field that extraction does not read from that document type', () => {
    const errors = errorsAfter('matters/market.json', (d) => {
      setUp(d).checks[2].right.field = 'street';
    });
    expect(errors.some((e) => e.startsWith('matters/market.json: matters[1].checks[2].right.field: unknown document field "street" of property_certificate (material premises.propertyCertificate; known: certificateNo, owner'))).toBe(true);
  });

  it('refuses an age rule on a field that is neither an ID number nor a date', () => {
    const errors = errorsAfter('matters/market.json', (d) => {
      setUp(d).checks[0].field = 'legalRep.name';
    });
    expect(errors).toContain('matters/market.json: matters[1].checks[0].field: field "legalRep.name" is of type string; this rule needs idNumber or date');
  });

  it('refuses a range rule without bounds', () => {
    const errors = errorsAfter('matters/market.json', (d) => {
      setUp(d).checks.push({ id: 'capital-range', kind: 'range', field: 'enterprise.registeredCapital' });
    });
    expect(errors).toContain('matters/market.json: matters[1].checks[5].min: a range rule needs min or max');
  });

  it('refuses an unknown rule kind and a malformed id', () => {
    const errors = errorsAfter('matters/market.json', (d) => {
      setUp(d).checks[0].kind = 'astrology';
      setUp(d).checks[1].id = 'Lease Address';
    });
    expect(errors.some((e) => e.startsWith('matters/market.json: matters[1].checks[0].kind: '))).toBe(true);
    expect(errors).toContain('matters/market.json: matters[1].checks[1].id: must be a lower-case id such as legal-rep-adult');
  });

  it('refuses one id used for two different rules, in one matter or across the catalog', () => {
    const errors = errorsAfter('matters/market.json', (d) => {
      setUp(d).checks[1].id = 'lease-matches-property';
      const other = d.matters.find((m: Json) => m.code === '37142500-XZSP-003');
      other.checks[0].min = 16;
    });
    expect(errors).toContain('matters/market.json: matters[1].checks[2].id: duplicate check id "lease-matches-property" (first at checks[1])');
    expect(errors.some((e) => /^matters\/market\.json: matters\[\d+\]\.checks\[0\]\.id: check "legal-rep-adult" is declared differently at matters\/market\.json: matters\[\d+\]\.checks\[0\]$/.test(e))).toBe(true);
  });

  it('refuses a bundle rule naming a material none of its matters or answers asks for', () => {
    const errors = errorsAfter('bundles/market.json', (d) => {
      enterpriseOpening(d).checks[0].right.material = 'property.certificate';
      enterpriseOpening(d).checks.push({ id: 'accountant-phone', kind: 'form_document', field: 'newborn.name', document: { material: 'legalRep.idCard', field: 'name' } });
    });
    expect(errors).toContain('bundles/market.json: bundles[0].checks[0].right.material: unknown material "property.certificate": not a material of bundle enterprise-opening');
    expect(errors).toContain('bundles/market.json: bundles[0].checks[1].field: unknown field "newborn.name": not a field of bundle enterprise-opening');
  });

  it('lets a bundle rule use a field of a matter only an answer adds', () => {
    const errors = errorsAfter('bundles/market.json', (d) => {
      enterpriseOpening(d).checks.push({ id: 'seal-count', kind: 'range', field: 'seal.quantity', min: 1, max: 10 });
    });
    expect(errors).toEqual([]);
  });
});
