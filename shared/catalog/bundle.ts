import { AppError } from '../errors.js';
import type { EnumOption, FieldType } from './fields.js';
import type { Bundle, MaterialCarrier, MaterialForm } from './schema.js';
import type { CatalogIndex, Matter, ResolvedMaterial } from './validate.js';

/** The applicant's answers: situation id → answer id (or ids, for a multiple-choice situation). */
export type SituationAnswers = Readonly<Record<string, string | readonly string[]>>;

export interface MaterialNeed {
  /** The matter that needs it; null for a material a situation asks for on behalf of the bundle itself. */
  matter: string | null;
  requirement: 'required' | 'optional';
  /** The situation that made a conditional material necessary. */
  condition?: string;
}

/** A material asked for once however many matters need it: the strictest of what they ask. */
export interface CombinedMaterial extends Omit<ResolvedMaterial, 'requirement' | 'condition' | 'note'> {
  requirement: 'required' | 'optional';
  // mayBeSupplementedLater (容缺后补) and mayBeReplacedByCommitment (告知承诺) hold only if every
  // matter that requires the material allows them.
  neededBy: MaterialNeed[];
  /**
   * The matter of this bundle whose result document this material is (营业执照 from 设立登记): it is
   * not asked from the applicant but passed on once issued. Absent for a material the applicant brings.
   */
  producedBy?: string;
  /** The situation answers that asked for it (`situation=answer`). */
  selectedBy: string[];
}

/** A form field filled once however many matters have it. */
/**
 * Form fields a result document fills in (the credit code is on the 营业执照): in a bundle whose
 * matter issues that document, another matter's field with that key is not asked from the applicant.
 */
export const PRODUCED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  business_licence: ['enterprise.uscc'],
};

export interface CombinedField {
  key: string;
  label: string;
  type: FieldType;
  options?: EnumOption[];
  required: boolean;
  neededBy: string[];
  /** The matter of this bundle whose result fills this field in: not asked (and not required) here. */
  producedBy?: string;
}

export interface Resolution {
  matters: Matter[];
  materials: CombinedMaterial[];
  fields: CombinedField[];
  /** Situations not answered yet (they select nothing until answered). */
  unanswered: string[];
}

function bad(message: string, detail: string): AppError {
  return new AppError('bad_request', message, detail);
}

function combineForm(a: MaterialForm, b: MaterialForm): MaterialForm {
  return a === b ? a : 'original_and_copy';
}

function combineCarrier(a: MaterialCarrier, b: MaterialCarrier): MaterialCarrier {
  if (a === b) return a;
  return a === 'paper' || b === 'paper' ? 'paper' : 'either';
}

/**
 * The matters, materials and form of a set of matters with some conditional materials selected:
 * each material once (by material id) with every matter that needs it, each field once (by key).
 */
export function combineMatters(
  matters: readonly Matter[],
  selected: ReadonlyMap<string, readonly string[]>,
  catalog: CatalogIndex,
): Omit<Resolution, 'unanswered'> {
  const materials = new Map<string, CombinedMaterial>();
  /** Whether each required need of a material allows 容缺 / 告知承诺. */
  const leniency = new Map<string, { later: boolean; commitment: boolean; anyRequired: boolean }>();
  const add = (m: ResolvedMaterial | undefined, id: string, need: MaterialNeed): void => {
    const def = catalog.materials.get(id);
    if (!def) throw bad('事项目录中没有该材料，请更新事项目录。', `unknown material ${id}`);
    const form = m?.form ?? def.form;
    const carrier = m?.carrier ?? def.carrier;
    const copies = m?.copies ?? 1;
    const cur = materials.get(id);
    if (!cur) {
      materials.set(id, {
        id,
        name: def.name,
        docType: def.docType,
        form,
        carrier,
        source: def.source,
        copies,
        requirement: need.requirement,
        mayBeSupplementedLater: false,
        mayBeReplacedByCommitment: false,
        neededBy: [need],
        selectedBy: [...(selected.get(id) ?? [])],
      });
    } else {
      cur.form = combineForm(cur.form, form);
      cur.carrier = combineCarrier(cur.carrier, carrier);
      cur.copies = Math.max(cur.copies, copies);
      if (need.requirement === 'required') cur.requirement = 'required';
      cur.neededBy.push(need);
    }
    const l = leniency.get(id) ?? { later: true, commitment: true, anyRequired: false };
    if (need.requirement === 'required') {
      l.anyRequired = true;
      l.later &&= m?.mayBeSupplementedLater ?? false;
      l.commitment &&= m?.mayBeReplacedByCommitment ?? false;
    }
    leniency.set(id, l);
  };

  for (const matter of matters) {
    for (const m of matter.materials) {
      if (m.requirement === 'conditional') {
        if (selected.has(m.id)) add(m, m.id, { matter: matter.code, requirement: 'required', ...(m.condition ? { condition: m.condition } : {}) });
      } else {
        add(m, m.id, { matter: matter.code, requirement: m.requirement });
      }
    }
  }
  for (const id of selected.keys()) {
    if (!materials.has(id)) add(undefined, id, { matter: null, requirement: 'required' });
  }
  for (const [id, l] of leniency) {
    const cur = materials.get(id);
    if (cur && l.anyRequired) {
      cur.mayBeSupplementedLater = l.later;
      cur.mayBeReplacedByCommitment = l.commitment;
    }
  }

  const fields = new Map<string, CombinedField>();
  for (const matter of matters) {
    for (const f of matter.fields) {
      const cur = fields.get(f.key);
      if (cur) {
        cur.required ||= f.required;
        cur.neededBy.push(matter.code);
        continue;
      }
      const def = catalog.fields.get(f.key);
      fields.set(f.key, {
        key: f.key,
        label: def?.label ?? f.label,
        type: f.type,
        ...(f.options ? { options: f.options } : {}),
        required: f.required,
        neededBy: [matter.code],
      });
    }
  }
  const issuedBy = new Map<string, string>();
  for (const matter of matters) for (const r of matter.results) if (!issuedBy.has(r.template)) issuedBy.set(r.template, matter.code);
  for (const cur of materials.values()) {
    const template = catalog.materials.get(cur.id)?.producedBy;
    const producer = template === undefined ? undefined : issuedBy.get(template);
    // A matter does not produce its own input: only another matter of the bundle can supply it.
    if (producer !== undefined && cur.neededBy.some((n) => n.matter !== producer)) {
      cur.producedBy = producer;
      cur.mayBeSupplementedLater = false;
      cur.mayBeReplacedByCommitment = false;
    }
  }
  for (const [template, producer] of issuedBy) {
    for (const key of PRODUCED_FIELDS[template] ?? []) {
      const f = fields.get(key);
      if (f && f.neededBy.some((code) => code !== producer)) {
        f.producedBy = producer;
        f.required = false;
      }
    }
  }
  return { matters: [...matters], materials: [...materials.values()], fields: [...fields.values()] };
}

function findMatter(code: string, catalog: CatalogIndex): Matter {
  const m = catalog.matters.get(code);
  if (!m) throw bad('事项目录中没有该事项，请更新事项目录。', `unknown matter ${code}`);
  return m;
}

/**
 * Resolves a bundle (一件事) for the applicant's answers: the always-included matters plus those the
 * answers add, every material once with the matters that need it (conditional ones only when an
 * answer asks for them), and the union of the matters' fields by key.
 * Throws AppError('bad_request') for an unknown situation or answer.
 */
export function resolveBundle(bundle: Bundle, answers: SituationAnswers, catalog: CatalogIndex): Resolution {
  const situations = new Map(bundle.situations.map((s) => [s.id, s]));
  for (const id of Object.keys(answers)) {
    if (!situations.has(id)) throw bad('情形选项已变更，请重新选择。', `bundle ${bundle.id} has no situation "${id}"`);
  }
  const codes: string[] = [...bundle.matters];
  const selected = new Map<string, string[]>();
  const unanswered: string[] = [];
  for (const s of bundle.situations) {
    const given = answers[s.id];
    const chosen = given === undefined ? [] : typeof given === 'string' ? [given] : [...given];
    if (chosen.length === 0) {
      unanswered.push(s.id);
      continue;
    }
    if (!s.multiple && chosen.length > 1) throw bad('该情形只能选择一项。', `situation ${s.id} takes one answer, got ${chosen.join(', ')}`);
    for (const answerId of chosen) {
      const a = s.answers.find((x) => x.id === answerId);
      if (!a) throw bad('情形选项已变更，请重新选择。', `situation ${s.id} has no answer "${answerId}"`);
      for (const code of a.matters) if (!codes.includes(code)) codes.push(code);
      for (const id of a.materials) {
        const by = selected.get(id) ?? [];
        by.push(`${s.id}=${a.id}`);
        selected.set(id, by);
      }
    }
  }
  const matters = codes.map((code) => findMatter(code, catalog));
  return { ...combineMatters(matters, selected, catalog), unanswered };
}

/** A single matter as a one-matter bundle: `conditional` lists the conditional materials whose situation applies. */
export function resolveMatter(code: string, conditional: readonly string[], catalog: CatalogIndex): Resolution {
  const matter = findMatter(code, catalog);
  const selected = new Map<string, string[]>();
  for (const id of conditional) {
    const m = matter.materials.find((x) => x.id === id);
    if (!m || m.requirement !== 'conditional') throw bad('该材料不是本事项的情形材料。', `matter ${code} has no conditional material ${id}`);
    selected.set(id, []);
  }
  return { ...combineMatters([matter], selected, catalog), unanswered: [] };
}
