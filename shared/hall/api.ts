import { z } from 'zod';
import { CaseAction, CaseEvent, CaseId } from '../case/types.js';
import { CalendarYear } from '../catalog/working-days.js';
import { DashboardApi } from '../dashboard/api.js';
import { RegistryApi } from './registry-api.js';
import { DocumentNumberApi } from './document-number-api.js';
import { OfficeConfig, Role } from '../office/config.js';
import { BoardCode, HoldKind, OfficeId, RatingLevel, StaffId, TicketEvent, WindowId } from '../queue/types.js';
import { CallRecord, IssuedTicket, OfficePublic, RatingRequest, StaffView, TicketView, WindowPanel, WindowView } from './views.js';

/**
 * The hall server's HTTP API, typed once here for the server and for every client.
 *
 * Auth levels:
 *  - public:  kiosk (取号), call display (叫号屏) and evaluator (评价器) pages; each route does one narrow thing
 *  - device:  an enrolled workstation (`Authorization: Bearer <device token>`)
 *  - session: an enrolled workstation with a signed-in clerk (`X-Session: <session token>` as well)
 * Errors: 4xx/5xx with `{ error: { code, message, detail? } }`, message in Chinese.
 */
export const MAX_BODY_BYTES = 256 * 1024;
export const MAX_PUSH_MUTATIONS = 200;

const Pin = z.string().regex(/^\d{4,8}$/, 'PIN is 4–8 digits');
const RequestId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/** Actions a window sends about a ticket it holds. The server adds what only it may decide (order keys). */
export const WindowTicketAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('recalled') }),
  z.object({ type: z.literal('started') }),
  z.object({ type: z.literal('no_show') }),
  z.object({ type: z.literal('recycled') }),
  z.object({ type: z.literal('held'), kind: HoldKind, note: z.string().max(200).optional() }),
  z.object({ type: z.literal('resumed') }),
  z.object({
    type: z.literal('transferred'),
    toBoard: BoardCode,
    toWindowId: WindowId.optional(),
    position: z.enum(['front', 'back']),
  }),
  z.object({ type: z.literal('finished'), caseNo: z.string().max(40).optional() }),
  z.object({ type: z.literal('cancelled'), reason: z.string().min(1).max(200) }),
]);
export type WindowTicketAction = z.infer<typeof WindowTicketAction>;

/**
 * Ticket actions a window may take only while it reaches the hall server: a recall must be announced
 * by the call display; a recycle, a transfer or a resume changes the shared lines. The others (start, no-show, hold,
 * finish, ...) are written to the window's outbox and uploaded later when offline.
 */
export const NEEDS_HALL: ReadonlySet<WindowTicketAction['type']> = new Set(['recalled', 'recycled', 'transferred', 'resumed']);

const MutationBase = {
  mutationId: z.number().int().positive(),
  windowId: WindowId,
  staffId: StaffId,
  /** The window's clock when the clerk acted; the server clamps it, order comes from the server. */
  at: z.number().int().nonnegative(),
};

/** One entry of a window's outbox. (clientId, mutationId) is applied exactly once, in mutationId order. */
export const TicketMutation = z.object({
  ...MutationBase,
  kind: z.literal('ticket_action'),
  ticketId: z.string().min(1).max(64),
  action: WindowTicketAction,
});
export type TicketMutation = z.infer<typeof TicketMutation>;

/**
 * A case action taken at a window (the hall adds `numbered` itself: official case numbers are the
 * hall's). `key` is the action's idempotency key in the case log.
 */
export const CaseMutation = z.object({
  ...MutationBase,
  kind: z.literal('case_action'),
  caseId: CaseId,
  key: z.string().min(8).max(64),
  action: CaseAction.refine((a) => a.type !== 'numbered', 'a window cannot number a case'),
});
export type CaseMutation = z.infer<typeof CaseMutation>;

/**
 * A record that a clerk opened a case's personal data (who, when, which case, from which window and
 * device): audit entries travel through the outbox like any other write, so none is lost offline.
 */
export const AuditMutation = z.object({
  ...MutationBase,
  kind: z.literal('audit'),
  caseId: CaseId,
  what: z.enum(['case.viewed', 'case.printed', 'case.exported']),
});
export type AuditMutation = z.infer<typeof AuditMutation>;

/**
 * A change of a workstation's settings that bears on what its documents can pass for — the office's
 * seal image and signing certificate (印章设置) — recorded at the window and sent to the hall's audit
 * trail like any other write. `windowId` is null when the administrator signed in without a window
 * (值班登录). Never the image, the certificate or its password: the certificate's fingerprint and
 * subject name it.
 */
export const SettingsAuditMutation = z.object({
  mutationId: z.number().int().positive(),
  kind: z.literal('settings_audit'),
  windowId: WindowId.nullable(),
  staffId: StaffId,
  at: z.number().int().nonnegative(),
  what: z.enum(['seal.imported', 'seal.removed']),
  officeId: OfficeId,
  fingerprint: z.string().max(128).nullable(),
  subject: z.string().max(300).nullable(),
});
export type SettingsAuditMutation = z.infer<typeof SettingsAuditMutation>;

export const Mutation = z.discriminatedUnion('kind', [TicketMutation, CaseMutation, AuditMutation, SettingsAuditMutation]);
export type Mutation = z.infer<typeof Mutation>;

export const MutationAck = z.object({
  mutationId: z.number().int(),
  status: z.enum(['applied', 'duplicate', 'failed']),
  reason: z.string().optional(),
  /** For a case's `opened` (or any later action of a case still unnumbered): the official case number the hall gave it. */
  caseNo: z.string().optional(),
});
export type MutationAck = z.infer<typeof MutationAck>;

/** Pull: page size when the window names none, and the most one page may hold. */
export const PULL_DEFAULT_LIMIT = 500;
export const PULL_MAX_LIMIT = 2000;

/** A non-negative integer from a query string ("42") or from a typed caller (42). */
const QueryInt = z
  .union([z.number(), z.string().regex(/^\d{1,15}$/, 'a whole number').transform(Number)])
  .pipe(z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER));

/**
 * Reference data a window keeps for its office: the office settings (boards, windows, policy) of
 * every office it may see — its own, and for the county hall also its branches' — and the staff of
 * those offices without any credential. `version` is a hash of the rest; the hall sends the whole
 * thing only when the window's copy has another version.
 */
export const PullReference = z.object({
  hallName: z.string(),
  timeZone: z.string(),
  offices: z.array(OfficeConfig),
  staff: z.array(z.object({ id: StaffId, name: z.string(), office: OfficeId, roles: z.array(Role) }).strict()),
});
export type PullReference = z.infer<typeof PullReference>;

/**
 * The matter catalog as the hall distributes it: the catalog directory's files (relative names such
 * as `matters/market.json`, parsed JSON), exactly what `validateCatalog` checks. The hall sends only a
 * catalog that passed validation; the window validates it again on arrival and keeps its previous copy
 * if it does not pass. The source form is about half the size of the resolved catalog.
 */
export const CatalogSource = z.object({
  files: z
    .array(z.object({ file: z.string().regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*\.json$/), data: z.unknown() }).strict())
    .min(1)
    .max(1000),
});
export type CatalogSource = z.infer<typeof CatalogSource>;

/** A reference-data version: a hash of what it versions. */
const ReferenceVersion = z.string().regex(/^[a-f0-9]{8,64}$/);

/** One ticket event of the hall's log, with its server sequence number (the only order that counts). */
export const PulledEvent = z.object({ seq: z.number().int().positive(), office: OfficeId, event: TicketEvent });
export type PulledEvent = z.infer<typeof PulledEvent>;

/** One case event of the hall's case log, with its own server sequence (the case cursor). */
export const PulledCaseEvent = z.object({ seq: z.number().int().positive(), office: OfficeId, event: CaseEvent });
export type PulledCaseEvent = z.infer<typeof PulledCaseEvent>;

/**
 * Where one of the hall's logs stands, so a window can tell whether its replica still belongs to it.
 * A mark is a short hash of the seq, id and content of the last event at or before a given seq: it changes
 * when the hall's log up to there is not the one the window pulled (a database restored from an
 * older backup that has taken new events since, or another database altogether).
 */
export const PullLogCheck = z.object({
  /** The log's latest seq. A window whose cursor is above it holds a replica of a log the hall no longer has. */
  lastSeq: z.number().int().nonnegative(),
  /** Mark of the last event at or before the asked cursor (null: none). */
  atCursor: z.string().max(64).nullable(),
  /** Mark of the last event at or before the page's next cursor (null: none). */
  atNext: z.string().max(64).nullable(),
});
export type PullLogCheck = z.infer<typeof PullLogCheck>;

/** The hall's identity and positions in a pull page (electron/backend/sync/hall-reset.ts checks them). */
export const PullHall = z.object({
  /** A random id created with the hall's database: another one means another (or a wiped) database. */
  epoch: z.string().min(8).max(64),
  tickets: PullLogCheck,
  cases: PullLogCheck,
  /**
   * The last mutation id the hall has applied for the `clientId` the window named in its pull (null
   * when it named none, or one not enrolled in its office). Below the window's own acknowledged ids,
   * the hall has lost acknowledged work.
   */
  lastApplied: z.number().int().nonnegative().nullable(),
});
export type PullHall = z.infer<typeof PullHall>;

export const PullPage = z.object({
  /** Events with seq > cursor that the device's office may see, in seq order. */
  events: z.array(PulledEvent),
  /** The cursor for the next pull: the last seq returned, or (when this page ends the log) the hall's latest seq. */
  nextCursor: z.number().int().nonnegative(),
  hasMore: z.boolean(),
  /** Version of the office reference data (`reference`). */
  referenceVersion: z.string(),
  /** Present only when the window's `referenceVersion` differs from the hall's. */
  reference: PullReference.nullable(),
  /**
   * The matter catalog and the holiday calendars, each versioned on its own (the same for every
   * office), each sent only when the window's version differs. A version is null only from a hall
   * without that data (older halls omit these fields: they default to null).
   */
  catalogVersion: ReferenceVersion.nullable().default(null),
  catalog: CatalogSource.nullable().default(null),
  calendarVersion: ReferenceVersion.nullable().default(null),
  calendars: z.array(CalendarYear).max(50).nullable().default(null),
  /**
   * Case events with case seq > caseCursor the office may see, in case-seq order (a separate log and
   * cursor from tickets). Older halls omit them.
   */
  caseEvents: z.array(PulledCaseEvent).default([]),
  nextCaseCursor: z.number().int().nonnegative().default(0),
  caseHasMore: z.boolean().default(false),
  serverNow: z.number(),
  /** The hall's identity and log positions; older halls omit it (nothing to check then). */
  hall: PullHall.optional(),
});
export type PullPage = z.infer<typeof PullPage>;

const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

function route<I extends z.ZodType, O extends z.ZodType>(r: {
  method: 'GET' | 'POST';
  path: string;
  auth: 'public' | 'device' | 'session';
  input: I;
  output: O;
}) {
  return r;
}

export const HallApi = {
  time: route({ method: 'GET', path: '/api/time', auth: 'public', input: Empty, output: z.object({ now: z.number() }) }),
  enroll: route({
    method: 'POST',
    path: '/api/enroll',
    auth: 'public',
    input: z.object({ code: z.string().regex(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/, 'code looks like ABCD-1234'), deviceName: z.string().min(1).max(60) }).strict(),
    output: z.object({
      deviceId: z.string(),
      deviceToken: z.string(),
      clientId: z.string(),
      office: z.string(),
      officeName: z.string(),
      windows: z.array(WindowView),
    }),
  }),
  officePublic: route({
    method: 'GET',
    path: '/api/public/office',
    auth: 'public',
    input: z.object({ office: OfficeId }).strict(),
    output: OfficePublic,
  }),
  kioskIssue: route({
    method: 'POST',
    path: '/api/kiosk/tickets',
    auth: 'public',
    input: z
      .object({
        office: OfficeId,
        board: BoardCode,
        /** Green channel needs a member of staff to confirm with id and PIN. */
        green: z.object({ staffId: StaffId, pin: Pin }).optional(),
        requestId: RequestId,
      })
      .strict(),
    output: IssuedTicket,
  }),
  kioskCheckIn: route({
    method: 'POST',
    path: '/api/kiosk/appointments/check-in',
    auth: 'public',
    input: z.object({ office: OfficeId, code: z.string().regex(/^[A-Z0-9]{6,12}$/), requestId: RequestId }).strict(),
    output: IssuedTicket,
  }),
  displayRecent: route({
    method: 'GET',
    path: '/api/display/recent',
    auth: 'public',
    input: z.object({ office: OfficeId }).strict(),
    output: z.object({ calls: z.array(CallRecord) }),
  }),
  evaluatorPending: route({
    method: 'GET',
    path: '/api/evaluator/pending',
    auth: 'public',
    input: z.object({ windowId: WindowId }).strict(),
    output: z.object({ request: RatingRequest.nullable() }),
  }),
  evaluatorRate: route({
    method: 'POST',
    path: '/api/evaluator/rate',
    auth: 'public',
    input: z
      .object({ ticketId: z.string().max(64), ratingToken: z.string().max(64), level: RatingLevel, reason: z.string().max(300).optional() })
      .strict(),
    output: Ok,
  }),
  signIn: route({
    method: 'POST',
    path: '/api/session/sign-in',
    auth: 'device',
    // No window: a supervisor or administrator signs in without taking a window's seat (值班登录).
    input: z.object({ staffId: StaffId, pin: Pin, windowId: WindowId.optional() }).strict(),
    output: z.object({ sessionToken: z.string(), staff: StaffView, window: WindowView.nullable() }),
  }),
  signOut: route({ method: 'POST', path: '/api/session/sign-out', auth: 'session', input: Empty, output: Ok }),
  panel: route({ method: 'GET', path: '/api/window/panel', auth: 'session', input: Empty, output: WindowPanel }),
  callNext: route({
    method: 'POST',
    path: '/api/window/call-next',
    auth: 'session',
    input: z.object({ requestId: RequestId }).strict(),
    output: z.object({ ticket: TicketView.nullable(), panel: WindowPanel }),
  }),
  resume: route({
    method: 'POST',
    path: '/api/window/resume',
    auth: 'session',
    input: z.object({ ticketId: z.string().max(64), requestId: RequestId }).strict(),
    output: z.object({ ticket: TicketView, panel: WindowPanel }),
  }),
  pause: route({
    method: 'POST',
    path: '/api/window/pause',
    auth: 'session',
    input: z.object({ reason: z.string().min(1).max(60) }).strict(),
    output: WindowPanel,
  }),
  unpause: route({ method: 'POST', path: '/api/window/unpause', auth: 'session', input: Empty, output: WindowPanel }),
  push: route({
    method: 'POST',
    path: '/api/sync/push',
    auth: 'device',
    input: z.object({ clientId: z.string().min(1).max(64), mutations: z.array(Mutation).min(1).max(MAX_PUSH_MUTATIONS) }).strict(),
    output: z.object({ acks: z.array(MutationAck), lastApplied: z.number().int() }),
  }),
  pull: route({
    method: 'GET',
    path: '/api/sync/pull',
    auth: 'device',
    input: z
      .object({
        cursor: QueryInt.default(0),
        caseCursor: QueryInt.default(0),
        limit: QueryInt.pipe(z.number().int().min(1).max(PULL_MAX_LIMIT)).default(PULL_DEFAULT_LIMIT),
        referenceVersion: ReferenceVersion.optional(),
        catalogVersion: ReferenceVersion.optional(),
        calendarVersion: ReferenceVersion.optional(),
        /** The window's sync identity: the page then carries the hall's progress for it (`hall.lastApplied`). */
        clientId: z.string().min(1).max(64).optional(),
      })
      .strict(),
    output: PullPage,
  }),
  ...DashboardApi,
  ...RegistryApi,
  ...DocumentNumberApi,
} as const;

export type HallRouteName = keyof typeof HallApi;
export type HallInput<N extends HallRouteName> = z.input<(typeof HallApi)[N]['input']>;
export type HallOutput<N extends HallRouteName> = z.infer<(typeof HallApi)[N]['output']>;

/** Messages the hall server pushes over its WebSocket (`/ws?channel=...`). */
export const HallPush = z.discriminatedUnion('type', [
  /** Something in the office's queue changed; windows refetch their panel. */
  z.object({ type: z.literal('queue.changed'), office: z.string(), seq: z.number() }),
  /** Windows only (not the public displays): a case of the office changed; windows pull the case log. */
  z.object({ type: z.literal('cases.changed'), office: z.string() }),
  /** For the call display: a number was called or recalled. */
  z.object({ type: z.literal('call'), office: z.string(), call: CallRecord }),
  /** For one window's evaluator: a service finished and may be rated. */
  z.object({ type: z.literal('rating.request'), windowId: z.string(), request: RatingRequest.nullable() }),
  z.object({ type: z.literal('hello'), serverNow: z.number() }),
]);
export type HallPush = z.infer<typeof HallPush>;

/**
 * Attachments (scanned pages, PDFs): stored once by content hash, uploaded resumably in raw binary
 * chunks, verified by hash on arrival. These two routes carry raw bytes, not JSON, so they are
 * declared here apart from the JSON route table `HallApi`; the hall routes them before its JSON path.
 *
 *  HEAD /api/attachments/:sha256                       (device)
 *    200 / 404, no body; headers `X-Received-Bytes: N` (bytes the hall holds so far) and
 *    `X-Complete: 1|0` (stored and verified). 404 = the hall has none of it (received 0).
 *  PUT  /api/attachments/:sha256?offset=N              (device)
 *    body: one raw chunk (`Content-Type: application/octet-stream`, ≤ ATTACHMENT_CHUNK_MAX_BYTES),
 *    header `X-Total-Size: T` (the whole attachment's size). `offset` must equal the bytes received
 *    so far, else 409 with `X-Received-Bytes` (and `detail.receivedBytes`) so the client resumes
 *    there. When received == T the hall hashes the bytes: match → stored, 200 `complete: true`;
 *    mismatch → the partial is discarded, 422. An attachment already complete → 200 at once (no
 *    bytes are read). An empty chunk at offset == T finishes an upload whose last chunk arrived
 *    but was not verified yet (e.g. the hall restarted in between).
 *  Errors: the usual `{error:{code,message,detail?}}` (400 bad sha / offset / size, 401 unenrolled,
 *  413 too large, 409 wrong offset, 422 hash mismatch — code `bad_request` with status 422).
 */
export const ATTACHMENT_MAX_BYTES = 50 * 1024 * 1024;
export const ATTACHMENT_CHUNK_MAX_BYTES = 4 * 1024 * 1024;
export const ATTACHMENT_PATH_PREFIX = '/api/attachments/';
export const Sha256Hex = z.string().regex(/^[a-f0-9]{64}$/, 'sha256 is 64 lower-case hex digits');
export const ATTACHMENT_TOO_LARGE_MESSAGE = '文件过大（超过 50 MB），请压缩或分页扫描后再试。';
export const ATTACHMENT_HASH_MISMATCH_MESSAGE = '文件校验失败（内容与摘要不符），请重新上传。';
export const ATTACHMENT_HEADERS = { received: 'x-received-bytes', complete: 'x-complete', total: 'x-total-size' } as const;

/** The JSON answer of a PUT chunk (200). */
export const AttachmentPutResult = z.object({
  sha256: Sha256Hex,
  receivedBytes: z.number().int().nonnegative(),
  totalBytes: z.number().int().positive(),
  complete: z.boolean(),
});
export type AttachmentPutResult = z.infer<typeof AttachmentPutResult>;

export const AttachmentRoutes = {
  status: { method: 'HEAD', path: '/api/attachments/:sha256', auth: 'device' },
  putChunk: { method: 'PUT', path: '/api/attachments/:sha256', auth: 'device', query: { offset: 'N' }, output: AttachmentPutResult },
} as const;

/** The path of one attachment on the hall. */
export function attachmentPath(sha256: string): string {
  return `${ATTACHMENT_PATH_PREFIX}${sha256}`;
}
