import { checkIdNumber } from '../../../../shared/checks/id-number.js';
import type { DocType } from './doc-types.js';
import type { ExtractedField } from './extract.js';

/**
 * Fields on the same document that must agree. A resident ID number whose check character is
 * right proves its birth date and sex (GB 11643), so 出生 and 性别 on the card front are taken
 * from it when they were not read, or read differently (an OCR slip: on a genuine card they agree).
 */
export function crossCheck(type: DocType, fields: ExtractedField[]): ExtractedField[] {
  if (type === 'property_certificate') return areaAgreement(fields);
  if (type !== 'idcard_front') return fields;
  const id = fields.find((f) => f.name === 'idNumber' && f.valid);
  if (!id) return fields;
  const r = checkIdNumber(id.value);
  if (!r.valid || !r.birthDate || !r.sex) return fields;
  const implied: Record<string, [string, string]> = { birthDate: [r.birthDate, '出生'], sex: [r.sex === 'M' ? '男' : '女', '性别'] };
  const out = fields.filter((f) => !(f.name in implied) || f.value === implied[f.name]![0]);
  for (const [name, [value, label]] of Object.entries(implied)) {
    if (out.some((f) => f.name === name)) continue;
    const read = fields.find((f) => f.name === name);
    out.push({
      name,
      label,
      value,
      raw: read?.raw ?? '',
      confidence: 0.95,
      valid: true,
      repairedFrom: read?.value ?? '',
      note: read ? `识别为“${read.value}”，与公民身份号码不符，已按号码校正` : '未识别到，已按公民身份号码推出',
      region: read?.region ?? id.region,
    });
  }
  return out;
}

/**
 * 房屋建筑面积 = 专有建筑面积 + 分摊建筑面积, both printed again under 权利其他状况. A building area
 * read without its decimal point is repaired when its digits are exactly those of that sum.
 */
function areaAgreement(fields: ExtractedField[]): ExtractedField[] {
  const get = (n: string): ExtractedField | undefined => fields.find((f) => f.name === n);
  const area = get('buildingArea');
  const own = get('exclusiveArea');
  const shared = get('sharedArea');
  if (!area || area.valid || !own?.valid || !shared?.valid) return fields;
  const sum = (Math.round(Number(own.value) * 100) + Math.round(Number(shared.value) * 100)) / 100;
  const expected = sum.toFixed(2);
  if (expected.replace('.', '') !== area.value.replace(/^0+/, '').replace('.', '')) return fields;
  const { problem: _dropped, ...rest } = area;
  void _dropped;
  return fields.map((f) => (f === area ? { ...rest, value: expected, valid: true, confidence: 0.9, repairedFrom: area.value, note: '小数点按“专有建筑面积＋分摊建筑面积”补正' } : f));
}
