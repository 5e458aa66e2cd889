import type { MaterialStatus, NoticeItem } from '../../../shared/case/types.js';
import type { SituationView } from '../../../shared/case/view.js';
import type { CombinedMaterial, Resolution } from '../../../shared/catalog/bundle.js';
import { checkCase, oneTimeNoticeItems, type CheckInput, type Finding } from '../../../shared/checks/index.js';
import { AppError } from '../../../shared/errors.js';
import { checkInputOf, materialStatus, type CaseCheckContext } from '../checks/check-input.js';

export { materialStatus };

/**
 * What stands between a draft case and 受理 — the ONE place that decides it. `case.accept` refuses
 * while `blockers` is not empty (and while a warning is not overridden with a reason),
 * `case.notice` lists `notice` (plus the clerk's own items), and the CaseView shows all of it as it
 * is now: the preview and the decision cannot disagree.
 *
 * The decision is the comparison checks' (shared/checks): every required field filled and every
 * value valid for its type, the form against what was read from the pages, documents against each
 * other, validity on the acceptance day, every required material received (or 容缺后补 / 告知承诺
 * where the catalog allows it), possible duplicates and the registry. Plus one thing only the window
 * knows: every situation question answered.
 *  - blockers: unanswered situations and blocking findings, one Chinese line each (names quoted, so
 *    the UI can point at the field or material);
 *  - warnings: findings the clerk may override, each with a written reason, at 受理;
 *  - notice: the one-time notice's items from the findings (oneTimeNoticeItems): each missing or
 *    deficient material once, each deficient form entry once.
 */
export interface Assessment {
  blockers: string[];
  notice: NoticeItem[];
  /** Why a value is not acceptable, by field key (the field's own problems: format, age, range). */
  fieldErrors: Map<string, string>;
  /** Every finding, blocking first, then warnings, then info. */
  findings: Finding[];
  /** The findings that must be overridden with a reason to accept. */
  warnings: Finding[];
  rulesVersion: string;
  /** What the checks ran on (for the instant-approval decision). */
  input: CheckInput;
}

export interface AssessmentInput extends CaseCheckContext {
  situations: readonly SituationView[];
}

/** Why a status may not be given to a material (容缺 / 告知承诺 where the catalog does not allow it), or null. */
export function leniencyRefusal(m: CombinedMaterial, status: MaterialStatus): string | null {
  if (status === 'supplement_later' && !m.mayBeSupplementedLater) return `材料“${m.name}”不允许容缺后补`;
  if (status === 'commitment' && !m.mayBeReplacedByCommitment) return `材料“${m.name}”不允许以告知承诺代替`;
  if (status === 'not_needed' && m.requirement === 'required' && m.producedBy === undefined) return `材料“${m.name}”为必交材料，不能标记为无需提供`;
  return null;
}

function names(res: Resolution): { field: (k: string) => string; material: (id: string) => string } {
  const fields = new Map(res.fields.map((f) => [f.key, f.label]));
  const materials = new Map(res.materials.map((m) => [m.id, m.name]));
  return { field: (k) => fields.get(k) ?? k, material: (id) => materials.get(id) ?? id };
}

/** The message without the name it begins with (`法定代表人联系电话：…` → `…`). */
function after(message: string, name: string): string | null {
  if (!message.startsWith(name)) return null;
  return message.slice(name.length).replace(/^[：:]/, '');
}

/** A finding as one line of what blocks 受理, the field's or material's name in quotes. */
export function findingLine(f: Finding, res: Resolution): string {
  const n = names(res);
  if (f.ruleId.startsWith('required:') && f.fieldKey) return `未填写“${n.field(f.fieldKey)}”`;
  if (f.ruleId.startsWith('material:') && f.materialId) {
    const name = n.material(f.materialId);
    if (f.message.startsWith('缺少材料')) return `缺少材料“${name}”`;
    const rest = after(f.message, name);
    return rest === null ? `材料“${name}”：${f.message}` : `材料“${name}”${rest}`;
  }
  const anchor = f.fieldKey ? n.field(f.fieldKey) : f.materialId ? n.material(f.materialId) : null;
  if (anchor === null) return f.message;
  if (f.ruleId.startsWith('format:')) return `“${anchor}”有误：${after(f.message, anchor) ?? f.message}`;
  return f.message.startsWith(anchor) ? `“${anchor}”${f.message.slice(anchor.length)}` : `“${anchor}”：${f.message}`;
}

/** A field's own problem (format, age, range: only form values compared), for the field in the form. */
function fieldErrorsOf(findings: readonly Finding[], res: Resolution): Map<string, string> {
  const n = names(res);
  const out = new Map<string, string>();
  for (const f of findings) {
    if (!f.fieldKey || f.materialId || f.severity === 'info' || f.ruleId.startsWith('required:') || out.has(f.fieldKey)) continue;
    if (!f.values.every((v) => v.source.kind === 'form')) continue;
    out.set(f.fieldKey, after(f.message, n.field(f.fieldKey)) || f.message);
  }
  return out;
}

export function assessCase(a: AssessmentInput): Assessment {
  const res = a.resolution;
  const input = checkInputOf(a);
  const { findings, rulesVersion } = checkCase(input);
  const questions = new Map(a.situations.map((s) => [s.id, s.question]));
  const blockers = res.unanswered.map((id) => `尚未选择情形：${questions.get(id) ?? id}`);
  for (const f of findings) {
    if (f.severity !== 'blocking') continue;
    const line = findingLine(f, res);
    if (!blockers.includes(line)) blockers.push(line);
  }
  const notice = oneTimeNoticeItems(findings, res).map((d): NoticeItem => {
    // A form entry whose only problem is that it was not filled is missing, not deficient.
    const missingField =
      d.fieldKey !== undefined && findings.filter((f) => f.fieldKey === d.fieldKey && f.materialId === undefined && f.severity !== 'info').every((f) => f.ruleId.startsWith('required:'));
    return {
      ...(d.materialId !== undefined ? { materialId: d.materialId } : {}),
      ...(d.fieldKey !== undefined ? { fieldKey: d.fieldKey } : {}),
      problem: missingField ? 'missing' : d.problem,
      detail: d.detail,
    };
  });
  return {
    blockers,
    notice,
    fieldErrors: fieldErrorsOf(findings, res),
    findings,
    warnings: findings.filter((f) => f.severity === 'warning'),
    rulesVersion,
    input,
  };
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

/**
 * A one-time notice's items (一次性告知): the assessment's, each missing or deficient item once, plus
 * the clerk's own (about a material or field of this case, or free text). Refused when there is
 * nothing to tell (the case may be accepted) or too much for one notice.
 */
export function noticeItems(a: Assessment, res: Resolution, extra: readonly NoticeItem[]): NoticeItem[] {
  const materials = new Set(res.materials.map((m) => m.id));
  const fields = new Set(res.fields.map((f) => f.key));
  for (const e of extra) {
    if (e.materialId !== undefined && !materials.has(e.materialId)) throw new AppError('bad_request', '告知事项中的材料不在本办件的材料清单中。', `notice material ${e.materialId}`);
    if (e.fieldKey !== undefined && !fields.has(e.fieldKey)) throw new AppError('bad_request', '告知事项中的表单项不在本办件的表单中。', `notice field ${e.fieldKey}`);
  }
  const items = mergeNoticeItems(a.notice, extra);
  if (items.length === 0) throw new AppError('invalid_transition', '材料齐全、表单无误，无需出具一次性告知书，可以直接受理。', 'notice with no items');
  if (items.length > 100) throw new AppError('bad_request', '告知事项过多（超过 100 项），请合并后再出具。', `${items.length} items`);
  return items;
}
