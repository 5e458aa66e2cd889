import type { PanelState, SyncStatus } from '../../shared/contract.js';
import type { TicketView } from '../../shared/hall/views.js';
import { NEEDS_HALL } from '../../shared/hall/api.js';
import { ALLOWED_FROM } from '../../shared/queue/ticket-reducer.js';
import { formatAgo, formatMegabytes } from '../common/format.js';

/**
 * What the buttons of the queue panel may do right now. The rules themselves live in the shared
 * reducer (ALLOWED_FROM) and in the backend (canCallNext); this only reads them.
 */
export type TicketCommand = 'recall' | 'noShow' | 'recycle' | 'start' | 'hold' | 'transfer' | 'finish';

const ACTION_OF: Record<TicketCommand, keyof typeof ALLOWED_FROM> = {
  recall: 'recalled',
  noShow: 'no_show',
  recycle: 'recycled',
  start: 'started',
  hold: 'held',
  transfer: 'transferred',
  finish: 'finished',
};

/** Whether a command fits the current ticket's status, and (for NEEDS_HALL actions) the connection. */
export function commandEnabled(cmd: TicketCommand, current: TicketView | null | undefined, online: boolean): boolean {
  if (!current) return false;
  const action = ACTION_OF[cmd];
  if (!online && (NEEDS_HALL as ReadonlySet<string>).has(action)) return false;
  return ALLOWED_FROM[action].includes(current.status);
}

/** The hall's clock as this window best knows it. */
export function hallNow(state: Pick<PanelState, 'connection'>, localNow: number): number {
  return localNow + (state.connection.clockOffsetMs ?? 0);
}

/** Whether 叫号 is possible now, and if not, the reason to show next to the button. */
export function callNextAvailability(state: PanelState, localNow: number): { enabled: boolean; reason: string | null } {
  if (!state.canCallNext) return { enabled: false, reason: state.callBlockedReason ?? '暂时不能叫号。' };
  const allowedAt = state.panel?.nextCallAllowedAt ?? 0;
  const wait = allowedAt - hallNow(state, localNow);
  if (wait > 0) return { enabled: false, reason: `两次叫号间隔过短，请 ${Math.ceil(wait / 1000)} 秒后再叫号。` };
  return { enabled: true, reason: null };
}

/** Since when the current ticket's clock runs, and what that time means. */
export function ticketClock(t: TicketView): { label: string; since: number } | null {
  if (t.status === 'HELD' && t.hold) return { label: '已挂起', since: t.hold.since };
  if (t.status === 'SERVING' && t.startedAt !== null) return { label: '已办理', since: t.startedAt };
  if (t.status === 'CALLED' && t.calledAt !== null) return { label: '已呼叫', since: t.calledAt };
  return null;
}

/** Whole minutes between the workstation's and the hall's clocks, when worth a warning (≥ 1 min). */
export function clockSkewMinutes(offsetMs: number | null): number | null {
  if (offsetMs === null) return null;
  const min = Math.round(Math.abs(offsetMs) / 60_000);
  return min >= 1 ? min : null;
}

/**
 * The header's sync pill: "已全部上传", or what waits — "待上传 3 条，附件 2 个（0.4 MB），最早 25 秒前" —
 * with the age (seconds) of the oldest pending entry, null when none waits.
 */
export function syncSummary(sync: SyncStatus, localNow: number): { text: string; idle: boolean; oldestAgeS: number | null } {
  const files = sync.pendingAttachments ?? 0;
  const oldestAgeS = sync.pending > 0 && sync.oldestPendingAt !== null ? Math.max(0, Math.floor((localNow - sync.oldestPendingAt) / 1000)) : null;
  if (sync.pending === 0 && files === 0) return { text: '已全部上传', idle: true, oldestAgeS: null };
  const parts: string[] = [];
  const attachments = files > 0 ? `附件 ${files} 个（${formatMegabytes(sync.pendingAttachmentBytes ?? 0)}）` : null;
  if (sync.pending > 0) {
    parts.push(`待上传 ${sync.pending} 条`);
    if (attachments) parts.push(attachments);
  } else if (attachments) {
    parts.push(`待上传${attachments}`);
  }
  if (oldestAgeS !== null) parts.push(`最早 ${formatAgo(localNow - sync.oldestPendingAt!)}`);
  return { text: parts.join('，'), idle: false, oldestAgeS };
}
