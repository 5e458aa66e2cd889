import { cardDate, guilloche, pickFonts, wrap, type DocSpec, type TextItem } from './layout.js';
import { isoDate, person } from './people.js';
import type { Rng } from './random.js';

/** 居民身份证 front and back, 856 × 540 px (the ID-1 card at about 254 dpi). */

const W = 856;
const H = 540;
const AUTHORITIES = ['齐河县公安局', '德州市公安局德城分局', '济南市公安局历下分局', '临邑县公安局', '平原县公安局', '禹城市公安局'];

export function idCardFront(rng: Rng): DocSpec {
  const p = person(rng);
  const f = pickFonts(rng);
  const label = '#1f5b99';
  const ink = rng.pick(['#111', '#222', '#1a1a1a']);
  const ls = rng.int(22, 26);
  const vs = rng.int(24, 28);
  const x0 = rng.int(50, 70);
  const vx = x0 + ls * 2 + rng.int(18, 30);
  const items: TextItem[] = [];
  const add = (text: string, x: number, y: number, field?: string, size = vs, color = ink, font = f.value): void => {
    items.push({ text, x, y, size, font, color, ...(field ? { field } : {}) });
  };
  let y = rng.int(50, 70);
  add('姓名', x0, y, undefined, ls, label, f.label);
  add(p.name, vx, y - 2, 'name', vs + 2);
  y += rng.int(62, 70);
  add('性别', x0, y, undefined, ls, label, f.label);
  add(p.sex, vx, y, 'sex');
  const ex = vx + rng.int(120, 160);
  add('民族', ex, y, undefined, ls, label, f.label);
  add(p.ethnicity, ex + ls * 2 + rng.int(18, 26), y, 'ethnicity');
  y += rng.int(62, 70);
  add('出生', x0, y, undefined, ls, label, f.label);
  add(cardDate(p.birthDate, rng.chance(0.6)), vx, y, 'birthDate');
  y += rng.int(62, 70);
  add('住址', x0, y, undefined, ls, label, f.label);
  for (const line of wrap(p.address, 11)) {
    add(line, vx, y, 'address');
    y += vs + rng.int(10, 16);
  }
  const idY = rng.int(430, 460);
  add('公民身份号码', x0, idY + 4, undefined, ls, label, f.label);
  items.push({ text: p.idNumber, x: x0 + ls * 6 + rng.int(30, 50), y: idY, size: vs + 2, font: f.code, color: ink, spacing: rng.int(1, 4), bold: rng.chance(0.5), field: 'idNumber' });
  const photo = `<rect x="590" y="60" width="220" height="280" fill="#dfe6ee"/><circle cx="700" cy="170" r="62" fill="#b9c4d0"/><rect x="620" y="250" width="160" height="90" rx="70" fill="#b9c4d0"/>`;
  return {
    type: 'idcard_front',
    width: W,
    height: H,
    paper: rng.pick(['#f3f1ea', '#eef2f1', '#f6f3ee']),
    background: guilloche(rng, W, H, '#8fb3c9') + photo,
    items,
    fields: { name: p.name, sex: p.sex, ethnicity: p.ethnicity, birthDate: p.birthDate, address: p.address, idNumber: p.idNumber },
  };
}

export function idCardBack(rng: Rng): DocSpec {
  const f = pickFonts(rng);
  const validFrom = isoDate(rng, 2008, 2024);
  const years = rng.pick([5, 10, 20, 0]);
  const validUntil = years === 0 ? '长期' : `${Number(validFrom.slice(0, 4)) + years}${validFrom.slice(4)}`;
  const authority = rng.pick(AUTHORITIES);
  const dotted = (iso: string): string => iso.replaceAll('-', '.');
  const ink = '#111';
  const label = '#1f5b99';
  const ls = rng.int(22, 26);
  const lx = rng.int(150, 190);
  const vx = lx + ls * 4 + rng.int(24, 40);
  const y1 = rng.int(380, 400);
  const y2 = y1 + rng.int(56, 66);
  const items: TextItem[] = [
    { text: '中华人民共和国', x: 250, y: 70, size: 44, font: f.label, color: '#333', bold: true },
    { text: '居民身份证', x: 200, y: 170, size: 72, font: f.label, color: '#333', bold: true, spacing: 12 },
    { text: '签发机关', x: lx, y: y1, size: ls, font: f.label, color: label },
    { text: authority, x: vx, y: y1 - 2, size: ls + 2, font: f.value, color: ink, field: 'issuingAuthority' },
    { text: '有效期限', x: lx, y: y2, size: ls, font: f.label, color: label },
    { text: `${dotted(validFrom)}-${validUntil === '长期' ? '长期' : dotted(validUntil)}`, x: vx, y: y2 - 2, size: ls + 2, font: f.value, color: ink, field: 'validity' },
  ];
  const emblem = `<circle cx="125" cy="125" r="72" fill="#c8262c" opacity="0.85"/><circle cx="125" cy="125" r="48" fill="#e8b84a" opacity="0.9"/>`;
  return {
    type: 'idcard_back',
    width: W,
    height: H,
    paper: rng.pick(['#f3f1ea', '#eef2f1', '#f6f3ee']),
    background: guilloche(rng, W, H, '#c9a78f') + emblem,
    items,
    fields: { issuingAuthority: authority, validFrom, validUntil },
  };
}
