import { pickFonts, qrBlock, seal, wrap, zhDate, type DocSpec, type TextItem } from './layout.js';
import { address, enterprise, isoDate, person, personName } from './people.js';
import type { Rng } from './random.js';

/** 营业执照 (副本, A4 landscape), 不动产权证书 (register page, A4 portrait), 出生医学证明 — at 150 dpi. */

export function businessLicense(rng: Rng): DocSpec {
  const e = enterprise(rng);
  const f = pickFonts(rng);
  const W = 1754;
  const H = 1240;
  const s = rng.int(24, 28);
  const ink = '#151515';
  const items: TextItem[] = [];
  const add = (text: string, x: number, y: number, field?: string, size = s, bold = false): void => {
    items.push({ text, x, y, size, font: field ? f.value : f.label, color: ink, bold, ...(field ? { field } : {}) });
  };
  add('统一社会信用代码', 130, 130, undefined, 24);
  items.push({ text: e.uscc, x: 130, y: 166, size: 28, font: f.code, color: ink, field: 'uscc', spacing: rng.int(0, 3) });
  items.push({ text: '营 业 执 照', x: 600, y: 120, size: 96, font: f.label, color: '#b01c1c', bold: true });
  add('（副　　本）', 800, 250, undefined, 28);
  const left = [
    ['名　　称', e.name, 'name'],
    ['类　　型', e.entityType, 'entityType'],
    [e.individual ? '经 营 者' : '法定代表人', e.legalRepresentative, 'legalRepresentative'],
  ] as const;
  const lx = rng.int(120, 150);
  const lvx = lx + 190;
  let y = rng.int(360, 390);
  const step = rng.int(62, 72);
  for (const [label, value, field] of left) {
    add(label, lx, y);
    add(value, lvx, y, field);
    y += step;
  }
  add('经营范围', lx, y);
  for (const line of wrap(e.businessScope, Math.floor(560 / s))) {
    add(line, lvx, y, 'businessScope');
    y += s + 16;
  }
  const rx = rng.int(950, 990);
  const rvx = rx + 170;
  let ry = rng.int(360, 390);
  const right: Array<[string, string, string | undefined]> = e.individual
    ? [['组成形式', '个人经营', undefined], ['注册日期', zhDate(e.establishedDate), 'establishedDate']]
    : [['注册资本', e.registeredCapital!, 'registeredCapital'], ['成立日期', zhDate(e.establishedDate), 'establishedDate'], ['营业期限', `${zhDate(e.establishedDate)}至长期`, undefined]];
  for (const [label, value, field] of right) {
    add(label, rx, ry);
    add(value, rvx, ry, field);
    ry += step;
  }
  add(e.individual ? '经营场所' : '住　　所', rx, ry);
  for (const line of wrap(e.address, Math.floor(440 / s))) {
    add(line, rvx, ry, 'address');
    ry += s + 16;
  }
  add('登记机关', 1150, 1010);
  add(zhDate(isoDate(rng, 2019, 2025)), 1250, 1080);
  const border = `<rect x="40" y="40" width="${W - 80}" height="${H - 80}" fill="none" stroke="#b8860b" stroke-width="10"/><rect x="60" y="60" width="${W - 120}" height="${H - 120}" fill="none" stroke="#b8860b" stroke-width="2"/>`;
  const fields: Record<string, string> = { uscc: e.uscc, name: e.name, entityType: e.entityType, legalRepresentative: e.legalRepresentative, establishedDate: e.establishedDate, address: e.address, businessScope: e.businessScope };
  if (e.registeredCapital) fields.registeredCapital = e.registeredCapital;
  return {
    type: 'business_license', width: W, height: H, paper: '#fbf8f0',
    background: border + qrBlock(rng, 1440, 110, 170) + seal(1330, 1030, 95),
    items, fields,
  };
}

const USES: ReadonlyArray<[string, string]> = [['城镇住宅用地/住宅', '住宅'], ['商服用地/商业', '商业'], ['工业用地/工业', '工业'], ['城镇住宅用地/车库', '车库']];

export function propertyCertificate(rng: Rng): DocSpec {
  const f = pickFonts(rng);
  const W = 1240;
  const H = 1754;
  const owner = rng.chance(0.85) ? personName(rng) : `山东${rng.pick(['鑫达', '恒信', '华泰'])}置业有限公司`;
  const year = rng.int(2016, 2025);
  const certificateNo = `鲁（${year}）齐河县不动产权第${String(rng.int(1, 9999999)).padStart(7, '0')}号`;
  const unitNo = `371425${String(rng.int(1, 20)).padStart(3, '0')}${String(rng.int(1, 40)).padStart(3, '0')}GB${String(rng.int(1, 99999)).padStart(5, '0')}F${String(rng.int(1, 30)).padStart(4, '0')}${String(rng.int(1, 3000)).padStart(4, '0')}`;
  const [use] = rng.pick(USES);
  const landArea = (rng.int(100000, 4000000) / 100).toFixed(2);
  const buildingArea = (rng.int(4000, 20000) / 100).toFixed(2);
  const ownership = rng.pick(['单独所有', '共同共有', '按份共有']);
  const addr = address(rng, true).text.replace(/^山东省/, '');
  const termStart = isoDate(rng, 1995, 2015);
  const termEnd = `${Number(termStart.slice(0, 4)) + 70}${termStart.slice(4)}`;
  const rows: Array<[string, string, string | undefined]> = [
    ['权利人', owner, 'owner'],
    ['共有情况', ownership, 'ownership'],
    ['坐落', addr, 'address'],
    ['不动产单元号', unitNo, 'unitNo'],
    ['权利类型', '国有建设用地使用权/房屋所有权', 'rightType'],
    ['权利性质', rng.pick(['出让/市场化商品房', '出让/自建房', '划拨/房改房']), 'rightNature'],
    ['用途', use, 'use'],
    ['面积', `共有宗地面积${landArea}㎡/房屋建筑面积${buildingArea}㎡`, 'area'],
    ['使用期限', `国有建设用地使用权${zhDate(termStart)}起${zhDate(termEnd)}止`, 'term'],
    ['权利其他状况', `专有建筑面积${buildingArea}㎡，分摊建筑面积0.00㎡`, undefined],
  ];
  const s = rng.int(24, 28);
  const items: TextItem[] = [{ text: certificateNo, x: 160, y: 150, size: s + 2, font: f.value, color: '#111', field: 'certificateNo' }];
  let y = 260;
  let grid = '';
  const wrapN = Math.floor(620 / s);
  for (const [label, value, field] of rows) {
    const lines = wrap(value, wrapN);
    const rowH = Math.max(90, lines.length * (s + 18) + 40);
    grid += `<rect x="130" y="${y}" width="980" height="${rowH}" fill="none" stroke="#444" stroke-width="2"/><line x1="400" y1="${y}" x2="400" y2="${y + rowH}" stroke="#444" stroke-width="2"/>`;
    items.push({ text: label, x: 265 - (label.length * s) / 2, y: y + rowH / 2 - s / 2 - 2, size: s, font: f.label, color: '#111' });
    let ly = y + (rowH - lines.length * (s + 18) + 18) / 2 - 2;
    for (const line of lines) {
      items.push({ text: line, x: 430, y: ly, size: s, font: f.value, color: '#111', ...(field ? { field } : {}) });
      ly += s + 18;
    }
    y += rowH;
  }
  const fields: Record<string, string> = {
    certificateNo, owner, ownership, address: addr, unitNo, rightType: '国有建设用地使用权/房屋所有权', use,
    landArea, buildingArea, landUseUntil: termEnd,
  };
  return { type: 'property_certificate', width: W, height: H, paper: '#fffdf7', background: grid, items, fields };
}

export function birthCertificate(rng: Rng): DocSpec {
  const f = pickFonts(rng);
  const W = 1600;
  const H = 1150;
  const mother = person(rng, [1980, 2002], '女');
  const father = person(rng, [1975, 2000], '男');
  const sex = rng.chance(0.5) ? '男' : '女';
  const surname = father.name.startsWith('欧阳') || father.name.startsWith('司马') || father.name.startsWith('诸葛') || father.name.startsWith('上官') ? father.name.slice(0, 2) : father.name[0]!;
  const newbornName = surname + personName(rng).slice(1);
  const date = isoDate(rng, 2020, 2025);
  const hh = String(rng.int(0, 23)).padStart(2, '0');
  const mm = String(rng.int(0, 59)).padStart(2, '0');
  const certificateNo = `${rng.pick(['Q', 'R', 'S'])}${370000000 + rng.int(100000, 999999)}`;
  const institution = rng.pick(['齐河县人民医院', '齐河县妇幼保健院', '德州市人民医院', '齐河县中医院']);
  const s = rng.int(24, 28);
  const items: TextItem[] = [
    { text: '出生医学证明', x: 560, y: 70, size: 64, font: f.label, color: '#222', bold: true, spacing: 6 },
    { text: '编号', x: 1180, y: 110, size: s, font: f.label, color: '#222' },
    { text: certificateNo, x: 1260, y: 108, size: s + 2, font: f.code, color: '#c0161b', field: 'certificateNo' },
  ];
  const add = (label: string, value: string, x: number, y: number, field?: string): void => {
    items.push({ text: label, x, y, size: s, font: f.label, color: '#222' });
    items.push({ text: value, x: x + label.length * s + 28, y, size: s, font: f.value, color: '#111', ...(field ? { field } : {}) });
  };
  const [hY, mY] = [200, 500];
  add('新生儿姓名', newbornName, 90, hY, 'newbornName');
  add('性别', sex, 800, hY, 'newbornSex');
  add('出生时间', `${date.slice(0, 4)}年${date.slice(5, 7)}月${date.slice(8, 10)}日${hh}时${mm}分`, 90, hY + 60, 'birthTime');
  add('出生孕周', `${rng.int(36, 41)}周`, 90, hY + 120);
  add('出生体重', `${rng.int(2600, 4200)}克`, 560, hY + 120);
  add('出生身长', `${rng.int(46, 54)}厘米`, 1030, hY + 120);
  add('出生地点', '山东省德州市齐河县', 90, hY + 180, 'birthPlace');
  add('健康状况', '良好', 800, hY + 180);
  const block = (who: '母亲' | '父亲', p: typeof mother, x: number): void => {
    add(`${who}姓名`, p.name, x, mY, `${who === '母亲' ? 'mother' : 'father'}Name`);
    add('年龄', String(Number(date.slice(0, 4)) - Number(p.birthDate.slice(0, 4))), x, mY + 60);
    add('国籍', '中国', x, mY + 120);
    add('民族', `${p.ethnicity}族`, x, mY + 180);
    add('身份证件号码', p.idNumber, x, mY + 240, `${who === '母亲' ? 'mother' : 'father'}IdNumber`);
  };
  block('母亲', mother, 90);
  block('父亲', father, 830);
  add('医疗机构名称', institution, 90, 860, 'institution');
  items.push({ text: '签证机构（出生医学证明专用章）', x: 930, y: 960, size: s, font: f.label, color: '#222' });
  const border = `<rect x="30" y="30" width="${W - 60}" height="${H - 60}" fill="none" stroke="#6a8caf" stroke-width="8"/><line x1="60" y1="${mY - 30}" x2="${W - 60}" y2="${mY - 30}" stroke="#6a8caf" stroke-width="2"/><line x1="800" y1="${mY - 30}" x2="800" y2="${mY + 290}" stroke="#6a8caf" stroke-width="2"/>`;
  return {
    type: 'birth_certificate', width: W, height: H, paper: '#f7fbff',
    background: border + seal(1130, 980, 90),
    items,
    fields: {
      certificateNo, newbornName, newbornSex: sex, birthTime: `${date}T${hh}:${mm}`, birthPlace: '山东省德州市齐河县', institution,
      motherName: mother.name, motherIdNumber: mother.idNumber, fatherName: father.name, fatherIdNumber: father.idNumber,
    },
  };
}
