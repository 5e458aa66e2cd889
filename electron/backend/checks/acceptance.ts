import type { CaseState } from '../../../shared/case/types.js';
import type { Resolution } from '../../../shared/catalog/bundle.js';
import { instantApprovalDecision, type Finding } from '../../../shared/checks/index.js';
import { AppError } from '../../../shared/errors.js';
import type { Assessment } from '../cases/case-assessment.js';
import type { WindowCaseAction } from '../cases/case-store.js';

/**
 * The decision of 受理 from the one assessment of the case:
 *  - refused while anything blocks (a blocking finding cannot be overridden, whatever the reason);
 *  - every current warning must be overridden with a written reason, and every override must name a
 *    current warning — the reasons go into the accepted action (audited, and on the hall's case log);
 *  - 智能秒批: when every matter of the case is marked for instant approval and each one's decision
 *    (shared/checks instantApprovalDecision: no warning or blocking finding, registry verified, every
 *    material present) approves it, the case is approved at once, recorded as automated with the
 *    version of the rules. A case with an overridden warning is not instant: a person decided.
 */
export interface Override {
  ruleId: string;
  reason: string;
}

export interface AcceptancePlan {
  /** The overrides as recorded: each with the finding's words when it was overridden. */
  overrides: Array<{ ruleId: string; reason: string; message: string }>;
  /** Set when the case is approved at once (秒批). */
  instant: { rulesVersion: string } | null;
  /** Why not instant, per matter (Chinese; empty when instant or no matter is marked for it). */
  notInstant: string[];
}

/** Longest reason the case log takes (shared/case/types.ts accepted.overrides). */
const MAX_REASON = 300;

function messagesOf(findings: readonly Finding[], ruleId: string): string {
  return [...new Set(findings.filter((f) => f.ruleId === ruleId).map((f) => f.message))].join('；').slice(0, 500);
}

export function planAcceptance(a: Assessment, overrides: readonly Override[], resolution: Resolution): AcceptancePlan {
  if (a.blockers.length > 0) {
    throw new AppError('invalid_transition', `不能受理：${a.blockers.join('；')}。可出具一次性告知书。`, `accept refused: ${a.blockers.length} blocker(s)`);
  }
  const byRule = new Map<string, Override>();
  for (const o of overrides) {
    const reason = o.reason.trim();
    if (byRule.has(o.ruleId)) throw new AppError('bad_request', '同一检查项只能说明一次理由，请合并后重试。', `override ${o.ruleId} twice`);
    if (reason === '') throw new AppError('bad_request', '忽略提醒须写明理由。', `empty reason for ${o.ruleId}`);
    if (reason.length > MAX_REASON) throw new AppError('bad_request', `理由过长（超过 ${MAX_REASON} 字），请精简后重试。`, `reason of ${o.ruleId}: ${reason.length} chars`);
    const current = a.findings.filter((f) => f.ruleId === o.ruleId);
    if (current.some((f) => f.severity === 'blocking')) {
      throw new AppError('invalid_transition', `“${messagesOf(current, o.ruleId)}”是必须纠正的问题，不能说明理由后放行。`, `override of blocking ${o.ruleId}`);
    }
    if (!current.some((f) => f.severity === 'warning')) {
      throw new AppError('bad_request', '要忽略的提醒已不存在（表单或材料已变化），请刷新后重新确认。', `override ${o.ruleId} names no current warning`);
    }
    byRule.set(o.ruleId, { ruleId: o.ruleId, reason });
  }
  const open = a.warnings.filter((w) => !byRule.has(w.ruleId));
  if (open.length > 0) {
    const lines = [...new Set(open.map((w) => w.message))];
    throw new AppError('invalid_transition', `不能受理：以下提醒须逐条说明理由后方可受理：${lines.join('；')}。`, `accept refused: ${open.length} warning(s) not overridden`);
  }
  const recorded = [...byRule.values()].map((o) => ({ ...o, message: messagesOf(a.findings, o.ruleId) }));
  const decisions = resolution.matters.map((m) => instantApprovalDecision(m, a.findings, a.input));
  const anyInstant = resolution.matters.some((m) => m.instantApproval);
  const instant = decisions.length > 0 && decisions.every((d) => d.approved) ? { rulesVersion: a.rulesVersion } : null;
  return {
    overrides: recorded,
    instant,
    notInstant: instant || !anyInstant ? [] : [...new Set(decisions.flatMap((d) => d.reasons))],
  };
}

/**
 * The actions of 受理, written in one transaction: materials not received that the case does not
 * require (optional ones, or no longer asked for after the answers changed) marked 无需提供, so the
 * record says what was and was not taken in; the acceptance with its overrides; and for 秒批 the
 * automated approval.
 */
export function acceptanceActions(state: CaseState, res: Resolution, plan: AcceptancePlan, at: { promisedDate: string; rulesVersion: string }): WindowCaseAction[] {
  const required = new Set(res.materials.filter((m) => m.requirement === 'required' && m.producedBy === undefined).map((m) => m.id));
  const unneeded = Object.entries(state.materials).filter(([id, m]) => m.status === 'missing' && !required.has(id));
  return [
    ...unneeded.map(([materialId]): WindowCaseAction => ({ type: 'material_marked', materialId, status: 'not_needed', note: '受理时未收取（非必交）' })),
    { type: 'accepted', matters: res.matters.map((m) => m.code), promisedDate: at.promisedDate, overrides: plan.overrides, rulesVersion: at.rulesVersion },
    ...(plan.instant ? [{ type: 'approved', automated: plan.instant } as const] : []),
  ];
}
