import type { SituationView } from '../../../shared/case/view.js';
import { resolveBundle, resolveMatter, type Resolution, type SituationAnswers } from '../../../shared/catalog/bundle.js';
import type { CatalogIndex, Matter } from '../../../shared/catalog/validate.js';
import { AppError } from '../../../shared/errors.js';

/**
 * What a case asks of the applicant, from the catalog: its situation questions (情形) and, for the
 * answers given, the matters, the materials checklist and the one merged form (shared/catalog/bundle.ts).
 *
 * A single matter has no situation questions in the catalog, but its conditional materials
 * (`requirement: conditional`, e.g. 委托他人代为办理的 → 授权委托书) still depend on the applicant's
 * situation. Each distinct condition of the matter becomes a yes/no question here, its id the id of
 * the first material it asks for (stable across catalog versions that keep that material), so the
 * window handles a matter and a bundle the same way: answer, then see the checklist.
 */
export interface CaseSubject {
  kind: 'matter' | 'bundle';
  code: string;
}

type Question = Omit<SituationView, 'chosen'>;
const YES_NO = [
  { id: 'yes', label: '是' },
  { id: 'no', label: '否' },
];

function bad(message: string, detail: string): AppError {
  return new AppError('bad_request', message, detail);
}

function matterOf(code: string, catalog: CatalogIndex): Matter {
  const m = catalog.matters.get(code);
  if (!m) throw new AppError('not_found', '事项目录中没有该事项，请更新事项目录。', `unknown matter ${code}`);
  return m;
}

/** A matter's conditions as yes/no questions, with the conditional materials each one asks for. */
function matterConditions(m: Matter): Array<Question & { materials: string[] }> {
  const byCondition = new Map<string, Question & { materials: string[] }>();
  for (const mat of m.materials) {
    if (mat.requirement !== 'conditional') continue;
    const condition = mat.condition ?? mat.name;
    const cur = byCondition.get(condition);
    if (cur) cur.materials.push(mat.id);
    else byCondition.set(condition, { id: mat.id, question: `${condition.replace(/的$/, '')}？`, multiple: false, answers: YES_NO, materials: [mat.id] });
  }
  return [...byCondition.values()];
}

/** The subject's situation questions (unanswered: `chosen` empty). */
export function subjectSituations(subject: CaseSubject, catalog: CatalogIndex, answers: SituationAnswers = {}): SituationView[] {
  const chosen = (id: string): string[] => {
    const v = answers[id];
    return v === undefined ? [] : typeof v === 'string' ? [v] : [...v];
  };
  if (subject.kind === 'matter') {
    return matterConditions(matterOf(subject.code, catalog)).map(({ materials: _m, ...q }) => ({ ...q, answers: [...q.answers], chosen: chosen(q.id) }));
  }
  const b = catalog.bundles.get(subject.code);
  if (!b) throw new AppError('not_found', '事项目录中没有该一件事，请更新事项目录。', `unknown bundle ${subject.code}`);
  return b.situations.map((s) => ({
    id: s.id,
    question: s.question,
    multiple: s.multiple,
    answers: s.answers.map((a) => ({ id: a.id, label: a.label })),
    chosen: chosen(s.id),
  }));
}

/**
 * The matters, materials and fields of a case for its answers. Throws AppError('bad_request') for an
 * answer the subject does not have (a stale UI or catalog), AppError('not_found') for an unknown subject.
 */
export function resolveCase(subject: CaseSubject, answers: SituationAnswers, catalog: CatalogIndex): Resolution {
  if (subject.kind === 'bundle') {
    const b = catalog.bundles.get(subject.code);
    if (!b) throw new AppError('not_found', '事项目录中没有该一件事，请更新事项目录。', `unknown bundle ${subject.code}`);
    return resolveBundle(b, answers, catalog);
  }
  const conditions = matterConditions(matterOf(subject.code, catalog));
  const byId = new Map(conditions.map((c) => [c.id, c]));
  const conditional: string[] = [];
  const unanswered: string[] = [];
  for (const [id, v] of Object.entries(answers)) {
    if (!byId.has(id)) throw bad('情形选项已变更，请重新选择。', `matter ${subject.code} has no condition "${id}"`);
    const list = typeof v === 'string' ? [v] : [...v];
    if (list.length > 1) throw bad('该情形只能选择一项。', `condition ${id} takes one answer`);
    if (list.length === 1 && list[0] !== 'yes' && list[0] !== 'no') throw bad('情形选项已变更，请重新选择。', `condition ${id}: answer ${list[0]}`);
  }
  for (const c of conditions) {
    const v = answers[c.id];
    const a = v === undefined ? undefined : typeof v === 'string' ? v : v[0];
    if (a === undefined) unanswered.push(c.id);
    else if (a === 'yes') conditional.push(...c.materials);
  }
  return { ...resolveMatter(subject.code, conditional, catalog), unanswered };
}

/** The subject's title (matter or bundle name). */
export function subjectTitle(subject: CaseSubject, catalog: CatalogIndex): string {
  if (subject.kind === 'matter') return matterOf(subject.code, catalog).name;
  const b = catalog.bundles.get(subject.code);
  if (!b) throw new AppError('not_found', '事项目录中没有该一件事，请更新事项目录。', `unknown bundle ${subject.code}`);
  return b.name;
}
