import { describe, expect, it } from 'vitest';
import { acceptSuggestions, suggestAutofill, type ExtractedValue, type FormState, type Provenance } from './autofill.js';

const prov = (field: string, confidence = 0.98, page = 'a'.repeat(64)): Provenance => ({
  pageSha256: page,
  region: { x: 10, y: 20, width: 100, height: 24 },
  engine: 'ppocr-v4-onnx',
  confidence,
  docType: 'idcard_front',
  field,
});
const value = (key: string, v: string, confidence = 0.98, valid = true, page?: string): ExtractedValue => ({ key, value: v, confidence, valid, provenance: prov(key.split('.')[1]!, confidence, page) });

describe('auto-fill suggestions', () => {
  it('fills empty fields, and accept-all takes confident valid values with their provenance', () => {
    const s = suggestAutofill([value('applicant.name', '张三'), value('applicant.idNumber', '37142519850307001X')], {});
    expect(s.map((x) => [x.key, x.kind, x.acceptAll])).toEqual([
      ['applicant.idNumber', 'fill', true],
      ['applicant.name', 'fill', true],
    ]);
    const r = acceptSuggestions({}, s, 'all');
    expect(r.applied).toEqual(['applicant.idNumber', 'applicant.name']);
    expect(r.form['applicant.name']).toEqual({ value: '张三', source: 'capture', provenance: prov('name') });
  });

  it('never overwrites a value the clerk typed without the clerk confirming that one field', () => {
    const form: FormState = { 'applicant.name': { value: '张叁', source: 'clerk' } };
    const s = suggestAutofill([value('applicant.name', '张三')], form);
    expect(s[0]).toMatchObject({ kind: 'conflict', current: '张叁', currentSource: 'clerk', acceptAll: false });
    expect(acceptSuggestions(form, s, 'all').form['applicant.name']?.value).toBe('张叁');
    const confirmed = acceptSuggestions(form, s, ['applicant.name']);
    expect(confirmed.form['applicant.name']).toMatchObject({ value: '张三', source: 'capture' });
  });

  it('replaces what capture filled before when the new reading is at least as sure', () => {
    const form: FormState = { 'applicant.name': { value: '张二', source: 'capture', provenance: prov('name', 0.7) } };
    const s = suggestAutofill([value('applicant.name', '张三', 0.95)], form);
    expect(s[0]).toMatchObject({ kind: 'replace', acceptAll: true });
    const weaker = suggestAutofill([value('applicant.name', '张三', 0.6)], { 'applicant.name': { value: '张二', source: 'capture', provenance: prov('name', 0.9) } });
    expect(weaker[0]).toMatchObject({ kind: 'replace', acceptAll: false });
  });

  it('keeps the clerk’s value when it already agrees, adding where it was found', () => {
    const form: FormState = { 'applicant.idNumber': { value: '37142519850307001x', source: 'clerk' } };
    const s = suggestAutofill([value('applicant.idNumber', '37142519850307001X')], form);
    expect(s[0]?.kind).toBe('same');
    const r = acceptSuggestions(form, s, 'all');
    expect(r.form['applicant.idNumber']).toEqual({ value: '37142519850307001x', source: 'clerk', provenance: prov('idNumber') });
  });

  it('leaves doubtful values to the clerk: low confidence, failed validation, documents that disagree', () => {
    const s = suggestAutofill(
      [
        value('applicant.name', '张三', 0.5),
        value('applicant.idNumber', '37142519850307002X', 0.99, false),
        value('legalRep.name', '李四', 0.99, true, 'b'.repeat(64)),
        value('legalRep.name', '李泗', 0.9, true, 'c'.repeat(64)),
      ],
      {},
    );
    expect(s.every((x) => x.kind === 'fill' && !x.acceptAll)).toBe(true);
    const rep = s.find((x) => x.key === 'legalRep.name')!;
    expect(rep.value).toBe('李四');
    expect(rep.alternatives.map((a) => a.value)).toEqual(['李泗']);
    expect(acceptSuggestions({}, s, 'all').applied).toEqual([]);
  });

  it('refuses a suggestion when the clerk changed the field after it was made', () => {
    const s = suggestAutofill([value('applicant.name', '张三')], {});
    const typedMeanwhile: FormState = { 'applicant.name': { value: '张叁', source: 'clerk' } };
    const r = acceptSuggestions(typedMeanwhile, s, ['applicant.name']);
    expect(r.applied).toEqual([]);
    expect(r.refused[0]?.key).toBe('applicant.name');
    expect(r.form['applicant.name']?.value).toBe('张叁');
  });
});
