import { describe, expect, it } from 'vitest';
import { catalogFieldKeys, toFormValues } from './form-mapping.js';
import type { CapturedPage, ExtractedField } from './types.js';

const f = (name: string, value: string, valid = true): ExtractedField => ({ name, label: name, value, raw: value, confidence: 0.97, valid, region: { x: 1, y: 2, width: 3, height: 4 } });
const page = (docType: CapturedPage['docType'], fields: ExtractedField[]) => ({ docType, fields, engine: 'ppocr-v4-onnx', stored: { sha256: 'f'.repeat(64), mime: 'image/jpeg' as const, bytes: new Uint8Array(), width: 10, height: 10 } });

describe('document fields to form keys', () => {
  const idFront = page('idcard_front', [f('name', '张三'), f('sex', '男'), f('birthDate', '1985-03-07'), f('address', '山东省齐河县晏城街道'), f('idNumber', '37142519850307001X'), f('ethnicity', '汉')]);

  it('fills the applicant by default, with enum values as the catalog defines them', () => {
    const v = Object.fromEntries(toFormValues(idFront).map((x) => [x.key, x.value]));
    expect(v).toEqual({
      'applicant.name': '张三',
      'applicant.sex': 'male',
      'applicant.birthDate': '1985-03-07',
      'applicant.householdAddress': '山东省齐河县晏城街道',
      'applicant.idNumber': '37142519850307001X',
    });
  });

  it('fills the subject of the material, and only keys the catalog has', () => {
    const v = toFormValues(idFront, { materialId: 'legalRep.idCard' });
    expect(v.map((x) => x.key).sort()).toEqual(['legalRep.idNumber', 'legalRep.name']);
    expect(v[0]?.provenance).toMatchObject({ pageSha256: 'f'.repeat(64), materialId: 'legalRep.idCard', docType: 'idcard_front', region: { x: 1, y: 2, width: 3, height: 4 } });
  });

  it('maps a licence to the enterprise, its legal representative only for the applicant enterprise', () => {
    const lic = page('business_license', [f('name', '德州泰和餐饮管理有限公司'), f('uscc', '91371425MA3C8FRA17'), f('entityType', '有限责任公司（自然人投资或控股）'), f('registeredCapital', '壹佰万元整'), f('legalRepresentative', '李娜')]);
    const own = Object.fromEntries(toFormValues(lic).map((x) => [x.key, x.value]));
    expect(own).toMatchObject({ 'enterprise.name': '德州泰和餐饮管理有限公司', 'enterprise.uscc': '91371425MA3C8FRA17', 'enterprise.type': 'llc', 'enterprise.registeredCapital': '1000000', 'legalRep.name': '李娜' });
    const contractor = toFormValues(lic, { materialId: 'contractor.licence' }).map((x) => x.key).sort();
    expect(contractor).toEqual(['contractor.name', 'contractor.uscc']);
  });

  it('uses only keys that exist in resources/catalog/fields.json', () => {
    const known = catalogFieldKeys();
    const all = [
      ...toFormValues(idFront),
      ...toFormValues(page('idcard_back', [f('validUntil', '2035-03-01')]), { role: 'legalRep' }),
      ...toFormValues(page('property_certificate', [f('owner', '张三'), f('certificateNo', '鲁（2023）齐河县不动产权第0012345号'), f('unitNo', '371425001002GB00012F00010001'), f('address', '齐河县晏城街道'), f('buildingArea', '98.76'), f('landArea', '1234.50'), f('use', '城镇住宅用地/住宅')]), { role: 'seller' }),
      ...toFormValues(page('birth_certificate', [f('newbornName', '王小明'), f('newbornSex', '女'), f('birthTime', '2024-05-06T08:30'), f('institution', '齐河县人民医院'), f('certificateNo', 'Q370123456'), f('motherName', '刘芳'), f('motherIdNumber', '371425199001011225'), f('fatherName', '王强'), f('fatherIdNumber', '371425198801011237')])),
    ];
    expect(all.length).toBe(5 + 1 + 7 + 9);
    for (const v of all) expect(known.has(v.key), v.key).toBe(true);
    expect(all.find((v) => v.key === 'property.use')?.value).toBe('residential');
    expect(all.find((v) => v.key === 'newborn.birthDate')?.value).toBe('2024-05-06');
  });

  it('produces nothing for a page of unknown type', () => {
    expect(toFormValues(page(null, [f('name', '张三')]))).toEqual([]);
  });
});
