import { z } from 'zod';
import { AppError, describeIssues } from '../../../shared/errors.js';
import { face, unprintable } from './fonts.js';
import { BUILTIN_KEYS, type BuiltinKey, type FieldDeclaration, type Template } from './template-schema.js';

/**
 * Field values for a document, as the case supplies them: text, a list of lines (the materials of
 * a one-time notice), or rows (a table of missing materials with their requirement).
 */
export const FieldValue = z.union([z.string().max(5000), z.array(z.string().max(2000)).max(200), z.array(z.record(z.string(), z.string().max(2000))).max(200)]);
export type FieldValue = z.infer<typeof FieldValue>;
export const FieldValues = z.record(z.string().max(100), FieldValue);
export type FieldValues = z.infer<typeof FieldValues>;

export type Builtins = Record<BuiltinKey, string>;

/** Field values after resolution: every declared field present (optional ones possibly empty). */
export interface ResolvedFields {
  text: Map<string, string>;
  lists: Map<string, string[]>;
  rows: Map<string, Array<Record<string, string>>>;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/;
// C0/C1 controls except the line feed, and the bidi overrides that can disguise text.
const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/** `2026-05-01` → `2026年5月1日` (公文 dates are Arabic numerals without leading zeros). */
export function formatChineseDate(iso: string): string | null {
  const m = DATE.exec(iso);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return null;
  return `${y}年${mo}月${d}日`;
}

/** The calendar date of an instant in China (Asia/Shanghai), as `YYYY-MM-DD`. */
const CHINA_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

export function chinaDate(at: Date): string {
  return CHINA_DAY.format(at);
}

function clean(s: string): string {
  return s.replace(/\r\n?/g, '\n').normalize('NFC').trim();
}

function pick(decl: FieldDeclaration, input: FieldValues): FieldValue | undefined {
  const isEmpty = (v: FieldValue | undefined) => v === undefined || (typeof v === 'string' ? v.trim() === '' : v.length === 0);
  const direct = input[decl.key];
  if (!isEmpty(direct)) return direct;
  for (const k of decl.from ?? []) if (!isEmpty(input[k])) return input[k];
  return undefined;
}

/**
 * Checks and resolves the values for `template`. Refuses (AppError bad_request, nothing drawn):
 * a malformed payload; required fields left empty (all of them named at once); a value of the
 * wrong kind; a bad date; over-long text; control characters; characters no font can print.
 */
export function resolveFields(template: Template, rawInput: unknown, builtins: Builtins): ResolvedFields {
  const parsed = FieldValues.safeParse(rawInput);
  if (!parsed.success) {
    throw new AppError('bad_request', '证照字段数据格式有误，未出具文书。', describeIssues(parsed.error.issues));
  }
  const input = parsed.data;
  const out: ResolvedFields = { text: new Map(), lists: new Map(), rows: new Map() };
  const missing: string[] = [];
  const problems: string[] = [];
  const detail: string[] = [];
  const song = face('song');
  const checkText = (decl: FieldDeclaration, s: string) => {
    if (FORBIDDEN.test(s)) problems.push(`「${decl.label}」含有不可打印的控制字符`);
    if ([...s].length > decl.maxLength) problems.push(`「${decl.label}」超过 ${decl.maxLength} 个字`);
    const bad = unprintable(s, song);
    if (bad.length > 0) problems.push(`「${decl.label}」中的字符「${bad.join('')}」无法打印（字库中没有）`);
  };
  for (const decl of template.fields) {
    const v = pick(decl, input);
    if (v === undefined) {
      if (decl.required) missing.push(decl.label);
      if (decl.kind === 'list') out.lists.set(decl.key, []);
      else if (decl.kind === 'rows') out.rows.set(decl.key, []);
      else out.text.set(decl.key, '');
      continue;
    }
    if (decl.kind === 'text' || decl.kind === 'date') {
      if (typeof v !== 'string') {
        problems.push(`「${decl.label}」应为一段文字`);
        detail.push(`${decl.key}: expected a string`);
        continue;
      }
      let s = clean(v);
      if (decl.kind === 'date') {
        const d = formatChineseDate(s);
        if (d === null) {
          problems.push(`「${decl.label}」不是有效日期（应为 2026-05-01 的格式）`);
          continue;
        }
        s = d;
      }
      checkText(decl, s);
      out.text.set(decl.key, s);
    } else if (decl.kind === 'list') {
      const items = typeof v === 'string' ? v.split('\n') : v.every((x) => typeof x === 'string') ? (v as string[]) : null;
      if (items === null) {
        problems.push(`「${decl.label}」应为若干行文字`);
        continue;
      }
      const list = items.map(clean).filter((x) => x !== '');
      for (const item of list) checkText(decl, item);
      out.lists.set(decl.key, list);
    } else {
      if (typeof v === 'string' || !v.every((x) => typeof x === 'object')) {
        problems.push(`「${decl.label}」应为表格数据`);
        continue;
      }
      const rows = (v as Array<Record<string, string>>).map((r) => {
        const row: Record<string, string> = {};
        for (const [k, val] of Object.entries(r)) {
          if (decl.columns && !decl.columns.includes(k)) {
            problems.push(`「${decl.label}」含有未定义的栏目 ${k}`);
            continue;
          }
          row[k] = clean(val);
          checkText(decl, row[k]);
        }
        return row;
      });
      out.rows.set(decl.key, rows);
    }
  }
  if (missing.length > 0) {
    throw new AppError('bad_request', `缺少必填内容：${missing.join('、')}。请补全后再出具，未出具任何文书。`, `template ${template.id}: missing ${missing.join(', ')}`);
  }
  if (problems.length > 0) {
    throw new AppError('bad_request', `${[...new Set(problems)].join('；')}。请更正后再出具，未出具任何文书。`, `template ${template.id}: ${detail.join('; ') || 'invalid values'}`);
  }
  for (const k of BUILTIN_KEYS) out.text.set(k, builtins[k]);
  return out;
}
