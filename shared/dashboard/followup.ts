import { z } from 'zod';
import type { TicketState } from '../queue/types.js';
import { TicketRef } from './ticket-ref.js';

/**
 * The weekly follow-up list (回访): every service of the week rated 不满意 or 非常不满意, plus a fixed
 * sample of the week's other finished services. The sample is chosen by a hash of the ticket id, so
 * the list is a pure function of the ticket log (the same list whoever opens it, whenever), and a
 * service already called back stays on the list whatever arrives later.
 */
export const FOLLOWUP_SAMPLE_SIZE = 20;

export const FollowupOutcome = z.enum(['reached', 'unreachable', 'declined']);
export type FollowupOutcome = z.infer<typeof FollowupOutcome>;
export const FOLLOWUP_OUTCOME_LABEL: Record<FollowupOutcome, string> = {
  reached: '已回访',
  unreachable: '无法联系',
  declined: '拒绝回访',
};

export const FollowupReason = z.enum(['low_rating', 'sample']);
export type FollowupReason = z.infer<typeof FollowupReason>;
export const FOLLOWUP_REASON_LABEL: Record<FollowupReason, string> = { low_rating: '差评回访', sample: '抽样回访' };

/** The latest call-back of one service, as recorded by the supervisor. */
export const FollowupRecord = z.object({
  outcome: FollowupOutcome,
  satisfaction: z.number().int().min(1).max(5).nullable(),
  note: z.string(),
  at: z.number(),
  staffId: z.string(),
  staffName: z.string(),
});
export type FollowupRecord = z.infer<typeof FollowupRecord>;

export const FollowupRow = TicketRef.extend({
  finishedAt: z.number(),
  caseNo: z.string().nullable(),
  reason: FollowupReason,
  rating: z.number().int().nullable(),
  ratingReason: z.string().nullable(),
  record: FollowupRecord.nullable(),
});
export type FollowupRow = z.infer<typeof FollowupRow>;

export const FollowupList = z.object({
  office: z.string(),
  week: z.string(),
  weekEnd: z.string(),
  rows: z.array(FollowupRow),
  recorded: z.number().int(),
});
export type FollowupList = z.infer<typeof FollowupList>;

/** FNV-1a, 32 bits: a stable, well-spread number per ticket id. */
export function stableHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Which finished services of a week are called back, and why: low ratings first (oldest first), then
 * the sample in hash order, then services called back that are neither (kept once recorded).
 */
export function selectFollowups(
  week: readonly TicketState[],
  recorded: ReadonlySet<string>,
  sampleSize = FOLLOWUP_SAMPLE_SIZE,
): Array<{ ticket: TicketState; reason: FollowupReason }> {
  const done = week.filter((t) => t.status === 'DONE');
  const low = done.filter((t) => t.rating !== undefined && t.rating.level <= 2).sort((a, b) => a.finishedAt! - b.finishedAt! || cmp(a.ticketId, b.ticketId));
  const lowIds = new Set(low.map((t) => t.ticketId));
  const rest = done.filter((t) => !lowIds.has(t.ticketId)).map((t) => ({ t, h: stableHash(t.ticketId) }));
  rest.sort((a, b) => a.h - b.h || cmp(a.t.ticketId, b.t.ticketId));
  const sample = rest.slice(0, sampleSize).map((x) => x.t);
  const sampled = new Set(sample.map((t) => t.ticketId));
  const kept = rest.filter((x) => !sampled.has(x.t.ticketId) && recorded.has(x.t.ticketId)).map((x) => x.t);
  return [...low.map((ticket) => ({ ticket, reason: 'low_rating' as const })), ...[...sample, ...kept].map((ticket) => ({ ticket, reason: 'sample' as const }))];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
