import { z } from 'zod';
import { HoldKind, Priority, TicketStatus, type TicketState } from '../queue/types.js';
import { Role } from '../office/config.js';

/** What a window, kiosk, display or evaluator sees of a ticket. Tickets never carry personal names. */
export const TicketView = z.object({
  ticketId: z.string(),
  number: z.string(),
  office: z.string(),
  board: z.string(),
  boardName: z.string(),
  status: TicketStatus,
  priority: Priority,
  issuedAt: z.number(),
  queuedAt: z.number(),
  calledAt: z.number().nullable(),
  startedAt: z.number().nullable(),
  windowId: z.string().nullable(),
  recallCount: z.number(),
  recallLimit: z.number(),
  hold: z.object({ kind: HoldKind, since: z.number(), windowId: z.string().nullable(), note: z.string().nullable() }).nullable(),
  holdMs: z.number(),
  transferTo: z.object({ board: z.string(), windowId: z.string().nullable() }).nullable(),
  appointmentSlot: z.number().nullable(),
});
export type TicketView = z.infer<typeof TicketView>;

/** A ticket's state as windows, kiosks and displays see it: no personal data, null instead of undefined. */
export function toTicketView(t: TicketState, boardName: string): TicketView {
  return {
    ticketId: t.ticketId,
    number: t.number,
    office: t.office,
    board: t.board,
    boardName,
    status: t.status,
    priority: t.priority,
    issuedAt: t.issuedAt,
    queuedAt: t.queuedAt,
    calledAt: t.calledAt ?? null,
    startedAt: t.startedAt ?? null,
    windowId: t.windowId ?? null,
    recallCount: t.recallCount,
    recallLimit: t.recallLimit,
    hold: t.hold ? { kind: t.hold.kind, since: t.hold.since, windowId: t.hold.windowId ?? null, note: t.hold.note ?? null } : null,
    holdMs: t.holdMs,
    transferTo: t.transferTo ? { board: t.transferTo.board, windowId: t.transferTo.windowId ?? null } : null,
    appointmentSlot: t.appointment?.slotStart ?? null,
  };
}

export const BoardSummary = z.object({
  code: z.string(),
  name: z.string(),
  waiting: z.number().int(),
  /** Whole minutes; null when no window serves the board now. */
  estimateMinutes: z.number().int().nullable(),
  longestWaitMs: z.number(),
  effectiveWindows: z.number(),
});
export type BoardSummary = z.infer<typeof BoardSummary>;

export const WindowStatus = z.enum(['closed', 'open', 'paused']);
export type WindowStatus = z.infer<typeof WindowStatus>;

export const WindowView = z.object({
  id: z.string(),
  no: z.number(),
  name: z.string(),
  boards: z.array(z.object({ board: z.string(), weight: z.number() })),
  status: WindowStatus,
  pauseReason: z.string().nullable(),
  staffId: z.string().nullable(),
  staffName: z.string().nullable(),
});
export type WindowView = z.infer<typeof WindowView>;

export const StaffView = z.object({ id: z.string(), name: z.string(), office: z.string(), roles: z.array(Role) });
export type StaffView = z.infer<typeof StaffView>;

/** Everything the queue panel of one window shows, as the hall server sees it. */
export const WindowPanel = z.object({
  serverNow: z.number(),
  window: WindowView,
  boards: z.array(BoardSummary),
  current: TicketView.nullable(),
  /** Held tickets this window may resume (its boards; 持件 only at the window that holds the papers). */
  resumable: z.array(TicketView),
  transferTargets: z.object({
    boards: z.array(z.object({ code: z.string(), name: z.string() })),
    windows: z.array(z.object({ id: z.string(), no: z.number(), name: z.string(), open: z.boolean() })),
  }),
  nextCallAllowedAt: z.number(),
});
export type WindowPanel = z.infer<typeof WindowPanel>;

export const IssuedTicket = z.object({
  ticketId: z.string(),
  number: z.string(),
  office: z.string(),
  officeName: z.string(),
  board: z.string(),
  boardName: z.string(),
  priority: Priority,
  issuedAt: z.number(),
  ahead: z.number().int(),
  estimateMinutes: z.number().int().nullable(),
});
export type IssuedTicket = z.infer<typeof IssuedTicket>;

export const CallRecord = z.object({
  ticketId: z.string(),
  number: z.string(),
  windowNo: z.number(),
  windowName: z.string(),
  at: z.number(),
  recall: z.boolean(),
});
export type CallRecord = z.infer<typeof CallRecord>;

export const OfficePublic = z.object({
  office: z.string(),
  name: z.string(),
  hallName: z.string(),
  serverNow: z.number(),
  boards: z.array(BoardSummary),
  recentCalls: z.array(CallRecord),
});
export type OfficePublic = z.infer<typeof OfficePublic>;

/** A finished service waiting for the applicant's rating on the window's evaluator. */
export const RatingRequest = z.object({
  ticketId: z.string(),
  number: z.string(),
  windowId: z.string(),
  windowName: z.string(),
  staffName: z.string(),
  ratingToken: z.string(),
  finishedAt: z.number(),
});
export type RatingRequest = z.infer<typeof RatingRequest>;
