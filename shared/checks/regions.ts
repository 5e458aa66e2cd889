/**
 * Administrative division codes (GB/T 2260) as far as the identifier checks need them: every
 * province-level prefix, Shandong's prefectures and Dezhou's counties (the hall is in 齐河县, 371425).
 * Other prefectures are accepted as plausible when their province is known.
 */

export const PROVINCES: Readonly<Record<string, string>> = {
  '11': '北京市', '12': '天津市', '13': '河北省', '14': '山西省', '15': '内蒙古自治区',
  '21': '辽宁省', '22': '吉林省', '23': '黑龙江省',
  '31': '上海市', '32': '江苏省', '33': '浙江省', '34': '安徽省', '35': '福建省', '36': '江西省', '37': '山东省',
  '41': '河南省', '42': '湖北省', '43': '湖南省', '44': '广东省', '45': '广西壮族自治区', '46': '海南省',
  '50': '重庆市', '51': '四川省', '52': '贵州省', '53': '云南省', '54': '西藏自治区',
  '61': '陕西省', '62': '甘肃省', '63': '青海省', '64': '宁夏回族自治区', '65': '新疆维吾尔自治区',
  '71': '台湾省', '81': '香港特别行政区', '82': '澳门特别行政区',
  // Residence permits for Taiwan residents use 830000 (港澳台居民居住证).
  '83': '台湾地区（居住证）',
};

/** Shandong prefectures (3712 莱芜市 was merged into 济南市 in 2019; older ID numbers still carry it). */
const SHANDONG_PREFECTURES: Readonly<Record<string, string>> = {
  '3701': '济南市', '3702': '青岛市', '3703': '淄博市', '3704': '枣庄市', '3705': '东营市', '3706': '烟台市',
  '3707': '潍坊市', '3708': '济宁市', '3709': '泰安市', '3710': '威海市', '3711': '日照市', '3712': '莱芜市',
  '3713': '临沂市', '3714': '德州市', '3715': '聊城市', '3716': '滨州市', '3717': '菏泽市',
};

/** Dezhou's counties; 371421 陵县 became 371403 陵城区 in 2014 and is kept for older numbers. */
const DEZHOU_COUNTIES: Readonly<Record<string, string>> = {
  '371401': '市辖区', '371402': '德城区', '371403': '陵城区', '371421': '陵县', '371422': '宁津县',
  '371423': '庆云县', '371424': '临邑县', '371425': '齐河县', '371426': '平原县', '371427': '夏津县',
  '371428': '武城县', '371481': '乐陵市', '371482': '禹城市',
};

/**
 * Shandong's former 地区 (prefectures before they became cities, 3721–3731): numbers issued then
 * keep their code for life — many 齐河 residents born before 1994 have 372425… (德州地区).
 */
const SHANDONG_FORMER_PREFECTURES: Readonly<Record<string, string>> = { '3724': '德州地区' };
const isFormerShandongPrefecture = (p: string): boolean => p >= '3721' && p <= '3731';

export interface RegionLookup {
  plausible: boolean;
  /** The most specific name known, e.g. 山东省德州市齐河县, or 江苏省 (code 320106). */
  name?: string;
}

export function lookupRegion(code: string): RegionLookup {
  if (!/^\d{6}$/.test(code)) return { plausible: false };
  const province = PROVINCES[code.slice(0, 2)];
  if (!province) return { plausible: false };
  if (code.slice(0, 2) !== '37') return { plausible: true, name: province };
  const prefecture = SHANDONG_PREFECTURES[code.slice(0, 4)];
  if (!prefecture && isFormerShandongPrefecture(code.slice(0, 4))) {
    return { plausible: true, name: `${province}${SHANDONG_FORMER_PREFECTURES[code.slice(0, 4)] ?? ''}（旧区划代码）` };
  }
  if (!prefecture) return { plausible: code.slice(2) === '0000', name: province };
  if (code.slice(0, 4) !== '3714') return { plausible: true, name: province + prefecture };
  const county = DEZHOU_COUNTIES[code];
  if (!county) return { plausible: code.slice(4) === '00', name: province + prefecture };
  return { plausible: true, name: county === '市辖区' ? province + prefecture : province + prefecture + county };
}

/** Prefecture and county names the address comparison may drop from the front of an address. */
export function regionNamesForStripping(): string[] {
  return [...Object.values(SHANDONG_PREFECTURES), ...Object.values(DEZHOU_COUNTIES).filter((n) => n !== '市辖区')];
}
