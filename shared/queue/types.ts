import { z } from 'zod';

/** Board code within an office: a single upper-case letter (A 市场准入, B 社会事务, ...). */
export const BoardCode = z.string().regex(/^[A-Z]$/, 'board code must be one upper-case letter');
export const WindowId = z.string().regex(/^[a-z0-9-]{1,40}\/\d{1,3}$/, 'window id is "<office>/<number>"');
export const StaffId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/);
export const OfficeId = z.string().regex(/^[a-z0-9-]{1,40}$/);

export const TicketStatus = z.enum([
  'WAITING',
  'CALLED',
  'SERVING',
  'HELD',
  'TRANSFERRED',
  'RECYCLED',
  'DONE',
  'NO_SHOW',
  'CANCELLED',
]);
export type TicketStatus = z.infer<typeof TicketStatus>;

export const STATUS_LABEL: Record<TicketStatus, string> = {
  WAITING: '等待中',
  CALLED: '已呼叫',
  SERVING: '办理中',
  HELD: '已挂起',
  TRANSFERRED: '已转移待叫',
  RECYCLED: '重新排队',
  DONE: '已办结',
  NO_SHOW: '过号',
  CANCELLED: '已取消',
};

/** Statuses a window may call from the shared queue. */
export const CALLABLE: ReadonlySet<TicketStatus> = new Set(['WAITING', 'TRANSFERRED', 'RECYCLED']);

export const Priority = z.enum(['normal', 'green', 'appointment']);
export type Priority = z.infer<typeof Priority>;

/** 挂起 kinds: 不持件 (applicant leaves to fetch papers), 持件 (window keeps papers), 等待 (waits for a step). */
export const HoldKind = z.enum(['without_materials', 'with_materials', 'waiting']);
export type HoldKind = z.infer<typeof HoldKind>;
export const HOLD_KIND_LABEL: Record<HoldKind, string> = {
  without_materials: '不持件挂起',
  with_materials: '持件挂起',
  waiting: '等待挂起',
};

export const RatingLevel = z.number().int().min(1).max(5);
export const RATING_LABEL: Record<number, string> = {
  5: '非常满意',
  4: '满意',
  3: '基本满意',
  2: '不满意',
  1: '非常不满意',
};

export const Actor = z.object({
  kind: z.enum(['kiosk', 'clerk', 'evaluator', 'system']),
  staffId: StaffId.optional(),
  windowId: WindowId.optional(),
});
export type Actor = z.infer<typeof Actor>;

/** The actions a ticket can undergo. Each becomes one event in the ticket's append-only log. */
export const TicketAction = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('issued'),
    office: OfficeId,
    board: BoardCode,
    number: z.string().regex(/^[A-Z]{1,3}\d{3,4}$/),
    priority: Priority,
    appointment: z.object({ code: z.string().max(32), slotStart: z.number().int() }).optional(),
    recallLimit: z.number().int().min(0).max(10),
    orderKey: z.number(),
    businessDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    /**
     * The wait the kiosk told the applicant at issue, in whole minutes (the estimate of
     * shared/queue/estimate.ts); absent when no window served the board then, and on tickets
     * issued before it was recorded. The dashboard compares it with the real wait.
     */
    quotedWaitMinutes: z.number().int().nonnegative().optional(),
  }),
  z.object({ type: z.literal('called'), windowId: WindowId, staffId: StaffId }),
  z.object({ type: z.literal('recalled') }),
  z.object({ type: z.literal('started') }),
  z.object({ type: z.literal('no_show') }),
  z.object({ type: z.literal('recycled'), orderKey: z.number() }),
  z.object({ type: z.literal('held'), kind: HoldKind, note: z.string().max(200).optional() }),
  z.object({ type: z.literal('resumed'), windowId: WindowId, staffId: StaffId }),
  z.object({
    type: z.literal('transferred'),
    toBoard: BoardCode,
    toWindowId: WindowId.optional(),
    position: z.enum(['front', 'back']),
    orderKey: z.number(),
  }),
  z.object({ type: z.literal('finished'), caseNo: z.string().max(40).optional() }),
  z.object({ type: z.literal('cancelled'), reason: z.string().min(1).max(200) }),
  z.object({ type: z.literal('prioritised'), priority: z.literal('green') }),
  z.object({
    type: z.literal('rated'),
    level: RatingLevel,
    reason: z.string().max(300).optional(),
  }),
]);
export type TicketAction = z.infer<typeof TicketAction>;
export type TicketActionType = TicketAction['type'];

export const TicketEvent = z.object({
  /** Unique: "s<seq>" for events the hall server makes, "<clientId>:<mutationId>" for a window's. */
  eventId: z.string().min(1).max(80),
  ticketId: z.string().min(1).max(64),
  /** Epoch ms. For events made offline at a window the hall server clamps it into [previous event, arrival]. */
  at: z.number().int().nonnegative(),
  actor: Actor,
  action: TicketAction,
});
export type TicketEvent = z.infer<typeof TicketEvent>;

export interface HoldState {
  kind: HoldKind;
  since: number;
  windowId: string | undefined;
  note: string | undefined;
}

/** Current state of one ticket, computed from its log by `applyTicketEvent`. */
export interface TicketState {
  ticketId: string;
  office: string;
  number: string;
  /** The board whose line the ticket is in now (changes on transfer). */
  board: string;
  originalBoard: string;
  priority: Priority;
  appointment: { code: string; slotStart: number } | undefined;
  status: TicketStatus;
  businessDate: string;
  recallLimit: number;
  /** Position in its board's line: smaller is called first. */
  orderKey: number;
  issuedAt: number;
  /** When the ticket last entered a line (issue, transfer, recycle). */
  queuedAt: number;
  firstCalledAt: number | undefined;
  calledAt: number | undefined;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  closedAt: number | undefined;
  windowId: string | undefined;
  staffId: string | undefined;
  recallCount: number;
  noShowReason: 'skipped' | 'recall_limit' | undefined;
  hold: HoldState | undefined;
  /** Total time spent on hold, not counted against the clerk. */
  holdMs: number;
  holdCount: number;
  /** `holdMs` when the current service started, so service time excludes only this service's holds. */
  holdMsAtStart: number;
  transferTo: { board: string; windowId: string | undefined } | undefined;
  transferCount: number;
  caseNo: string | undefined;
  cancelReason: string | undefined;
  rating: { level: number; reason: string | undefined; at: number } | undefined;
  /** Serving time of the finished service, hold time excluded. */
  serviceMs: number | undefined;
  lastEventAt: number;
  eventCount: number;
}
