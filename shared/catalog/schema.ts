import { z } from 'zod';
import { CheckRule } from '../checks/rule-schema.js';
import { FieldKey } from './fields.js';

/**
 * The matter catalog (事项目录) as data: resources/catalog/{fields,materials}.json, matters/*.json
 * (split by board) and bundles/*.json. These schemas check one file at a time; cross-references
 * (boards, field keys, material ids, matter codes in bundles, duplicates) are checked by
 * validateCatalog in validate.ts, which also fills in the defaults a matter takes from the
 * material dictionary.
 */

/** The hall's business boards (业务板块), as in resources/offices/qihe.json. */
export const BOARDS = {
  A: '市场准入',
  B: '社会事务',
  C: '建设项目',
  D: '人社医保',
  E: '不动产登记',
  F: '公积金',
  G: '税务',
} as const;
export type BoardCode = keyof typeof BOARDS;

/**
 * Matter code (实施编码, local form): `371425` (齐河县 administrative division) + two digits for the
 * level (`00` county; a town or park would use its own) + the deciding department's letters
 * (XZSP 行政审批服务局, SCJG 市场监管局, GA 公安局, RS 人社局, YB 医保局, MZ 民政局, CL 残联, WJ 卫健局,
 * ZRZY 自然资源局, ZJ 住建局, BDC 不动产登记中心, GJJ 公积金管理部, SW 税务局, SW 水务, GD 供电 ...) +
 * a three-digit serial. Example: `37142500-XZSP-001`. The national 33-character 实施编码 can be added
 * later as a separate field without changing these codes.
 */
export const MATTER_CODE = /^371425\d{2}-[A-Z]{2,6}-\d{3}$/;
export const MatterCode = z.string().regex(MATTER_CODE, 'must look like 37142500-XZSP-001 (division + level, department letters, serial)');

/** Material ids share the field keys' `<subject>.<thing>` form: `legalRep.idCard`, `premises.leaseContract`. */
export const MaterialId = z.string().regex(/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/, 'must be a dotted id such as legalRep.idCard');

/** Document types the capture pipeline will recognise and extract fields from. */
export const DOCUMENT_TYPES = [
  'id_card',
  'household_register',
  'business_licence',
  'property_certificate',
  'land_certificate',
  'lease_contract',
  'sale_contract',
  'birth_certificate',
  'marriage_certificate',
  'death_certificate',
  'disability_certificate',
  'medical_report',
  'health_certificate',
  'application_form',
  'articles_of_association',
  'shareholder_resolution',
  'authorization_letter',
  'commitment_letter',
  'photo',
  'bank_card',
  'floor_plan',
  'food_safety_rules',
  'land_transfer_contract',
  'planning_drawings',
  'construction_drawings_review',
  'construction_contract',
  'supervision_contract',
  'tax_payment_proof',
  'utility_bill',
  'employment_record',
  'retirement_approval',
  'social_security_card',
  'seal_impression',
  'other',
] as const;
export const DocumentType = z.enum(DOCUMENT_TYPES);
export type DocumentType = z.infer<typeof DocumentType>;

/** Result documents a matter produces: the certificate templates the certificate issue will render. */
export const CERTIFICATE_TEMPLATES = [
  'business_licence',
  'food_business_licence',
  'food_business_filing',
  'generic_licence',
  'generic_filing_receipt',
  'generic_decision',
  'seal_filing_receipt',
  'tax_registration_receipt',
  'invoice_issue_receipt',
  'social_insurance_registration',
  'housing_fund_registration',
  'birth_medical_certificate',
  'household_register_page',
  'social_security_card',
  'disability_certificate',
  'retirement_approval',
  'pension_decision',
  'land_use_planning_permit',
  'construction_engineering_planning_permit',
  'construction_permit',
  'real_estate_certificate',
  'real_estate_registration_proof',
  'tax_payment_certificate',
  'utility_transfer_receipt',
  'housing_fund_withdrawal_decision',
  'road_transport_permit',
  'medical_institution_licence',
  'school_licence',
  'hygiene_licence',
] as const;
export const CertificateTemplate = z.enum(CERTIFICATE_TEMPLATES);
export type CertificateTemplate = z.infer<typeof CertificateTemplate>;

/** 事项类型 as on Shandong's 政务服务事项目录. */
export const MATTER_KINDS = ['行政许可', '行政确认', '行政给付', '行政征收', '行政备案', '行政裁决', '公共服务', '其他行政权力'] as const;
/** 证照分离 reform modes. */
export const REFORM_MODES = ['直接取消审批', '审批改为备案', '实行告知承诺', '优化准入服务'] as const;
/** Cross-region scopes; a named partner city (e.g. 济南, 省会经济圈) is `{ "partnerCity": "济南" }`. */
export const CROSS_REGION_SCOPES = ['跨省通办', '全省通办', '市域通办'] as const;

export const MaterialForm = z.enum(['original', 'copy', 'original_and_copy']);
export type MaterialForm = z.infer<typeof MaterialForm>;
export const MaterialCarrier = z.enum(['paper', 'electronic', 'either']);
export type MaterialCarrier = z.infer<typeof MaterialCarrier>;
export const Requirement = z.enum(['required', 'optional', 'conditional']);
export type Requirement = z.infer<typeof Requirement>;

/** One entry of resources/catalog/materials.json: a document defined once, shared by every matter that needs it. */
export const MaterialDefinition = z.strictObject({
  id: MaterialId,
  name: z.string().min(1),
  docType: DocumentType,
  form: MaterialForm.default('copy'),
  carrier: MaterialCarrier.default('paper'),
  /** 来源: 申请人自备 / 政府部门核发 (issuer) / 窗口提供样表. */
  source: z.string().min(1).default('申请人自备'),
  /**
   * The result template that produces this document (营业执照 ← business_licence). In a bundle whose
   * matters issue it, the material is not asked from the applicant (GovStack: a document one
   * registration produces must not be asked for by the next).
   */
  producedBy: CertificateTemplate.optional(),
});
export type MaterialDefinition = z.infer<typeof MaterialDefinition>;

export const MaterialsFile = z.strictObject({ materials: z.array(MaterialDefinition).min(1) });

/**
 * When a field's value becomes known: `intake` (default) — the applicant gives it at 受理 (the form);
 * `decision` — assigned when the matter is decided (the 统一社会信用代码 a 设立登记 gives), entered by
 * the clerk in the approval (`approved.decision`), never shown or asked at 受理; `required` then means
 * required at the decision.
 */
export const FieldStage = z.enum(['intake', 'decision']); // decision fields
export type FieldStage = z.infer<typeof FieldStage>;

/** A form field of a matter: a key of the dictionary, whether it must be filled, optionally a matter-specific label. */
export const MatterField = z.strictObject({
  key: FieldKey,
  required: z.boolean().default(true),
  label: z.string().min(1).optional(),
  stage: FieldStage.default('intake'), // decision fields
});
export type MatterField = z.infer<typeof MatterField>;

/** A material a matter needs; form and carrier default to the dictionary's. */
export const MatterMaterial = z
  .strictObject({
    id: MaterialId,
    form: MaterialForm.optional(),
    carrier: MaterialCarrier.optional(),
    copies: z.number().int().min(1).max(20).default(1),
    requirement: Requirement.default('required'),
    /** The applicant's situation in which a conditional material is needed (情形), in Chinese. */
    condition: z.string().min(1).optional(),
    /** 容缺后补: may be accepted without it and supplied by a deadline. */
    mayBeSupplementedLater: z.boolean().default(false),
    /** 告知承诺: may be replaced by a signed commitment. */
    mayBeReplacedByCommitment: z.boolean().default(false),
    note: z.string().min(1).optional(),
  })
  .superRefine((m, ctx) => {
    if (m.requirement === 'conditional' && m.condition === undefined) {
      ctx.addIssue({ code: 'custom', path: ['condition'], message: 'a conditional material needs its condition (情形)' });
    }
    if (m.requirement !== 'conditional' && m.condition !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['condition'], message: `only conditional materials have a condition (requirement is ${m.requirement})` });
    }
  });
export type MatterMaterialEntry = z.infer<typeof MatterMaterial>;

export const Fee = z.strictObject({
  item: z.string().min(1),
  /** Amount in fen (分). */
  amountFen: z.number().int().positive(),
  /** Per what: 件, 本, 次. */
  per: z.string().min(1),
  basis: z.string().min(1).optional(),
});
export type Fee = z.infer<typeof Fee>;

export const CrossRegion = z.union([z.enum(CROSS_REGION_SCOPES), z.strictObject({ partnerCity: z.string().min(1) })]).nullable();
export type CrossRegion = z.infer<typeof CrossRegion>;

export const MatterResult = z.strictObject({
  template: CertificateTemplate,
  /** The result document's name (营业执照, 食品经营许可证, 不动产权证书 ...). */
  name: z.string().min(1),
});
export type MatterResult = z.infer<typeof MatterResult>;

export const Matter = z
  .strictObject({
    code: MatterCode,
    name: z.string().min(1),
    board: z.string().min(1),
    kind: z.enum(MATTER_KINDS),
    decidingOffice: z.string().min(1),
    legalBasis: z.array(z.string().min(1)).min(1),
    /** 承诺时限 in working days; 0 = 即办. */
    promisedDays: z.number().int().min(0).max(365),
    /** 法定时限 in working days; null when no statutory limit applies (公共服务). */
    statutoryDays: z.number().int().min(0).max(365).nullable(),
    /** Most statutory limits are in working days; some laws count calendar days (工伤认定 60 日). */
    statutoryIn: z.enum(['working_days', 'calendar_days']).default('working_days'),
    fees: z.union([z.literal('不收费'), z.array(Fee).min(1)]),
    reformMode: z.enum(REFORM_MODES).nullable().default(null),
    crossRegion: CrossRegion.default(null),
    /** 县镇同权: a branch office (开发区分中心, town) may accept and decide it. */
    branchMayDecide: z.boolean().default(false),
    /** 秒批: approved at once when every check passes and every material is present. */
    instantApproval: z.boolean().default(false),
    /** Other names applicants use, for search (开饭店, 办执照). */
    aliases: z.array(z.string().min(1)).default([]),
    fields: z.array(MatterField).min(1),
    materials: z.array(MatterMaterial).min(1),
    results: z.array(MatterResult),
    /** Comparison checks (智能比对) beyond those derived from field types and materials: see shared/checks/rule-schema.ts. */
    checks: z.array(CheckRule).default([]),
  })
  .superRefine((m, ctx) => {
    if (m.statutoryDays !== null && m.promisedDays > m.statutoryDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['promisedDays'],
        message: `promised time limit (${m.promisedDays}) exceeds the statutory one (${m.statutoryDays})`,
      });
    }
  });
export type MatterEntry = z.infer<typeof Matter>;

export const MattersFile = z.strictObject({ matters: z.array(Matter).min(1) });

export const SituationAnswer = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a lower-case id such as yes, no, rented'),
  label: z.string().min(1),
  /** Matters this answer adds to the bundle. */
  matters: z.array(MatterCode).default([]),
  /** Materials this answer asks for: conditional materials of the bundle's matters, or extra ones. */
  materials: z.array(MaterialId).default([]),
});
export type SituationAnswer = z.infer<typeof SituationAnswer>;

export const Situation = z.strictObject({
  id: z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'must be a lower-camel id such as premises'),
  question: z.string().min(1),
  /** Several answers may be chosen at once. */
  multiple: z.boolean().default(false),
  answers: z.array(SituationAnswer).min(2),
});
export type Situation = z.infer<typeof Situation>;

export const Bundle = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a kebab-case id such as enterprise-opening'),
  name: z.string().min(1),
  board: z.string().min(1),
  description: z.string().min(1),
  /** Matters always included. */
  matters: z.array(MatterCode).min(1),
  situations: z.array(Situation).default([]),
  /** Checks over the bundle's combined form and materials (租赁地址 = 住所). */
  checks: z.array(CheckRule).default([]),
});
export type Bundle = z.infer<typeof Bundle>;

export const BundlesFile = z.strictObject({ bundles: z.array(Bundle).min(1) });
