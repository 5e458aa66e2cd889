import type { FieldValue, FieldValues } from './fields.js';
import type { Template } from './template-schema.js';

/**
 * Sample field values for every template: `typical` (a plausible case, for screenshots and the
 * benchmark) and `stress` (every organisation named with a 60-character name holding the Ext-B
 * character 𠮷, people named with 𠮷, for the tests that check text, fonts and fitting).
 */

/** 60 characters, one of them 𠮷 (U+20BB7, outside the BMP). */
export const LONG_COMPANY_NAME = '齐河县𠮷祥黄河国际生态城智能制造装备研究院暨新一代信息技术与高端新材料及生物医药科技产业发展控股集团（山东）股份有限公司';
export const EXT_B_PERSON = '𠮷田春';

const MISSING_ROWS = [
  { name: '法定代表人身份证复印件', requirement: '复印件1份', note: '原提交的复印件不清晰，需加盖单位公章' },
  { name: '经营场所租赁合同', requirement: '原件及复印件各1份', note: '租赁期限应不少于一年' },
  { name: '食品安全管理制度', requirement: '原件1份', note: '应包括从业人员健康管理、进货查验记录等制度' },
];

const TYPICAL: Record<string, FieldValue> = {
  'enterprise.name': '齐河县黄河人家餐饮管理有限公司',
  'organization.name': '齐河县晏城街道社区养老服务中心',
  'applicant.name': '王丽娟',
  'buyer.name': '李建国',
  'seller.name': '张秀英',
  'newborn.name': '刘子涵',
  'legalRep.name': '赵志刚',
  'mother.name': '陈晓燕',
  'father.name': '刘海峰',
  'guardian.name': '陈晓燕',
  'contractor.name': '山东齐鲁建设集团有限公司',
  'supervisor.name': '德州正诚工程监理有限公司',
  'household.headName': '刘海峰',
  'enterprise.uscc': '91371425MA3C4X7L2K',
  'applicant.idNumber': '371425198805126021',
  'buyer.idNumber': '371425197903150517',
  'legalRep.idNumber': '371425197511083615',
  'mother.idNumber': '371425199204180026',
  'father.idNumber': '371425199001050519',
  'newborn.idNumber': '371425202604280015',
  'buyer.phone': '13905346688',
  'enterprise.address': '山东省德州市齐河县晏城街道齐鲁大街188号',
  'premises.address': '山东省德州市齐河县晏城街道齐鲁大街188号1层101室',
  'property.address': '齐河县晏城街道黄河名苑小区3号楼2单元1202室',
  'project.address': '齐河县经济开发区华山路以东、新村路以北',
  'applicant.address': '齐河县晏城街道西关社区12号',
  'applicant.householdAddress': '山东省齐河县晏城街道西关社区12号',
  'household.address': '山东省齐河县晏城街道西关社区12号',
  'matter.name': '食品经营许可（餐饮服务经营者）',
  'matter.promisedDays': '5',
  'case.no': 'QH2026050100123',
  'case.submittedAt': '2026-05-06',
  'case.acceptedAt': '2026-05-06',
  'case.reason': '经营需要',
  'window.name': '县政务服务中心1号综合受理窗口',
  'hall.phone': '0534-5321234',
  'notice.missing': MISSING_ROWS,
  'notice.supplementDeadline': '2026-05-20',
  'notice.reason': '申请事项依法不需要取得行政许可',
  'notice.legalBasis': '《中华人民共和国行政许可法》第三十二条第一款第（一）项',
  'notice.advice': '你（单位）可直接开展相关经营活动，并依法接受监督管理。',
  'commitment.conditions': [
    '具有与经营的食品品种、数量相适应的经营场所，并与有毒、有害场所保持规定的距离；',
    '具有与经营的食品品种、数量相适应的经营设备或者设施；',
    '有专职或者兼职的食品安全管理人员和保证食品安全的规章制度。',
  ],
  'decision.content': '准予从事餐饮服务经营，经营项目为热食类食品制售、冷食类食品制售。',
  'decision.validity': '自2026年5月6日至2031年5月5日',
  'decision.licenceName': '食品经营许可证',
  'doc.items': [
    { label: '项目名称', value: '齐河县黄河人家中央厨房建设项目' },
    { label: '建设地点', value: '齐河县经济开发区华山路以东、新村路以北' },
    { label: '总投资', value: '3800万元' },
  ],
  'filing.note': '请于项目开工前办理相关审批手续。',
  'enterprise.type': '有限责任公司',
  'enterprise.registeredCapital': '伍佰万元整',
  'enterprise.establishedAt': '2026-05-06',
  'enterprise.businessScope':
    '许可项目：餐饮服务；食品销售。（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以相关部门批准文件或许可证件为准）一般项目：餐饮管理；外卖递送服务；农副产品销售。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）',
  'food.mainBusiness': '餐饮服务经营者',
  'food.operatingItems': '热食类食品制售；冷食类食品制售；自制饮品制售（不含自酿酒）',
  'licence.validUntil': '2031-05-05',
  'licence.supervisor': '齐河县市场监督管理局晏城市场监管所',
  'licence.scope': '城镇污水排入排水管网，排水类别：餐饮污水；排放口数量：1个；主要污染物：化学需氧量、氨氮、动植物油。',
  'licence.principal': '孙明辉',
  'premises.area': '260平方米',
  'seal.quantity': '5',
  'seal.kinds': '单位公章、财务专用章、发票专用章、合同专用章、法定代表人名章',
  'tax.taxpayerType': '小规模纳税人',
  'tax.invoiceType': '数电发票（普通发票）',
  'tax.monthlyInvoiceLimit': '100000元',
  'tax.declaredPrice': '1280000元',
  'tax.amount': '38400.00元',
  'property.price': '1280000元',
  'property.area': '建筑面积128.56平方米',
  'property.use': '住宅',
  'property.unitNo': '371425003005GB00012F00030122',
  'property.certificateNo': '鲁（2019）齐河县不动产权第0012345号',
  'enterprise.accountantName': '周红梅',
  'enterprise.accountantPhone': '13853498765',
  'enterprise.bankName': '中国工商银行齐河支行',
  'enterprise.bankAccount': '1612008109200123456',
  'socialInsurance.types': '企业职工基本养老保险、失业保险、工伤保险、职工基本医疗保险',
  'socialInsurance.insuredCount': '18',
  'housingFund.depositRate': '8',
  'housingFund.depositBase': '4200元',
  'housingFund.accountNo': '371425001234567',
  'housingFund.withdrawalAmount': '36000元',
  'applicant.bankName': '中国农业银行齐河县支行',
  'applicant.bankAccount': '6228480123456789012',
  'applicant.sex': '女',
  'applicant.birthDate': '1966-05-12',
  'employment.employerName': '齐河县华鲁纺织有限公司',
  'employment.workStartDate': '1986-07-01',
  'employment.contributionMonths': '398',
  'employment.retirementType': '正常退休',
  'employment.retirementDate': '2026-06-01',
  'pension.monthlyAmount': '3216.40元',
  'utility.waterAccountNo': '0103052218',
  'newborn.sex': '男',
  'newborn.birthDate': '2026-04-28',
  'newborn.birthPlace': '齐河县人民医院',
  'newborn.ethnicity': '汉族',
  'household.relationToHead': '子',
  'ssc.cardNo': 'M12345678',
  'disability.category': '肢体残疾',
  'disability.level': '三级',
  'project.name': '齐河县黄河人家中央厨房及冷链物流中心建设项目',
  'project.code': '2604-371425-04-01-123456',
  'project.buildingArea': '总建筑面积18650平方米',
  'project.constructionScale': '新建生产车间2栋、冷库1座、综合楼1栋，总建筑面积18650平方米，地上4层。',
  'project.contractPrice': '5680万元',
  'project.drawingReviewNo': 'QHST-2026-0315',
  'project.startDate': '2026-06-01',
  'land.approvalAuthority': '齐河县人民政府',
  'land.transferContractNo': '3714252026B00018',
  'land.area': '26680平方米',
  'land.use': '工业用地',
  'land.acquisition': '出让',
  'land.parcelNo': '371425003005GB00012W00000000',
  'permit.attachments': '规划总平面图、建设用地规划条件',
  'permit.remarks': '无',
  'realEstate.coOwnership': '单独所有',
  'realEstate.rightType': '国有建设用地使用权/房屋所有权',
  'realEstate.rightNature': '出让/市场化商品房',
  'realEstate.term': '国有建设用地使用权 2006年3月1日起2076年2月28日止',
  'realEstate.other': '专有建筑面积：118.32平方米，分摊建筑面积：10.24平方米\n房屋结构：钢筋混凝土结构\n房屋总层数：18层，所在层：12层',
  'realEstate.matter': '抵押权',
  'mortgage.creditorName': '中国建设银行股份有限公司齐河支行',
};

/** Per-template values where the shared ones would not make sense together. */
const OVERRIDES: Record<string, Record<string, FieldValue>> = {
  generic_filing_receipt: { 'matter.name': '企业投资项目备案', 'filing.note': '请于项目开工前依法办理规划、施工等审批手续。' },
  generic_decision: {
    'decision.content': '你单位申请注销登记的材料齐全、符合法定形式。根据《中华人民共和国市场主体登记管理条例》第三十一条的规定，本机关决定准予注销登记。',
    'doc.items': [
      { label: '统一社会信用代码', value: '91371425MA3C4X7L2K' },
      { label: '注销原因', value: '股东会决议解散' },
      { label: '清算组备案日期', value: '2026年3月2日' },
    ],
  },
  generic_licence: { 'licence.scope': '城镇污水排入排水管网许可。排水户类型：餐饮；排放口数量：1个；排水量：每日不超过30立方米；主要污染物：化学需氧量、氨氮、动植物油。' },
  hygiene_licence: { 'licence.scope': '餐饮场所（含集中空调通风系统）' },
  road_transport_permit: { 'licence.scope': '道路普通货物运输' },
  medical_institution_licence: { 'licence.scope': '内科；外科；妇产科；儿科；医学检验科；医学影像科' },
  school_licence: { 'licence.scope': '文化教育类非学历培训' },
};

/** Keys that name an organisation: in the stress sample they get LONG_COMPANY_NAME. */
const ORGANISATIONS = new Set(['enterprise.name', 'organization.name', 'contractor.name', 'supervisor.name', 'mortgage.creditorName']);
const PEOPLE = new Set(['applicant.name', 'buyer.name', 'seller.name', 'newborn.name', 'legalRep.name', 'mother.name', 'guardian.name']);

export type SampleVariant = 'typical' | 'stress';

function sampleFor(key: string, variant: SampleVariant): FieldValue | undefined {
  if (variant === 'stress') {
    if (ORGANISATIONS.has(key)) return LONG_COMPANY_NAME;
    if (PEOPLE.has(key)) return EXT_B_PERSON;
  }
  return TYPICAL[key];
}

/** Values for every declared field of `template` (through `from` where the key itself is derived). */
export function sampleFields(template: Template, variant: SampleVariant = 'typical'): FieldValues {
  const out: FieldValues = {};
  const overrides = OVERRIDES[template.id] ?? {};
  for (const f of template.fields) {
    const own = overrides[f.key] ?? sampleFor(f.key, variant);
    if (own !== undefined) {
      out[f.key] = own;
      continue;
    }
    const source = (f.from ?? []).find((k) => sampleFor(k, variant) !== undefined);
    if (source !== undefined) out[source] = sampleFor(source, variant) as FieldValue;
    else if (f.required) throw new Error(`no sample value for ${template.id} ${f.key}`);
  }
  if (variant === 'stress' && template.id === 'real_estate_certificate') out['buyer.name'] = LONG_COMPANY_NAME;
  return out;
}
