import { resolveBundle, resolveMatter, type Resolution, type SituationAnswers } from '../catalog/bundle.js';
import type { Bundle } from '../catalog/schema.js';
import { shippedCatalog } from '../catalog/test-support.js';
import type { CatalogIndex } from '../catalog/validate.js';
import type { CheckInput, ExtractedDocument, ExtractedField, FormEntry, MaterialState } from './types.js';

/** Test and bench helper: the shipped catalog, a clean 企业开办 case, and small builders to spoil it. */

let catalog: CatalogIndex | null = null;
export function testCatalog(): CatalogIndex {
  catalog ??= shippedCatalog();
  return catalog;
}

/** 64-hex page hash for page n. */
export const page = (n: number): string => n.toString(16).padStart(64, 'a');

/** Six matters: 名称申报, 设立登记, 新办纳税人, 社保, 医保, 公积金; premises rented. */
export const SIX_MATTER_ANSWERS: SituationAnswers = { premises: 'rented', agent: 'no', seal: 'no', invoice: 'no', taxpayer: 'small-scale' };

export function enterpriseOpening(answers: SituationAnswers = SIX_MATTER_ANSWERS): { bundle: Bundle; resolution: Resolution } {
  const cat = testCatalog();
  const bundle = cat.bundles.get('enterprise-opening')!;
  return { bundle, resolution: resolveBundle(bundle, answers, cat) };
}

export function matterResolution(code: string, conditional: string[] = []): Resolution {
  return resolveMatter(code, conditional, testCatalog());
}

export const GOOD_FORM: Readonly<Record<string, string>> = {
  'enterprise.name': '齐河县鲁齐商贸有限公司',
  'enterprise.industry': '商贸',
  'enterprise.type': 'llc',
  'legalRep.name': '张伟',
  'legalRep.idNumber': '371425199003070018',
  'legalRep.phone': '13853412345',
  'enterprise.address': '山东省德州市齐河县晏城街道齐鲁大街88号',
  'enterprise.registeredCapital': '1000000',
  'enterprise.businessScope': '日用百货销售',
  'enterprise.employeeCount': '5',
  'legalRep.idValidUntil': '2035-03-07',
  'premises.ownership': 'rented',
  'tax.taxpayerType': 'small_scale',
  'enterprise.accountantName': '李娜',
  'enterprise.accountantPhone': '0534-5321234',
  'enterprise.bankName': '中国农业银行齐河县支行',
  'enterprise.bankAccount': '15487101040012345',
  'socialInsurance.types': '养老、医疗、失业、工伤',
  'socialInsurance.insuredCount': '5',
  'housingFund.depositRate': '12',
  'housingFund.depositBase': '4000',
};

export function form(values: Readonly<Record<string, string>>): Record<string, FormEntry> {
  return Object.fromEntries(Object.entries(values).map(([k, value]) => [k, { value, source: { kind: 'typed' as const } }]));
}

function fields(pageNo: number, values: Record<string, string>, confidence = 0.98): Record<string, ExtractedField> {
  let y = 0;
  return Object.fromEntries(Object.entries(values).map(([k, value]) => [k, { value, confidence, sha256: page(pageNo), region: [40, (y += 40), 300, 32] as const }]));
}

export function idCard(materialId: string, values: Record<string, string>, pageNo = 1, confidence = 0.98): ExtractedDocument {
  return { materialId, docType: 'id_card', fields: fields(pageNo, values, confidence) };
}

export function doc(materialId: string, docType: string, values: Record<string, string>, pageNo: number, confidence = 0.98): ExtractedDocument {
  return { materialId, docType, fields: fields(pageNo, values, confidence) };
}

export const GOOD_DOCUMENTS: readonly ExtractedDocument[] = [
  idCard('legalRep.idCard', { name: '张伟', sex: '男', birthDate: '1990年3月7日', idNumber: '371425199003070018', address: '山东省齐河县晏城街道齐鲁大街88号' }, 1),
  idCard('legalRep.idCard', { issuer: '齐河县公安局', validUntil: '2015.03.07-2035.03.07' }, 2),
  doc('premises.leaseContract', 'lease_contract', { lessor: '王芳', lessee: '齐河县鲁齐商贸有限公司', address: '齐河县晏城街道齐鲁大街八十八号', endDate: '2029年12月31日' }, 3),
  doc('premises.propertyCertificate', 'property_certificate', { owner: '王芳', address: '山东省德州市齐河县晏城街道齐鲁大街88号', area: '120.5' }, 4),
];

export function allPresent(resolution: Resolution): Record<string, MaterialState> {
  return Object.fromEntries(resolution.materials.filter((m) => m.producedBy === undefined).map((m) => [m.id, { status: 'present' as const }]));
}

/** A clean 企业开办 case (no blocking or warning finding), with parts replaced by `over`. */
export function enterpriseInput(over: Partial<CheckInput> = {}): CheckInput {
  const { bundle, resolution } = enterpriseOpening();
  return {
    resolution,
    bundle,
    form: form(GOOD_FORM),
    documents: GOOD_DOCUMENTS,
    materials: allPresent(resolution),
    acceptanceDate: '2026-05-11',
    openCases: [],
    registry: [],
    ...over,
  };
}

/** The clean case with some form values changed. */
export function withForm(values: Record<string, string>, over: Partial<CheckInput> = {}): CheckInput {
  return enterpriseInput({ form: form({ ...GOOD_FORM, ...values }), ...over });
}
