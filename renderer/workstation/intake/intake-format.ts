import type { MaterialStatus } from '../../../shared/case/types.js';
import type { CaseSummary, CaseView, FieldView, MaterialView } from '../../../shared/case/view.js';

/** Small pure helpers of the intake screens (labels, masks, what the checklist may offer). */

/** 承诺时限 as the clerk reads it: "即办", "5 个工作日", or "—" when the catalog has none. */
export function promisedLabel(days: number | null): string {
  if (days === null) return '—';
  if (days <= 0) return '即办';
  return `${days} 个工作日`;
}

/** The case number with what it is: an official 受理编号, or a provisional one still waiting for the hall. */
export function caseNoLabel(s: Pick<CaseSummary, 'caseNo' | 'official'>): { kind: string; no: string; waiting: boolean } {
  return s.official ? { kind: '受理编号', no: s.caseNo, waiting: false } : { kind: '临时编号', no: s.caseNo, waiting: true };
}

export const FORM_LABEL: Record<MaterialView['form'], string> = {
  original: '原件',
  copy: '复印件',
  original_and_copy: '原件和复印件',
};
export const CARRIER_LABEL: Record<MaterialView['carrier'], string> = {
  paper: '纸质',
  electronic: '电子',
  either: '纸质或电子',
};

/**
 * The statuses the checklist offers for a material: 容缺后补 only where the catalog allows it,
 * 告知承诺 only where a signed commitment may replace it, 无需提供 only for an optional one.
 * The current status is always offered (so a select never shows something it cannot hold).
 */
export function statusChoices(m: Pick<MaterialView, 'status' | 'requirement' | 'mayBeSupplementedLater' | 'mayBeReplacedByCommitment'>): MaterialStatus[] {
  const out: MaterialStatus[] = ['present', 'missing'];
  if (m.mayBeSupplementedLater) out.push('supplement_later');
  if (m.mayBeReplacedByCommitment) out.push('commitment');
  if (m.requirement === 'optional') out.push('not_needed');
  if (!out.includes(m.status)) out.push(m.status);
  return out;
}

/**
 * "用于：企业名称自主申报、有限责任公司设立登记" — the first `max` matter names, then "等 N 个事项";
 * empty when the case has a single matter (nothing to tell apart).
 */
export function neededByHint(names: readonly string[], matterCount: number, max = 3): string {
  if (names.length === 0 || matterCount <= 1) return '';
  if (names.length === matterCount && matterCount > max) return `用于：全部 ${matterCount} 个事项`;
  if (names.length <= max) return `用于：${names.join('、')}`;
  return `用于：${names.slice(0, max).join('、')} 等 ${names.length} 个事项`;
}

/** A file size for an attachment chip: "820 B", "12 KB", "1.4 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Which error to show under a field now: a wrong value at once; "required but empty" only once the
 * clerk has left the field or tried to accept, so a fresh form is not painted red.
 */
export function visibleError(field: Pick<FieldView, 'error' | 'value'>, shownValue: string, touched: boolean, showAll: boolean): string | null {
  if (!field.error) return null;
  if (shownValue !== field.value) return null; // not saved yet: the server's verdict is about an older value
  if (shownValue.trim() === '') return touched || showAll ? field.error : null;
  return field.error;
}

/**
 * The unsaved edits once a save of `sent` has been acknowledged: an edit made while the save was in
 * flight (a different value than the one sent) stays pending; the rest is now the server's value.
 */
export function settleEdits(edits: Readonly<Record<string, string>>, sent: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(edits)) if (!(k in sent) || sent[k] !== v) out[k] = v;
  return out;
}

/** ISO date `days` calendar days after `from` (YYYY-MM-DD, hall time zone), for a default 容缺 deadline. */
export function isoDatePlus(from: number, days: number, timeZone = 'Asia/Shanghai'): string {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return f.format(new Date(from + days * 86_400_000));
}

/**
 * The open case brought up to date with its line of today's list (official number, status, pending
 * count) without re-reading it (a re-read is an audited opening of personal data). The window's
 * outbox uploads in order, so when fewer actions are pending the oldest pending ones are the ones
 * the hall now has.
 */
export function withSummary(view: CaseView, s: CaseSummary): CaseView {
  const v = view.summary;
  if (v.caseNo === s.caseNo && v.official === s.official && v.status === s.status && v.pendingSync === s.pendingSync && v.applicant === s.applicant) return view;
  const pending = view.history.filter((e) => e.sync === 'pending').length;
  let nowSynced = Math.max(0, pending - s.pendingSync);
  const order = view.history.map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i);
  const synced = new Set<number>();
  for (const { e, i } of order) {
    if (nowSynced === 0) break;
    if (e.sync === 'pending') {
      synced.add(i);
      nowSynced -= 1;
    }
  }
  return { ...view, summary: { ...v, ...s }, history: view.history.map((e, i) => (synced.has(i) ? { ...e, sync: 'synced' as const } : e)) };
}

/** "2025-03-14" → "3月14日". */
export function shortDate(iso: string | null): string {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${Number(m[2])}月${Number(m[3])}日` : iso;
}

/**
 * A date as typed at the window, written the way the form stores it (YYYY-MM-DD):
 * "20350630", "2035/6/30", "2035.6.30", "2035年6月30日" → "2035-06-30". Anything else is left as
 * typed, for the form's check to explain.
 */
export function normalizeDateInput(raw: string): string {
  const s = raw.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  const loose = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s);
  const m = compact ?? loose;
  if (!m) return raw;
  return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
}
