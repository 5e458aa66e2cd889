import { creditCheckChar } from '../../../shared/checks/credit-code.js';
import { idCheckChar } from '../../../shared/checks/id-number.js';
import type { Rng } from './random.js';

/** Made-up people, enterprises and places for synthetic documents. None of them is real. */

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const COMPOUND_SURNAMES = ['欧阳', '司马', '诸葛', '上官'];
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚玉华建国志红文辉鹏宇浩欣怡婷雪晨博子涵梓轩思雨嘉佳琪晓峰斌鑫波宁凯悦昊然轩彤瑶萱泽睿航铭琳璐颖慧倩楠坤堃珺喆昇';
export const ETHNICITIES = ['汉', '汉', '汉', '汉', '汉', '汉', '回', '满', '蒙古', '壮', '朝鲜', '土家', '苗', '维吾尔'];

const TOWNS = ['晏城街道', '表白寺镇', '焦庙镇', '赵官镇', '祝阿镇', '仁里集镇', '潘店镇', '胡官屯镇', '宣章屯镇', '华店镇', '刘桥镇', '马集镇', '安头乡', '大黄乡'];
const VILLAGE_HEADS = '东西南北前后大小高王李张刘陈杨赵马孙';
const VILLAGE_TAILS = ['庄村', '家村', '屯村', '集村', '官村', '店村'];
const ROADS = ['齐鲁大道', '晏婴路', '金能大道', '齐心大街', '安澜街', '仁和路', '齐州路', '黄河大街', '大清河路', '政通路'];
const ESTATES = ['盛世华城', '锦绣家园', '黄河明珠小区', '清华园', '阳光花园', '润泽苑', '金色港湾', '御景湾'];
const OTHER_PLACES: ReadonlyArray<[string, string]> = [
  ['370102', '山东省济南市历下区'], ['370103', '山东省济南市市中区'], ['370112', '山东省济南市历城区'],
  ['371402', '山东省德州市德城区'], ['371403', '山东省德州市陵城区'], ['371424', '山东省德州市临邑县'],
  ['371426', '山东省德州市平原县'], ['371482', '山东省禹城市'],
];
const QIHE = '371425';

export interface Person {
  name: string;
  sex: '男' | '女';
  ethnicity: string;
  birthDate: string;
  address: string;
  idNumber: string;
}

export function personName(rng: Rng): string {
  const surname = rng.chance(0.04) ? rng.pick(COMPOUND_SURNAMES) : rng.pick([...SURNAMES]);
  const n = rng.chance(0.3) ? 1 : 2;
  let given = '';
  for (let i = 0; i < n; i++) given += rng.pick([...GIVEN]);
  return surname + given;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

export function isoDate(rng: Rng, fromYear: number, toYear: number): string {
  const y = rng.int(fromYear, toYear);
  const m = rng.int(1, 12);
  const d = rng.int(1, [31, y % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!);
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** A street address in 齐河县 (or elsewhere in Shandong), and the region code that goes with it. */
export function address(rng: Rng, local = rng.chance(0.8)): { text: string; region: string } {
  if (!local) {
    const [region, prefix] = rng.pick(OTHER_PLACES);
    return { region, text: `${prefix}${rng.pick(ROADS)}${rng.int(1, 399)}号${rng.pick(ESTATES)}${rng.int(1, 30)}号楼${rng.int(1, 4)}单元${rng.int(1, 18)}0${rng.int(1, 4)}室` };
  }
  const base = `山东省齐河县${rng.pick(TOWNS)}`;
  if (rng.chance(0.5)) return { region: QIHE, text: `${base}${rng.pick([...VILLAGE_HEADS])}${rng.pick(VILLAGE_TAILS)}${rng.int(1, 260)}号` };
  return { region: QIHE, text: `${base}${rng.pick(ROADS)}${rng.int(1, 399)}号${rng.pick(ESTATES)}${rng.int(1, 30)}号楼${rng.int(1, 4)}单元${rng.int(1, 18)}0${rng.int(1, 4)}室` };
}

export function idNumber(region: string, birthDate: string, sex: '男' | '女', rng: Rng): string {
  const seq = rng.int(0, 99) * 10 + (sex === '男' ? rng.pick([1, 3, 5, 7, 9]) : rng.pick([0, 2, 4, 6, 8]));
  const first17 = region + birthDate.replaceAll('-', '') + pad(seq, 3);
  return first17 + idCheckChar(first17);
}

export function person(rng: Rng, born: [number, number] = [1950, 2004], sex: '男' | '女' = rng.chance(0.5) ? '男' : '女'): Person {
  const birthDate = isoDate(rng, born[0], born[1]);
  const addr = address(rng);
  return { name: personName(rng), sex, ethnicity: rng.pick(ETHNICITIES), birthDate, address: addr.text, idNumber: idNumber(addr.region, birthDate, sex, rng) };
}

const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export function creditCode(rng: Rng, kind: '1' | '2'): string {
  let org = 'MA';
  for (let i = 0; i < 7; i++) org += rng.pick([...CREDIT_ALPHABET]);
  const first17 = `9${kind}${QIHE}${org}`;
  return first17 + creditCheckChar(first17);
}

const BRANDS = ['鑫达', '恒信', '华泰', '宏远', '金诺', '瑞丰', '齐鲁', '晏婴', '黄河', '润通', '博远', '众诚', '德润', '佳禾', '盛和', '泰和'];
const TRADES = [
  { trade: '商贸', scope: ['日用百货销售', '五金产品零售', '建筑材料销售', '针纺织品销售', '办公用品销售'] },
  { trade: '餐饮管理', scope: ['餐饮服务', '餐饮管理', '食品销售（仅销售预包装食品）', '外卖递送服务'] },
  { trade: '农业科技', scope: ['农业科学研究和试验发展', '谷物种植', '蔬菜种植', '农产品的生产、销售、加工、运输、贮藏及其他相关服务'] },
  { trade: '机械制造', scope: ['通用设备制造（不含特种设备制造）', '机械零件、零部件加工', '金属制品销售'] },
  { trade: '物流', scope: ['道路货物运输（不含危险货物）', '普通货物仓储服务（不含危险化学品等需许可审批的项目）', '装卸搬运'] },
  { trade: '信息技术', scope: ['软件开发', '信息系统集成服务', '信息技术咨询服务', '计算机系统服务'] },
];
const CAPITALS = ['壹佰万元整', '伍拾万元整', '贰佰万元整', '叁拾万元整', '伍佰万元整', '壹仟万元整', '人民币壹佰万元整', '100万元', '50万元', '300万元'];
const LLC_TYPES = ['有限责任公司（自然人投资或控股）', '有限责任公司（自然人独资）', '其他有限责任公司', '股份有限公司（非上市、自然人投资或控股）'];

export interface Enterprise {
  uscc: string;
  name: string;
  entityType: string;
  legalRepresentative: string;
  registeredCapital?: string;
  establishedDate: string;
  address: string;
  businessScope: string;
  individual: boolean;
}

export function enterprise(rng: Rng): Enterprise {
  const individual = rng.chance(0.25);
  const t = rng.pick(TRADES);
  const brand = rng.pick(BRANDS);
  const scopeItems = [...t.scope].sort(() => rng.next() - 0.5).slice(0, rng.int(2, t.scope.length));
  const tail = '（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）';
  const businessScope = individual ? `${scopeItems.join('；')}。${tail}` : `一般项目：${scopeItems.join('；')}。${tail}`;
  return {
    individual,
    uscc: creditCode(rng, individual ? '2' : '1'),
    name: individual ? `齐河县${brand}${rng.pick(['便利店', '小吃部', '五金店', '农资店', '理发店'])}` : `${rng.pick(['山东', '齐河县', '德州'])}${brand}${t.trade}有限公司`,
    entityType: individual ? '个体工商户' : rng.pick(LLC_TYPES),
    legalRepresentative: personName(rng),
    ...(individual ? {} : { registeredCapital: rng.pick(CAPITALS) }),
    establishedDate: isoDate(rng, 2005, 2024),
    address: address(rng, true).text,
    businessScope,
  };
}
