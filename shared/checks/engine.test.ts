import { describe, expect, it } from 'vitest';
import { checkCase, runChecks } from './engine.js';
import { instantApprovalDecision } from './instant-approval.js';
import { effectiveRules, rulesVersion } from './rules.js';
import { allPresent, doc, enterpriseInput, enterpriseOpening, form, GOOD_DOCUMENTS, GOOD_FORM, idCard, matterResolution } from './test-fixtures.js';
import { OpenCase, RegistryAnswer } from './registry-schema.js';
import type { CheckInput } from './types.js';

const USCC = '91371425MA3C8K7P1B';
const verified: RegistryAnswer = { registry: 'enterprise', key: USCC, stale: false, fetchedAt: '2026-05-11T08:30:00+08:00', record: { uscc: USCC, name: '齐河县鲁齐商贸有限公司', legalRep: '张伟', status: '存续' } };
const taxpayer = (over: Partial<CheckInput> = {}): CheckInput => {
  const resolution = matterResolution('37142500-SW-001');
  return {
    resolution,
    form: form({ ...GOOD_FORM, 'enterprise.uscc': USCC }),
    documents: [GOOD_DOCUMENTS[0]!, GOOD_DOCUMENTS[1]!, doc('enterprise.businessLicence', 'business_licence', { name: '齐河县鲁齐商贸有限公司', uscc: USCC, legalRepresentative: '张伟', validUntil: '长期' }, 9)],
    materials: allPresent(resolution),
    acceptanceDate: '2026-05-11',
    registry: [verified],
    ...over,
  };
};

describe('runChecks', () => {
  const spoiled = (): CheckInput => {
    const base = enterpriseInput({
      form: form({ ...GOOD_FORM, 'legalRep.name': '张纬', 'legalRep.phone': '12345', 'housingFund.depositRate': '15' }),
      documents: [idCard('legalRep.idCard', { name: '张伟', idNumber: '371425199003070018' }, 1), idCard('legalRep.idCard', { validUntil: '2016.05.20-2026.05.20' }, 2), ...GOOD_DOCUMENTS.slice(2)],
    });
    return { ...base, materials: { ...base.materials, 'enterprise.articles': { status: 'missing' } } };
  };

  it('is deterministic and does not change its input', () => {
    const input = spoiled();
    const before = JSON.stringify(input);
    const a = runChecks(input);
    const b = runChecks(spoiled());
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(input)).toBe(before);
  });

  it('orders findings blocking, warning, info, and marks only warnings overridable', () => {
    const fs = runChecks(spoiled());
    expect(fs.map((f) => [f.severity, f.ruleId])).toEqual([
      ['blocking', 'form:legalRep.name=legalRep.idCard.name'],
      ['blocking', 'material:enterprise.articles'],
      ['warning', 'format:legalRep.phone'],
      ['warning', 'form:legalRep.idValidUntil=legalRep.idCard.validUntil'],
      ['warning', 'housing-fund-deposit-rate'],
      ['info', 'expiry:legalRep.idCard'],
    ]);
    expect(fs.map((f) => f.overridable)).toEqual([false, false, true, true, true, false]);
  });

  it('refuses an acceptance date that is not a real day, in Chinese', () => {
    for (const acceptanceDate of ['2026-02-30', '11/05/2026', '']) {
      expect(() => runChecks(enterpriseInput({ acceptanceDate }))).toThrow('受理日期无效，无法进行比对。');
    }
  });

  it('returns the rules version with the findings', () => {
    const r = checkCase(spoiled());
    expect(r.rulesVersion).toMatch(/^[0-9a-f]{64}$/);
    expect(r.findings).toHaveLength(6);
  });
});

describe('registry and open-case schemas (boundary)', () => {
  it('accept a cached answer and refuse a malformed one', () => {
    expect(RegistryAnswer.safeParse(verified).success).toBe(true);
    expect(RegistryAnswer.safeParse({ ...verified, stale: 'yes' }).success).toBe(false);
    expect(RegistryAnswer.safeParse({ registry: 'court', key: USCC, stale: false, fetchedAt: 'x' }).success).toBe(false);
    expect(OpenCase.safeParse({ caseId: 'c-w1-000001', matters: ['37142500-XZSP-002'], applicantKeys: ['uscc:' + USCC], openedOn: '2026-5-1' }).success).toBe(false);
  });
});

describe('rulesVersion', () => {
  it('is the same for the same rules, resolved twice', () => {
    const a = enterpriseOpening();
    const b = enterpriseOpening();
    expect(a.resolution).not.toBe(b.resolution);
    expect(rulesVersion(a.resolution, a.bundle)).toBe(rulesVersion(b.resolution, b.bundle));
  });

  it('changes when a declared rule changes, or the bundle adds rules', () => {
    const { bundle, resolution } = enterpriseOpening();
    const edited = structuredClone(resolution);
    for (const m of edited.matters) m.checks = m.checks?.map((c) => (c.kind === 'age' ? { ...c, min: 16 } : c));
    expect(rulesVersion(edited, bundle)).not.toBe(rulesVersion(resolution, bundle));
    expect(rulesVersion(resolution, null)).not.toBe(rulesVersion(resolution, bundle));
  });

  it('declares each rule once even when several matters declare it', () => {
    const { bundle, resolution } = enterpriseOpening({ premises: 'rented', agent: 'no', seal: 'no', invoice: 'no', taxpayer: 'small-scale' });
    const adult = effectiveRules(resolution, bundle).filter((r) => r.id === 'legal-rep-adult');
    expect(adult).toHaveLength(1);
    expect(adult[0]!.matters).toEqual(['37142500-XZSP-001', '37142500-XZSP-002']);
  });
});

describe('instantApprovalDecision (秒批)', () => {
  const decide = (input: CheckInput, code = '37142500-SW-001') =>
    instantApprovalDecision(input.resolution.matters.find((m) => m.code === code)!, runChecks(input), input);

  it('approves an instant-approval matter with every check passing and every material present, recording the rules version', () => {
    const input = taxpayer();
    expect(decide(input)).toEqual({ matter: '37142500-SW-001', approved: true, reasons: [], rulesVersion: rulesVersion(input.resolution) });
  });

  it('refuses without a registry verification, with a warning, or with a material missing', () => {
    expect(decide(taxpayer({ registry: [] })).reasons).toEqual(['统一社会信用代码91371425MA3C8K7P1B尚未向登记机关核验，秒批须经登记信息核验']);
    expect(decide(taxpayer({ form: form({ ...GOOD_FORM, 'enterprise.uscc': USCC, 'legalRep.phone': '12345' }) })).approved).toBe(false);
    const missing = taxpayer();
    const d = decide({ ...missing, documents: [], materials: { ...missing.materials, 'tax.newTaxpayerForm': { status: 'missing' } } });
    expect(d.approved).toBe(false);
    expect(d.reasons).toContain('缺少材料：新办纳税人涉税事项综合申请表（原件）');
  });

  it('refuses a matter not marked for instant approval', () => {
    const input = enterpriseInput();
    expect(decide(input, '37142500-XZSP-002').reasons).toEqual(['“有限责任公司设立登记”未开通智能秒批']);
  });

  it('in a bundle, approves a matter whose own checks pass, and waits for a licence another matter issues', () => {
    const input = enterpriseInput({ form: form({ ...GOOD_FORM, 'housingFund.depositRate': '15' }) });
    expect(decide(input, '37142500-XZSP-001').approved).toBe(true);
    const tax = decide(input, '37142500-SW-001');
    expect(tax.approved).toBe(false);
    expect(tax.reasons).toEqual(['营业执照须待“有限责任公司设立登记”办结核发后方可办理']);
    expect(decide(input, '37142500-GJJ-001').reasons[0]).toContain('缴存比例');
  });
});
