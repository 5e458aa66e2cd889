import { describe, expect, it } from 'vitest';
import { runChecks } from './engine.js';
import { allPresent, doc, enterpriseInput, form, GOOD_DOCUMENTS, GOOD_FORM, idCard, matterResolution, page } from './test-fixtures.js';
import type { CheckInput, ExtractedDocument, Finding } from './types.js';

const byRule = (fs: Finding[], id: string) => fs.find((f) => f.ruleId === id);
/** The clean case with the document(s) of one material replaced. */
const withDocs = (materialId: string, ...docs: ExtractedDocument[]): CheckInput =>
  enterpriseInput({ documents: [...GOOD_DOCUMENTS.filter((d) => d.materialId !== materialId), ...docs] });
const FRONT = { name: '张伟', idNumber: '371425199003070018', birthDate: '1990年3月7日' };

describe('form against document', () => {
  it('blocks a name that differs between the form and the ID card, pointing at both sources', () => {
    const f = byRule(runChecks(withDocs('legalRep.idCard', idCard('legalRep.idCard', { ...FRONT, name: '张纬' }, 7))), 'form:legalRep.name=legalRep.idCard.name');
    expect(f).toMatchObject({ severity: 'blocking', overridable: false, fieldKey: 'legalRep.name', materialId: 'legalRep.idCard' });
    expect(f?.message).toBe('法定代表人姓名与法定代表人（负责人、经营者）身份证件不一致：申请表为“张伟”，法定代表人（负责人、经营者）身份证件为“张纬”');
    expect(f?.values[0]?.source).toEqual({ kind: 'form', key: 'legalRep.name', origin: 'typed' });
    expect(f?.values[1]).toMatchObject({ value: '张纬', label: '法定代表人（负责人、经营者）身份证件·姓名' });
    expect(f?.values[1]?.source).toEqual({ kind: 'page', sha256: page(7), region: [40, 40, 300, 32], docType: 'id_card', field: 'name', materialId: 'legalRep.idCard', confidence: 0.98 });
  });

  it('accepts the same name in traditional characters and with a space', () => {
    const fs = runChecks(withDocs('legalRep.idCard', idCard('legalRep.idCard', { ...FRONT, name: '張 偉' })));
    expect(fs).toEqual([]);
  });

  it('only warns when the reading is not confident, and says so', () => {
    const f = byRule(runChecks(withDocs('legalRep.idCard', idCard('legalRep.idCard', { ...FRONT, name: '张纬' }, 1, 0.6))), 'form:legalRep.name=legalRep.idCard.name');
    expect(f).toMatchObject({ severity: 'warning', overridable: true });
    expect(f?.message).toContain('识别置信度60%');
  });

  it('blocks an ID number that differs from the card', () => {
    const f = byRule(runChecks(withDocs('legalRep.idCard', idCard('legalRep.idCard', { ...FRONT, idNumber: '11010519491231002X' }))), 'form:legalRep.idNumber=legalRep.idCard.idNumber');
    expect(f?.severity).toBe('blocking');
  });

  it('blocks a lease for another address than the registered one (lease address = registered address)', () => {
    const lease = doc('premises.leaseContract', 'lease_contract', { lessor: '王芳', address: '齐河县晏城街道齐鲁大街99号', endDate: '2029-12-31' }, 3);
    const f = byRule(runChecks(withDocs('premises.leaseContract', lease)), 'lease-address-is-registered');
    expect(f).toMatchObject({ severity: 'blocking', fieldKey: 'enterprise.address', materialId: 'premises.leaseContract' });
    expect(f?.values.map((v) => v.value)).toEqual(['山东省德州市齐河县晏城街道齐鲁大街88号', '齐河县晏城街道齐鲁大街99号']);
  });

  it('only warns when the lease gives the registered address in more detail', () => {
    const lease = doc('premises.leaseContract', 'lease_contract', { lessor: '王芳', address: '齐鲁大街88号1单元101室', endDate: '2029-12-31' }, 3);
    const fs = runChecks(withDocs('premises.leaseContract', lease));
    expect(byRule(fs, 'lease-address-is-registered')).toMatchObject({ severity: 'warning' });
    expect(byRule(fs, 'lease-address-is-registered')?.message).toContain('一方更详细');
  });
});

describe('document against document', () => {
  const taxpayer = (licence: Record<string, string>): CheckInput => {
    const resolution = matterResolution('37142500-SW-001');
    return {
      resolution,
      form: form({ ...GOOD_FORM, 'enterprise.uscc': '91371425MA3C8K7P1B' }),
      documents: [GOOD_DOCUMENTS[0]!, GOOD_DOCUMENTS[1]!, doc('enterprise.businessLicence', 'business_licence', { name: '齐河县鲁齐商贸有限公司', uscc: '91371425MA3C8K7P1B', validUntil: '长期', ...licence }, 9)],
      materials: allPresent(resolution),
      acceptanceDate: '2026-05-11',
    };
  };

  it("blocks a licence whose legal representative is not the person on the ID card", () => {
    const fs = runChecks(taxpayer({ legalRepresentative: '李强' }));
    const f = byRule(fs, 'licence-legal-rep-is-id-holder');
    expect(f).toMatchObject({ severity: 'blocking', materialId: 'enterprise.businessLicence' });
    expect(f?.values.map((v) => [v.label, v.value])).toEqual([
      ['营业执照·法定代表人（负责人、经营者）', '李强'],
      ['法定代表人（负责人、经营者）身份证件·姓名', '张伟'],
    ]);
  });

  it('accepts the licence when its legal representative is the card holder', () => {
    expect(runChecks(taxpayer({ legalRepresentative: '張偉' })).filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('blocks a licence with another credit code than the form', () => {
    expect(byRule(runChecks(taxpayer({ legalRepresentative: '张伟', uscc: '92371425MA3BRT012G' })), 'form:enterprise.uscc=enterprise.businessLicence.uscc')?.severity).toBe('blocking');
  });

  it('blocks a lease and a property certificate for different premises; warns when the lessor is not the owner', () => {
    const lease = doc('premises.leaseContract', 'lease_contract', { lessor: '李强', address: '齐河县晏城街道齐鲁大街88号', endDate: '2029-12-31' }, 3);
    const property = doc('premises.propertyCertificate', 'property_certificate', { owner: '王芳', address: '齐河县晏城街道齐鲁大街90号' }, 4);
    const fs = runChecks(enterpriseInput({ documents: [GOOD_DOCUMENTS[0]!, GOOD_DOCUMENTS[1]!, lease, property] }));
    expect(byRule(fs, 'lease-matches-property')?.severity).toBe('blocking');
    const lessor = byRule(fs, 'lessor-owns-premises');
    expect(lessor).toMatchObject({ severity: 'warning', overridable: true });
    expect(lessor?.message).toMatch(/^出租方不是产权人时须提供转租同意或产权人授权：/);
  });
});

describe('validity on the acceptance date', () => {
  const back = (validUntil: string) => withDocs('legalRep.idCard', idCard('legalRep.idCard', FRONT, 1), idCard('legalRep.idCard', { validUntil }, 2));

  it('blocks an ID card that expired before the acceptance date', () => {
    const f = byRule(runChecks(back('2006.05.10-2026.05.10')), 'expiry:legalRep.idCard');
    expect(f).toMatchObject({ severity: 'blocking', materialId: 'legalRep.idCard', message: '法定代表人（负责人、经营者）身份证件已过期：有效期至2026-05-10，受理日为2026-05-11' });
    expect(f?.values[0]?.source).toMatchObject({ kind: 'page', sha256: page(2), field: 'validUntil' });
  });

  it('accepts a card valid through the acceptance date, with a reminder, and a card valid 长期 without one', () => {
    expect(byRule(runChecks(back('2006.05.11-2026.05.11')), 'expiry:legalRep.idCard')).toMatchObject({ severity: 'info' });
    expect(byRule(runChecks(back('2016.05.11-长期')), 'expiry:legalRep.idCard')).toBeUndefined();
  });

  it('asks for a look when the expiry cannot be read', () => {
    expect(byRule(runChecks(back('2035.13.45')), 'expiry:legalRep.idCard')).toMatchObject({ severity: 'warning' });
  });

  it('blocks an ended lease (declared not_expired on the lease end date)', () => {
    const lease = doc('premises.leaseContract', 'lease_contract', { lessor: '王芳', address: '齐河县晏城街道齐鲁大街88号', endDate: '2026年4月30日' }, 3);
    expect(byRule(runChecks(withDocs('premises.leaseContract', lease)), 'lease-not-ended')?.severity).toBe('blocking');
  });
});
