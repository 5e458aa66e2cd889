import type { CaseActionType, CaseEvent, CaseMaterialState, CaseState, CaseStatus } from './types.js';
import { CASE_STATUS_LABEL, MATERIAL_STATUS_LABEL } from './types.js';
import { decisionRefusal } from './decision.js'; // decision fields

/**
 * The one reducer of a case's log. Used by the hall server (authority), by the window (to check an
 * action before it is written to the outbox) and by the tests. Pure: no clock, no I/O, no catalog —
 * what needs the catalog (which materials a matter requires, the promised date) is decided by the
 * caller and recorded in the action.
 */
export type CaseReduceResult = { ok: true; state: CaseState; duplicate: boolean } | { ok: false; reason: string };

export const CASE_ACTION_LABEL: Record<CaseActionType, string> = {
  opened: '新建办件',
  situations_answered: '选择情形',
  form_saved: '填写表单',
  material_marked: '标记材料',
  attachment_added: '添加附件',
  attachment_removed: '移除附件',
  document_read: '识别材料',
  accepted: '受理',
  notice_issued: '一次性告知',
  not_accepted: '不予受理',
  forwarded: '代收代办转报',
  escalated: '转办不成事窗口',
  escalation_resolved: '办不成事办结',
  supplemented: '容缺补正',
  approved: '批准',
  refused: '不予许可',
  certificate_issued: '制证',
  certificate_revoked: '撤销证照',
  notice_document_issued: '出具通知书',
  printed: '打印',
  delivered: '送达',
  discarded: '作废草稿',
  numbered: '赋正式编号',
};

const OPEN: readonly CaseStatus[] = ['DRAFT', 'ACCEPTED', 'APPROVED', 'CERTIFIED'];

/** From which statuses each action is allowed (`opened` only on an empty log, `numbered` always). */
export const CASE_ALLOWED_FROM: Record<Exclude<CaseActionType, 'opened' | 'numbered'>, readonly CaseStatus[]> = {
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
  escalated: ['DRAFT', 'ACCEPTED', 'NOTICE_ISSUED', 'NOT_ACCEPTED', 'APPROVED', 'REFUSED', 'CERTIFIED'],
  escalation_resolved: ['DRAFT', 'ACCEPTED', 'NOTICE_ISSUED', 'NOT_ACCEPTED', 'APPROVED', 'REFUSED', 'CERTIFIED', 'DELIVERED'],
  supplemented: ['ACCEPTED'],
  approved: ['ACCEPTED'],
  refused: ['ACCEPTED'],
  certificate_issued: ['APPROVED', 'CERTIFIED'],
  certificate_revoked: ['CERTIFIED', 'DELIVERED'],
  notice_document_issued: ['ACCEPTED', 'NOTICE_ISSUED', 'NOT_ACCEPTED', 'APPROVED', 'REFUSED', 'CERTIFIED', 'DELIVERED'],
  printed: ['CERTIFIED', 'DELIVERED'],
  delivered: ['APPROVED', 'CERTIFIED'],
  discarded: ['DRAFT'],
};

function refuse(reason: string): CaseReduceResult {
  return { ok: false, reason };
}

function material(state: CaseState, id: string): CaseMaterialState {
  return state.materials[id] ?? { status: 'missing', deadline: undefined, note: undefined, attachments: [], suppliedAt: undefined };
}

/** Materials accepted under 容缺 and not supplied yet. */
export function outstandingSupplements(state: CaseState): string[] {
  return Object.entries(state.materials)
    .filter(([, m]) => m.status === 'supplement_later' && m.suppliedAt === undefined)
    .map(([id]) => id);
}

export function isCaseOpen(state: CaseState): boolean {
  return OPEN.includes(state.status);
}

export function applyCaseEvent(state: CaseState | undefined, event: CaseEvent): CaseReduceResult {
  const a = event.action;
  if (state === undefined) {
    if (a.type !== 'opened') return refuse(`没有找到该办件，不能${CASE_ACTION_LABEL[a.type]}。`);
    return {
      ok: true,
      duplicate: false,
      state: {
        caseId: event.caseId,
        office: event.actor.office,
        windowId: event.actor.windowId,
        staffId: event.actor.staffId,
        subject: a.subject,
        title: a.title,
        ticketId: a.ticketId,
        ticketNumber: a.ticketNumber,
        provisionalNo: a.provisionalNo,
        caseNo: undefined,
        catalogVersion: a.catalogVersion,
        onBehalfOf: a.onBehalfOf,
        status: 'DRAFT',
        answers: {},
        form: {},
        sources: {},
        materials: {},
        acceptedMatters: [],
        promisedDate: undefined,
        overrides: [],
        notice: undefined,
        reason: undefined,
        forwardedTo: undefined,
        escalation: undefined,
        automated: undefined,
        certificates: [],
        delivery: undefined,
        openedAt: event.at,
        acceptedAt: undefined,
        decidedAt: undefined,
        closedAt: undefined,
        lastEventAt: event.at,
        eventCount: 1,
        keys: [event.key],
      },
    };
  }
  if (event.caseId !== state.caseId) return refuse('办件编号不一致。');
  if (state.keys.includes(event.key)) return { ok: true, state, duplicate: true };
  if (a.type === 'opened') return refuse('该办件已经建立，不能重复新建。');
  if (a.type !== 'numbered' && event.actor.office !== state.office) return refuse('该办件属于其他办理机构，本窗口不能操作。');
  if (a.type !== 'numbered' && !CASE_ALLOWED_FROM[a.type].includes(state.status)) {
    return refuse(`办件当前为“${CASE_STATUS_LABEL[state.status]}”，不能${CASE_ACTION_LABEL[a.type]}。`);
  }

  const next: CaseState = { ...state, lastEventAt: Math.max(state.lastEventAt, event.at), eventCount: state.eventCount + 1, keys: [...state.keys, event.key] };
  switch (a.type) {
    case 'numbered':
      if (state.caseNo !== undefined && state.caseNo !== a.caseNo) return refuse(`办件已有正式编号 ${state.caseNo}。`);
      next.caseNo = a.caseNo;
      break;
    case 'situations_answered':
      next.answers = { ...state.answers, ...Object.fromEntries(Object.entries(a.answers).map(([k, v]) => [k, typeof v === 'string' ? v : [...v]])) };
      break;
    case 'form_saved': {
      const form = { ...state.form };
      const sources = { ...state.sources };
      for (const [key, value] of Object.entries(a.values)) {
        if (value === '') {
          delete form[key];
          delete sources[key];
        } else {
          form[key] = value;
          sources[key] = a.sources?.[key] ?? { kind: 'typed' };
        }
      }
      next.form = form;
      next.sources = sources;
      break;
    }
    case 'material_marked': {
      if (a.status === 'supplement_later' && a.deadline === undefined) return refuse('容缺受理的材料必须写明补齐期限。');
      const m = material(state, a.materialId);
      next.materials = { ...state.materials, [a.materialId]: { ...m, status: a.status, deadline: a.status === 'supplement_later' ? a.deadline : undefined, note: a.note } };
      break;
    }
    case 'attachment_added': {
      const m = material(state, a.materialId);
      if (m.attachments.some((x) => x.sha256 === a.attachment.sha256)) return { ok: true, state: next, duplicate: false };
      const status = state.status === 'DRAFT' && m.status === 'missing' ? 'present' : m.status;
      next.materials = { ...state.materials, [a.materialId]: { ...m, status, attachments: [...m.attachments, a.attachment] } };
      break;
    }
    case 'attachment_removed': {
      const m = material(state, a.materialId);
      if (!m.attachments.some((x) => x.sha256 === a.sha256)) return refuse('该材料没有这个附件。');
      next.materials = { ...state.materials, [a.materialId]: { ...m, attachments: m.attachments.filter((x) => x.sha256 !== a.sha256) } };
      const readings = state.documents?.[a.materialId];
      if (readings?.some((r) => r.sha256 === a.sha256)) next.documents = { ...state.documents, [a.materialId]: readings.filter((r) => r.sha256 !== a.sha256) };
      break;
    }
    case 'document_read': {
      // A page read again replaces its earlier reading; a material read in a draft is received.
      const readings = (state.documents?.[a.materialId] ?? []).filter((r) => r.sha256 !== a.sha256);
      next.documents = { ...state.documents, [a.materialId]: [...readings, { sha256: a.sha256, docType: a.docType, fields: { ...a.fields }, at: event.at }] };
      const m = material(state, a.materialId);
      if (state.status === 'DRAFT' && m.status === 'missing') next.materials = { ...state.materials, [a.materialId]: { ...m, status: 'present' } };
      break;
    }
    case 'accepted': {
      const missing = Object.entries(state.materials).filter(([, m]) => m.status === 'missing');
      if (missing.length > 0) return refuse(`还有 ${missing.length} 项材料${MATERIAL_STATUS_LABEL.missing}，不能受理；请出具一次性告知书或按容缺受理。`);
      next.status = 'ACCEPTED';
      next.acceptedMatters = [...a.matters];
      next.promisedDate = a.promisedDate;
      next.overrides = [...a.overrides];
      next.acceptedAt = event.at;
      if (a.decisionFields && a.decisionFields.length > 0) next.decisionFields = a.decisionFields.map((f) => ({ ...f })); // decision fields
      if (a.instantWithheld) next.instantWithheld = a.instantWithheld;
      break;
    }
    case 'notice_issued': {
      const seen = new Set<string>();
      for (const item of a.items) {
        const what = item.materialId ? `m:${item.materialId}` : item.fieldKey ? `f:${item.fieldKey}` : `d:${item.detail}`;
        if (seen.has(what)) return refuse('一次性告知书中同一项只能列一次。');
        seen.add(what);
      }
      next.status = 'NOTICE_ISSUED';
      next.notice = [...a.items];
      next.closedAt = event.at;
      break;
    }
    case 'not_accepted':
      next.status = 'NOT_ACCEPTED';
      next.reason = a.reason;
      next.closedAt = event.at;
      break;
    case 'forwarded':
      if (state.onBehalfOf === undefined) return refuse('本办件不是代收代办件，不能转报。');
      if (state.forwardedTo !== undefined) return refuse(`已转报至 ${state.forwardedTo}。`);
      next.forwardedTo = a.target;
      break;
    case 'escalated':
      if (state.escalation !== undefined && state.escalation.resolution === undefined) return refuse(`已转办不成事窗口，由 ${state.escalation.owner} 负责。`);
      next.escalation = { reason: a.reason, owner: a.owner, at: event.at, resolution: undefined };
      break;
    case 'escalation_resolved':
      if (state.escalation === undefined || state.escalation.resolution !== undefined) return refuse('没有待办结的办不成事记录。');
      next.escalation = { ...state.escalation, resolution: a.resolution };
      break;
    case 'supplemented': {
      const m = state.materials[a.materialId];
      if (m === undefined || m.status !== 'supplement_later') return refuse('该材料不是容缺后补材料。');
      if (m.suppliedAt !== undefined) return refuse('该材料已经补齐。');
      next.materials = { ...state.materials, [a.materialId]: { ...m, suppliedAt: event.at } };
      break;
    }
    case 'approved': {
      const outstanding = outstandingSupplements(state);
      if (outstanding.length > 0) return refuse(`容缺材料尚未补齐（${outstanding.length} 项），不能批准。`);
      // Decision fields: checked against what the acceptance recorded (an older acceptance recorded none: the window checks them against the catalog).
      const decision = a.decision ?? {};
      const refusal = state.decisionFields ? decisionRefusal(state.decisionFields, state.form, decision) : null;
      if (refusal) return refuse(refusal);
      if (Object.keys(decision).length > 0) {
        next.form = { ...state.form, ...decision };
        next.sources = { ...state.sources, ...Object.fromEntries(Object.keys(decision).map((k) => [k, { kind: 'typed' as const }])) };
      }
      next.status = 'APPROVED';
      next.automated = a.automated;
      next.decidedAt = event.at;
      break;
    }
    case 'refused':
      next.status = 'REFUSED';
      next.reason = a.reason;
      next.decidedAt = event.at;
      next.closedAt = event.at;
      break;
    case 'certificate_issued':
      if (state.certificates.some((c) => c.documentNo === a.documentNo)) return refuse(`证照 ${a.documentNo} 已经制发；补打请用打印。`);
      {
        const same = state.certificates.find((c) => c.template === a.template && c.matter === a.matter && !c.revoked);
        if (same) return refuse(`${same.title ?? '该证照'}已经制发（${same.documentNo}）；补打请用打印，换发须先撤销。`);
      }
      next.status = 'CERTIFIED';
      next.certificates = [
        ...state.certificates,
        { template: a.template, documentNo: a.documentNo, sha256: a.sha256, matter: a.matter, at: event.at, prints: 0, title: a.title, verifyId: a.verification?.id },
      ];
      break;
    case 'certificate_revoked': {
      const i = state.certificates.findIndex((c) => c.documentNo === a.documentNo);
      if (i < 0) return refuse(`没有文书 ${a.documentNo}，不能撤销。`);
      if (state.certificates[i]?.revoked) return refuse(`文书 ${a.documentNo} 已经撤销。`);
      next.certificates = state.certificates.map((c, j) => (j === i ? { ...c, revoked: { reason: a.reason, at: event.at } } : c));
      break;
    }
    case 'notice_document_issued':
      if (state.noticeDocuments?.some((n) => n.kind === a.kind)) return refuse('该通知书已经出具，不再重新编号。');
      next.noticeDocuments = [...(state.noticeDocuments ?? []), { kind: a.kind, documentNo: a.documentNo, sha256: a.sha256, at: event.at }];
      break;
    case 'printed': {
      const i = state.certificates.findIndex((c) => c.documentNo === a.documentNo);
      if (i < 0) return refuse(`没有文书 ${a.documentNo}，不能打印。`);
      if (state.certificates[i]?.revoked) return refuse(`文书 ${a.documentNo} 已撤销，不能打印。`);
      next.certificates = state.certificates.map((c, j) => (j === i ? { ...c, prints: c.prints + a.copies } : c));
      break;
    }
    case 'delivered':
      if (a.method === 'mail' && (!a.address?.trim() || !a.trackingNo?.trim())) return refuse('免费邮寄须填写收件地址和快递单号。');
      next.status = 'DELIVERED';
      next.delivery = { method: a.method, address: a.address, trackingNo: a.trackingNo, at: event.at };
      next.closedAt = event.at;
      break;
    case 'discarded':
      next.status = 'DISCARDED';
      next.reason = a.reason;
      next.closedAt = event.at;
      break;
  }
  return { ok: true, state: next, duplicate: false };
}

/** Folds a whole log; stops at the first refused event (a log the hall wrote never has one). */
export function foldCase(events: readonly CaseEvent[]): CaseReduceResult {
  let state: CaseState | undefined;
  for (const e of events) {
    const r = applyCaseEvent(state, e);
    if (!r.ok) return r;
    state = r.state;
  }
  return state === undefined ? refuse('办件记录为空。') : { ok: true, state, duplicate: false };
}
