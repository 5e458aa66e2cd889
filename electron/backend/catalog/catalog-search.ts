import { pinyin } from 'pinyin-pro';
import type { CatalogHit } from '../../../shared/case/view.js';
import { BOARDS, type Bundle, type CrossRegion } from '../../../shared/catalog/schema.js';
import type { CatalogIndex, Matter } from '../../../shared/catalog/validate.js';
import { toHalfWidth } from '../../../shared/checks/normalize-chars.js';

/**
 * Finding a matter (事项) or a bundle (一件事) at the window: by name, by code, by pinyin initials
 * (qykb → 企业开办, spjy → 食品经营许可) or full pinyin, and by the aliases applicants use (开饭店).
 *
 * Ranking, best first: exact code; exact name or alias; name / alias / initials starting with the
 * query; then containing it; full pinyin; a bundle before a matter at the same score (the bundle is
 * the usual way in); then the shorter name; then the code.
 *
 * Branch offices (开发区分中心, 县镇同权): a branch sees only the matters it may decide
 * (`branchMayDecide`) and the bundles every one of whose matters — those always included and those
 * any situation answer may add — it may decide, so a case opened there can never come to need a
 * matter the branch cannot accept. (Other matters a branch takes only as 代收代办, see case.open.)
 */

export type SubjectKind = 'matter' | 'bundle';

interface Entry {
  kind: SubjectKind;
  code: string;
  name: string;
  nameKey: string;
  initials: string;
  full: string;
  aliases: Array<{ key: string; initials: string }>;
  branch: boolean;
  hit: Omit<CatalogHit, 'matchedBy'>;
}

const MAX_HITS = 30;

/** Lower-case, half-width, without spaces and punctuation that carries no meaning for search. */
export function normalizeQuery(q: string): string {
  return toHalfWidth(q)
    .toLowerCase()
    .replace(/[\s·•（）()、，,。.\-_/]+/g, '');
}

function initialsOf(text: string): string {
  return pinyin(text, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

function fullPinyinOf(text: string): string {
  return pinyin(text, { toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export function crossRegionLabel(c: CrossRegion): string | null {
  if (c === null) return null;
  return typeof c === 'string' ? c : `${c.partnerCity}通办`;
}

export function boardName(board: string): string {
  return (BOARDS as Record<string, string>)[board] ?? board;
}

/** Every matter a bundle may include: the always-included ones, then those situation answers add. */
export function bundleMatterCodes(b: Bundle): string[] {
  const codes = [...b.matters];
  for (const s of b.situations) for (const a of s.answers) for (const c of a.matters) if (!codes.includes(c)) codes.push(c);
  return codes;
}

export function matterHit(m: Matter): Omit<CatalogHit, 'matchedBy'> {
  return {
    kind: 'matter',
    code: m.code,
    name: m.name,
    board: m.board,
    boardName: boardName(m.board),
    promisedDays: m.promisedDays,
    instantApproval: m.instantApproval,
    branchMayDecide: m.branchMayDecide,
    crossRegion: crossRegionLabel(m.crossRegion),
    matterCount: 1,
  };
}

export function bundleHit(b: Bundle, catalog: CatalogIndex): Omit<CatalogHit, 'matchedBy'> {
  const all = bundleMatterCodes(b).flatMap((c) => catalog.matters.get(c) ?? []);
  const always = b.matters.flatMap((c) => catalog.matters.get(c) ?? []);
  return {
    kind: 'bundle',
    code: b.id,
    name: b.name,
    board: b.board,
    boardName: boardName(b.board),
    // The longest promise of the matters always included (answers may add longer ones).
    promisedDays: always.length > 0 ? Math.max(...always.map((m) => m.promisedDays)) : null,
    instantApproval: always.length > 0 && always.every((m) => m.instantApproval),
    branchMayDecide: all.length > 0 && all.every((m) => m.branchMayDecide),
    crossRegion: null,
    matterCount: all.length,
  };
}

function entries(catalog: CatalogIndex): Entry[] {
  const out: Entry[] = [];
  const aliasKeys = (aliases: readonly string[]) => aliases.map((a) => ({ key: normalizeQuery(a), initials: initialsOf(a) }));
  for (const b of catalog.data.bundles) {
    const hit = bundleHit(b, catalog);
    out.push({ kind: 'bundle', code: b.id, name: b.name, nameKey: normalizeQuery(b.name), initials: initialsOf(b.name), full: fullPinyinOf(b.name), aliases: [], branch: hit.branchMayDecide, hit });
  }
  for (const m of catalog.data.matters) {
    out.push({
      kind: 'matter',
      code: m.code,
      name: m.name,
      nameKey: normalizeQuery(m.name),
      initials: initialsOf(m.name),
      full: fullPinyinOf(m.name),
      aliases: aliasKeys(m.aliases),
      branch: m.branchMayDecide,
      hit: matterHit(m),
    });
  }
  return out;
}

/** Search entries per catalog index (pinyin is computed once per catalog). */
const cache = new WeakMap<CatalogIndex, Entry[]>();
function entriesOf(catalog: CatalogIndex): Entry[] {
  let e = cache.get(catalog);
  if (!e) cache.set(catalog, (e = entries(catalog)));
  return e;
}

function score(e: Entry, q: string): { score: number; by: string } | null {
  const code = e.code.toLowerCase();
  let best: { score: number; by: string } | null = null;
  const take = (s: number, by: string) => {
    if (!best || s > best.score) best = { score: s, by };
  };
  if (code === q) take(100, '编码');
  else if (q.length >= 3 && code.replace(/-/g, '').includes(q)) take(60, '编码');
  if (e.nameKey === q) take(95, '名称');
  else if (e.nameKey.startsWith(q)) take(85, '名称');
  else if (e.nameKey.includes(q)) take(70, '名称');
  for (const a of e.aliases) {
    if (a.key === q) take(90, '别名');
    else if (a.key.startsWith(q)) take(75, '别名');
    else if (a.key.includes(q)) take(62, '别名');
  }
  if (/^[a-z]+$/.test(q)) {
    if (e.initials === q) take(88, '拼音首字母');
    else if (e.initials.startsWith(q)) take(80, '拼音首字母');
    else if (q.length >= 2 && e.initials.includes(q)) take(58, '拼音首字母');
    if (q.length >= 2) {
      for (const a of e.aliases) if (a.initials.startsWith(q)) take(56, '别名拼音首字母');
    }
    if (q.length >= 3) {
      if (e.full.startsWith(q)) take(78, '拼音');
      else if (e.full.includes(q)) take(55, '拼音');
    }
  }
  return best;
}

export interface SearchOptions {
  /** The signed-in office is a branch (开发区分中心): only what it may decide. */
  branch: boolean;
  limit?: number;
}

/** Matters and bundles matching `query`, best first (see the ranking above). An empty query lists the bundles. */
export function searchCatalog(catalog: CatalogIndex, query: string, opts: SearchOptions): CatalogHit[] {
  const q = normalizeQuery(query);
  const visible = entriesOf(catalog).filter((e) => !opts.branch || e.branch);
  if (q === '') return visible.filter((e) => e.kind === 'bundle').map((e) => ({ ...e.hit, matchedBy: '一件事' }));
  const hits: Array<{ e: Entry; score: number; by: string }> = [];
  for (const e of visible) {
    const s = score(e, q);
    if (s) hits.push({ e, ...s });
  }
  hits.sort(
    (a, b) =>
      b.score - a.score ||
      (a.e.kind === b.e.kind ? 0 : a.e.kind === 'bundle' ? -1 : 1) ||
      a.e.name.length - b.e.name.length ||
      a.e.code.localeCompare(b.e.code),
  );
  return hits.slice(0, opts.limit ?? MAX_HITS).map((h) => ({ ...h.e.hit, matchedBy: h.by }));
}

/** Whether an office (branch or not) may decide a matter or a bundle itself. */
export function mayDecide(catalog: CatalogIndex, kind: SubjectKind, code: string, branch: boolean): boolean {
  if (!branch) return true;
  return entriesOf(catalog).some((e) => e.kind === kind && e.code === code && e.branch);
}
