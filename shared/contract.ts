import { z } from 'zod';
import { BoardCode, HoldKind, StaffId, WindowId } from './queue/types.js';
import { StaffView, WindowPanel, WindowView } from './hall/views.js';
import { CaseMethods } from './case/contract.js';
import { CaptureEvents, CaptureMethods } from './case/capture-contract.js';
import { CaseDocumentMethods } from './case/document-contract.js';
import { DashboardMethods } from './dashboard/contract.js';
import { SealMethods } from './certificates/seal-contract.js';
import { method } from './contract-method.js';

export { method };

/**
 * The workstation contract: every method the renderer may call on its backend and every event the
 * backend pushes. The same handler map is served over Electron IPC (main.ts) and over the browser
 * bridge (electron/backend/bridge), and both sides validate with these schemas.
 */
const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

export const ConnectionStatus = z.object({
  online: z.boolean(),
  /** When the current state began (epoch ms, workstation clock). */
  since: z.number(),
  hallUrl: z.string().nullable(),
  /** hall clock − workstation clock, ms; null until measured. */
  clockOffsetMs: z.number().nullable(),
  lastError: z.string().nullable(),
});
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

export const SyncStatus = z.object({
  pending: z.number().int(),
  oldestPendingAt: z.number().nullable(),
  lastSuccessAt: z.number().nullable(),
  parked: z.array(z.object({ mutationId: z.number(), summary: z.string(), reason: z.string(), at: z.number() })),
  /** When the last pull from the hall was applied (workstation clock); null before the first. */
  lastPullAt: z.number().nullable().optional(),
  /** The hall's ticket-log sequence the window's replica has caught up to. */
  pullCursor: z.number().int().nonnegative().optional(),
  /** Attachments (pages, PDFs) stored here that the hall has not confirmed yet, and their total size. */
  pendingAttachments: z.number().int().nonnegative().optional(),
  pendingAttachmentBytes: z.number().int().nonnegative().optional(),
  /** A message about the hall itself, e.g. its database was restored and this window is re-sending. */
  hallNotice: z.string().nullable().optional(),
  /** The hall no longer knows this workstation (its database was wiped): it must be enrolled again. */
  unknownToHall: z.boolean().optional(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const DeviceStatus = z.object({
  enrolled: z.boolean(),
  deviceName: z.string().nullable(),
  office: z.string().nullable(),
  officeName: z.string().nullable(),
  hallUrl: z.string().nullable(),
  embeddedHall: z.boolean(),
  windows: z.array(WindowView),
  /** The window this workstation usually stands at; the sign-in form preselects it. */
  windowId: z.string().nullable(),
  publicPages: z.object({ kiosk: z.string(), display: z.string(), evaluator: z.string() }).nullable(),
});
export type DeviceStatus = z.infer<typeof DeviceStatus>;

/** `window` null: signed in without a window's seat (值班登录, supervisors and administrators). */
export const Session = z.object({ staff: StaffView, window: WindowView.nullable(), signedInAt: z.number() });
export type Session = z.infer<typeof Session>;

/** The queue panel as the window shows it: the hall's view plus what only this window knows. */
export const PanelState = z.object({
  session: Session.nullable(),
  connection: ConnectionStatus,
  sync: SyncStatus,
  /** Last panel received from the hall server (while offline: the last one, with local changes applied). */
  panel: WindowPanel.nullable(),
  canCallNext: z.boolean(),
  callBlockedReason: z.string().nullable(),
});
export type PanelState = z.infer<typeof PanelState>;


export const Contract = {
  'device.status': method(Empty, DeviceStatus, { session: false }),
  'device.enroll': method(
    z.object({ hallUrl: z.string().url().max(200), code: z.string().max(20), deviceName: z.string().min(1).max(60) }).strict(),
    DeviceStatus,
    { session: false },
  ),
  'session.signIn': method(
    z.object({ staffId: StaffId, pin: z.string().regex(/^\d{4,8}$/, 'PIN 为 4–8 位数字'), windowId: WindowId.optional() }).strict(),
    PanelState,
    { session: false },
  ),
  'session.signOut': method(Empty, Ok, { session: true }),
  'queue.state': method(Empty, PanelState, { session: false }),
  'queue.callNext': method(Empty, PanelState, { session: true }),
  'queue.recall': method(Empty, PanelState, { session: true }),
  'queue.noShow': method(Empty, PanelState, { session: true }),
  /** 重新排队: the called applicant goes back to the end of the board's line (e.g. to fill in a form). */
  'queue.recycle': method(Empty, PanelState, { session: true }),
  'queue.start': method(Empty, PanelState, { session: true }),
  'queue.hold': method(z.object({ kind: HoldKind, note: z.string().max(200).optional() }).strict(), PanelState, { session: true }),
  'queue.resume': method(z.object({ ticketId: z.string().min(1).max(64) }).strict(), PanelState, { session: true }),
  'queue.transfer': method(
    z.object({ toBoard: BoardCode, toWindowId: WindowId.optional(), position: z.enum(['front', 'back']) }).strict(),
    PanelState,
    { session: true },
  ),
  'queue.finish': method(z.object({ caseNo: z.string().max(40).optional() }).strict(), PanelState, { session: true }),
  'queue.pause': method(z.object({ reason: z.string().min(1).max(60) }).strict(), PanelState, { session: true }),
  'queue.unpause': method(Empty, PanelState, { session: true }),
  'sync.retryParked': method(Empty, PanelState, { session: true }),
  ...CaseMethods,
  ...CaptureMethods,
  ...CaseDocumentMethods,
  ...DashboardMethods,
  ...SealMethods, // 印章设置, admin only
} as const;

export type MethodName = keyof typeof Contract;
export type MethodInput<M extends MethodName> = z.input<(typeof Contract)[M]['input']>;
export type MethodOutput<M extends MethodName> = z.infer<(typeof Contract)[M]['output']>;

export const Events = {
  /** The panel changed (hall event, local action, connection or sync change). */
  'queue.state': PanelState,
  ...CaptureEvents, // a scanned page arrived
} as const;
export type EventName = keyof typeof Events;
export type EventPayload<E extends EventName> = z.infer<(typeof Events)[E]>;

/** Envelope of every invoke over IPC and the bridge. */
export type InvokeResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** The only thing the renderer sees: `window.onewindow`. */
export interface OneWindowApi {
  invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<InvokeResult<MethodOutput<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export const IPC_INVOKE_CHANNEL = 'onewindow:invoke';
export const IPC_EVENT_CHANNEL = 'onewindow:event';
