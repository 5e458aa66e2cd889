import { compactCode } from './normalize-chars.js';
import { lookupRegion } from './regions.js';

/**
 * Unified social credit codes (统一社会信用代码, GB 32100-2015): registration authority, entity
 * type, six-digit region, nine-character organisation code, check character. The alphabet has no
 * I, O, S, V or Z.
 */

export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** Registration authorities and their entity types (GB 32100-2015, appendix A). */
const AUTHORITIES: Readonly<Record<string, { name: string; types: Readonly<Record<string, string>> }>> = {
  '1': { name: '机构编制', types: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' } },
  '2': { name: '外交', types: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': { name: '司法行政', types: { '1': '律师执业机构', '2': '公证处', '3': '基层法律服务所', '4': '司法鉴定机构', '5': '仲裁委员会', '9': '其他' } },
  '4': { name: '文化', types: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { name: '民政', types: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': { name: '旅游', types: { '1': '外国旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻内地（大陆）代表机构', '9': '其他' } },
  '7': { name: '宗教', types: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name: '工会', types: { '1': '基层工会', '9': '其他' } },
  '9': { name: '工商（市场监管）', types: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { name: '中央军委改革和编制办公室', types: { '1': '军队事业单位', '9': '其他' } },
  N: { name: '农业', types: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' } },
  Y: { name: '其他', types: { '1': '其他' } },
};

export interface CreditCodeResult {
  valid: boolean;
  reason: string | null;
  normalized: string;
  registrationAuthority?: string;
  entityType?: string;
  /** Region of registration as far as known (positions 3–8), with regionCode beside it. */
  region?: string;
  regionCode?: string;
}

export function creditCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31]!;
}

export function checkCreditCode(raw: string): CreditCodeResult {
  const normalized = compactCode(raw);
  const invalid = (reason: string, extra: Partial<CreditCodeResult> = {}): CreditCodeResult => ({ valid: false, reason, normalized, ...extra });
  if (normalized === '') return invalid('未填写统一社会信用代码');
  if (normalized.length !== 18) return invalid(`统一社会信用代码应为18位，当前为${normalized.length}位`);
  for (let i = 0; i < 18; i++) {
    const ch = normalized[i]!;
    if (CREDIT_CODE_ALPHABET.includes(ch)) continue;
    const hint = { I: '，可能是数字1', O: '，可能是数字0', S: '，可能是数字5', Z: '，可能是数字2', V: '，可能是字母U' }[ch] ?? '';
    return invalid(/[IOSVZ]/.test(ch)
      ? `统一社会信用代码不使用字母I、O、S、V、Z：第${i + 1}位是“${ch}”${hint}`
      : `统一社会信用代码第${i + 1}位“${ch}”不是有效字符`);
  }
  const authority = AUTHORITIES[normalized[0]!];
  if (!authority) return invalid(`第1位登记管理部门代码“${normalized[0]}”不存在`);
  const entityType = authority.types[normalized[1]!];
  if (!entityType) return invalid(`第2位机构类别代码“${normalized[1]}”不属于${authority.name}登记的机构类别`, { registrationAuthority: authority.name });
  const regionCode = normalized.slice(2, 8);
  const region = lookupRegion(regionCode);
  const known: Partial<CreditCodeResult> = {
    registrationAuthority: authority.name, entityType,
    ...(/^\d{6}$/.test(regionCode) ? { regionCode } : {}), ...(region.name ? { region: region.name } : {}),
  };
  if (!/^\d{6}$/.test(regionCode)) return invalid(`第3–8位登记管理机关行政区划码“${regionCode}”应为6位数字`, known);
  if (creditCheckChar(normalized) !== normalized[17]) {
    return invalid('校验码不符：代码中有输错或识别错的字符，请与证照逐位核对', known);
  }
  return { valid: true, reason: null, normalized, ...known };
}

/** OCR confusions within and into the credit-code alphabet (letters it never uses map to their look-alikes). */
const CONFUSIONS: Readonly<Record<string, string>> = {
  O: '0D', I: '1', Z: '2', S: '5', V: 'UY', '0': 'DQ', '1': '7', '2': '', '5': '', '8': 'B3', B: '8',
  D: '0', Q: '0', G: '6', '6': 'G', U: 'V0', '7': '1T', T: '7',
};

/**
 * A repaired credit code when exactly one single-character OCR confusion (O→0, I→1, Z→2, S→5,
 * B↔8 …) makes the code valid and no other such substitution does; otherwise null (also null when
 * the code is already valid).
 */
export function repairCreditCode(raw: string): string | null {
  const normalized = compactCode(raw);
  if (normalized.length !== 18 || checkCreditCode(normalized).valid) return null;
  const foreign = [...normalized].filter((c) => !CREDIT_CODE_ALPHABET.includes(c)).length;
  if (foreign > 1) return null;
  const found = new Set<string>();
  for (let i = 0; i < 18; i++) {
    const ch = normalized[i]!;
    if (foreign === 1 && CREDIT_CODE_ALPHABET.includes(ch)) continue;
    for (const to of CONFUSIONS[ch] ?? '') {
      if (!CREDIT_CODE_ALPHABET.includes(to)) continue;
      const candidate = normalized.slice(0, i) + to + normalized.slice(i + 1);
      if (checkCreditCode(candidate).valid) found.add(candidate);
    }
  }
  return found.size === 1 ? [...found][0]! : null;
}
