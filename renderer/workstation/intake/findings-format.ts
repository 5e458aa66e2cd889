import type { CaseView, FindingSourceView, FindingView } from '../../../shared/case/view.js';
import { formatClock } from '../../common/format.js';

/**
 * How the comparison checks' findings read at the window (智能比对): grouped by severity and rule,
 * each compared value with where it came from in the clerk's words, and the written reasons that
 * let a warning through at 受理. Pure; the panel (FindingsPanel.tsx) only draws it.
 */

export type Severity = FindingView['severity'];

/** One rule's findings (a rule may find more than one thing; a warning is overridden once per rule). */
export interface FindingGroup {
  ruleId: string;
  severity: Severity;
  findings: FindingView[];
  /** The reason the clerk gave at 受理 (accepted cases), if any. */
  overriddenReason: string | null;
}

export interface GroupedFindings {
  blocking: FindingGroup[];
  warning: FindingGroup[];
  info: FindingGroup[];
}

export const SEVERITY_TITLE: Record<Severity, string> = {
  blocking: '不可受理的原因',
  warning: '提醒（须纠正，或说明理由后忽略）',
  info: '供参考',
};

/** Findings by severity, each rule once, in the order the backend gave them. */
export function groupFindings(findings: readonly FindingView[]): GroupedFindings {
  const out: GroupedFindings = { blocking: [], warning: [], info: [] };
  const byKey = new Map<string, FindingGroup>();
  for (const f of findings) {
    const key = `${f.severity}\u0000${f.ruleId}`;
    let g = byKey.get(key);
    if (!g) {
      g = { ruleId: f.ruleId, severity: f.severity, findings: [], overriddenReason: null };
      byKey.set(key, g);
      out[f.severity].push(g);
    }
    g.findings.push(f);
    if (f.overridden && g.overriddenReason === null) g.overriddenReason = f.overridden.reason;
  }
  return out;
}

/** Where on the screen a source can be shown: the form field, or the material in the checklist. */
export type SourceTarget = { kind: 'field'; key: string } | { kind: 'material'; id: string } | null;

/**
 * Rules whose findings compare values (shown as cards, with the evidence) and those that only say
 * what is missing (缺少材料 / 必填未填: one dense line each, the checklist and the form show the rest).
 */
export function splitByEvidence(groups: readonly FindingGroup[]): { detailed: FindingGroup[]; brief: FindingGroup[] } {
  const brief = groups.filter((g) => g.findings.every((f) => f.values.length === 0));
  return { detailed: groups.filter((g) => !brief.includes(g)), brief };
}

/** What a finding is about on the screen: its form field if the form has it, else its material. */
export function findingTarget(f: Pick<FindingView, 'fieldKey' | 'materialId'>, view: Pick<CaseView, 'fields' | 'materials'>): SourceTarget {
  if (f.fieldKey && view.fields.some((x) => x.key === f.fieldKey)) return { kind: 'field', key: f.fieldKey };
  if (f.materialId && view.materials.some((x) => x.id === f.materialId)) return { kind: 'material', id: f.materialId };
  return null;
}

export interface SourceLabel {
  /** 表单「申请人姓名」 / 法定代表人身份证件 第1页 / 企业登记信息（大厅，缓存于 …，可能已过期） */
  text: string;
  /** More detail on hover (confidence, region, the file's name). */
  title: string;
  target: SourceTarget;
  stale: boolean;
}

const REGISTRY_NAME: Readonly<Record<string, string>> = { enterprise: '企业登记信息', certificates: '电子证照库', certificate: '电子证照库' };

/** "5月11日 08:59" in the hall's time zone; what the registry gave if it is not a date. */
export function formatFetchedAt(raw: string): string {
  const iso = /^\d{4}-\d{2}-\d{2} \d/.test(raw) ? `${raw.replace(' ', 'T')}+08:00` : raw;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return raw;
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric' }).formatToParts(new Date(ms));
  const p = Object.fromEntries(day.map((x) => [x.type, x.value]));
  return `${Number(p.month)}月${Number(p.day)}日 ${formatClock(ms)}`;
}

/** A compared value's source in the clerk's words, and where clicking it leads. */
export function sourceLabel(source: FindingSourceView, view: Pick<CaseView, 'fields' | 'materials'>): SourceLabel {
  switch (source.kind) {
    case 'form': {
      const field = view.fields.find((f) => f.key === source.key);
      const how = source.origin === 'extracted' ? '（识别填入）' : '';
      return {
        text: `表单「${field?.label ?? source.key}」${how}`,
        title: field ? '点击定位到表单中的该项' : '该项不在当前表单中',
        target: field ? { kind: 'field', key: source.key } : null,
        stale: false,
      };
    }
    case 'page': {
      const m = view.materials.find((x) => x.id === source.materialId);
      const index = m ? m.attachments.findIndex((a) => a.sha256 === source.sha256) : -1;
      const page = index >= 0 ? ` 第${index + 1}页` : '';
      const file = index >= 0 ? m!.attachments[index]!.name : null;
      const confidence = `识别置信度 ${Math.round(source.confidence * 100)}%`;
      return {
        text: `${m?.name ?? source.materialId}${page}`,
        title: [file ? `文件：${file}` : '页面已不在材料附件中', confidence].join('\n'),
        target: m ? { kind: 'material', id: m.id } : null,
        stale: false,
      };
    }
    case 'registry': {
      const name = REGISTRY_NAME[source.name] ?? source.name;
      const when = formatFetchedAt(source.fetchedAt);
      return {
        text: source.stale ? `${name}（大厅，缓存于 ${when}，可能已过期）` : `${name}（大厅，${when} 查询）`,
        title: source.stale ? '离线时使用本窗口缓存的查询结果，联网后自动刷新' : '经大厅服务器查询',
        target: null,
        stale: source.stale,
      };
    }
  }
}

/**
 * What a compared value is, beyond its source: the field of the document or registry answer
 * (申请表·法定代表人姓名 → nothing, the source names the form field; …身份证件·姓名 → 姓名栏).
 */
export function valueDetail(label: string, source: FindingSourceView): string | null {
  if (source.kind === 'form') return null;
  const what = (label.split('·').pop() ?? '').replace(/（离线缓存）$/, '').trim();
  if (!what || what === label) return null;
  return source.kind === 'page' ? `${what}栏` : what;
}

/** Shortest and longest written reason for letting a warning through (the case log takes 300). */
export const REASON_MIN = 4;
export const REASON_MAX = 300;

/** Why a reason is not enough yet (Chinese), or null. */
export function reasonProblem(reason: string): string | null {
  const n = Array.from(reason.trim()).length;
  if (n === 0) return '请写明忽略的理由';
  if (n < REASON_MIN) return `理由至少 ${REASON_MIN} 个字，请写清楚为何可以忽略`;
  if (n > REASON_MAX) return `理由不超过 ${REASON_MAX} 字`;
  return null;
}

/**
 * The overrides 受理 sends: one per current warning whose reason the clerk confirmed; `open`: the
 * warnings still to be fixed or given a reason. Reasons for warnings no longer found are dropped.
 */
export function acceptOverrides(
  findings: readonly FindingView[],
  confirmed: Readonly<Record<string, string>>,
): { overrides: Array<{ ruleId: string; reason: string }>; open: string[] } {
  const warnings = groupFindings(findings).warning.filter((g) => g.findings.some((f) => f.overridable));
  const overrides: Array<{ ruleId: string; reason: string }> = [];
  const open: string[] = [];
  for (const g of warnings) {
    const reason = confirmed[g.ruleId];
    if (reason !== undefined && reasonProblem(reason) === null) overrides.push({ ruleId: g.ruleId, reason: reason.trim() });
    else open.push(g.ruleId);
  }
  return { overrides, open };
}

/** The confirmed reasons that still name a current warning (a fixed warning needs none). */
export function keepCurrentReasons(findings: readonly FindingView[], confirmed: Readonly<Record<string, string>>): Record<string, string> {
  const current = new Set(findings.filter((f) => f.severity === 'warning').map((f) => f.ruleId));
  const kept = Object.fromEntries(Object.entries(confirmed).filter(([id]) => current.has(id)));
  return Object.keys(kept).length === Object.keys(confirmed).length ? (confirmed as Record<string, string>) : kept;
}

/** The line under the 受理 button about warnings: null when none is open. */
export function openWarningsLine(open: number): string | null {
  return open === 0 ? null : `${open} 条提醒须纠正或说明理由后方可受理`;
}
