import { decisionValueProblem } from '../case/decision.js';
import type { Matter } from '../catalog/validate.js';
import { rulesVersion } from './rules.js';
import type { CheckInput, Finding } from './types.js';

export interface InstantApprovalDecision {
  matter: string;
  approved: boolean;
  /** Why not, in Chinese (empty when approved). */
  reasons: string[];
  /** The rules that decided: recorded with the automated approval. */
  rulesVersion: string;
}

/**
 * Instant approval (秒批): a matter marked for it, with no blocking or warning finding that concerns
 * it, its enterprise code verified with the registry where it has one, and every material it
 * requires present — not 容缺, not 告知承诺, not a licence still to be issued by another matter.
 * Warnings count against it: an override is a person's decision, and this one has no person in it.
 * A value assigned at the decision (catalog `stage: "decision"`, the credit code of a 设立登记) must be
 * known already (on the form, valid): the rules cannot make it up, so the case waits for a clerk.
 */
export function instantApprovalDecision(
  matter: Matter,
  findings: readonly Finding[],
  input: Pick<CheckInput, 'resolution' | 'bundle' | 'materials'> & { documents?: CheckInput['documents']; form?: CheckInput['form'] },
): InstantApprovalDecision {
  const reasons: string[] = [];
  if (!matter.instantApproval) reasons.push(`“${matter.name}”未开通智能秒批`);
  for (const f of findings) {
    if (f.matters.length > 0 && !f.matters.includes(matter.code)) continue;
    if (f.severity !== 'info') reasons.push(f.message);
    else if (/^registry:.*:unverified$/.test(f.ruleId)) reasons.push(`${f.message}，秒批须经登记信息核验`);
  }
  for (const m of input.resolution.materials) {
    const need = m.neededBy.find((n) => n.matter === matter.code && n.requirement === 'required');
    if (!need) continue;
    if (m.producedBy !== undefined) {
      const producer = input.resolution.matters.find((x) => x.code === m.producedBy);
      reasons.push(`${m.name}须待“${producer?.name ?? m.producedBy}”办结核发后方可办理`);
      continue;
    }
    const status = input.materials[m.id]?.status ?? (input.documents?.some((d) => d.materialId === m.id) ? 'present' : 'missing');
    if (status === 'supplement_later') reasons.push(`${m.name}为容缺后补，秒批须材料齐全`);
    else if (status === 'commitment') reasons.push(`${m.name}以告知承诺替代，秒批须材料齐全`);
    else if (status !== 'present' && !reasons.some((r) => r.includes(m.name))) reasons.push(`缺少${m.name}`);
  }
  for (const f of matter.instantApproval ? (matter.decisionFields ?? []) : []) {
    const known = input.form?.[f.key]?.value.trim() ?? '';
    if (!f.required || (known !== '' && decisionValueProblem(f.type, known) === null)) continue;
    reasons.push(`“${matter.name}”的${f.label}在作出决定时才确定，须由窗口人员批准时填写`);
  }
  const unique = [...new Set(reasons)];
  return { matter: matter.code, approved: unique.length === 0, reasons: unique, rulesVersion: rulesVersion(input.resolution, input.bundle) };
}
