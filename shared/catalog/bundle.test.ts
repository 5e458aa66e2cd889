import { describe, expect, it } from 'vitest';
import { resolveBundle, resolveMatter } from './bundle.js';
import { shippedCatalog } from './test-support.js';

const catalog = shippedCatalog();
const bundle = (id: string) => {
  const b = catalog.bundles.get(id);
  if (!b) throw new Error(`no bundle ${id}`);
  return b;
};

describe('resolveBundle', () => {
  it('asks for the legal representative\'s ID card once in 企业开办, naming every matter that needs it', () => {
    const r = resolveBundle(bundle('enterprise-opening'), { premises: 'owned', agent: 'no', seal: 'yes', invoice: 'yes', taxpayer: 'small-scale' }, catalog);
    const idCards = r.materials.filter((m) => m.id === 'legalRep.idCard');
    expect(idCards).toHaveLength(1);
    const needers = idCards[0]!.neededBy.map((n) => n.matter);
    expect(needers).toEqual(
      expect.arrayContaining(['37142500-XZSP-001', '37142500-XZSP-002', '37142500-GA-001', '37142500-SW-001', '37142500-SW-002', '37142500-RS-001', '37142500-GJJ-001']),
    );
    expect(idCards[0]!.requirement).toBe('required');
    expect(new Set(r.materials.map((m) => m.id)).size).toBe(r.materials.length);
  });

  it('fills each field once: the enterprise name is one field shared by all the matters that have it', () => {
    const r = resolveBundle(bundle('enterprise-opening'), { premises: 'owned', agent: 'no', seal: 'yes', invoice: 'no', taxpayer: 'small-scale' }, catalog);
    const keys = r.fields.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    const name = r.fields.find((f) => f.key === 'enterprise.name')!;
    expect(name.label).toBe('名称');
    expect(name.neededBy.length).toBeGreaterThanOrEqual(5);
    // The union covers fields that only one matter has.
    expect(keys).toContain('seal.quantity');
    expect(keys).toContain('housingFund.depositRate');
    expect(keys).toContain('enterprise.registeredCapital');
  });

  it('does not ask for the credit code in 企业开办: 企业设立登记 issues the licence that carries it; a single matter still asks', () => {
    const r = resolveBundle(bundle('enterprise-opening'), { premises: 'owned', agent: 'no', seal: 'yes', invoice: 'yes', taxpayer: 'small-scale' }, catalog);
    const uscc = r.fields.find((f) => f.key === 'enterprise.uscc')!;
    expect(uscc.producedBy).toBe('37142500-XZSP-002'); // 企业设立登记
    expect(uscc.required).toBe(false);
    const alone = resolveMatter('37142500-SW-001', [], catalog).fields.find((f) => f.key === 'enterprise.uscc')!;
    expect(alone.required).toBe(true);
    expect(alone.producedBy).toBeUndefined();
  });

  it('adds matters only when the situation asks for them', () => {
    const without = resolveBundle(bundle('enterprise-opening'), { seal: 'no', invoice: 'no', taxpayer: 'small-scale' }, catalog);
    const withBoth = resolveBundle(bundle('enterprise-opening'), { seal: 'yes', invoice: 'yes', taxpayer: 'general' }, catalog);
    const codes = (r: typeof without) => r.matters.map((m) => m.code);
    expect(codes(without)).not.toContain('37142500-GA-001');
    expect(codes(withBoth)).toEqual(expect.arrayContaining(['37142500-GA-001', '37142500-SW-002', '37142500-SW-003']));
    expect(without.fields.map((f) => f.key)).not.toContain('seal.quantity');
  });

  it('selects conditional materials from the situation: a rented shop needs the lease, an unproven one the commitment', () => {
    const rented = resolveBundle(bundle('enterprise-opening'), { premises: 'rented', agent: 'yes' }, catalog);
    const ids = rented.materials.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['premises.leaseContract', 'premises.propertyCertificate', 'agent.idCard', 'agent.authorization']));
    expect(ids).not.toContain('premises.commitment');
    const lease = rented.materials.find((m) => m.id === 'premises.leaseContract')!;
    expect(lease.selectedBy).toEqual(['premises=rented']);
    expect(lease.neededBy[0]!.condition).toBe('经营场所为租赁房屋的');

    const unproven = resolveBundle(bundle('enterprise-opening'), { premises: 'no-certificate', agent: 'no' }, catalog);
    const ids2 = unproven.materials.map((m) => m.id);
    expect(ids2).toContain('premises.commitment');
    expect(ids2).not.toContain('premises.leaseContract');
    expect(ids2).not.toContain('agent.authorization');
  });

  it('lists unanswered situations and asks for no conditional material until they are answered', () => {
    const r = resolveBundle(bundle('enterprise-opening'), {}, catalog);
    expect(r.unanswered).toEqual(['premises', 'agent', 'seal', 'invoice', 'taxpayer']);
    expect(r.materials.some((m) => m.id.startsWith('premises.'))).toBe(false);
  });

  it('does not ask the applicant for a document another matter of the bundle issues (the business licence)', () => {
    const r = resolveBundle(bundle('enterprise-opening'), { premises: 'owned', seal: 'yes' }, catalog);
    const licence = r.materials.find((m) => m.id === 'enterprise.businessLicence')!;
    expect(licence.producedBy).toBe('37142500-XZSP-002');
    expect(r.materials.find((m) => m.id === 'legalRep.idCard')!.producedBy).toBeUndefined();
  });

  it('keeps 容缺后补 only where every matter needing the material allows it', () => {
    const r = resolveBundle(bundle('industrial-land-to-construction'), { fire: 'no', sewage: 'no' }, catalog);
    const review = r.materials.find((m) => m.id === 'project.drawingReview')!;
    expect(review.mayBeSupplementedLater).toBe(true);
    const contract = r.materials.find((m) => m.id === 'land.transferContract')!;
    expect(contract.mayBeSupplementedLater).toBe(false);
    expect(contract.neededBy.length).toBeGreaterThanOrEqual(3);
    expect(r.matters.map((m) => m.results[0]!.template)).toEqual(
      expect.arrayContaining(['real_estate_certificate', 'land_use_planning_permit', 'construction_engineering_planning_permit', 'construction_permit']),
    );
  });

  it('takes several answers to a multiple-choice situation (水电气过户)', () => {
    const r = resolveBundle(bundle('property-transfer'), { utilities: ['water', 'electricity', 'gas'], loan: 'no' }, catalog);
    expect(r.matters.map((m) => m.code)).toEqual(expect.arrayContaining(['37142500-GS-001', '37142500-GD-001', '37142500-RQ-001']));
    const buyerId = r.materials.filter((m) => m.id === 'buyer.idCard');
    expect(buyerId).toHaveLength(1);
    expect(buyerId[0]!.neededBy.length).toBe(5);
  });

  it('refuses an unknown situation, an unknown answer, and two answers to a single-choice situation', () => {
    expect(() => resolveBundle(bundle('enterprise-opening'), { nope: 'yes' }, catalog)).toThrow(/情形/);
    expect(() => resolveBundle(bundle('enterprise-opening'), { seal: 'maybe' }, catalog)).toThrow(/情形/);
    expect(() => resolveBundle(bundle('enterprise-opening'), { seal: ['yes', 'no'] }, catalog)).toThrow(/只能选择一项/);
  });
});

describe('resolveMatter', () => {
  it('treats one matter as a one-matter bundle with the chosen conditional materials', () => {
    const r = resolveMatter('37142500-RS-003', ['employment.specialJobProof'], catalog);
    expect(r.materials.map((m) => m.id)).toContain('employment.specialJobProof');
    expect(r.materials.map((m) => m.id)).not.toContain('employment.incapacityAppraisal');
    expect(() => resolveMatter('37142500-RS-003', ['applicant.idCard'], catalog)).toThrow();
  });
});
