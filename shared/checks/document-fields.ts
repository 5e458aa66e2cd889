import type { DocumentType } from '../catalog/schema.js';

/**
 * The fields extraction reads from each document type: the names check rules use in
 * `{ material, field }` and the capture pipeline uses for what it extracts (the names of
 * electron/backend/capture/extract/doc-types.ts where it reads that document). Dates are given
 * as written (parsed by parseDate); `validUntil` may be 长期. An application form (application_form)
 * is the paper form itself: its fields are the catalog's semantic form keys (enterprise.name, ...).
 */
export const DOCUMENT_FIELDS = {
  id_card: ['name', 'sex', 'ethnicity', 'birthDate', 'address', 'idNumber', 'issuingAuthority', 'validFrom', 'validUntil'],
  household_register: ['name', 'idNumber', 'sex', 'birthDate', 'address', 'headName', 'relationToHead'],
  business_licence: ['name', 'uscc', 'entityType', 'legalRepresentative', 'address', 'registeredCapital', 'establishedDate', 'validUntil', 'businessScope'],
  property_certificate: ['certificateNo', 'owner', 'ownerIdNumber', 'ownership', 'address', 'unitNo', 'rightType', 'use', 'landArea', 'buildingArea', 'landUseUntil'],
  land_certificate: ['certificateNo', 'owner', 'address', 'unitNo', 'landArea', 'use', 'validUntil'],
  lease_contract: ['lessor', 'lessorIdNumber', 'lessee', 'lesseeIdNumber', 'address', 'area', 'use', 'startDate', 'endDate', 'rent'],
  sale_contract: ['contractNo', 'seller', 'sellerIdNumber', 'buyer', 'buyerIdNumber', 'address', 'area', 'price', 'signedDate'],
  birth_certificate: [
    'certificateNo', 'newbornName', 'newbornSex', 'birthTime', 'birthPlace', 'institution',
    'motherName', 'motherIdNumber', 'motherAddress', 'fatherName', 'fatherIdNumber', 'fatherAddress',
  ],
  marriage_certificate: ['certificateNo', 'holderName', 'holderIdNumber', 'spouseName', 'spouseIdNumber', 'registeredDate'],
  death_certificate: ['name', 'idNumber', 'deathDate', 'issuer'],
  disability_certificate: ['certificateNo', 'name', 'idNumber', 'category', 'level', 'validUntil'],
  medical_report: ['name', 'idNumber', 'hospital', 'diagnosis', 'issuedDate'],
  health_certificate: ['name', 'idNumber', 'issuedDate', 'validUntil'],
  application_form: [],
  articles_of_association: ['enterpriseName', 'registeredCapital', 'legalRepresentative', 'address', 'signedDate'],
  shareholder_resolution: ['enterpriseName', 'legalRepresentative', 'signedDate'],
  authorization_letter: ['principal', 'agent', 'agentIdNumber', 'scope', 'signedDate', 'validUntil'],
  commitment_letter: ['signer', 'signerIdNumber', 'subject', 'signedDate'],
  photo: [],
  bank_card: ['holder', 'accountNo', 'bankName'],
  floor_plan: ['address', 'area'],
  food_safety_rules: [],
  land_transfer_contract: ['contractNo', 'transferee', 'parcelNo', 'address', 'landArea', 'use', 'price', 'signedDate'],
  planning_drawings: ['projectName', 'address'],
  construction_drawings_review: ['certificateNo', 'projectName', 'issuedDate'],
  construction_contract: ['contractNo', 'projectName', 'employer', 'contractor', 'contractorUscc', 'price', 'signedDate'],
  supervision_contract: ['contractNo', 'projectName', 'employer', 'supervisor', 'supervisorUscc', 'signedDate'],
  tax_payment_proof: ['documentNo', 'taxpayer', 'taxpayerId', 'amount', 'paidDate'],
  utility_bill: ['accountNo', 'holder', 'address', 'settledDate'],
  employment_record: ['name', 'idNumber', 'employerName', 'startDate', 'endDate'],
  retirement_approval: ['name', 'idNumber', 'retirementDate'],
  social_security_card: ['name', 'idNumber', 'cardNo', 'bankAccount'],
  seal_impression: ['enterpriseName'],
  other: ['title', 'documentNo', 'name', 'idNumber', 'uscc', 'address', 'issuedDate', 'validUntil'],
} as const satisfies Record<DocumentType, readonly string[]>;

/**
 * Whether `field` is something extraction reads from documents of `docType`. For an application
 * form it is a form key, checked by `isFormKey`.
 */
export function isDocumentField(docType: DocumentType, field: string, isFormKey: (key: string) => boolean): boolean {
  if (docType === 'application_form') return isFormKey(field);
  return (DOCUMENT_FIELDS[docType] as readonly string[]).includes(field);
}

/** The Chinese name of a document field, for messages (姓名, 有效期限 ...). */
export const DOCUMENT_FIELD_LABELS: Readonly<Record<string, string>> = {
  name: '姓名', sex: '性别', ethnicity: '民族', birthDate: '出生日期', address: '地址', idNumber: '公民身份号码',
  issuer: '签发机关', issuingAuthority: '签发机关', validFrom: '有效期起', validUntil: '有效期至', headName: '户主姓名', relationToHead: '与户主关系',
  uscc: '统一社会信用代码', entityType: '类型', legalRepresentative: '法定代表人（负责人、经营者）', registeredCapital: '注册资本',
  establishedDate: '成立日期', businessScope: '经营范围', certificateNo: '证书编号', owner: '权利人', ownerIdNumber: '权利人证件号码',
  unitNo: '不动产单元号', area: '面积', landArea: '宗地面积', buildingArea: '建筑面积', use: '用途', ownership: '共有情况',
  rightType: '权利类型', landUseUntil: '土地使用期限至', newbornName: '新生儿姓名', newbornSex: '新生儿性别', birthTime: '出生时间',
  institution: '医疗机构', motherAddress: '母亲住址', fatherAddress: '父亲住址', lessor: '出租方', lessorIdNumber: '出租方证件号码',
  lessee: '承租方', lesseeIdNumber: '承租方证件号码', startDate: '起始日期', endDate: '截止日期', rent: '租金', contractNo: '合同编号',
  seller: '出卖人', sellerIdNumber: '出卖人证件号码', buyer: '买受人', buyerIdNumber: '买受人证件号码', price: '价款', signedDate: '签订日期',
  birthPlace: '出生地点', motherName: '母亲姓名', motherIdNumber: '母亲身份证号', fatherName: '父亲姓名', fatherIdNumber: '父亲身份证号',
  holderName: '持证人', holderIdNumber: '持证人身份证号', spouseName: '配偶姓名', spouseIdNumber: '配偶身份证号', registeredDate: '登记日期',
  deathDate: '死亡日期', category: '类别', level: '等级', hospital: '医疗机构', diagnosis: '诊断', issuedDate: '签发日期',
  enterpriseName: '企业名称', principal: '委托人', agent: '受托人', agentIdNumber: '受托人身份证号', scope: '委托事项',
  signer: '承诺人', signerIdNumber: '承诺人证件号码', subject: '承诺事项', holder: '户名', accountNo: '账号', bankName: '开户银行',
  transferee: '受让人', parcelNo: '宗地编号', projectName: '项目名称', employer: '发包人', contractor: '承包人',
  contractorUscc: '承包人统一社会信用代码', supervisor: '监理人', supervisorUscc: '监理人统一社会信用代码', documentNo: '编号',
  taxpayer: '纳税人', taxpayerId: '纳税人识别号', amount: '金额', paidDate: '缴款日期', settledDate: '结清日期',
  employerName: '单位名称', retirementDate: '退休日期', cardNo: '卡号', bankAccount: '银行账号', title: '标题',
};

/** Where a document calls a field otherwise: the name on a licence is 名称, the address on an ID card 住址. */
const LABELS_BY_TYPE: Readonly<Partial<Record<DocumentType, Readonly<Record<string, string>>>>> = {
  id_card: { address: '住址' },
  household_register: { address: '住址' },
  business_licence: { name: '名称', address: '住所' },
  property_certificate: { address: '坐落' },
  land_certificate: { address: '坐落' },
  lease_contract: { address: '房屋地址' },
  sale_contract: { address: '房屋坐落' },
};

export function documentFieldLabel(docType: string, field: string): string | undefined {
  return LABELS_BY_TYPE[docType as DocumentType]?.[field] ?? DOCUMENT_FIELD_LABELS[field];
}
