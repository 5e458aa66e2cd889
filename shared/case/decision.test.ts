import { describe, expect, it } from 'vitest';
import { creditCheckChar } from '../checks/credit-code.js';
import { applyCaseEvent, foldCase } from './case-reducer.js';
import { decisionRefusal, decisionValueProblem, type DecisionField } from './decision.js';
import { CaseAction, type CaseActor, type CaseEvent, type CaseState } from './types.js';

/**
 * Decision fields in the case log: the acceptance records what the approval needs (the credit code a
 * 设立登记 assigns); the approval must give it, valid by GB 32100, and it lands in the case's form.
 */

const CASE = 'c-win1-000777';
const CLERK: CaseActor = { staffId: '1001', windowId: 'qihe-county/3', office: 'qihe-county' };
const USCC: DecisionField = { key: 'enterprise.uscc', label: '统一社会信用代码', type: 'uscc', required: true };
const NOTE: DecisionField = { key: 'decision.note', label: '登记备注', type: 'string', required: false };
const first17 = '91371425MA3C8K7P1';
const GOOD = `${first17}${creditCheckChar(first17)}`;
const WRONG = `${first17}${creditCheckChar(first17) === '0' ? '1' : '0'}`;

let n = 0;
function ev(action: CaseAction): CaseEvent {
  n += 1;
  return { eventId: `client-1:${n}`, caseId: CASE, key: `key-dec-${String(n).padStart(6, '0')}`, at: 5_000 + n, actor: CLERK, action };
}

function accepted(fields: DecisionField[] | undefined, extra: Partial<Extract<CaseAction, { type: 'accepted' }>> = {}): CaseState {
  const r = foldCase([
    ev({ type: 'opened', subject: { kind: 'matter', code: '37142500-XZSP-002' }, title: '有限责任公司设立登记', provisionalNo: '临03-20261128-001', catalogVersion: null }),
    ev({ type: 'form_saved', values: { 'enterprise.name': '齐河县鲁齐商贸有限公司' } }),
    ev({ type: 'accepted', matters: ['37142500-XZSP-002'], promisedDate: '2026-12-04', overrides: [], ...(fields ? { decisionFields: fields } : {}), ...extra }),
  ]);
  if (!r.ok) throw new Error(r.reason);
  return r.state;
}

const approve = (state: CaseState, decision?: Record<string, string>) => applyCaseEvent(state, ev({ type: 'approved', ...(decision ? { decision } : {}) }));

describe('decision fields in the case log', () => {
  it('the acceptance records what the approval needs; the approval with a valid code merges it into the form, typed', () => {
    const s = accepted([USCC, NOTE]);
    expect(s.decisionFields).toEqual([USCC, NOTE]);
    const r = approve(s, { 'enterprise.uscc': GOOD });
    if (!r.ok) throw new Error(r.reason);
    expect(r.state.status).toBe('APPROVED');
    expect(r.state.form).toEqual({ 'enterprise.name': '齐河县鲁齐商贸有限公司', 'enterprise.uscc': GOOD });
    expect(r.state.sources['enterprise.uscc']).toEqual({ kind: 'typed' });
  });

  it('refuses an approval without a required value, naming it; an optional one may be left out', () => {
    const r = approve(accepted([USCC, NOTE]));
    expect(r).toEqual({ ok: false, reason: '批准前须填写：统一社会信用代码（作出决定时确定，受理时不填写）。' });
    expect(approve(accepted([NOTE])).ok).toBe(true);
  });

  it('refuses a code whose check character is wrong (GB 32100), and a value for a field the approval does not take', () => {
    const wrong = approve(accepted([USCC]), { 'enterprise.uscc': WRONG });
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.reason).toBe('统一社会信用代码：校验码不符：代码中有输错或识别错的字符，请与证照逐位核对。');
    const other = approve(accepted([USCC]), { 'enterprise.uscc': GOOD, 'enterprise.name': '别的名称' });
    expect(!other.ok && other.reason).toBe('“enterprise.name”不是本办件批准时填写的事项。');
  });

  it('an automated approval (秒批) is refused too while the value is unknown: the rules cannot make it up', () => {
    const r = applyCaseEvent(accepted([USCC]), ev({ type: 'approved', automated: { rulesVersion: 'rules-1' } }));
    expect(r.ok).toBe(false);
  });

  it('an acceptance that recorded none (older logs, matters without decision fields) approves as before', () => {
    const s = accepted(undefined);
    expect(s.decisionFields).toBeUndefined();
    const r = approve(s);
    expect(r.ok && r.state.status).toBe('APPROVED');
    expect(r.ok && r.state.form).toEqual(s.form);
  });

  it('records why 秒批 was withheld with the acceptance', () => {
    expect(accepted([USCC], { instantWithheld: '未自动秒批：统一社会信用代码须在批准时填写' }).instantWithheld).toBe('未自动秒批：统一社会信用代码须在批准时填写');
  });

  it('the log schema takes decision values as strings by field key, at most 20, none empty', () => {
    expect(CaseAction.safeParse({ type: 'approved', decision: { 'enterprise.uscc': GOOD } }).success).toBe(true);
    expect(CaseAction.safeParse({ type: 'approved', decision: { 'enterprise.uscc': '  ' } }).success).toBe(false);
    expect(CaseAction.safeParse({ type: 'approved', decision: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k.f${i}`, 'x'])) }).success).toBe(false);
    expect(CaseAction.safeParse({ type: 'accepted', matters: ['A'], promisedDate: '2026-12-04', decisionFields: [{ ...USCC, key: 'Not A Key' }] }).success).toBe(false);
  });
});

describe('decision values by type', () => {
  it('a credit code by GB 32100; a date, a number by their formats; free text as it is', () => {
    expect(decisionValueProblem('uscc', GOOD)).toBeNull();
    expect(decisionValueProblem('uscc', WRONG)).toMatch(/校验码不符/);
    expect(decisionValueProblem('uscc', '9137142')).toMatch(/应为18位/);
    expect(decisionValueProblem('date', '2026-02-30')).not.toBeNull();
    expect(decisionValueProblem('date', '2026-02-28')).toBeNull();
    expect(decisionValueProblem('string', '任意')).toBeNull();
    expect(decisionValueProblem('string', ' ')).toBe('未填写');
  });

  it('a value already on the form satisfies a required field', () => {
    expect(decisionRefusal([USCC], { 'enterprise.uscc': GOOD }, {})).toBeNull();
    expect(decisionRefusal([USCC], {}, {})).toMatch(/统一社会信用代码/);
  });
});
