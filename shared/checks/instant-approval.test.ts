import { describe, expect, it } from 'vitest';
import { runChecks } from './engine.js';
import { instantApprovalDecision } from './instant-approval.js';
import { allPresent, form, GOOD_DOCUMENTS, GOOD_FORM, matterResolution } from './test-fixtures.js';
import type { CheckInput } from './types.js';

/**
 * 秒批 of a matter with a decision field (个体工商户设立登记: the 统一社会信用代码 is assigned when it
 * is registered): the rules cannot make the value up, so it waits for a clerk unless it is known.
 */

const SOLE = '37142500-XZSP-003';

function input(values: Record<string, string> = {}): CheckInput {
  const resolution = matterResolution(SOLE);
  return {
    resolution,
    form: form({ ...GOOD_FORM, 'enterprise.type': 'individual', ...values }),
    documents: [...GOOD_DOCUMENTS],
    materials: allPresent(resolution),
    acceptanceDate: '2026-05-11',
  };
}

const decide = (i: CheckInput) => instantApprovalDecision(i.resolution.matters.find((m) => m.code === SOLE)!, runChecks(i), i);

describe('instant approval of a matter with a decision field', () => {
  it('is withheld while the credit code is unknown, saying why', () => {
    const d = decide(input());
    expect(d.approved).toBe(false);
    expect(d.reasons).toContain('“个体工商户设立登记”的统一社会信用代码在作出决定时才确定，须由窗口人员批准时填写');
  });

  it('is not withheld for it once a valid code is known; a code with a wrong check character is not known', () => {
    const reason = /统一社会信用代码在作出决定时才确定/;
    expect(decide(input({ 'enterprise.uscc': '91371425MA3C8K7P1B' })).reasons.some((r) => reason.test(r))).toBe(false);
    expect(decide(input({ 'enterprise.uscc': '91371425MA3C8K7P1C' })).reasons.some((r) => reason.test(r))).toBe(true);
  });
});
