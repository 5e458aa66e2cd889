import { z } from 'zod';
import { OfficeId, StaffId, WindowId } from '../queue/types.js';
import { DecisionField, DecisionValues } from './decision.js'; // decision fields

/**
 * The case (办件): one applicant's matter or bundle (一件事) handled at a window. Its history is an
 * append-only log of actions; its state comes from one pure reducer (`case-reducer.ts`) used by the
 * window, the hall server and the tests alike.
 */

/** A case id made by the window that opens it: unique without asking the hall (offline). */
export const CaseId = z.string().regex(/^c-[A-Za-z0-9_-]{6,60}$/, 'case id looks like c-<client>-<n>');
export const Sha256 = z.string().regex(/^[a-f0-9]{64}$/);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date is YYYY-MM-DD');
const Text = (max: number) => z.string().trim().min(1).max(max);

/** A form value by semantic key (applicant.idNumber, enterprise.uscc, ...); strings only, as typed or extracted. */
export const FormValues = z.record(z.string().max(80), z.string().max(2000));
export type FormValues = z.infer<typeof FormValues>;

/** A rectangle on a page image: x, y, width, height in pixels. */
export const PageRegion = z.tuple([z.number(), z.number(), z.number(), z.number()]);

/** Where a form value came from: typed by the clerk, or accepted from a page's extraction (with its provenance). */
export const ValueSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('typed') }),
  z.object({
    kind: z.literal('extracted'),
    sha256: Sha256,
    docType: z.string().max(40),
    field: z.string().max(80),
    confidence: z.number().min(0).max(1),
    region: PageRegion.optional(),
  }),
]);
export type ValueSource = z.infer<typeof ValueSource>;

/**
 * A material's status in the checklist.
 * present: received (attachments optional for paper originals seen at the window);
 * missing: not brought (a one-time notice lists it);
 * supplement_later: 容缺受理 — accepted without it, to be supplied by a deadline;
 * commitment: 告知承诺 — replaced by the applicant's signed commitment;
 * not_needed: does not apply to this applicant (a conditional material whose situation is not theirs).
 */
export const MaterialStatus = z.enum(['present', 'missing', 'supplement_later', 'commitment', 'not_needed']);
export type MaterialStatus = z.infer<typeof MaterialStatus>;
export const MATERIAL_STATUS_LABEL: Record<MaterialStatus, string> = {
  present: '已收取',
  missing: '缺少',
  supplement_later: '容缺后补',
  commitment: '告知承诺',
  not_needed: '无需提供',
};

export const Attachment = z.object({
  sha256: Sha256,
  name: Text(200),
  mime: z.string().max(100),
  size: z.number().int().nonnegative(),
});
export type Attachment = z.infer<typeof Attachment>;

/** One field read from a page (capture), as the checks take it. */
export const DocumentFieldReading = z.object({
  value: z.string().max(500),
  confidence: z.number().min(0).max(1),
  region: PageRegion.optional(),
});
export type DocumentFieldReading = z.infer<typeof DocumentFieldReading>;

/** One item of a one-time notice (一次性告知): exactly what is missing or wrong, each item once. */
export const NoticeItem = z.object({
  /** The material concerned, or the form field. */
  materialId: z.string().max(80).optional(),
  fieldKey: z.string().max(80).optional(),
  problem: z.enum(['missing', 'deficient']),
  /** What exactly: 缺少原件 / 复印件未签字 / 身份证已过期 ... */
  detail: Text(300),
});
export type NoticeItem = z.infer<typeof NoticeItem>;

/**
 * The SM2-signed verification record behind an issued document's QR code (a SignedRecord of
 * electron/backend/certificates/record.ts; validated by the hall, which publishes it at /verify/<id>).
 */
const DocumentVerification = z.object({ id: z.string().regex(/^[A-Z2-7]{26}$/), signed: z.record(z.string(), z.unknown()) });

/** Who and where: every case action names the clerk, the window and the office it was taken at. */
export const CaseActor = z.object({ staffId: StaffId, windowId: WindowId, office: OfficeId });
export type CaseActor = z.infer<typeof CaseActor>;

export const CaseAction = z.discriminatedUnion('type', [
  /** A case begins as a draft at a window, for one matter or one bundle, linked to the ticket served. */
  z.object({
    type: z.literal('opened'),
    subject: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('matter'), code: z.string().max(40) }),
      z.object({ kind: z.literal('bundle'), code: z.string().max(40) }),
    ]),
    /** Name of the matter or bundle at the time (for lists and notices). */
    title: Text(120),
    ticketId: z.string().max(64).optional(),
    ticketNumber: z.string().max(12).optional(),
    /** Number given by the window until the hall assigns the official one. */
    provisionalNo: Text(40),
    catalogVersion: z.string().max(64).nullable(),
    /** 代收代办 / 跨域通办: accepted here for another jurisdiction. */
    onBehalfOf: z.object({ jurisdiction: Text(60), scope: Text(20) }).optional(),
  }),
  z.object({ type: z.literal('situations_answered'), answers: z.record(z.string().max(60), z.union([z.string().max(60), z.array(z.string().max(60)).max(20)])) }),
  /** The form: values merged over the earlier ones (an empty string clears a value). */
  z.object({ type: z.literal('form_saved'), values: FormValues, sources: z.record(z.string().max(80), ValueSource).optional() }),
  z.object({
    type: z.literal('material_marked'),
    materialId: Text(80),
    status: MaterialStatus,
    /** 容缺: the date by which it must be supplied. */
    deadline: IsoDate.optional(),
    note: z.string().max(200).optional(),
  }),
  z.object({ type: z.literal('attachment_added'), materialId: Text(80), attachment: Attachment }),
  z.object({ type: z.literal('attachment_removed'), materialId: Text(80), sha256: Sha256 }),
  /**
   * What extraction (capture) read from one page of a material: fields by document field name
   * (shared/checks/document-fields.ts), each with its confidence and the region it was read from. The
   * comparison checks use it (form against document, document against document, validity). Reading the
   * same page again replaces its earlier reading; removing the page's attachment drops it.
   */
  z.object({
    type: z.literal('document_read'),
    materialId: Text(80),
    /** The page image the fields were read from. */
    sha256: Sha256,
    /** The document type (catalog: id_card, business_licence …; capture's idcard_front / idcard_back … are accepted too). */
    docType: z.string().trim().min(1).max(40),
    fields: z
      .record(z.string().regex(/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)*$/).max(60), DocumentFieldReading)
      .refine((f) => Object.keys(f).length <= 60, 'at most 60 fields per page'),
  }),
  /** 受理: the matters accepted, the promised completion date counted in working days. */
  z.object({
    type: z.literal('accepted'),
    matters: z.array(z.string().max(40)).min(1).max(30),
    promisedDate: IsoDate,
    /**
     * The check findings the clerk overrode, with the written reason (audited); `message`: the
     * finding's words when it was overridden (absent in logs written before the checks).
     */
    overrides: z.array(z.object({ ruleId: Text(80), reason: Text(300), message: z.string().max(500).optional() })).max(50).default([]),
    /** The version of the check rules the findings came from (shared/checks rulesVersion). */
    rulesVersion: z.string().max(64).optional(),
    /** Values the approval must give (catalog decision fields: the credit code a 设立登记 assigns); absent in older logs. */
    decisionFields: z.array(DecisionField).max(20).optional(),
    /** Why the rules did not approve at once a matter marked for 秒批 (it waits for a clerk). */
    instantWithheld: z.string().max(500).optional(),
  }),
  z.object({ type: z.literal('notice_issued'), items: z.array(NoticeItem).min(1).max(100) }),
  z.object({ type: z.literal('not_accepted'), reason: Text(500) }),
  /** 代收代办: forwarded upstream to the jurisdiction that decides. */
  z.object({ type: z.literal('forwarded'), target: Text(120), note: z.string().max(300).optional() }),
  /** 办不成事 window: escalated with a reason and an owner who must resolve it. */
  z.object({ type: z.literal('escalated'), reason: Text(500), owner: Text(60) }),
  z.object({ type: z.literal('escalation_resolved'), resolution: Text(500) }),
  /** A 容缺 material supplied later. */
  z.object({ type: z.literal('supplemented'), materialId: Text(80) }),
  z.object({
    type: z.literal('approved'),
    /** Instant approval (秒批): decided by the rules of this version, no person in the loop. */
    automated: z.object({ rulesVersion: Text(64) }).optional(),
    /** Values assigned at the decision (accepted.decisionFields), merged into the form. */
    decision: DecisionValues.optional(),
  }),
  z.object({ type: z.literal('refused'), reason: Text(500) }),
  z.object({
    type: z.literal('certificate_issued'),
    template: Text(60),
    documentNo: Text(60),
    sha256: Sha256,
    matter: z.string().max(40).optional(),
    /** The document's name as issued (异地就医备案回执); absent in older logs. */
    title: z.string().max(100).optional(),
    verification: DocumentVerification.optional(),
  }),
  /**
   * A notice handed to the applicant (受理通知书, 一次性告知书, 不予受理通知书), made once per case and
   * kind; its PDF kept by SHA-256, its verification record published by the hall like a certificate's.
   */
  z.object({
    type: z.literal('notice_document_issued'),
    kind: z.enum(['acceptance_notice', 'one_time_notice', 'rejection_notice']),
    documentNo: Text(60),
    sha256: Sha256,
    verification: DocumentVerification.optional(),
  }),
  /** 撤销: an issued document withdrawn with a reason; the hall marks its verification record revoked. */
  z.object({ type: z.literal('certificate_revoked'), documentNo: Text(60), reason: Text(500) }),
  z.object({ type: z.literal('printed'), documentNo: Text(60), copies: z.number().int().min(1).max(20), printer: z.string().max(120) }),
  z.object({
    type: z.literal('delivered'),
    method: z.enum(['window', 'mail']),
    address: z.string().max(200).optional(),
    trackingNo: z.string().max(40).optional(),
  }),
  z.object({ type: z.literal('discarded'), reason: Text(200) }),
  /** Hall only: the official case number (unique per office and year). */
  z.object({ type: z.literal('numbered'), caseNo: Text(40) }),
]);
export type CaseAction = z.infer<typeof CaseAction>;
export type CaseActionType = CaseAction['type'];

export const CaseEvent = z.object({
  /** "<clientId>:<mutationId>" for a window's action, "s<seq>" for the hall's. */
  eventId: z.string().min(1).max(80),
  caseId: CaseId,
  /** Idempotency key of the action as the window made it (a retry with the same key is the same action). */
  key: z.string().min(8).max(64),
  at: z.number().int().nonnegative(),
  actor: CaseActor,
  action: CaseAction,
});
export type CaseEvent = z.infer<typeof CaseEvent>;

export const CaseStatus = z.enum([
  'DRAFT',
  'ACCEPTED',
  'NOTICE_ISSUED',
  'NOT_ACCEPTED',
  'APPROVED',
  'REFUSED',
  'CERTIFIED',
  'DELIVERED',
  'DISCARDED',
]);
export type CaseStatus = z.infer<typeof CaseStatus>;
export const CASE_STATUS_LABEL: Record<CaseStatus, string> = {
  DRAFT: '草稿',
  ACCEPTED: '已受理',
  NOTICE_ISSUED: '已一次性告知',
  NOT_ACCEPTED: '不予受理',
  APPROVED: '已批准',
  REFUSED: '不予许可',
  CERTIFIED: '已制证',
  DELIVERED: '已送达',
  DISCARDED: '已作废',
};

export interface CaseMaterialState {
  status: MaterialStatus;
  deadline: string | undefined;
  note: string | undefined;
  attachments: Attachment[];
  suppliedAt: number | undefined;
}

/** A page's reading (document_read) kept in the case. */
export interface CaseDocumentReading {
  sha256: string;
  docType: string;
  fields: Record<string, DocumentFieldReading>;
  at: number;
}

export interface CaseState {
  caseId: string;
  office: string;
  windowId: string;
  staffId: string;
  subject: { kind: 'matter' | 'bundle'; code: string };
  title: string;
  ticketId: string | undefined;
  ticketNumber: string | undefined;
  provisionalNo: string;
  caseNo: string | undefined;
  catalogVersion: string | null;
  onBehalfOf: { jurisdiction: string; scope: string } | undefined;
  status: CaseStatus;
  answers: Record<string, string | string[]>;
  form: Record<string, string>;
  sources: Record<string, ValueSource>;
  materials: Record<string, CaseMaterialState>;
  /** Readings of pages by material (document_read); absent until a page is read (and in older states). */
  documents?: Record<string, CaseDocumentReading[]>;
  acceptedMatters: string[];
  promisedDate: string | undefined;
  overrides: Array<{ ruleId: string; reason: string }>;
  notice: NoticeItem[] | undefined;
  reason: string | undefined;
  forwardedTo: string | undefined;
  escalation: { reason: string; owner: string; at: number; resolution: string | undefined } | undefined;
  automated: { rulesVersion: string } | undefined;
  /** From the acceptance: what the approval must give, and why 秒批 was withheld (absent in older states). */
  decisionFields?: DecisionField[] | undefined;
  instantWithheld?: string | undefined;
  certificates: Array<{
    template: string;
    documentNo: string;
    sha256: string;
    matter: string | undefined;
    at: number;
    prints: number;
    /** Absent in states written before certificates carried them. */
    title?: string | undefined;
    verifyId?: string | undefined;
    revoked?: { reason: string; at: number } | undefined;
  }>;
  /** Notices made for the applicant (notice_document_issued); absent until the first. */
  noticeDocuments?: Array<{ kind: string; documentNo: string; sha256: string; at: number }>;
  delivery: { method: 'window' | 'mail'; address: string | undefined; trackingNo: string | undefined; at: number } | undefined;
  openedAt: number;
  acceptedAt: number | undefined;
  decidedAt: number | undefined;
  closedAt: number | undefined;
  lastEventAt: number;
  eventCount: number;
  /** Idempotency keys already applied: an action whose key is here is a no-op. */
  keys: string[];
}
