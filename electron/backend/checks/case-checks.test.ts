import { afterEach, describe, expect, it } from 'vitest';
import type { CaseView, FieldView } from '../../../shared/case/view.js';
import { localActions } from '../cases/case-store.js';
import { openDatabase } from '../store/database.js';
import { WindowRegistry, registryKeysOf } from './registry-cache.js';
import { MONDAY_9AM, windowService, type Window } from './test-support.js';
import { refusal } from '../../../tests/support/refusal.js';
import { validValueFor } from '../../../tests/support/form-values.js';

/**
 * The comparison checks wired into the window's cases: findings in the CaseView with the evidence
 * of each value, blocking findings that stop 受理, warnings overridden with a reason (recorded in
 * the accepted action), duplicates among the office's open cases, registry answers marked stale
 * offline, and instant approval (秒批). Tested on the case service itself, on its own database.
 */

const windows: Window[] = [];
afterEach(() => {
  while (windows.length) windows.pop()!.close();
});
function open(opts: Parameters<typeof windowService>[0] = {}): Window {
  const w = windowService(opts);
  windows.push(w);
  return w;
}

const NAME_DECLARATION = '37142500-XZSP-001'; // 企业名称自主申报 (秒批)
const REMOTE_CARE = '37142500-YB-003'; // 异地就医备案 (秒批, no credit code)
const FOOD_FILING = '37142500-SCJG-001'; // 仅销售预包装食品备案 (秒批, with a credit code)
const ID = '371425199003070018';
const USCC = '91371425MA3C8K7P1B';

function values(fields: FieldView[], over: Record<string, string> = {}): Record<string, string> {
  const named: Record<string, string> = { 'enterprise.name': '齐河县鲁齐商贸有限公司', 'legalRep.name': '张伟', 'applicant.name': '张伟' };
  return Object.fromEntries(fields.map((f) => [f.key, over[f.key] ?? named[f.key] ?? validValueFor(f)]));
}

/** Opens a case for one matter, answers no to every condition, fills the form validly (with `over`), marks every required material received. */
async function ready(w: Window, code: string, over: Record<string, string> = {}, yes: string[] = []): Promise<CaseView> {
  const s = w.service;
  let v = await s.open({ subject: { kind: 'matter', code } });
  const caseId = v.summary.caseId;
  if (v.situations.length > 0) v = await s.answer(caseId, Object.fromEntries(v.situations.map((q) => [q.id, yes.includes(q.id) ? 'yes' : 'no'])));
  v = await s.saveForm(caseId, values(v.fields, over));
  for (const m of v.materials) {
    if (m.requirement === 'required' && m.producedBy === null && m.status !== 'present') v = await s.markMaterial({ caseId, materialId: m.id, status: 'present' });
  }
  return v;
}

/** The window's own log of the case: the actions as they travel to the hall. */
function actionsOf(w: Window, caseId: string) {
  return localActions(w.db, caseId).map((a) => a.event.action);
}

describe('findings in the case view', () => {
  it('shows a name that differs between the form and the ID card as a blocking finding pointing at both, which cannot be overridden', async () => {
    const w = open();
    let v = await ready(w, NAME_DECLARATION, { 'legalRep.name': '张纬' });
    const caseId = v.summary.caseId;
    const { sha256 } = await w.page(caseId, 'legalRep.idCard');
    v = await w.service.readDocument({
      caseId,
      materialId: 'legalRep.idCard',
      sha256,
      docType: 'idcard_front',
      fields: { name: { value: '张伟', confidence: 0.97, region: [120, 64, 180, 40] }, idNumber: { value: ID, confidence: 0.99, region: [210, 420, 520, 44] } },
    });
    const f = v.findings.find((x) => x.ruleId === 'form:legalRep.name=legalRep.idCard.name')!;
    expect(f).toMatchObject({ severity: 'blocking', overridable: false, fieldKey: 'legalRep.name', materialId: 'legalRep.idCard', matters: [NAME_DECLARATION] });
    expect(f.message).toContain('申请表为“张纬”');
    expect(f.values).toEqual([
      { value: '张纬', label: expect.stringMatching(/^申请表·/), source: { kind: 'form', key: 'legalRep.name', origin: 'typed' } },
      {
        value: '张伟',
        label: expect.stringMatching(/身份证件·姓名$/),
        source: { kind: 'page', sha256, region: [120, 64, 180, 40], docType: 'id_card', field: 'name', materialId: 'legalRep.idCard', confidence: 0.97 },
      },
    ]);
    expect(v.rulesVersion).toMatch(/^[0-9a-f]{64}$/);
    expect(v.blockers).toEqual(['“法定代表人姓名”与法定代表人（负责人、经营者）身份证件不一致：申请表为“张纬”，法定代表人（负责人、经营者）身份证件为“张伟”']);
    // The one-time notice names the ID card once, with what is wrong with it.
    expect(v.noticePreview).toEqual([{ materialId: 'legalRep.idCard', problem: 'deficient', detail: expect.stringContaining('不一致') }]);
    const refused = await refusal(w.service.accept(caseId, [{ ruleId: f.ruleId, reason: '申请人称身份证有误' }]));
    expect(refused.code).toBe('invalid_transition');
    expect(refused.message).toMatch(/^不能受理：/);
    // Even with nothing else in the way, a blocking finding is not overridable: it is refused as such.
    const plain = await refusal(w.service.accept(caseId));
    expect(plain.message).toContain('不一致');
    expect((await w.service.view(caseId)).summary.status).toBe('DRAFT');
    // Corrected on the form, the finding goes and the case may be accepted.
    v = await w.service.saveForm(caseId, { 'legalRep.name': '张伟' });
    expect(v.findings.filter((x) => x.severity !== 'info')).toEqual([]);
  });

  it('refuses a page reading for a page that is not the material’s, in Chinese', async () => {
    const w = open();
    const v = await ready(w, NAME_DECLARATION);
    const e = await refusal(w.service.readDocument({ caseId: v.summary.caseId, materialId: 'legalRep.idCard', sha256: 'a'.repeat(64), docType: 'id_card', fields: { name: { value: '张伟', confidence: 0.9 } } }));
    expect(e).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/不是“.*”的附件/) });
  });

  it('blocks an ID card expired on the day of acceptance, read from the page or taken into the form from it', async () => {
    const w = open();
    let v = await ready(w, NAME_DECLARATION);
    const caseId = v.summary.caseId;
    const { sha256 } = await w.page(caseId, 'legalRep.idCard');
    v = await w.service.readDocument({ caseId, materialId: 'legalRep.idCard', sha256, docType: 'idcard_back', fields: { validUntil: { value: '2016.05.10-2026.05.10', confidence: 0.96 } } });
    expect(v.findings.find((f) => f.ruleId === 'expiry:legalRep.idCard')).toMatchObject({
      severity: 'blocking',
      message: '法定代表人（负责人、经营者）身份证件已过期：有效期至2026-05-10，受理日为2026-05-11',
      values: [{ value: '2016.05.10-2026.05.10', source: { kind: 'page', sha256, field: 'validUntil' } }],
    });
    expect(v.blockers).toEqual([expect.stringMatching(/^“法定代表人（负责人、经营者）身份证件”已过期/)]);
    expect(v.noticePreview).toEqual([{ materialId: 'legalRep.idCard', problem: 'deficient', detail: expect.stringContaining('已过期') }]);

    // The same through the form: the expiry date accepted from the back of the card (a 企业开办 field).
    const w2 = open();
    let b = await w2.service.open({ subject: { kind: 'bundle', code: 'enterprise-opening' } });
    b = await w2.service.answer(b.summary.caseId, { premises: 'owned', agent: 'no', seal: 'no', invoice: 'no', taxpayer: 'small-scale' });
    b = await w2.service.saveForm(b.summary.caseId, { 'legalRep.idValidUntil': '2026-05-01' }, {
      'legalRep.idValidUntil': { kind: 'extracted', sha256: 'b'.repeat(64), docType: 'idcard_back', field: 'validUntil', confidence: 0.93, region: [300, 500, 400, 40] },
    });
    expect(b.findings.find((f) => f.ruleId === 'expiry:legalRep.idCard')).toMatchObject({
      severity: 'blocking',
      values: [{ value: '2026-05-01', source: { kind: 'page', sha256: 'b'.repeat(64), region: [300, 500, 400, 40], materialId: 'legalRep.idCard' } }],
    });
  });
});

describe('受理 with the findings', () => {
  it('needs every warning overridden with a written reason, and records the reasons in the accepted action', async () => {
    const w = open();
    const v = await ready(w, NAME_DECLARATION, { 'legalRep.phone': '0534-532123' });
    const caseId = v.summary.caseId;
    const warning = v.findings.find((f) => f.severity === 'warning')!;
    expect(warning).toMatchObject({ ruleId: 'format:legalRep.phone', overridable: true });
    expect(v.blockers).toEqual([]);
    const notOverridden = await refusal(w.service.accept(caseId));
    expect(notOverridden).toMatchObject({ code: 'invalid_transition', message: expect.stringMatching(/^不能受理：以下提醒须逐条说明理由后方可受理：法定代表人/) });
    for (const [overrides, message] of [
      [[{ ruleId: 'format:legalRep.phone', reason: '   ' }], /须写明理由/],
      [[{ ruleId: 'format:legalRep.phone', reason: '座机' }, { ruleId: 'format:legalRep.phone', reason: '座机' }], /只能说明一次理由/],
      [[{ ruleId: 'format:legalRep.phone', reason: '座机' }, { ruleId: 'duplicate:x', reason: '不是重复' }], /提醒已不存在/],
      [[{ ruleId: 'format:legalRep.phone', reason: '长'.repeat(301) }], /理由过长/],
    ] as const) {
      expect((await refusal(w.service.accept(caseId, [...overrides]))).message).toMatch(message);
    }
    expect(actionsOf(w, caseId).some((a) => a.type === 'accepted')).toBe(false);

    const accepted = await w.service.accept(caseId, [{ ruleId: 'format:legalRep.phone', reason: '申请人仅有单位座机，已电话核实' }]);
    // Overridden by a person: accepted, not instantly approved.
    expect(accepted.summary.status).toBe('ACCEPTED');
    expect(accepted.automated).toBeNull();
    expect(accepted.findings.find((f) => f.ruleId === 'format:legalRep.phone')).toMatchObject({ overridden: { reason: '申请人仅有单位座机，已电话核实' } });
    const action = actionsOf(w, caseId).find((a) => a.type === 'accepted');
    expect(action).toMatchObject({
      type: 'accepted',
      rulesVersion: v.rulesVersion,
      overrides: [{ ruleId: 'format:legalRep.phone', reason: '申请人仅有单位座机，已电话核实', message: warning.message }],
    });
    expect(accepted.history.find((h) => h.label === '受理')?.detail).toContain('说明理由放行 1 项');
  });

  it('warns of an open case of the same applicant and matter in the office, accepted at another window', async () => {
    const w = open();
    const first = await ready(w, REMOTE_CARE);
    const one = await w.service.accept(first.summary.caseId);
    expect(one.summary.status).toBe('APPROVED');
    w.as('1002', 2);
    w.tick(60_000);
    const second = await ready(w, REMOTE_CARE);
    const dup = second.findings.find((f) => f.ruleId === `duplicate:${REMOTE_CARE}`)!;
    expect(dup).toMatchObject({ severity: 'warning', overridable: true });
    expect(dup.message).toContain(first.summary.caseNo);
    expect(dup.message).toContain('2026-05-11受理');
    // A different matter for the same person is no duplicate.
    const other = await ready(w, '37142500-BDC-010', { 'case.reason': '查询本人名下不动产' });
    expect(other.findings.filter((f) => f.ruleId.startsWith('duplicate:'))).toEqual([]);
    // Overridden with a reason: accepted by a person, not instantly.
    const accepted = await w.service.accept(second.summary.caseId, [{ ruleId: dup.ruleId, reason: '前件申请人要求撤回，本次重新申请' }]);
    expect(accepted.summary.status).toBe('ACCEPTED');
    // A draft is no application yet: the first draft of the day did not warn of anything.
    expect(first.findings.filter((f) => f.ruleId.startsWith('duplicate:'))).toEqual([]);
  });

  it('approves an instant-approval matter at once when every check passes and every material is present (秒批)', async () => {
    const w = open();
    const v = await ready(w, REMOTE_CARE);
    expect(v.matters).toEqual([expect.objectContaining({ code: REMOTE_CARE, instantApproval: true })]);
    expect(v.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    const done = await w.service.accept(v.summary.caseId);
    expect(done.summary.status).toBe('APPROVED');
    expect(done.automated).toEqual({ rulesVersion: v.rulesVersion });
    expect(done.history.map((h) => h.label).slice(-2)).toEqual(['受理', '批准']);
    expect(done.history.at(-1)!.detail).toBe(`秒批（规则 ${v.rulesVersion}）`);
    const actions = actionsOf(w, v.summary.caseId);
    expect(actions.slice(-2)).toEqual([
      expect.objectContaining({ type: 'accepted', matters: [REMOTE_CARE], overrides: [], rulesVersion: v.rulesVersion }),
      { type: 'approved', automated: { rulesVersion: v.rulesVersion } },
    ]);
    expect(w.issued).toEqual([v.summary.caseId]);
  });

  it('accepts without approving a matter not marked for instant approval, or one whose material is replaced by a commitment', async () => {
    const w = open();
    const food = await ready(w, '37142500-XZSP-007', { 'enterprise.uscc': USCC });
    expect(food.matters[0]!.instantApproval).toBe(false);
    expect((await w.service.accept(food.summary.caseId)).summary.status).toBe('ACCEPTED');
    // 个体工商户设立登记 is marked for 秒批; its 产权证明 replaced by a signed commitment (告知承诺) needs a person.
    const sole = await ready(w, '37142500-XZSP-003', { 'premises.ownership': 'owned' }, ['premises.propertyCertificate']);
    expect(sole.matters[0]!.instantApproval).toBe(true);
    await w.service.markMaterial({ caseId: sole.summary.caseId, materialId: 'premises.propertyCertificate', status: 'commitment' });
    const accepted = await w.service.accept(sole.summary.caseId);
    expect(accepted.summary.status).toBe('ACCEPTED');
    expect(accepted.automated).toBeNull();
    expect(w.issued).toEqual([]);
  });
});

describe('registry answers at the window', () => {
  it('verifies the credit code with the hall, and marks the cached answer stale (a warning, not a block) when offline', async () => {
    const w = open();
    w.registry.enterprise(USCC, { name: '齐河县鲁齐商贸有限公司', legalRep: '李娜', status: '存续' });
    const v = await ready(w, FOOD_FILING);
    expect(w.registry.calls.some((c) => c.enterprises.includes(USCC))).toBe(true);
    const fresh = v.findings.find((f) => f.ruleId === 'registry:enterprise:legalRep.name')!;
    expect(fresh).toMatchObject({ severity: 'blocking', fieldKey: 'legalRep.name' });
    expect(fresh.values[1]).toMatchObject({ value: '李娜', source: { kind: 'registry', name: 'enterprise', stale: false, fetchedAt: '2026-05-11 08:59:00' } });

    w.registry.isOnline = false;
    const offline = await w.service.get(v.summary.caseId);
    const stale = offline.findings.find((f) => f.ruleId === 'registry:enterprise:legalRep.name')!;
    expect(stale).toMatchObject({ severity: 'warning', overridable: true });
    expect(stale.message).toContain('离线缓存');
    expect(stale.values[1]!.source).toMatchObject({ kind: 'registry', stale: true });
    // Not verified afresh: no instant approval offline, whatever the clerk writes.
    const accepted = await w.service.accept(v.summary.caseId, [{ ruleId: stale.ruleId, reason: '营业执照原件已核对，法定代表人已变更' }]);
    expect(accepted.summary.status).toBe('ACCEPTED');
  });

  it('keeps the answers in the window’s database: after a restart, offline, they are there, stale', async () => {
    const w = open();
    w.registry.enterprise(USCC, { name: '齐河县鲁齐商贸有限公司', legalRep: '张伟', status: '注销' });
    const v = await ready(w, FOOD_FILING);
    expect(v.findings.find((f) => f.ruleId === 'registry:enterprise:status')).toMatchObject({ severity: 'blocking' });
    const dbFile = w.db.name;
    const db = openDatabase(dbFile);
    try {
      const again = new WindowRegistry(db, () => MONDAY_9AM + 60_000, null);
      const keys = registryKeysOf({ 'enterprise.uscc': USCC });
      expect(keys).toEqual({ enterprises: [USCC], holders: [USCC] });
      expect(again.answers({ enterprises: [USCC], holders: [] })).toEqual([
        { registry: 'enterprise', key: USCC, stale: true, fetchedAt: '2026-05-11 08:59:00', record: expect.objectContaining({ status: '注销' }) },
      ]);
      const online = new WindowRegistry(db, () => MONDAY_9AM + 60_000, { online: () => true, lookup: async () => [] });
      expect(online.answers(keys).map((a) => [a.registry, a.stale])).toEqual([['enterprise', false], ['certificates', false]]);
      const old = new WindowRegistry(db, () => MONDAY_9AM + 11 * 60_000, { online: () => true, lookup: async () => [] });
      expect(old.answers(keys).map((a) => a.stale)).toEqual([true, true]);
      expect(old.needsRefresh(keys)).toBe(true);
    } finally {
      db.close();
    }
  });

  it('does not ask again on every edit for a code the hall does not know', async () => {
    const w = open();
    const v = await ready(w, FOOD_FILING);
    const asked = w.registry.calls.filter((c) => c.enterprises.includes(USCC)).length;
    expect(asked).toBe(1);
    await w.service.saveForm(v.summary.caseId, { 'premises.address': '山东省德州市齐河县晏城街道齐鲁大街90号' });
    expect(w.registry.calls.filter((c) => c.enterprises.includes(USCC)).length).toBe(1);
    expect((await w.service.view(v.summary.caseId)).findings.find((f) => f.ruleId === 'registry:enterprise:unverified')).toMatchObject({ severity: 'info' });
  });
});
