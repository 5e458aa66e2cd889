import { z } from 'zod';
import { checkRuleReferences, RuleRegistry } from '../checks/rule-refs.js';
import type { CheckRule } from '../checks/rule-schema.js';
import { decisionConflicts } from './decision-fields.js';
import { FieldDefinition, type EnumOption, type FieldType } from './fields.js';
import {
  BOARDS,
  Bundle,
  Matter as MatterSchema,
  MaterialDefinition,
  type CrossRegion,
  type DocumentType,
  type Fee,
  type MaterialCarrier,
  type MaterialForm,
  type MatterResult,
  type Requirement,
} from './schema.js';

/** One file of a catalog directory, relative path with forward slashes (`matters/market.json`). */
export interface CatalogSourceFile {
  file: string;
  /** Parsed JSON; absent when the file could not be read or parsed. */
  data?: unknown;
  /** Why the file could not be read or parsed. */
  readError?: string;
}

/** A problem found in the catalog: the file, the JSON path inside it, and what is wrong. */
export interface CatalogError {
  file: string;
  path: string;
  message: string;
}

export function formatCatalogError(e: CatalogError): string {
  return `${e.file}: ${e.path || '(root)'}: ${e.message}`;
}

/** A matter's field with the dictionary's label, type and options filled in. */
export interface ResolvedField {
  key: string;
  label: string;
  type: FieldType;
  options?: EnumOption[];
  required: boolean;
}

/** A matter's material with the dictionary's name, document type, form and carrier filled in. */
export interface ResolvedMaterial {
  id: string;
  name: string;
  docType: DocumentType;
  form: MaterialForm;
  carrier: MaterialCarrier;
  source: string;
  copies: number;
  requirement: Requirement;
  condition?: string;
  mayBeSupplementedLater: boolean;
  mayBeReplacedByCommitment: boolean;
  note?: string;
}

export interface Matter {
  code: string;
  name: string;
  board: string;
  kind: string;
  decidingOffice: string;
  legalBasis: string[];
  promisedDays: number;
  statutoryDays: number | null;
  statutoryIn: 'working_days' | 'calendar_days';
  fees: '不收费' | Fee[];
  reformMode: string | null;
  crossRegion: CrossRegion;
  branchMayDecide: boolean;
  instantApproval: boolean;
  aliases: string[];
  fields: ResolvedField[];
  /**
   * Fields whose value is assigned at the decision (`stage: "decision"`): not in `fields` (the form
   * of 受理 neither shows nor asks them); the approval supplies them. Absent in older catalogs.
   */
  decisionFields?: ResolvedField[];
  materials: ResolvedMaterial[];
  results: MatterResult[];
  /** Declared comparison checks (absent in catalogs cached before checks existed). */
  checks?: CheckRule[];
  /** The catalog file it came from. */
  file: string;
}

/** A validated catalog: plain data (it is sent from the hall server to the windows as JSON). */
export interface CatalogData {
  fields: FieldDefinition[];
  materials: MaterialDefinition[];
  matters: Matter[];
  bundles: Bundle[];
}

export interface CatalogIndex {
  data: CatalogData;
  fields: Map<string, FieldDefinition>;
  materials: Map<string, MaterialDefinition>;
  matters: Map<string, Matter>;
  bundles: Map<string, Bundle>;
}

export function indexCatalog(data: CatalogData): CatalogIndex {
  return {
    data,
    fields: new Map(data.fields.map((f) => [f.key, f])),
    materials: new Map(data.materials.map((m) => [m.id, m])),
    matters: new Map(data.matters.map((m) => [m.code, m])),
    bundles: new Map(data.bundles.map((b) => [b.id, b])),
  };
}

export type ValidationResult = { ok: true; catalog: CatalogData; errors: [] } | { ok: false; catalog: null; errors: CatalogError[] };

type Path = ReadonlyArray<PropertyKey>;

/** `['matters', 3, 'fields', 2, 'key']` → `matters[3].fields[2].key`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Collector {
  readonly errors: CatalogError[] = [];
  add(file: string, path: Path, message: string): void {
    this.errors.push({ file, path: formatPath(path), message });
  }
  /** Parses one item; reports each zod issue under `base`; returns the data or undefined. */
  parse<T extends z.ZodType>(schema: T, value: unknown, file: string, base: Path): z.output<T> | undefined {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    for (const issue of r.error.issues) this.add(file, [...base, ...issue.path], issue.message);
    return undefined;
  }
  /** The array under `key` of a file's top-level object, or undefined after reporting why not. */
  list(src: CatalogSourceFile, key: string): unknown[] | undefined {
    if (!isRecord(src.data)) {
      this.add(src.file, [], `expected an object with a "${key}" array`);
      return undefined;
    }
    const extra = Object.keys(src.data).filter((k) => k !== key);
    for (const k of extra) this.add(src.file, [k], `unexpected key (a ${kindOf(src.file)} file holds only "${key}")`);
    const list = src.data[key];
    if (!Array.isArray(list)) {
      this.add(src.file, [key], 'expected an array');
      return undefined;
    }
    if (list.length === 0) this.add(src.file, [key], 'is empty');
    return list;
  }
}

type FileKind = 'fields' | 'materials' | 'matters' | 'bundles';

function kindOf(file: string): FileKind | null {
  if (file === 'fields.json') return 'fields';
  if (file === 'materials.json') return 'materials';
  if (/^matters\/[^/]+\.json$/.test(file)) return 'matters';
  if (/^bundles\/[^/]+\.json$/.test(file)) return 'bundles';
  return null;
}

interface Located<T> {
  value: T;
  file: string;
  path: Path;
}

/**
 * Validates a whole catalog: each file against its schema, then every cross-reference — boards,
 * field keys, material ids, matter codes in bundles, duplicates, situations that select nothing,
 * conditional materials no situation can ask for, instant-approval matters without a result.
 * Never throws; every problem comes back with its file and JSON path.
 */
export function validateCatalog(files: readonly CatalogSourceFile[], boards: Readonly<Record<string, string>> = BOARDS): ValidationResult {
  const c = new Collector();
  const byKind: Record<FileKind, CatalogSourceFile[]> = { fields: [], materials: [], matters: [], bundles: [] };
  for (const f of [...files].sort((a, b) => a.file.localeCompare(b.file))) {
    if (f.readError !== undefined) {
      c.add(f.file, [], f.readError);
      continue;
    }
    const kind = kindOf(f.file);
    if (kind === null) {
      c.add(f.file, [], 'unexpected file (a catalog holds fields.json, materials.json, matters/*.json and bundles/*.json)');
      continue;
    }
    byKind[kind].push(f);
  }
  if (!files.some((f) => f.file === 'fields.json')) c.add('fields.json', [], 'missing: the field dictionary is required');
  if (!files.some((f) => f.file === 'materials.json')) c.add('materials.json', [], 'missing: the material dictionary is required');
  if (byKind.matters.length === 0) c.add('matters/', [], 'no matter files');

  // Field dictionary.
  const fields = new Map<string, Located<FieldDefinition>>();
  for (const src of byKind.fields) {
    (c.list(src, 'fields') ?? []).forEach((raw, i) => {
      const f = c.parse(FieldDefinition, raw, src.file, ['fields', i]);
      if (!f) return;
      const prev = fields.get(f.key);
      if (prev) c.add(src.file, ['fields', i, 'key'], `duplicate field key "${f.key}" (first defined at ${formatPath(prev.path)})`);
      else fields.set(f.key, { value: f, file: src.file, path: ['fields', i] });
    });
  }

  // Material dictionary.
  const materials = new Map<string, Located<MaterialDefinition>>();
  for (const src of byKind.materials) {
    (c.list(src, 'materials') ?? []).forEach((raw, i) => {
      const m = c.parse(MaterialDefinition, raw, src.file, ['materials', i]);
      if (!m) return;
      const prev = materials.get(m.id);
      if (prev) c.add(src.file, ['materials', i, 'id'], `duplicate material id "${m.id}" (first defined at ${formatPath(prev.path)})`);
      else materials.set(m.id, { value: m, file: src.file, path: ['materials', i] });
    });
  }

  // Check rules: each reference is checked where it is declared; one id means one rule everywhere.
  const rules = new RuleRegistry();
  const checkRules = (
    file: string,
    base: Path,
    list: readonly CheckRule[],
    name: string,
    scopeFields: ReadonlyMap<string, FieldType>,
    scopeMaterials: ReadonlyMap<string, DocumentType>,
  ): void => {
    const report = (p: ReadonlyArray<string | number>, message: string) => c.add(file, [...base, 'checks', ...p], message);
    checkRuleReferences(list, { name, fields: scopeFields, materials: scopeMaterials, isFormKey: (k) => fields.has(k) }, report);
    list.forEach((r, j) => {
      const prev = rules.conflict(r, `${file}: ${formatPath([...base, 'checks', j])}`);
      if (prev) report([j, 'id'], `check "${r.id}" is declared differently at ${prev}`);
    });
  };

  // Matters.
  const matters = new Map<string, Matter>();
  const firstSeen = new Map<string, string>();
  /** Codes of matters that exist but failed their schema: bundles naming them get no second error. */
  const brokenCodes = new Set<string>();
  for (const src of byKind.matters) {
    (c.list(src, 'matters') ?? []).forEach((raw, i) => {
      const base: Path = ['matters', i];
      const code = isRecord(raw) && typeof raw.code === 'string' ? raw.code : undefined;
      if (code !== undefined) {
        const prev = firstSeen.get(code);
        if (prev) c.add(src.file, [...base, 'code'], `duplicate matter code "${code}" (first used in ${prev})`);
        else firstSeen.set(code, `${src.file}: ${formatPath(base)}`);
      }
      const m = c.parse(MatterSchema, raw, src.file, base);
      if (!m) {
        if (code !== undefined) brokenCodes.add(code);
        return;
      }
      let ok = true;
      if (!(m.board in boards)) {
        c.add(src.file, [...base, 'board'], `unknown board "${m.board}" (boards: ${Object.keys(boards).join(', ')})`);
        ok = false;
      }
      const resolvedFields: ResolvedField[] = [];
      const decisionFields: ResolvedField[] = []; // decision fields
      const keys = new Set<string>();
      m.fields.forEach((f, j) => {
        const def = fields.get(f.key)?.value;
        if (keys.has(f.key)) {
          c.add(src.file, [...base, 'fields', j, 'key'], `field "${f.key}" listed twice`);
          ok = false;
        }
        keys.add(f.key);
        if (!def) {
          c.add(src.file, [...base, 'fields', j, 'key'], `unknown field key "${f.key}"`);
          ok = false;
          return;
        }
        (f.stage === 'decision' ? decisionFields : resolvedFields).push({
          key: f.key,
          label: f.label ?? def.label,
          type: def.type,
          ...(def.options ? { options: def.options } : {}),
          required: f.required,
        });
      });
      const resolvedMaterials: ResolvedMaterial[] = [];
      const ids = new Set<string>();
      m.materials.forEach((mm, j) => {
        const def = materials.get(mm.id)?.value;
        if (ids.has(mm.id)) {
          c.add(src.file, [...base, 'materials', j, 'id'], `material "${mm.id}" listed twice`);
          ok = false;
        }
        ids.add(mm.id);
        if (!def) {
          c.add(src.file, [...base, 'materials', j, 'id'], `unknown material "${mm.id}"`);
          ok = false;
          return;
        }
        resolvedMaterials.push({
          id: mm.id,
          name: def.name,
          docType: def.docType,
          form: mm.form ?? def.form,
          carrier: mm.carrier ?? def.carrier,
          source: def.source,
          copies: mm.copies,
          requirement: mm.requirement,
          ...(mm.condition !== undefined ? { condition: mm.condition } : {}),
          mayBeSupplementedLater: mm.mayBeSupplementedLater,
          mayBeReplacedByCommitment: mm.mayBeReplacedByCommitment,
          ...(mm.note !== undefined ? { note: mm.note } : {}),
        });
      });
      const beforeChecks = c.errors.length;
      const matterFields = new Map(resolvedFields.map((f) => [f.key, f.type]));
      checkRules(src.file, base, m.checks, `matter ${m.code}`, matterFields, new Map(resolvedMaterials.map((x) => [x.id, x.docType])));
      if (c.errors.length > beforeChecks) ok = false;
      if (m.instantApproval && m.results.length === 0) {
        c.add(src.file, [...base, 'results'], 'an instant-approval (秒批) matter must issue at least one result document');
        ok = false;
      }
      if (m.instantApproval && m.promisedDays !== 0) {
        c.add(src.file, [...base, 'promisedDays'], `an instant-approval (秒批) matter is decided at once: promisedDays must be 0, not ${m.promisedDays}`);
        ok = false;
      }
      if (!ok) {
        brokenCodes.add(m.code);
        return;
      }
      if (firstSeen.get(m.code) !== `${src.file}: ${formatPath(base)}`) return; // duplicate, reported above
      matters.set(m.code, { ...m, fields: resolvedFields, ...(decisionFields.length > 0 ? { decisionFields } : {}), materials: resolvedMaterials, file: src.file });
    });
  }

  // Bundles.
  const bundles: Bundle[] = [];
  const bundleIds = new Map<string, string>();
  for (const src of byKind.bundles) {
    (c.list(src, 'bundles') ?? []).forEach((raw, i) => {
      const base: Path = ['bundles', i];
      const b = c.parse(Bundle, raw, src.file, base);
      if (!b) return;
      const before = c.errors.length;
      const prev = bundleIds.get(b.id);
      if (prev) c.add(src.file, [...base, 'id'], `duplicate bundle id "${b.id}" (first used in ${prev})`);
      else bundleIds.set(b.id, `${src.file}: ${formatPath(base)}`);
      if (!(b.board in boards)) c.add(src.file, [...base, 'board'], `unknown board "${b.board}" (boards: ${Object.keys(boards).join(', ')})`);
      const checkCode = (code: string, path: Path): void => {
        if (!matters.has(code) && !brokenCodes.has(code)) c.add(src.file, path, `unknown matter code "${code}"`);
      };
      const always = new Set<string>();
      b.matters.forEach((code, j) => {
        if (always.has(code)) c.add(src.file, [...base, 'matters', j], `matter "${code}" listed twice`);
        always.add(code);
        checkCode(code, [...base, 'matters', j]);
      });
      const reachable = new Set<string>(always);
      const selectable = new Set<string>();
      const situationIds = new Set<string>();
      b.situations.forEach((s, j) => {
        const sBase: Path = [...base, 'situations', j];
        if (situationIds.has(s.id)) c.add(src.file, [...sBase, 'id'], `duplicate situation id "${s.id}"`);
        situationIds.add(s.id);
        const answerIds = new Set<string>();
        let selectsSomething = false;
        s.answers.forEach((a, k) => {
          const aBase: Path = [...sBase, 'answers', k];
          if (answerIds.has(a.id)) c.add(src.file, [...aBase, 'id'], `duplicate answer id "${a.id}"`);
          answerIds.add(a.id);
          if (a.matters.length > 0 || a.materials.length > 0) selectsSomething = true;
          a.matters.forEach((code, l) => {
            checkCode(code, [...aBase, 'matters', l]);
            if (always.has(code)) c.add(src.file, [...aBase, 'matters', l], `matter "${code}" is always included in this bundle; an answer cannot add it`);
            reachable.add(code);
          });
          a.materials.forEach((id, l) => {
            if (!materials.has(id)) c.add(src.file, [...aBase, 'materials', l], `unknown material "${id}"`);
            selectable.add(id);
          });
        });
        if (!selectsSomething) c.add(src.file, [...sBase, 'answers'], `situation "${s.id}" selects nothing: no answer adds a matter or a material`);
      });
      // A conditional material of a matter in the bundle must be reachable through some answer.
      for (const code of reachable) {
        const m = matters.get(code);
        if (!m) continue;
        for (const mat of m.materials) {
          if (mat.requirement === 'conditional' && !selectable.has(mat.id)) {
            c.add(
              src.file,
              [...base, 'situations'],
              `conditional material "${mat.id}" of matter ${code} (${mat.condition ?? ''}) is never asked for: no situation answer selects it`,
            );
          }
        }
      }
      // Bundle checks may name any field or material of a matter the bundle can include, or a material an answer asks for.
      const scopeFields = new Map<string, FieldType>();
      const scopeMaterials = new Map<string, DocumentType>();
      for (const code of reachable) {
        for (const f of matters.get(code)?.fields ?? []) scopeFields.set(f.key, f.type);
        for (const x of matters.get(code)?.materials ?? []) scopeMaterials.set(x.id, x.docType);
      }
      for (const id of selectable) {
        const def = materials.get(id)?.value;
        if (def) scopeMaterials.set(id, def.docType);
      }
      checkRules(src.file, base, b.checks, `bundle ${b.id}`, scopeFields, scopeMaterials);
      for (const problem of decisionConflicts([...reachable].flatMap((code) => matters.get(code) ?? []))) c.add(src.file, [...base, 'matters'], problem); // decision fields
      if (c.errors.length === before) bundles.push(b);
    });
  }

  if (c.errors.length > 0) return { ok: false, catalog: null, errors: c.errors };
  return {
    ok: true,
    errors: [],
    catalog: {
      fields: [...fields.values()].map((l) => l.value),
      materials: [...materials.values()].map((l) => l.value),
      matters: [...matters.values()],
      bundles,
    },
  };
}
