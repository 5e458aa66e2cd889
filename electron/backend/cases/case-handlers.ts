import type { CaseMethods } from '../../../shared/case/contract.js';
import type { HandlerImpl } from '../handlers.js';
import type { CaseService } from './case-service.js';

type CaseMethodName = keyof typeof CaseMethods;

/** The contract's catalog.* and case.* methods, implemented by the case service. */
export function caseHandlers(cases: CaseService): Pick<HandlerImpl, CaseMethodName> {
  return {
    'catalog.search': async (i) => cases.search(i.query),
    'catalog.subject': async (i) => cases.subject(i),
    'case.open': (i) => cases.open(i),
    'case.get': (i) => cases.get(i.caseId),
    'case.answer': (i) => cases.answer(i.caseId, i.answers),
    'case.saveForm': (i) => cases.saveForm(i.caseId, i.values, i.sources),
    'case.markMaterial': (i) => cases.markMaterial(i),
    'case.attach': (i) => cases.attach(i),
    'case.detach': (i) => cases.detach(i.caseId, i.materialId, i.sha256),
    'case.accept': (i) => cases.accept(i.caseId, i.overrides),
    'case.notice': (i) => cases.notice(i.caseId, i.extra),
    'case.notAccept': (i) => cases.act(i.caseId, { type: 'not_accepted', reason: i.reason }),
    'case.forward': (i) => cases.act(i.caseId, { type: 'forwarded', target: i.target, ...(i.note ? { note: i.note } : {}) }),
    'case.escalate': (i) => cases.act(i.caseId, { type: 'escalated', reason: i.reason, owner: i.owner }),
    'case.supplement': (i) => cases.act(i.caseId, { type: 'supplemented', materialId: i.materialId }),
    'case.approve': (i) => cases.approve(i.caseId, i.decision),
    'case.refuse': (i) => cases.act(i.caseId, { type: 'refused', reason: i.reason }),
    'case.deliver': (i) =>
      cases.act(i.caseId, {
        type: 'delivered',
        method: i.method,
        ...(i.address ? { address: i.address } : {}),
        ...(i.trackingNo ? { trackingNo: i.trackingNo } : {}),
      }),
    'case.discard': (i) => cases.act(i.caseId, { type: 'discarded', reason: i.reason }),
    'case.today': async (i) => cases.todayList(i.scope),
  };
}
