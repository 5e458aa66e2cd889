import { z } from 'zod';
import { Attachment, CaseStatus, MaterialStatus, NoticeItem, ValueSource } from './types.js';

/**
 * What the workstation shows of a case: its state (from the reducer), the bundle resolved for the
 * applicant's situations (materials checklist, the one merged form) and what still stands in the way
 * of acceptance. Built by the backend; the renderer only displays it.
 */

export const CatalogHit = z.object({
  kind: z.enum(['matter', 'bundle']),
  code: z.string(),
  name: z.string(),
  /** Board letter (A 市场准入 ...) and its name. */
  board: z.string(),
  boardName: z.string(),
  promisedDays: z.number().int().nullable(),
  instantApproval: z.boolean(),
  branchMayDecide: z.boolean(),
  crossRegion: z.string().nullable(),
  /** Bundles: how many matters at most. */
  matterCount: z.number().int(),
  /** Why it matched (名称 / 编码 / 拼音首字母 / 别名). */
  matchedBy: z.string(),
});
export type CatalogHit = z.infer<typeof CatalogHit>;

export const SituationView = z.object({
  id: z.string(),
  question: z.string(),
  multiple: z.boolean(),
  answers: z.array(z.object({ id: z.string(), label: z.string() })),
  /** The applicant's answer(s), if given. */
  chosen: z.array(z.string()),
});
export type SituationView = z.infer<typeof SituationView>;

export const FieldView = z.object({
  key: z.string(),
  label: z.string(),
  type: z.string(),
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  required: z.boolean(),
  /** Names of the matters that need this field (it is filled once for all of them). */
  neededBy: z.array(z.string()),
  value: z.string(),
  source: ValueSource.nullable(),
  /** Why the value is not acceptable (Chinese), or null. */
  error: z.string().nullable(),
});
export type FieldView = z.infer<typeof FieldView>;

export const MaterialView = z.object({
  id: z.string(),
  name: z.string(),
  docType: z.string(),
  form: z.enum(['original', 'copy', 'original_and_copy']),
  carrier: z.enum(['paper', 'electronic', 'either']),
  copies: z.number().int(),
  requirement: z.enum(['required', 'optional']),
  mayBeSupplementedLater: z.boolean(),
  mayBeReplacedByCommitment: z.boolean(),
  /** Names of the matters that need it (asked once for all of them). */
  neededBy: z.array(z.string()),
  /** Produced by a matter of this bundle (e.g. 营业执照): not asked from the applicant. */
  producedBy: z.string().nullable(),
  status: MaterialStatus,
  deadline: z.string().nullable(),
  note: z.string().nullable(),
  attachments: z.array(Attachment),
});
export type MaterialView = z.infer<typeof MaterialView>;

/** Where a compared value came from: a form field, a region of a scanned page, or a registry answer. */
export const FindingSourceView = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('form'), key: z.string(), origin: z.enum(['typed', 'extracted']).optional() }),
  z.object({
    kind: z.literal('page'),
    /** The page image (attachment sha256). */
    sha256: z.string(),
    /** x, y, width, height in the page's pixels. */
    region: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
    docType: z.string(),
    field: z.string(),
    materialId: z.string(),
    confidence: z.number(),
  }),
  /** stale: the window's cached answer, not refreshed from the hall (offline). */
  z.object({ kind: z.literal('registry'), name: z.string(), stale: z.boolean(), fetchedAt: z.string() }),
]);
export type FindingSourceView = z.infer<typeof FindingSourceView>;

/**
 * A finding of the comparison checks (智能比对, shared/checks): blocking ones stand in the way of 受理
 * (they are in `blockers` too); a warning must be overridden with a written reason at 受理
 * (`case.accept {overrides:[{ruleId, reason}]}`); info is for the clerk only.
 */
export const FindingView = z.object({
  ruleId: z.string(),
  severity: z.enum(['blocking', 'warning', 'info']),
  /** Chinese, as the clerk and the one-time notice read it. */
  message: z.string(),
  /** The values compared, each with a Chinese label (申请表·法定代表人姓名) and its source. */
  values: z.array(z.object({ value: z.string(), label: z.string(), source: FindingSourceView })),
  materialId: z.string().optional(),
  fieldKey: z.string().optional(),
  /** Codes of the matters it concerns (instant approval is decided per matter). */
  matters: z.array(z.string()),
  /** true for warnings only. */
  overridable: z.boolean(),
  /** On an accepted case: the reason the clerk gave when overriding this warning. */
  overridden: z.object({ reason: z.string() }).optional(),
});
export type FindingView = z.infer<typeof FindingView>;

export const CaseEventView = z.object({
  at: z.number(),
  label: z.string(),
  detail: z.string(),
  staffId: z.string(),
  windowId: z.string(),
  /** pending: in this window's outbox; synced: the hall has it; parked: the hall refused it (reason in detail). */
  sync: z.enum(['pending', 'synced', 'parked']),
});
export type CaseEventView = z.infer<typeof CaseEventView>;

export const CaseSummary = z.object({
  caseId: z.string(),
  /** The official number once the hall gave it, else the provisional one. */
  caseNo: z.string(),
  official: z.boolean(),
  title: z.string(),
  status: CaseStatus,
  statusLabel: z.string(),
  /** Applicant or enterprise name, masked (张*三) for lists. */
  applicant: z.string(),
  ticketNumber: z.string().nullable(),
  staffId: z.string(),
  windowId: z.string(),
  openedAt: z.number(),
  promisedDate: z.string().nullable(),
  /** Actions of this case not yet acknowledged by the hall. */
  pendingSync: z.number().int(),
});
export type CaseSummary = z.infer<typeof CaseSummary>;

export const CaseView = z.object({
  summary: CaseSummary,
  subject: z.object({ kind: z.enum(['matter', 'bundle']), code: z.string() }),
  onBehalfOf: z.object({ jurisdiction: z.string(), scope: z.string() }).nullable(),
  matters: z.array(
    z.object({ code: z.string(), name: z.string(), promisedDays: z.number().int(), instantApproval: z.boolean(), decidingOffice: z.string() }),
  ),
  situations: z.array(SituationView),
  fields: z.array(FieldView),
  materials: z.array(MaterialView),
  /** What stands in the way of 受理 (Chinese, one line each); empty when the case may be accepted. */
  blockers: z.array(z.string()),
  /** The items a one-time notice would list now (each missing or deficient item once). */
  noticePreview: z.array(NoticeItem),
  /**
   * The comparison checks' findings on the case as it is now, blocking first, then warnings, then
   * info; after 受理 the warnings the clerk overrode carry the reason (`overridden`). Empty when the
   * catalog cannot resolve the case.
   */
  findings: z.array(FindingView),
  /** The version of the check rules that produced `findings` (null when the case cannot be resolved). */
  rulesVersion: z.string().nullable(),
  /** Set when the case was approved at once by the rules (智能秒批): the rules' version. */
  automated: z.object({ rulesVersion: z.string() }).nullable(),
  /** The promised completion date if accepted today (working days over the holiday calendar). */
  promisedDateIfAcceptedToday: z.string().nullable(),
  promisedDate: z.string().nullable(),
  notice: z.array(NoticeItem).nullable(),
  reason: z.string().nullable(),
  forwardedTo: z.string().nullable(),
  escalation: z.object({ reason: z.string(), owner: z.string(), resolution: z.string().nullable() }).nullable(),
  certificates: z.array(
    z.object({
      template: z.string(),
      documentNo: z.string(),
      sha256: z.string(),
      prints: z.number().int(),
      /** The document's name as issued; absent for documents of older logs. */
      title: z.string().optional(),
      issuedAt: z.number().optional(),
      /** The hall's verification page of the document (its QR code); absent when unknown. */
      verifyId: z.string().optional(),
      /** 已撤销: with the reason. */
      revoked: z.object({ reason: z.string(), at: z.number() }).optional(),
    }),
  ),
  delivery: z.object({ method: z.enum(['window', 'mail']), address: z.string().nullable(), trackingNo: z.string().nullable() }).nullable(),
  history: z.array(CaseEventView),
  /**
   * Decision fields: values known only when the case is decided (the 统一社会信用代码 a 设立登记
   * assigns), asked by the approval (`case.approve {decision}`), each with its value once given; and
   * why the rules did not approve a 秒批 matter at once (null when they did or it is not one).
   */
  decision: z
    .object({
      fields: z.array(z.object({ key: z.string(), label: z.string(), type: z.string(), required: z.boolean(), value: z.string() })),
      instantWithheld: z.string().nullable(),
    })
    .optional(),
});
export type CaseView = z.infer<typeof CaseView>;
