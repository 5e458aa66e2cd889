import { z } from 'zod';
import { method } from '../contract-method.js';
import { DecisionValues } from './decision.js';
import { CaseId, FormValues, MaterialStatus, NoticeItem, Sha256, ValueSource } from './types.js';
import { CaseSummary, CaseView, CatalogHit, SituationView } from './view.js';

/**
 * The workstation methods of intake (受理): find a matter, open a case for the ticket being served,
 * answer the situations, fill the one form, mark and attach materials, then accept, issue a one-time
 * notice or refuse. Every write goes through the local cache and the outbox (works offline).
 * Spread into `Contract` (shared/contract.ts).
 */
const Subject = z.object({ kind: z.enum(['matter', 'bundle']), code: z.string().min(1).max(40) }).strict();
const ById = z.object({ caseId: CaseId }).strict();
const Reason = z.string().trim().min(1, '请填写原因').max(500);

/** Largest file the clerk may attach through the contract (base64 in the call). */
export const CASE_ATTACH_MAX_BYTES = 20 * 1024 * 1024;

export const CaseMethods = {
  /** Matters and bundles by name, code, pinyin initials (qykb → 企业开办) or alias. */
  'catalog.search': method(z.object({ query: z.string().max(60) }).strict(), z.object({ hits: z.array(CatalogHit) }), { session: true }),
  /** A bundle's situation questions before a case is opened (for a matter: none). */
  'catalog.subject': method(Subject, z.object({ hit: CatalogHit, situations: z.array(SituationView) }), { session: true }),
  /** Opens a draft case for the ticket being served (if any); 代收代办 names the other jurisdiction. */
  'case.open': method(
    z.object({ subject: Subject, onBehalfOf: z.object({ jurisdiction: z.string().trim().min(1).max(60), scope: z.string().min(1).max(20) }).strict().optional() }).strict(),
    CaseView,
    { session: true },
  ),
  /** Opens a case's full view (personal data: recorded in the audit log). */
  'case.get': method(ById, CaseView, { session: true }),
  'case.answer': method(
    z.object({ caseId: CaseId, answers: z.record(z.string().max(60), z.union([z.string().max(60), z.array(z.string().max(60)).max(20)])) }).strict(),
    CaseView,
    { session: true },
  ),
  'case.saveForm': method(
    z.object({ caseId: CaseId, values: FormValues, sources: z.record(z.string().max(80), ValueSource).optional() }).strict(),
    CaseView,
    { session: true },
  ),
  'case.markMaterial': method(
    z
      .object({ caseId: CaseId, materialId: z.string().min(1).max(80), status: MaterialStatus, deadline: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(), note: z.string().max(200).optional() })
      .strict(),
    CaseView,
    { session: true },
  ),
  /** Attaches a file (image or PDF) to a material: stored by content hash, uploaded later. */
  'case.attach': method(
    z
      .object({
        caseId: CaseId,
        materialId: z.string().min(1).max(80),
        name: z.string().trim().min(1).max(200),
        mime: z.string().max(100),
        dataBase64: z.string().max(Math.ceil((CASE_ATTACH_MAX_BYTES * 4) / 3) + 4),
      })
      .strict(),
    CaseView,
    { session: true },
  ),
  'case.detach': method(z.object({ caseId: CaseId, materialId: z.string().min(1).max(80), sha256: Sha256 }).strict(), CaseView, { session: true }),
  /** 受理 (also 容缺受理 / 告知承诺 when materials are so marked); overrides: warnings overridden with a written reason. */
  'case.accept': method(
    z.object({ caseId: CaseId, overrides: z.array(z.object({ ruleId: z.string().min(1).max(80), reason: Reason }).strict()).max(50).optional() }).strict(),
    CaseView,
    { session: true },
  ),
  /** 一次性告知: the missing items from the checklist plus any deficiencies the clerk names. */
  'case.notice': method(z.object({ caseId: CaseId, extra: z.array(NoticeItem).max(50).optional() }).strict(), CaseView, { session: true }),
  'case.notAccept': method(z.object({ caseId: CaseId, reason: Reason }).strict(), CaseView, { session: true }),
  'case.forward': method(z.object({ caseId: CaseId, target: z.string().trim().min(1).max(120), note: z.string().max(300).optional() }).strict(), CaseView, { session: true }),
  'case.escalate': method(z.object({ caseId: CaseId, reason: Reason, owner: z.string().trim().min(1).max(60) }).strict(), CaseView, { session: true }),
  'case.supplement': method(z.object({ caseId: CaseId, materialId: z.string().min(1).max(80) }).strict(), CaseView, { session: true }),
  /** 批准; `decision`: the values known only now (catalog decision fields, e.g. the 统一社会信用代码 a 设立登记 assigns). */
  'case.approve': method(z.object({ caseId: CaseId, decision: DecisionValues.optional() }).strict(), CaseView, { session: true }),
  'case.refuse': method(z.object({ caseId: CaseId, reason: Reason }).strict(), CaseView, { session: true }),
  'case.deliver': method(
    z.object({ caseId: CaseId, method: z.enum(['window', 'mail']), address: z.string().max(200).optional(), trackingNo: z.string().max(40).optional() }).strict(),
    CaseView,
    { session: true },
  ),
  'case.discard': method(z.object({ caseId: CaseId, reason: Reason }).strict(), CaseView, { session: true }),
  /** Today's cases of this office at this window (drafts included: resumable after a restart). */
  'case.today': method(z.object({ scope: z.enum(['window', 'office']).default('window') }).strict(), z.object({ cases: z.array(CaseSummary) }), { session: true }),
} as const;
