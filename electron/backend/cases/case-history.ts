import { CASE_ACTION_LABEL } from '../../../shared/case/case-reducer.js';
import { MATERIAL_STATUS_LABEL, type CaseAction, type CaseEvent } from '../../../shared/case/types.js';
import type { CaseEventView } from '../../../shared/case/view.js';
import type { Db } from '../store/database.js';
import { isRefusedOutcome, localActions, remoteEvents } from './case-store.js';

/**
 * A case's history as the window shows it: the hall's events and the window's own actions, each
 * once (an action the hall has carries the same key in both), oldest first, with its sync state —
 * synced (the hall has it), pending (in this window's outbox) or parked (the hall refused it; the
 * reason is in the detail).
 */
export interface Names {
  material(id: string): string;
  field(key: string): string;
}

function clip(s: string, n = 120): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** One line of Chinese about what an action did. */
export function describeAction(a: CaseAction, names: Names): string {
  switch (a.type) {
    case 'opened':
      return [a.title, a.provisionalNo, a.ticketNumber ? `号码 ${a.ticketNumber}` : '', a.onBehalfOf ? `代收代办：${a.onBehalfOf.jurisdiction}` : '']
        .filter(Boolean)
        .join('，');
    case 'situations_answered':
      return `${Object.keys(a.answers).length} 项情形`;
    case 'form_saved': {
      const keys = Object.keys(a.values);
      const labels = keys.slice(0, 4).map((k) => names.field(k));
      return clip(`${labels.join('、')}${keys.length > 4 ? ` 等 ${keys.length} 项` : ''}`);
    }
    case 'material_marked':
      return clip(`${names.material(a.materialId)}：${MATERIAL_STATUS_LABEL[a.status]}${a.deadline ? `（${a.deadline} 前补齐）` : ''}${a.note ? `，${a.note}` : ''}`);
    case 'attachment_added':
      return clip(`${names.material(a.materialId)}：${a.attachment.name}`);
    case 'attachment_removed':
      return names.material(a.materialId);
    case 'document_read':
      return clip(`${names.material(a.materialId)}：识别 ${Object.keys(a.fields).length} 项`);
    case 'accepted':
      return clip(
        `承诺办结日 ${a.promisedDate}${a.overrides.length > 0 ? `，说明理由放行 ${a.overrides.length} 项（${a.overrides.map((o) => o.reason).join('；')}）` : ''}${a.instantWithheld ? `；${a.instantWithheld}` : ''}`,
        300,
      );
    case 'notice_issued':
      return `告知 ${a.items.length} 项`;
    case 'not_accepted':
    case 'refused':
    case 'discarded':
      return clip(a.reason);
    case 'forwarded':
      return clip(`转报 ${a.target}${a.note ? `：${a.note}` : ''}`);
    case 'escalated':
      return clip(`${a.owner}：${a.reason}`);
    case 'escalation_resolved':
      return clip(a.resolution);
    case 'supplemented':
      return names.material(a.materialId);
    case 'approved':
      return a.automated
        ? `秒批（规则 ${a.automated.rulesVersion}）`
        : a.decision
          ? clip(Object.entries(a.decision).map(([k, v]) => `${names.field(k)} ${v}`).join('，'))
          : '';
    case 'certificate_issued':
      return a.title ? `${a.title} ${a.documentNo}` : a.documentNo;
    case 'notice_document_issued':
      return a.documentNo;
    case 'certificate_revoked':
      return clip(`${a.documentNo}：${a.reason}`);
    case 'printed':
      return `${a.documentNo} × ${a.copies}`;
    case 'delivered':
      return a.method === 'window' ? '窗口领取' : clip(`邮寄 ${a.trackingNo ?? ''}`);
    case 'numbered':
      return a.caseNo;
  }
}

function view(e: CaseEvent, sync: CaseEventView['sync'], names: Names, reason?: string): CaseEventView {
  const detail = describeAction(e.action, names);
  return {
    at: e.at,
    label: CASE_ACTION_LABEL[e.action.type],
    detail: reason ? clip(`${detail ? `${detail}；` : ''}未被大厅受理：${reason}`, 300) : detail,
    staffId: e.actor.staffId,
    windowId: e.actor.windowId,
    sync,
  };
}

export function caseHistory(db: Db, caseId: string, names: Names): CaseEventView[] {
  const out: Array<{ at: number; order: number; v: CaseEventView }> = [];
  const remote = remoteEvents(db, caseId);
  const remoteKeys = new Set(remote.map((r) => r.event.key));
  for (const r of remote) out.push({ at: r.event.at, order: r.seq, v: view(r.event, 'synced', names) });
  for (const a of localActions(db, caseId)) {
    if (remoteKeys.has(a.key)) continue;
    const refused = isRefusedOutcome(a.outcome);
    const reason = refused ? (a.outcome ?? '').replace(/^(failed|parked): /, '') : undefined;
    const sync: CaseEventView['sync'] = refused ? 'parked' : a.outcome === 'applied' ? 'synced' : 'pending';
    out.push({ at: a.at, order: Number.MAX_SAFE_INTEGER / 2 + a.id, v: view(a.event, sync, names, reason) });
  }
  return out.sort((x, y) => x.at - y.at || x.order - y.order).map((x) => x.v);
}
