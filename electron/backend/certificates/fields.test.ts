import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { documentNumberFor, formatDocumentNumber, formatPatternNumber } from './document-number.js';
import { chinaDate, formatChineseDate, resolveFields, type Builtins } from './fields.js';
import { prepareDocument } from './render.js';
import { sampleFields } from './sample-fields.js';
import { getTemplate } from './templates.js';
import { specimenSeal, testOffice } from './test-support.js';

const builtins: Builtins = {
  'doc.number': '齐审批受〔2026〕1号',
  'doc.title': '受理通知书',
  'doc.issuedAt': '2026年5月6日',
  'office.name': '齐河县行政审批服务局',
  'verify.url': 'http://h/verify/X',
  'verify.id': 'X',
};

function refused(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('bad_request');
    return err as AppError;
  }
  throw new Error('not refused');
}

describe('field values', () => {
  const t = getTemplate('one_time_notice');

  it('names every missing required field at once and issues nothing', () => {
    const err = refused(() => resolveFields(t, { 'enterprise.name': '甲公司' }, builtins));
    expect(err.message).toBe('缺少必填内容：申请事项、申请日期、需补正的材料、办件编号。请补全后再出具，未出具任何文书。');
  });

  it('takes a derived field from the first case field present', () => {
    const r = resolveFields(t, { ...sampleFields(t), 'enterprise.name': '', 'applicant.name': '王丽娟' }, builtins);
    expect(r.text.get('notice.applicant')).toBe('王丽娟');
    expect(r.rows.get('notice.missing')).toHaveLength(3);
    expect(r.text.get('case.submittedAt')).toBe('2026年5月6日');
  });

  it('refuses a bad date, a value of the wrong kind, control characters and characters no font has', () => {
    const base = sampleFields(t);
    expect(refused(() => resolveFields(t, { ...base, 'case.submittedAt': '2026-02-30' }, builtins)).message).toContain('「申请日期」不是有效日期');
    expect(refused(() => resolveFields(t, { ...base, 'notice.missing': '身份证' }, builtins)).message).toContain('「需补正的材料」应为表格数据');
    expect(refused(() => resolveFields(t, { ...base, 'case.no': 'QH\u0007123' }, builtins)).message).toContain('控制字符');
    expect(refused(() => resolveFields(t, { ...base, 'enterprise.name': '甲\u202e公司' }, builtins)).message).toContain('控制字符');
    expect(refused(() => resolveFields(t, { ...base, 'enterprise.name': '甲公司\u{F0000}' }, builtins)).message).toContain('无法打印');
    expect(refused(() => resolveFields(t, { ...base, 'notice.missing': [{ name: '身份证', colour: '红' }] }, builtins)).message).toContain('未定义的栏目 colour');
    expect(refused(() => resolveFields(t, 'not an object', builtins)).message).toContain('格式有误');
  });

  it('refuses text that cannot fit its box even at the smallest size, naming the field', async () => {
    const office = testOffice();
    const lic = getTemplate('business_licence');
    const fields = { ...sampleFields(lic), 'enterprise.businessScope': '餐饮服务；食品销售；'.repeat(190) };
    const err = await prepareDocument({ template: lic, fields, office, seal: specimenSeal(office), number: '1', issuedAt: new Date(), hallUrl: 'http://h' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toContain('「经营范围」内容过长');
    const notice = getTemplate('one_time_notice');
    const many = Array.from({ length: 60 }, (_, i) => ({ name: `材料${i + 1}`, requirement: '原件1份', note: '需加盖公章并由法定代表人签字确认' }));
    const err2 = await prepareDocument({ template: notice, fields: { ...sampleFields(notice), 'notice.missing': many }, office, seal: specimenSeal(office), number: '1', issuedAt: new Date(), hallUrl: 'http://h' }).catch((e: unknown) => e);
    expect((err2 as AppError).message).toContain('「需补正的材料」');
  });

  it('writes dates the 公文 way, in China time', () => {
    expect(formatChineseDate('2026-05-06')).toBe('2026年5月6日');
    expect(formatChineseDate('2026-13-01')).toBeNull();
    expect(chinaDate(new Date('2026-05-05T16:30:00Z'))).toBe('2026-05-06');
  });
});

describe('document numbers', () => {
  it('formats 机关代字〔year〕serial号 without leading zeros', () => {
    expect(formatDocumentNumber({ abbreviation: '齐审批', year: 2026, serial: 123 })).toBe('齐审批〔2026〕123号');
    expect(formatDocumentNumber({ abbreviation: '齐审批', word: '受', year: 2026, serial: 7 })).toBe('齐审批受〔2026〕7号');
    expect(formatPatternNumber('JY1{division}{serial:7}', { abbreviation: '齐审批', year: 2026, serial: 123, division: '371425' })).toBe('JY13714250000123');
    expect(documentNumberFor(getTemplate('real_estate_certificate').numbering, { abbreviation: '齐审批', year: 2026, serial: 42 })).toBe('鲁（2026）齐河县不动产权第0000042号');
    expect(documentNumberFor(getTemplate('acceptance_notice').numbering, { abbreviation: '齐审批', year: 2026, serial: 42 })).toBe('齐审批受〔2026〕42号');
  });

  it('refuses a bad year, serial, abbreviation or division', () => {
    refused(() => formatDocumentNumber({ abbreviation: '齐审批', year: 1999, serial: 1 }));
    refused(() => formatDocumentNumber({ abbreviation: '齐审批', year: 2026, serial: 0 }));
    refused(() => formatDocumentNumber({ abbreviation: 'QSP', year: 2026, serial: 1 }));
    refused(() => formatPatternNumber('{division}{serial:3}', { abbreviation: '齐审批', year: 2026, serial: 1, division: '37' }));
    refused(() => formatPatternNumber('{serial:3}', { abbreviation: '齐审批', year: 2026, serial: 1234 }));
  });
});
