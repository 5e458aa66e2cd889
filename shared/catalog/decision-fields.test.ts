import { describe, expect, it } from 'vitest';
import { resolveBundle } from './bundle.js';
import { caseDecisionFields } from './decision-fields.js';
import { readCatalogDir } from './node-loader.js';
import { SHIPPED_CATALOG_DIR, shippedCatalog } from './test-support.js';
import { formatCatalogError, validateCatalog, type CatalogSourceFile } from './validate.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const shipped = readCatalogDir(SHIPPED_CATALOG_DIR);
const COMPANY = '37142500-XZSP-002';

function errorsAfter(file: string, edit: (d: Json) => void): string[] {
  const files: CatalogSourceFile[] = shipped.map((f) => (f.file === file ? { file, data: structuredClone(f.data) } : f));
  edit(files.find((f) => f.file === file)!.data as Json);
  return validateCatalog(files).errors.map(formatCatalogError);
}

const company = (d: Json) => (d.matters as Json[]).find((m) => m.code === COMPANY)!;

describe('decision fields in the catalog (stage: "decision")', () => {
  it('are kept out of the form of 受理 and listed as what the approval needs', () => {
    const index = shippedCatalog();
    const m = index.matters.get(COMPANY)!;
    expect(m.fields.map((f) => f.key)).not.toContain('enterprise.uscc');
    expect(m.decisionFields).toEqual([{ key: 'enterprise.uscc', label: '统一社会信用代码', type: 'uscc', required: true }]);
    // 企业开办: the registration's decision gives the code the other matters print (they do not ask it either).
    const b = index.bundles.get('enterprise-opening')!;
    const res = resolveBundle(b, Object.fromEntries(b.situations.map((s) => [s.id, s.answers[0]!.id])), index);
    expect(caseDecisionFields(res.matters).map((f) => f.key)).toEqual(['enterprise.uscc']);
    expect(res.fields.filter((f) => f.key === 'enterprise.uscc').every((f) => !f.required)).toBe(true);
  });

  it('a decision field may not be required at 受理 by another matter of a bundle, unless the deciding matter issues the document that produces it', () => {
    const errors = errorsAfter('matters/market.json', (d) => {
      const f = (company(d).fields as Json[]).find((x) => x.key === 'enterprise.name')!;
      f.stage = 'decision';
    });
    expect(errors.some((e) => e.startsWith('bundles/market.json: bundles[0].matters: field "enterprise.name" is set at the decision of 37142500-XZSP-002 (stage: decision) but ') && e.endsWith('a decision field may not be required at intake'))).toBe(true);
    // The shipped credit code: produced by the 营业执照 the registration issues — allowed.
    expect(validateCatalog(shipped).errors).toEqual([]);
  });

  it('the stage is intake or decision', () => {
    const errors = errorsAfter('matters/market.json', (d) => {
      (company(d).fields as Json[])[0]!.stage = 'later';
    });
    expect(errors.some((e) => /^matters\/market\.json: matters\[\d+\]\.fields\[0\]\.stage: /.test(e))).toBe(true);
  });
});
