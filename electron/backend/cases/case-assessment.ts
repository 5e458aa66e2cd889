import type { CaseState, MaterialStatus, NoticeItem } from '../../../shared/case/types.js';
import type { SituationView } from '../../../shared/case/view.js';
import type { CombinedField, CombinedMaterial, Resolution } from '../../../shared/catalog/bundle.js';
import { fieldProblem } from './field-checks.js';

/**
 * What stands between a draft case and 受理 — the ONE place that decides it. `case.accept` refuses
 * while `blockers` is not empty, `case.notice` lists `notice` (plus the clerk's own items), and the
 * CaseView shows both as they are now: the preview and the decision cannot disagree.
 *
 * Rules:
 *  - every situation question answered;
 *  - every required field filled, and every filled field valid for its type (an invalid value
 *    blocks even in an optional field: it would go on the record);
 *  - every required material (not one the bundle itself produces, such as 营业执照 from 设立登记)
 *    received, or 容缺后补 / 告知承诺 where the catalog allows it for every matter that requires it
 *    (`CombinedMaterial.mayBeSupplementedLater / mayBeReplacedByCommitment`), never 无需提供.
 * The notice lists each missing or wrongly-marked required material once, each required field not
 * filled once and each invalid value once — exactly the items a 一次性告知书 must name.
 */
export interface Assessment {
  blockers: string[];
  notice: NoticeItem[];
  /** Invalid values by field key (Chinese reason). */
  fieldErrors: Map<string, string>;
}

const FORM_LABEL: Record<CombinedMaterial['form'], string> = { original: '原件', copy: '复印件', original_and_copy: '原件及复印件' };

/** A material's status in the checklist: as marked, else 缺少 (or 无需提供 for one the bundle produces). */
export function materialStatus(state: CaseState, m: CombinedMaterial): MaterialStatus {
  return state.materials[m.id]?.status ?? (m.producedBy !== undefined ? 'not_needed' : 'missing');
}

/** Why a status may not be given to a material (容缺 / 告知承诺 where the catalog does not allow it), or null. */
export function leniencyRefusal(m: CombinedMaterial, status: MaterialStatus): string | null {
  if (status === 'supplement_later' && !m.mayBeSupplementedLater) return `材料“${m.name}”不允许容缺后补`;
  if (status === 'commitment' && !m.mayBeReplacedByCommitment) return `材料“${m.name}”不允许以告知承诺代替`;
  if (status === 'not_needed' && m.requirement === 'required' && m.producedBy === undefined) return `材料“${m.name}”为必交材料，不能标记为无需提供`;
  return null;
}

function materialDetail(m: CombinedMaterial): string {
  return `缺少${m.name}（${FORM_LABEL[m.form]}${m.copies > 1 ? ` ${m.copies} 份` : ''}）`;
}

function fieldItems(state: CaseState, f: CombinedField, today: string): { blocker: string; item: NoticeItem; error?: string } | null {
  const value = state.form[f.key] ?? '';
  if (value === '') {
    if (!f.required) return null;
    return { blocker: `未填写“${f.label}”`, item: { fieldKey: f.key, problem: 'missing', detail: `未提供${f.label}` } };
  }
  const problem = fieldProblem(f, value, today);
  if (problem === null) return null;
  return { blocker: `“${f.label}”有误：${problem}`, item: { fieldKey: f.key, problem: 'deficient', detail: `${f.label}有误：${problem}` }, error: problem };
}

export function assessCase(state: CaseState, res: Resolution, situations: readonly SituationView[], today: string): Assessment {
  const blockers: string[] = [];
  const notice: NoticeItem[] = [];
  const fieldErrors = new Map<string, string>();
  const questions = new Map(situations.map((s) => [s.id, s.question]));
  for (const id of res.unanswered) blockers.push(`尚未选择情形：${questions.get(id) ?? id}`);
  for (const f of res.fields) {
    const r = fieldItems(state, f, today);
    if (!r) continue;
    blockers.push(r.blocker);
    notice.push(r.item);
    if (r.error !== undefined) fieldErrors.set(f.key, r.error);
  }
  for (const m of res.materials) {
    if (m.requirement !== 'required' || m.producedBy !== undefined) continue;
    const status = materialStatus(state, m);
    const refusal = status === 'missing' ? `缺少材料“${m.name}”` : leniencyRefusal(m, status);
    if (refusal === null) continue;
    blockers.push(refusal);
    notice.push({ materialId: m.id, problem: 'missing', detail: materialDetail(m) });
  }
  return { blockers, notice, fieldErrors };
}

/** The identity of a notice item, as the reducer counts duplicates. */
export function noticeItemKey(i: NoticeItem): string {
  return i.materialId ? `m:${i.materialId}` : i.fieldKey ? `f:${i.fieldKey}` : `d:${i.detail}`;
}

/**
 * The items of a one-time notice: the assessment's, then the clerk's extra ones; an extra item about
 * a material or field already listed adds its words to that item instead of a second line.
 */
export function mergeNoticeItems(computed: readonly NoticeItem[], extra: readonly NoticeItem[]): NoticeItem[] {
  const out = computed.map((i) => ({ ...i }));
  const byKey = new Map(out.map((i) => [noticeItemKey(i), i]));
  for (const e of extra) {
    const k = noticeItemKey(e);
    const cur = byKey.get(k);
    if (!cur) {
      const item = { ...e, detail: e.detail.trim() };
      out.push(item);
      byKey.set(k, item);
    } else if (!cur.detail.includes(e.detail.trim())) {
      cur.detail = `${cur.detail}；${e.detail.trim()}`.slice(0, 300);
    }
  }
  return out;
}
