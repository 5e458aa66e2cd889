import { describe, expect, it } from 'vitest';
import type { OcrLine } from '../ocr/engine.js';
import { classify, extractFields, missingFields } from './extract.js';

/** A recognised line as the engine returns it: characters spread evenly over the box. */
function line(text: string, x: number, y: number, h = 24, charW = h, p = 0.99): OcrLine {
  const chars = [...text].map((ch, i) => ({ ch, x0: x + i * charW, x1: x + (i + 1) * charW, p }));
  return { text, confidence: p, box: { x, y, width: chars.length * charW, height: h }, chars };
}
const page = { width: 1000, height: 700 };
const byName = (fields: ReturnType<typeof extractFields>) => Object.fromEntries(fields.map((f) => [f.name, f]));

describe('ID card front', () => {
  const lines = [
    line('姓名张三丰', 50, 40),
    line('性别男', 50, 100),
    line('民族汉', 250, 100),
    line('出生1985年3月7日', 50, 160),
    line('住址山东省齐河县晏城街道', 50, 220),
    line('齐鲁大道123号', 98, 256),
    line('公民身份号码', 50, 400),
    line('37142519850307001X', 220, 398, 24, 14),
  ];

  it('is recognised by its labels', () => {
    const c = classify(lines);
    expect(c.type).toBe('idcard_front');
    expect(c.confidence).toBeGreaterThan(0.9);
  });

  it('gives each label the text beside it, the address over two lines, dates in ISO form', () => {
    const f = byName(extractFields(lines, 'idcard_front', page));
    expect(f.name?.value).toBe('张三丰');
    expect(f.sex?.value).toBe('男');
    expect(f.ethnicity?.value).toBe('汉');
    expect(f.birthDate?.value).toBe('1985-03-07');
    expect(f.address?.value).toBe('山东省齐河县晏城街道齐鲁大道123号');
    expect(f.idNumber?.value).toBe('37142519850307001X');
    expect(f.idNumber?.valid).toBe(true);
    expect(missingFields('idcard_front', Object.values(f))).toEqual([]);
  });

  it('places each value where it was printed, without its label', () => {
    const f = byName(extractFields(lines, 'idcard_front', page, 2));
    // 张三丰 is characters 2–4 of a line starting at x=50 (24 px each), regions scaled ×2
    expect(f.name?.region.x).toBeGreaterThanOrEqual(2 * (50 + 2 * 24) - 4);
    expect(f.name?.region.x).toBeLessThanOrEqual(2 * (50 + 2 * 24) + 4);
    expect(f.address?.region.height).toBeGreaterThan(2 * 24 * 2 - 8);
  });

  it('takes sex and birth date from a valid ID number when they were misread, and says so', () => {
    const misread = lines.map((l) => (l.text === '性别男' ? line('性别女', 50, 100) : l.text.startsWith('出生') ? line('出生1985年8月7日', 50, 160) : l));
    const f = byName(extractFields(misread, 'idcard_front', page));
    expect(f.sex?.value).toBe('男');
    expect(f.sex?.repairedFrom).toBe('女');
    expect(f.birthDate?.value).toBe('1985-03-07');
    expect(f.birthDate?.note).toMatch(/公民身份号码/);
  });

  it('repairs an O read for a 0 in the ID number, and only that', () => {
    const slip = lines.map((l) => (l.text.startsWith('3714') ? line('371425198503O7001X', 220, 398, 24, 14) : l));
    const f = byName(extractFields(slip, 'idcard_front', page));
    expect(f.idNumber?.value).toBe('37142519850307001X');
    expect(f.idNumber?.repairedFrom).toBe('371425198503O7001X');
    const wrongDigit = lines.map((l) => (l.text.startsWith('3714') ? line('37142519850307002X', 220, 398, 24, 14) : l));
    const g = byName(extractFields(wrongDigit, 'idcard_front', page));
    expect(g.idNumber?.valid).toBe(false);
    expect(g.idNumber?.value).toBe('37142519850307002X');
    expect(g.idNumber?.confidence).toBeLessThan(0.6);
  });
});

describe('business licence', () => {
  // two columns; spaced labels come back one box per character; the code stands below its label
  const lines = [
    line('统一社会信用代码', 100, 100, 22),
    line('91371425MA3C8FRA17', 100, 130, 22, 13),
    line('营业执照', 500, 90, 60),
    line('名', 110, 250),
    line('称', 170, 250),
    line('德州泰和餐饮管理有限公司', 260, 250),
    line('注册资本', 640, 250),
    line('壹佰万元整', 760, 250),
    line('类', 110, 300),
    line('型', 170, 300),
    line('有限责任公司（自然人投资或控股）', 260, 300, 24, 20),
    line('成立日期', 640, 300),
    line('2019年05月20日', 760, 300, 24, 16),
    line('法定代表人', 110, 350),
    line('李娜', 260, 350),
    line('经营范围', 110, 400),
    line('一般项目：餐饮服务；食品销', 260, 400, 24, 20),
    line('售（仅销售预包装食品）。', 260, 436, 24, 20),
    line('住', 640, 400),
    line('所山东省齐河县晏城街道齐', 700, 400, 24, 20),
    line('鲁大道88号', 760, 436, 24, 20),
    line('登记机关', 700, 600),
  ];

  it('reads both columns, joins spaced labels, and keeps column text apart', () => {
    expect(classify(lines).type).toBe('business_license');
    const f = byName(extractFields(lines, 'business_license', page));
    expect(f.uscc?.value).toBe('91371425MA3C8FRA17');
    expect(f.uscc?.valid).toBe(true);
    expect(f.name?.value).toBe('德州泰和餐饮管理有限公司');
    expect(f.entityType?.value).toBe('有限责任公司（自然人投资或控股）');
    expect(f.legalRepresentative?.value).toBe('李娜');
    expect(f.registeredCapital?.value).toBe('壹佰万元整');
    expect(f.establishedDate?.value).toBe('2019-05-20');
    expect(f.businessScope?.value).toBe('一般项目：餐饮服务；食品销售（仅销售预包装食品）。');
    expect(f.address?.value).toBe('山东省齐河县晏城街道齐鲁大道88号');
  });
});

describe('birth certificate', () => {
  const lines = [
    line('出生医学证明', 400, 40, 50),
    line('编号Q370123456', 800, 60),
    line('新生儿姓名王小明', 60, 120),
    line('性别男', 600, 120),
    line('出生时间2024年05月06日08时30分', 60, 170, 24, 16),
    line('母亲姓名', 60, 260),
    line('刘芳', 180, 260),
    line('父亲姓名', 560, 260),
    line('王强', 680, 260),
    line('身份证件号码', 60, 320),
    line('371425199001011225', 220, 320, 24, 14),
    line('身份证件号码', 560, 320),
    line('371425198801011237', 720, 320, 24, 14),
    line('医疗机构名称齐河县人民医院', 60, 420),
  ];

  it('tells the mother’s block from the father’s', () => {
    const f = byName(extractFields(lines, 'birth_certificate', page));
    expect(f.certificateNo?.value).toBe('Q370123456');
    expect(f.newbornName?.value).toBe('王小明');
    expect(f.birthTime?.value).toBe('2024-05-06T08:30');
    expect(f.motherName?.value).toBe('刘芳');
    expect(f.fatherName?.value).toBe('王强');
    expect(f.motherIdNumber?.value).toBe('371425199001011225');
    expect(f.fatherIdNumber?.value).toBe('371425198801011237');
    expect(f.institution?.value).toBe('齐河县人民医院');
  });
});

describe('property certificate', () => {
  const rows = (area: string) => [
    line('鲁（2023）齐河县不动产权第0012345号', 100, 40),
    line('权利人', 100, 120),
    line('张三', 300, 120),
    line('坐落', 100, 200),
    line('齐河县晏城街道齐鲁大道88号', 300, 200),
    line('不动产单元号', 100, 280),
    line('371425001002GB00012F00010001', 300, 280, 24, 14),
    line('面积', 100, 360),
    line(`共有宗地面积1234.50㎡/房屋建筑面积${area}㎡`, 300, 360, 24, 16),
    line('权利其他状况', 100, 440),
    line('专有建筑面积70.19㎡，分摊建筑面积2.20㎡', 300, 440, 24, 16),
  ];

  it('reads the certificate number without a label, and both areas', () => {
    const f = byName(extractFields(rows('72.39'), 'property_certificate', page));
    expect(f.certificateNo?.value).toBe('鲁（2023）齐河县不动产权第0012345号');
    expect(f.unitNo?.value).toBe('371425001002GB00012F00010001');
    expect(f.landArea?.value).toBe('1234.50');
    expect(f.buildingArea?.value).toBe('72.39');
  });

  it('puts back a lost decimal point when 专有 + 分摊 proves it, and doubts it otherwise', () => {
    const f = byName(extractFields(rows('7239'), 'property_certificate', page));
    expect(f.buildingArea).toMatchObject({ value: '72.39', valid: true, repairedFrom: '7239' });
    const g = byName(extractFields(rows('7339'), 'property_certificate', page));
    expect(g.buildingArea).toMatchObject({ value: '7339', valid: false });
  });
});

describe('type recognition', () => {
  it('names no type for text that is none of the documents', () => {
    expect(classify([line('会议纪要', 10, 10), line('今天下午三点开会', 10, 50)]).type).toBeNull();
  });
});
