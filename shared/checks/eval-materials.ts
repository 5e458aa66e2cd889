import type { CombinedMaterial } from '../catalog/bundle.js';
import type { CheckContext } from './context.js';
import { finding } from './finding.js';
import type { EffectiveRule, Finding, MaterialStatus } from './types.js';

type Rule<K extends EffectiveRule['kind']> = Extract<EffectiveRule, { kind: K }>;

const FORM_LABEL = { original: '原件', copy: '复印件', original_and_copy: '原件和复印件' } as const;

/** 营业执照（复印件2份） */
export function describeMaterial(m: CombinedMaterial): string {
  return `${m.name}（${FORM_LABEL[m.form]}${m.copies > 1 ? `${m.copies}份` : ''}）`;
}

/** The status the checks use: as marked, else present when pages were read for it, else missing. */
export function effectiveStatus(ctx: CheckContext, id: string): MaterialStatus {
  return ctx.input.materials[id]?.status ?? (ctx.documents.has(id) ? 'present' : 'missing');
}

/** Completeness of one required material: present, or 容缺 / 告知承诺 where the catalog allows it. */
export function evalMaterial(ctx: CheckContext, rule: Rule<'material'>): Finding | null {
  const m = ctx.materials.get(rule.material);
  if (!m) return null;
  const where = { materialId: m.id };
  const state = ctx.input.materials[m.id];
  switch (effectiveStatus(ctx, m.id)) {
    case 'present':
      return null;
    case 'missing':
      return finding(rule, 'blocking', `缺少材料：${describeMaterial(m)}`, [], where);
    case 'not_needed':
      return finding(rule, 'blocking', `${m.name}是必需材料，不能标记为“无需提供”`, [], where);
    case 'supplement_later':
      if (!m.mayBeSupplementedLater) return finding(rule, 'blocking', `${m.name}不适用容缺受理，须当场提交`, [], where);
      if (!state?.deadline) return finding(rule, 'warning', `${m.name}容缺受理，尚未约定补交期限`, [], where);
      if (state.deadline < ctx.input.acceptanceDate) {
        return finding(rule, 'blocking', `${m.name}的容缺补交期限${state.deadline}早于受理日${ctx.input.acceptanceDate}`, [], where);
      }
      return finding(rule, 'info', `${m.name}容缺受理，须于${state.deadline}前补交`, [], where);
    case 'commitment':
      if (!m.mayBeReplacedByCommitment) return finding(rule, 'blocking', `${m.name}不适用告知承诺，须提交材料本身`, [], where);
      return finding(rule, 'info', `${m.name}以告知承诺书替代（告知承诺）`, [], where);
  }
}
