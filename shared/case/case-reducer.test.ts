import { describe, expect, it } from 'vitest';
import { CASE_ACTION_LABEL, CASE_ALLOWED_FROM, applyCaseEvent, foldCase, isCaseOpen, outstandingSupplements } from './case-reducer.js';
import { CASE_STATUS_LABEL, CaseStatus, type CaseAction, type CaseActor, type CaseEvent, type CaseState } from './types.js';

const CASE = 'c-win1-000001';
const CLERK: CaseActor = { staffId: '1001', windowId: 'qihe-county/3', office: 'qihe-county' };
const BRANCH_CLERK: CaseActor = { staffId: '2001', windowId: 'qihe-edz/1', office: 'qihe-edz' };
const SHA = (c: string) => c.repeat(64);

let n = 0;
/** One event of the case's log with a fresh idempotency key (or the one given). */
function ev(action: CaseAction, o: { key?: string; at?: number; actor?: CaseActor; caseId?: string } = {}): CaseEvent {
  n += 1;
  return { eventId: `client-1:${n}`, caseId: o.caseId ?? CASE, key: o.key ?? `key-${String(n).padStart(6, '0')}`, at: o.at ?? 1_000 + n, actor: o.actor ?? CLERK, action };
}

const OPENED: CaseAction = {
  type: 'opened',
  subject: { kind: 'bundle', code: 'qykb' },
  title: '企业开办',
  ticketId: 'ticket-1',
  ticketNumber: 'A012',
  provisionalNo: '临03-20261128-007',
  catalogVersion: 'abcdef01',
  onBehalfOf: { jurisdiction: '济南市历下区', scope: '市域通办' },
};

function fold(actions: CaseAction[]): CaseState {
  const r = foldCase([ev(OPENED), ...actions.map((a) => ev(a))]);
  if (!r.ok) throw new Error(r.reason);
  return r.state;
}

function apply(state: CaseState | undefined, action: CaseAction, o: Parameters<typeof ev>[1] = {}) {
  return applyCaseEvent(state, ev(action, o));
}

function ok(state: CaseState | undefined, action: CaseAction, o: Parameters<typeof ev>[1] = {}): CaseState {
  const r = apply(state, action, o);
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  expect(r.duplicate).toBe(false);
  return r.state;
}

function refused(state: CaseState | undefined, action: CaseAction, o: Parameters<typeof ev>[1] = {}): string {
  const r = apply(state, action, o);
  if (r.ok) throw new Error(`${action.type} was allowed`);
  return r.reason;
}

const present = (materialId: string): CaseAction => ({ type: 'material_marked', materialId, status: 'present' });
const ACCEPT: CaseAction = { type: 'accepted', matters: ['A001'], promisedDate: '2026-12-04', overrides: [] };
const CERT: CaseAction = { type: 'certificate_issued', template: 'business-licence', documentNo: 'D-0001', sha256: SHA('c') };

/** A real log reaching each status. */
const PATH: Record<CaseStatus, CaseAction[]> = {
  DRAFT: [],
  ACCEPTED: [present('m1'), ACCEPT],
  NOTICE_ISSUED: [{ type: 'notice_issued', items: [{ materialId: 'm1', problem: 'missing', detail: '缺少营业执照原件' }] }],
  NOT_ACCEPTED: [{ type: 'not_accepted', reason: '不属于本机构受理范围' }],
  APPROVED: [present('m1'), ACCEPT, { type: 'approved' }],
  REFUSED: [present('m1'), ACCEPT, { type: 'refused', reason: '不符合法定条件' }],
  CERTIFIED: [present('m1'), ACCEPT, { type: 'approved' }, CERT],
  DELIVERED: [present('m1'), ACCEPT, { type: 'approved' }, CERT, { type: 'delivered', method: 'window' }],
  DISCARDED: [{ type: 'discarded', reason: '申请人放弃' }],
};

/** One example of each window action. */
const SAMPLE: Record<keyof typeof CASE_ALLOWED_FROM, CaseAction> = {
  situations_answered: { type: 'situations_answered', answers: { place: 'rented' } },
  form_saved: { type: 'form_saved', values: { 'applicant.name': '张三' } },
  material_marked: present('m2'),
  attachment_added: { type: 'attachment_added', materialId: 'm1', attachment: { sha256: SHA('a'), name: '营业执照.pdf', mime: 'application/pdf', size: 1000 } },
  attachment_removed: { type: 'attachment_removed', materialId: 'm1', sha256: SHA('a') },
  document_read: { type: 'document_read', materialId: 'm1', sha256: SHA('a'), docType: 'id_card', fields: { name: { value: '张三', confidence: 0.97, region: [40, 80, 300, 32] } } },
  accepted: ACCEPT,
  notice_issued: { type: 'notice_issued', items: [{ materialId: 'm9', problem: 'missing', detail: '缺少租赁合同' }] },
  not_accepted: { type: 'not_accepted', reason: '不属于本机构受理范围' },
  forwarded: { type: 'forwarded', target: '济南市历下区行政审批服务局' },
  escalated: { type: 'escalated', reason: '系统不支持该情形', owner: '王科长' },
  escalation_resolved: { type: 'escalation_resolved', resolution: '已协调办结' },
  supplemented: { type: 'supplemented', materialId: 'm1' },
  approved: { type: 'approved' },
  refused: { type: 'refused', reason: '不符合法定条件' },
  certificate_issued: { ...CERT, template: 'food-licence', documentNo: 'D-0002' },
  certificate_revoked: { type: 'certificate_revoked', documentNo: 'D-0001', reason: '证载信息有误' },
  notice_document_issued: { type: 'notice_document_issued', kind: 'acceptance_notice', documentNo: '齐审批受〔2026〕1号', sha256: SHA('d') },
  printed: { type: 'printed', documentNo: 'D-0001', copies: 1, printer: 'HP' },
  delivered: { type: 'delivered', method: 'window' },
  discarded: { type: 'discarded', reason: '误建' },
};

describe('case reducer: which action from which status', () => {
  const statuses = CaseStatus.options;

  it('the table of allowed statuses is the hall’s rule book', () => {
    const ALL_BUT_CLOSED = ['DRAFT', 'ACCEPTED', 'NOTICE_ISSUED', 'NOT_ACCEPTED', 'APPROVED', 'REFUSED', 'CERTIFIED'];
    expect(CASE_ALLOWED_FROM).toEqual({
      situations_answered: ['DRAFT'],
      form_saved: ['DRAFT'],
      material_marked: ['DRAFT'],
      attachment_added: ['DRAFT', 'ACCEPTED', 'APPROVED'],
      attachment_removed: ['DRAFT'],
      document_read: ['DRAFT', 'ACCEPTED', 'APPROVED'],
      accepted: ['DRAFT'],
      notice_issued: ['DRAFT'],
      not_accepted: ['DRAFT'],
      forwarded: ['ACCEPTED'],
      escalated: ALL_BUT_CLOSED,
      escalation_resolved: [...ALL_BUT_CLOSED, 'DELIVERED'],
      supplemented: ['ACCEPTED'],
      approved: ['ACCEPTED'],
      refused: ['ACCEPTED'],
      certificate_issued: ['APPROVED', 'CERTIFIED'],
      certificate_revoked: ['CERTIFIED', 'DELIVERED'],
      notice_document_issued: ['ACCEPTED', 'NOTICE_ISSUED', 'NOT_ACCEPTED', 'APPROVED', 'REFUSED', 'CERTIFIED', 'DELIVERED'],
      printed: ['CERTIFIED', 'DELIVERED'],
      delivered: ['APPROVED', 'CERTIFIED'],
      discarded: ['DRAFT'],
    });
  });
  for (const [type, allowed] of Object.entries(CASE_ALLOWED_FROM) as Array<[keyof typeof CASE_ALLOWED_FROM, readonly CaseStatus[]]>) {
    it(`${type} (${CASE_ACTION_LABEL[type]}) is refused from every status but ${allowed.join(', ')}`, () => {
      for (const status of statuses) {
        const state = fold(PATH[status]);
        expect(state.status).toBe(status);
        const r = apply(state, SAMPLE[type]);
        const statusRefusal = `办件当前为“${CASE_STATUS_LABEL[status]}”，不能${CASE_ACTION_LABEL[type]}。`;
        if (allowed.includes(status)) {
          // allowed by status: either applied, or refused by the action's own rule (never by the status)
          if (!r.ok) expect(r.reason, `${type} from ${status}`).not.toBe(statusRefusal);
        } else {
          expect(r, `${type} from ${status}`).toEqual({ ok: false, reason: statusRefusal });
        }
      }
    });
  }

  it('every window action is applied from at least one of its statuses', () => {
    const applied = new Set<string>();
    for (const [type, allowed] of Object.entries(CASE_ALLOWED_FROM) as Array<[keyof typeof CASE_ALLOWED_FROM, readonly CaseStatus[]]>) {
      for (const status of allowed) {
        const base = status === 'ACCEPTED' && type === 'supplemented' ? [{ type: 'material_marked', materialId: 'm1', status: 'supplement_later', deadline: '2026-12-31' } as CaseAction, ACCEPT] : PATH[status];
        let state = fold(base);
        if (type === 'attachment_removed') state = ok(state, SAMPLE.attachment_added);
        if (type === 'escalation_resolved') state = status === 'DELIVERED' ? state : ok(state, SAMPLE.escalated);
        if (apply(state, SAMPLE[type]).ok) applied.add(type);
      }
    }
    expect([...applied].sort()).toEqual(Object.keys(CASE_ALLOWED_FROM).sort());
  });

  it('only `opened` starts a log, and only once', () => {
    expect(refused(undefined, SAMPLE.form_saved)).toBe('没有找到该办件，不能填写表单。');
    const s = ok(undefined, OPENED, { at: 5_000 });
    expect(s).toMatchObject({
      caseId: CASE,
      office: 'qihe-county',
      windowId: 'qihe-county/3',
      staffId: '1001',
      status: 'DRAFT',
      subject: { kind: 'bundle', code: 'qykb' },
      ticketId: 'ticket-1',
      ticketNumber: 'A012',
      provisionalNo: '临03-20261128-007',
      caseNo: undefined,
      openedAt: 5_000,
      lastEventAt: 5_000,
      eventCount: 1,
    });
    expect(refused(s, OPENED)).toBe('该办件已经建立，不能重复新建。');
    expect(isCaseOpen(s)).toBe(true);
  });

  it('a closed case is no longer open', () => {
    for (const st of ['NOTICE_ISSUED', 'NOT_ACCEPTED', 'REFUSED', 'DELIVERED', 'DISCARDED'] as const) expect(isCaseOpen(fold(PATH[st]))).toBe(false);
    for (const st of ['DRAFT', 'ACCEPTED', 'APPROVED', 'CERTIFIED'] as const) expect(isCaseOpen(fold(PATH[st]))).toBe(true);
  });
});

describe('case reducer: idempotency, identity, office', () => {
  it('an action whose key was applied already is a no-op (the same state back, marked duplicate)', () => {
    const s0 = fold([present('m1')]);
    const first = applyCaseEvent(s0, ev(ACCEPT, { key: 'accept-key-1' }));
    expect(first.ok && first.state.status).toBe('ACCEPTED');
    if (!first.ok) return;
    // the retry would be refused by status if it were applied again; as a duplicate it is not
    const again = applyCaseEvent(first.state, ev(ACCEPT, { key: 'accept-key-1', at: 99_999 }));
    expect(again).toEqual({ ok: true, state: first.state, duplicate: true });
    // a retried `opened` is a duplicate too, not a refusal
    const opened = applyCaseEvent(undefined, ev(OPENED, { key: 'open-key-1' }));
    if (!opened.ok) throw new Error(opened.reason);
    expect(applyCaseEvent(opened.state, ev(OPENED, { key: 'open-key-1' }))).toMatchObject({ ok: true, duplicate: true, state: opened.state });
  });

  it('refuses an event of another case even when its key matches one of this case', () => {
    const s = ok(undefined, OPENED, { key: 'shared-key-1' });
    expect(refused(s, SAMPLE.form_saved, { caseId: 'c-other-000002' })).toBe('办件编号不一致。');
    expect(refused(s, OPENED, { caseId: 'c-other-000002', key: 'shared-key-1' })).toBe('办件编号不一致。');
  });

  it('a window of another office may not act on the case; the hall numbers it whatever the actor', () => {
    const s = fold([]);
    expect(refused(s, SAMPLE.form_saved, { actor: BRANCH_CLERK })).toBe('该办件属于其他办理机构，本窗口不能操作。');
    expect(ok(s, { type: 'numbered', caseNo: 'QIHE-2026-000001' }, { actor: BRANCH_CLERK }).caseNo).toBe('QIHE-2026-000001');
  });

  it('is numbered once: the same number again is accepted, another number is refused, from any status', () => {
    for (const status of CaseStatus.options) {
      const s = ok(fold(PATH[status]), { type: 'numbered', caseNo: 'QIHE-2026-000123' });
      expect(s.caseNo).toBe('QIHE-2026-000123');
      expect(s.status).toBe(status);
      expect(ok(s, { type: 'numbered', caseNo: 'QIHE-2026-000123' }).caseNo).toBe('QIHE-2026-000123');
      expect(refused(s, { type: 'numbered', caseNo: 'QIHE-2026-000124' })).toBe('办件已有正式编号 QIHE-2026-000123。');
    }
  });

  it('keeps the latest time and counts events', () => {
    const s = ok(ok(fold([]), SAMPLE.form_saved, { at: 50_000 }), SAMPLE.situations_answered, { at: 40_000 });
    expect(s.lastEventAt).toBe(50_000);
    expect(s.eventCount).toBe(3);
    expect(s.keys).toHaveLength(3);
  });
});

describe('case reducer: intake (draft)', () => {
  it('merges situations and form values; an empty value clears it and its source', () => {
    let s = fold([]);
    s = ok(s, { type: 'situations_answered', answers: { place: 'rented', staff: ['hire', 'insure'] } });
    s = ok(s, { type: 'situations_answered', answers: { place: 'owned' } });
    expect(s.answers).toEqual({ place: 'owned', staff: ['hire', 'insure'] });
    const extracted = { kind: 'extracted' as const, sha256: SHA('b'), docType: 'id_card', field: 'name', confidence: 0.93 };
    s = ok(s, { type: 'form_saved', values: { 'applicant.name': '张三', 'applicant.idNumber': '370000' }, sources: { 'applicant.name': extracted } });
    s = ok(s, { type: 'form_saved', values: { 'applicant.idNumber': '', 'enterprise.name': '齐河某某商贸有限公司' } });
    expect(s.form).toEqual({ 'applicant.name': '张三', 'enterprise.name': '齐河某某商贸有限公司' });
    expect(s.sources).toEqual({ 'applicant.name': extracted, 'enterprise.name': { kind: 'typed' } });
  });

  it('容缺后补 needs a deadline; marking again as received drops it', () => {
    const s = fold([]);
    expect(refused(s, { type: 'material_marked', materialId: 'm1', status: 'supplement_later' })).toBe('容缺受理的材料必须写明补齐期限。');
    const later = ok(s, { type: 'material_marked', materialId: 'm1', status: 'supplement_later', deadline: '2026-12-10', note: '原件在外地' });
    expect(later.materials.m1).toMatchObject({ status: 'supplement_later', deadline: '2026-12-10', note: '原件在外地' });
    expect(ok(later, present('m1')).materials.m1).toMatchObject({ status: 'present', deadline: undefined });
  });

  it('an attachment marks a missing material received; the same file twice is kept once; removing an unknown file is refused', () => {
    let s = ok(fold([]), { type: 'material_marked', materialId: 'm1', status: 'missing' });
    s = ok(s, SAMPLE.attachment_added);
    expect(s.materials.m1!.status).toBe('present');
    s = ok(s, SAMPLE.attachment_added);
    expect(s.materials.m1!.attachments).toHaveLength(1);
    expect(refused(s, { type: 'attachment_removed', materialId: 'm1', sha256: SHA('f') })).toBe('该材料没有这个附件。');
    s = ok(s, SAMPLE.attachment_removed);
    expect(s.materials.m1!.attachments).toEqual([]);
  });

  it('a page read for a material is kept with its fields, replaces its earlier reading, marks a missing material received, and goes with its attachment', () => {
    let s = ok(fold([]), { type: 'material_marked', materialId: 'm1', status: 'missing' });
    s = ok(s, SAMPLE.attachment_added);
    s = ok(s, { type: 'material_marked', materialId: 'm1', status: 'missing' });
    const front: CaseAction = { type: 'document_read', materialId: 'm1', sha256: SHA('a'), docType: 'id_card', fields: { name: { value: '张三', confidence: 0.9 } } };
    const back: CaseAction = { type: 'document_read', materialId: 'm1', sha256: SHA('b'), docType: 'id_card', fields: { validUntil: { value: '2016.05.20-2026.05.20', confidence: 0.95 } } };
    s = ok(s, front);
    expect(s.materials.m1!.status).toBe('present');
    s = ok(s, back);
    s = ok(s, { ...front, fields: { name: { value: '张叁', confidence: 0.99 } } } as CaseAction);
    expect(s.documents!.m1!.map((r) => [r.sha256, r.fields])).toEqual([
      [SHA('b'), { validUntil: { value: '2016.05.20-2026.05.20', confidence: 0.95 } }],
      [SHA('a'), { name: { value: '张叁', confidence: 0.99 } }],
    ]);
    s = ok(s, SAMPLE.attachment_removed);
    expect(s.documents!.m1!.map((r) => r.sha256)).toEqual([SHA('b')]);
    // Marked 无需提供, a material stays so when one of its pages is read.
    const t = ok(fold([{ type: 'material_marked', materialId: 'm2', status: 'not_needed' }]), { ...front, materialId: 'm2' } as CaseAction);
    expect(t.materials.m2!.status).toBe('not_needed');
  });

  it('受理 is refused while a material is missing, and allowed with 容缺 and 告知承诺 materials', () => {
    const s = fold([{ type: 'material_marked', materialId: 'm1', status: 'missing' }, { type: 'material_marked', materialId: 'm2', status: 'missing' }]);
    expect(refused(s, ACCEPT)).toBe('还有 2 项材料缺少，不能受理；请出具一次性告知书或按容缺受理。');
    const t = fold([
      { type: 'material_marked', materialId: 'm1', status: 'supplement_later', deadline: '2026-12-10' },
      { type: 'material_marked', materialId: 'm2', status: 'commitment' },
      { type: 'material_marked', materialId: 'm3', status: 'not_needed' },
    ]);
    const a = ok(t, { ...ACCEPT, matters: ['A001', 'A002'], overrides: [{ ruleId: 'name.similar', reason: '已核实为同一人' }] }, { at: 77_000 });
    expect(a).toMatchObject({ status: 'ACCEPTED', acceptedMatters: ['A001', 'A002'], promisedDate: '2026-12-04', acceptedAt: 77_000, overrides: [{ ruleId: 'name.similar', reason: '已核实为同一人' }] });
    expect(outstandingSupplements(a)).toEqual(['m1']);
  });

  it('a one-time notice lists each item once (material, field or detail) and closes the case', () => {
    const s = fold([]);
    const twice = (items: Array<Record<string, string>>) => refused(s, { type: 'notice_issued', items: items as never });
    expect(twice([{ materialId: 'm1', problem: 'missing', detail: '缺少原件' }, { materialId: 'm1', problem: 'deficient', detail: '复印件未签字' }])).toBe('一次性告知书中同一项只能列一次。');
    expect(twice([{ fieldKey: 'applicant.idNumber', problem: 'deficient', detail: '身份证已过期' }, { fieldKey: 'applicant.idNumber', problem: 'deficient', detail: '号码有误' }])).toBe('一次性告知书中同一项只能列一次。');
    expect(twice([{ problem: 'deficient', detail: '签名不一致' }, { problem: 'deficient', detail: '签名不一致' }])).toBe('一次性告知书中同一项只能列一次。');
    const items = [
      { materialId: 'm1', problem: 'missing' as const, detail: '缺少营业执照原件' },
      { fieldKey: 'applicant.idNumber', problem: 'deficient' as const, detail: '身份证已过期' },
      { problem: 'deficient' as const, detail: '签名不一致' },
    ];
    const done = ok(s, { type: 'notice_issued', items }, { at: 88_000 });
    expect(done).toMatchObject({ status: 'NOTICE_ISSUED', notice: items, closedAt: 88_000 });
  });

  it('不予受理 and 作废 record their reason and close the case', () => {
    expect(fold(PATH.NOT_ACCEPTED)).toMatchObject({ status: 'NOT_ACCEPTED', reason: '不属于本机构受理范围' });
    expect(fold(PATH.DISCARDED)).toMatchObject({ status: 'DISCARDED', reason: '申请人放弃' });
    expect(fold(PATH.DISCARDED).closedAt).toBeGreaterThan(0);
  });
});

describe('case reducer: after acceptance', () => {
  it('代收代办: only a case taken for another jurisdiction is forwarded, and once', () => {
    const local = foldCase([ev({ ...OPENED, onBehalfOf: undefined }), ev(present('m1')), ev(ACCEPT)]);
    if (!local.ok) throw new Error(local.reason);
    expect(refused(local.state, SAMPLE.forwarded)).toBe('本办件不是代收代办件，不能转报。');
    const s = ok(fold(PATH.ACCEPTED), SAMPLE.forwarded);
    expect(s.forwardedTo).toBe('济南市历下区行政审批服务局');
    expect(refused(s, SAMPLE.forwarded)).toBe('已转报至 济南市历下区行政审批服务局。');
  });

  it('办不成事: one open escalation at a time with its owner; resolved, it may be raised again', () => {
    const s = ok(fold(PATH.ACCEPTED), SAMPLE.escalated, { at: 60_000 });
    expect(s.escalation).toEqual({ reason: '系统不支持该情形', owner: '王科长', at: 60_000, resolution: undefined });
    expect(refused(s, SAMPLE.escalated)).toBe('已转办不成事窗口，由 王科长 负责。');
    const r = ok(s, SAMPLE.escalation_resolved);
    expect(r.escalation?.resolution).toBe('已协调办结');
    expect(refused(r, SAMPLE.escalation_resolved)).toBe('没有待办结的办不成事记录。');
    expect(refused(fold([]), SAMPLE.escalation_resolved)).toBe('没有待办结的办不成事记录。');
    expect(ok(r, SAMPLE.escalated).escalation?.resolution).toBeUndefined();
  });

  it('approval is refused while a 容缺 material is outstanding; supplied once, it is allowed', () => {
    const s = fold([{ type: 'material_marked', materialId: 'm1', status: 'supplement_later', deadline: '2026-12-10' }, present('m2'), ACCEPT]);
    expect(refused(s, SAMPLE.approved)).toBe('容缺材料尚未补齐（1 项），不能批准。');
    expect(refused(s, { type: 'supplemented', materialId: 'm2' })).toBe('该材料不是容缺后补材料。');
    expect(refused(s, { type: 'supplemented', materialId: 'nope' })).toBe('该材料不是容缺后补材料。');
    const sup = ok(s, { type: 'supplemented', materialId: 'm1' }, { at: 70_000 });
    expect(sup.materials.m1!.suppliedAt).toBe(70_000);
    expect(outstandingSupplements(sup)).toEqual([]);
    expect(refused(sup, { type: 'supplemented', materialId: 'm1' })).toBe('该材料已经补齐。');
    const a = ok(sup, { type: 'approved', automated: { rulesVersion: 'rules-2026-11' } }, { at: 71_000 });
    expect(a).toMatchObject({ status: 'APPROVED', automated: { rulesVersion: 'rules-2026-11' }, decidedAt: 71_000 });
  });

  it('不予许可 records the reason and closes the case', () => {
    expect(fold(PATH.REFUSED)).toMatchObject({ status: 'REFUSED', reason: '不符合法定条件' });
    expect(isCaseOpen(fold(PATH.REFUSED))).toBe(false);
  });

  it('a document is issued once per number; prints are counted; printing an unknown document is refused', () => {
    const s = fold(PATH.CERTIFIED);
    expect(refused(s, CERT)).toBe('证照 D-0001 已经制发；补打请用打印。');
    const two = ok(s, SAMPLE.certificate_issued);
    expect(two.certificates.map((c) => c.documentNo)).toEqual(['D-0001', 'D-0002']);
    const p = ok(ok(two, { type: 'printed', documentNo: 'D-0001', copies: 2, printer: 'HP' }), { type: 'printed', documentNo: 'D-0001', copies: 1, printer: 'HP' });
    expect(p.certificates[0]!.prints).toBe(3);
    expect(refused(p, { type: 'printed', documentNo: 'D-9999', copies: 1, printer: 'HP' })).toBe('没有文书 D-9999，不能打印。');
  });

  it('free mailing needs both the address and the tracking number', () => {
    const s = fold(PATH.CERTIFIED);
    const msg = '免费邮寄须填写收件地址和快递单号。';
    expect(refused(s, { type: 'delivered', method: 'mail' })).toBe(msg);
    expect(refused(s, { type: 'delivered', method: 'mail', address: '齐河县晏城街道' })).toBe(msg);
    expect(refused(s, { type: 'delivered', method: 'mail', trackingNo: 'EMS123' })).toBe(msg);
    expect(refused(s, { type: 'delivered', method: 'mail', address: '  ', trackingNo: 'EMS123' })).toBe(msg);
    const d = ok(s, { type: 'delivered', method: 'mail', address: '齐河县晏城街道 1 号', trackingNo: 'EMS123' }, { at: 90_000 });
    expect(d).toMatchObject({ status: 'DELIVERED', closedAt: 90_000, delivery: { method: 'mail', address: '齐河县晏城街道 1 号', trackingNo: 'EMS123', at: 90_000 } });
    expect(ok(s, { type: 'delivered', method: 'window' }).delivery?.method).toBe('window');
  });
});

describe('foldCase', () => {
  it('folds a whole log, refuses an empty one and stops at the first refused event', () => {
    expect(foldCase([])).toEqual({ ok: false, reason: '办件记录为空。' });
    const whole = foldCase([ev(OPENED), ev(present('m1')), ev(ACCEPT), ev({ type: 'approved' })]);
    expect(whole.ok && whole.state.status).toBe('APPROVED');
    const bad = foldCase([ev(OPENED), ev(ACCEPT), ev({ type: 'approved' }), ev(SAMPLE.not_accepted)]);
    expect(bad).toEqual({ ok: false, reason: '办件当前为“已批准”，不能不予受理。' });
  });
});

describe('case reducer: certificates issued, printed, revoked', () => {
  const certified = () => fold(PATH.CERTIFIED);

  it('keeps the title and the verification id of an issued document', () => {
    const s = ok(fold(PATH.APPROVED), { ...CERT, title: '营业执照', verification: { id: 'A'.repeat(26), signed: { record: {} } } });
    expect(s.certificates).toEqual([expect.objectContaining({ documentNo: 'D-0001', title: '营业执照', verifyId: 'A'.repeat(26), prints: 0 })]);
  });

  it('refuses a second document of the same template and matter while the first stands; after revocation a new one is allowed', () => {
    const s = certified();
    expect(refused(s, { ...CERT, documentNo: 'D-0009' })).toContain('补打请用打印');
    const revoked = ok(s, { type: 'certificate_revoked', documentNo: 'D-0001', reason: '证载信息有误' });
    const again = ok(revoked, { ...CERT, documentNo: 'D-0009' });
    expect(again.certificates.map((c) => [c.documentNo, c.revoked?.reason ?? null])).toEqual([
      ['D-0001', '证载信息有误'],
      ['D-0009', null],
    ]);
  });

  it('records the revocation with its reason and time; a second revocation or an unknown number is refused', () => {
    const s = ok(certified(), { type: 'certificate_revoked', documentNo: 'D-0001', reason: '申请人申请注销' }, { at: 77_000 });
    expect(s.certificates[0]?.revoked).toEqual({ reason: '申请人申请注销', at: 77_000 });
    expect(s.status).toBe('CERTIFIED');
    expect(refused(s, { type: 'certificate_revoked', documentNo: 'D-0001', reason: '再次' })).toBe('文书 D-0001 已经撤销。');
    expect(refused(certified(), { type: 'certificate_revoked', documentNo: 'X-1', reason: '无' })).toBe('没有文书 X-1，不能撤销。');
  });

  it('keeps each notice made for the applicant once per kind', () => {
    const s = ok(fold(PATH.ACCEPTED), { type: 'notice_document_issued', kind: 'acceptance_notice', documentNo: '齐审批受〔2026〕1号', sha256: SHA('d') }, { at: 5_000 });
    expect(s.noticeDocuments).toEqual([{ kind: 'acceptance_notice', documentNo: '齐审批受〔2026〕1号', sha256: SHA('d'), at: 5_000 }]);
    expect(s.status).toBe('ACCEPTED');
    expect(refused(s, { type: 'notice_document_issued', kind: 'acceptance_notice', documentNo: '齐审批受〔2026〕2号', sha256: SHA('e') })).toBe('该通知书已经出具，不再重新编号。');
  });

  it('adds up the copies of each print (a reissue is another print) and refuses printing a revoked document', () => {
    let s = ok(certified(), { type: 'printed', documentNo: 'D-0001', copies: 2, printer: 'HP' });
    s = ok(s, { type: 'printed', documentNo: 'D-0001', copies: 1, printer: 'HP' });
    expect(s.certificates[0]?.prints).toBe(3);
    s = ok(s, { type: 'certificate_revoked', documentNo: 'D-0001', reason: '证载信息有误' });
    expect(refused(s, { type: 'printed', documentNo: 'D-0001', copies: 1, printer: 'HP' })).toBe('文书 D-0001 已撤销，不能打印。');
  });
});
