import path from 'node:path';
import type { CombinedField } from '../../../shared/catalog/bundle.js';
import { loadCatalogDir } from '../../../shared/catalog/node-loader.js';
import { indexCatalog, type CatalogIndex } from '../../../shared/catalog/validate.js';
import { resolveCase, subjectSituations, subjectTitle, type CaseSubject } from '../../../electron/backend/cases/case-resolution.js';
import type { WindowCaseAction } from '../../../electron/backend/cases/case-store.js';
import { REPO_ROOT } from '../../support/hall-process.js';

/**
 * Realistic, valid case work for the sync bench: each case is one applicant's matter or bundle from
 * the real catalog (resources/catalog), answered, filled in, its materials checked, a scanned page
 * attached and accepted — the actions a clerk takes at the window, in an order the shared reducer
 * accepts. Ten mutations per case: nine case actions and one audit record (the clerk opening the
 * case's full view). Deterministic for a seed.
 */
export type Step = { kind: 'case'; action: WindowCaseAction } | { kind: 'audit' } | { kind: 'attach'; materialId: string; page: number };

export interface CasePlan {
  subject: CaseSubject;
  title: string;
  /** Everything after `opened`, in order. */
  steps: Step[];
}

export const MUTATIONS_PER_CASE = 10;

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let cached: CatalogIndex | undefined;
export function benchCatalog(): CatalogIndex {
  if (cached) return cached;
  const r = loadCatalogDir(path.join(REPO_ROOT, 'resources/catalog'));
  if (!r.ok) throw new Error(`catalog invalid: ${r.errors.map((e) => e.message).join('; ')}`);
  cached = indexCatalog(r.catalog);
  return cached;
}

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰涛明超秀英华';
const STREETS = ['齐晏大街', '工业北路', '德州路', '华店路', '齐鲁大街', '经济开发区创新路'];

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}

function digits(rnd: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(rnd() * 10));
  return s;
}

/** A plausible value for a form field (the hall does not check values; the window's own checks are not what is measured). */
function fieldValue(rnd: () => number, f: CombinedField): string {
  const k = f.key.toLowerCase();
  if (f.options && f.options.length > 0) return pick(rnd, f.options).value;
  if (f.type === 'date' || k.endsWith('date')) return `2026-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)}`;
  if (k.includes('idnumber')) return `371425${1960 + Math.floor(rnd() * 40)}0${1 + Math.floor(rnd() * 9)}1${Math.floor(rnd() * 9)}${digits(rnd, 3)}X`;
  if (k.includes('phone')) return `1${pick(rnd, ['35', '38', '58', '86'])}${digits(rnd, 8)}`;
  if (k.includes('uscc')) return `91371425MA${digits(rnd, 7)}X`;
  if (k.includes('account')) return digits(rnd, 19);
  if (k.includes('address')) return `山东省德州市齐河县${pick(rnd, STREETS)}${1 + Math.floor(rnd() * 300)}号`;
  if (k.endsWith('name')) return `${pick(rnd, [...SURNAMES])}${pick(rnd, [...GIVEN])}${pick(rnd, [...GIVEN])}`;
  if (f.type === 'number' || k.includes('rate') || k.includes('area') || k.includes('amount')) return String(Math.floor(rnd() * 900) + 10);
  return `${f.label}：${pick(rnd, ['齐河县', '经济开发区', '晏城街道'])}${digits(rnd, 4)}`;
}

/**
 * Plans `count` cases. `withPage(i)` says which page (an index into the caller's pages) case i
 * attaches, or null for a case whose papers are all seen at the window (it gets a fourth material
 * mark instead, so every case has exactly MUTATIONS_PER_CASE mutations).
 */
export function planCases(count: number, seed: number, withPage: (i: number) => number | null): CasePlan[] {
  const catalog = benchCatalog();
  const rnd = prng(seed);
  const subjects: CaseSubject[] = [
    ...[...catalog.matters.keys()].map((code) => ({ kind: 'matter' as const, code })),
    ...[...catalog.bundles.keys()].map((code) => ({ kind: 'bundle' as const, code })),
  ];
  const plans: CasePlan[] = [];
  while (plans.length < count) {
    const subject = pick(rnd, subjects);
    const answers: Record<string, string> = {};
    for (const s of subjectSituations(subject, catalog)) answers[s.id] = pick(rnd, s.answers).id;
    const res = resolveCase(subject, answers, catalog);
    const asked = res.materials.filter((m) => m.producedBy === undefined);
    if (asked.length < 4 || res.fields.length < 6) continue; // too small a matter to show a full case
    const materials = asked.slice(0, 4).map((m) => m.id);
    const fields = res.fields;
    const form = (from: number, to: number): WindowCaseAction => ({
      type: 'form_saved',
      values: Object.fromEntries(fields.slice(from, to).map((f) => [f.key, fieldValue(rnd, f)])),
    });
    const half = Math.ceil(fields.length / 2);
    const page = withPage(plans.length);
    const steps: Step[] = [
      { kind: 'case', action: { type: 'situations_answered', answers } },
      { kind: 'case', action: form(0, half) },
      { kind: 'case', action: { type: 'material_marked', materialId: materials[0]!, status: 'present' } },
      { kind: 'case', action: { type: 'material_marked', materialId: materials[1]!, status: 'present', note: '原件已核验' } },
      { kind: 'case', action: { type: 'material_marked', materialId: materials[2]!, status: rnd() < 0.2 ? 'commitment' : 'present' } },
      page === null
        ? { kind: 'case', action: { type: 'material_marked', materialId: materials[3]!, status: 'present' } }
        : { kind: 'attach', materialId: materials[3]!, page },
      { kind: 'case', action: form(half, fields.length) },
      { kind: 'audit' },
      {
        kind: 'case',
        action: { type: 'accepted', matters: res.matters.map((m) => m.code), promisedDate: '2026-12-15', overrides: [] },
      },
    ];
    plans.push({ subject, title: subjectTitle(subject, catalog), steps });
  }
  return plans;
}
