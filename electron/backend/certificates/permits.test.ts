import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { issuePermitsTogether, LAND_TO_CONSTRUCTION_TEMPLATES, type PermitsInput } from './permits.js';
import { sampleFields } from './sample-fields.js';
import { getTemplate } from './templates.js';
import { specimenSeal, testOffice } from './test-support.js';
import { verifyPdf } from './verify.js';

const office = testOffice();

function input(): PermitsInput {
  const fields = Object.assign({}, ...LAND_TO_CONSTRUCTION_TEMPLATES.map((id) => sampleFields(getTemplate(id))));
  delete fields['buyer.name']; // the project's case has the enterprise, no buyer
  return {
    fields,
    office,
    seal: specimenSeal(office),
    issuedAt: '2026-05-06T10:00:00+08:00',
    hallUrl: 'https://zwfw.qihe.gov.cn',
    permits: [
      { template: 'real_estate_certificate', number: '鲁（2026）齐河县不动产权第0000101号', fields: { 'realEstate.rightType': '国有建设用地使用权', 'realEstate.address': '齐河县经济开发区华山路以东、新村路以北' } },
      { template: 'land_use_planning_permit', number: '地字第371425202600101号' },
      { template: 'construction_engineering_planning_permit', number: '建字第371425202600101号' },
      { template: 'construction_permit', number: '37142520260101' + '0101' },
    ],
  };
}

describe('拿地即开工: four permits in one action', () => {
  it('issues the four permits together, each signed with its own verification record', async () => {
    const docs = await issuePermitsTogether(input());
    expect(docs.map((d) => d.record.record.templateId)).toEqual([...LAND_TO_CONSTRUCTION_TEMPLATES]);
    expect(new Set(docs.map((d) => d.id)).size).toBe(4);
    for (const d of docs) {
      const v = await verifyPdf(d.pdf);
      expect(v.ok).toBe(true);
      expect(v.record?.holder).toBe(sampleFields(getTemplate('land_use_planning_permit'))['enterprise.name']);
    }
  });

  it('issues none when one of them is refused', async () => {
    const bad = input();
    (bad.permits[3] as { fields?: Record<string, string> }).fields = { 'contractor.name': '' };
    const err = await issuePermitsTogether(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toContain('施工单位');
  });
});
