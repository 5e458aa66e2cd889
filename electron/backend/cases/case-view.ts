import { CASE_STATUS_LABEL, type CaseState } from '../../../shared/case/types.js';
import type { CaseEventView, CaseSummary, CaseView, FindingView, SituationView } from '../../../shared/case/view.js';
import type { Resolution } from '../../../shared/catalog/bundle.js';
import type { CatalogIndex } from '../../../shared/catalog/validate.js';
import type { Finding } from '../../../shared/checks/index.js';
import { materialStatus, type Assessment } from './case-assessment.js';
import type { CaseRow } from './case-store.js';
import { decisionView } from './case-decision.js'; // decision fields

/**
 * What the workstation shows of a case (shared/case/view.ts), built from its state and the bundle
 * resolved for the applicant's answers. Blockers, findings and the one-time notice preview come from
 * `assessCase`, the same function `case.accept` and `case.notice` decide with.
 */

/** 张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明: enough to recognise, not to identify, in lists. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('');
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** Names of organisations are public (kept); names of people are masked. First filled wins. */
const ORGANISATION_KEYS = ['enterprise.name', 'organization.name'];
const PERSON_KEYS = ['applicant.name', 'legalRep.name', 'buyer.name', 'seller.name', 'mother.name', 'father.name', 'guardian.name', 'agent.name'];

export function applicantOf(state: CaseState): string {
  for (const k of ORGANISATION_KEYS) if (state.form[k]) return state.form[k];
  for (const k of PERSON_KEYS) if (state.form[k]) return maskName(state.form[k]);
  return '';
}

export function caseSummary(row: CaseRow, pendingSync: number): CaseSummary {
  const s = row.state;
  const official = row.caseNo !== null;
  return {
    caseId: row.caseId,
    caseNo: row.caseNo ?? s.provisionalNo,
    official,
    title: s.title,
    status: s.status,
    statusLabel: CASE_STATUS_LABEL[s.status],
    applicant: applicantOf(s),
    ticketNumber: s.ticketNumber ?? null,
    staffId: s.staffId,
    windowId: s.windowId,
    openedAt: s.openedAt,
    promisedDate: s.promisedDate ?? null,
    pendingSync,
  };
}

/** Names of materials and fields by id, from the catalog (for the history's lines). */
export function catalogNames(index: CatalogIndex): { material(id: string): string; field(key: string): string } {
  return { material: (id) => index.materials.get(id)?.name ?? id, field: (key) => index.fields.get(key)?.label ?? key };
}

export interface ViewContext {
  catalog: CatalogIndex;
  /** The resolution for the case's answers, or why there is none (a catalog that lost the subject). */
  resolution: Resolution | { error: string };
  /** The case's assessment (assessCase); null when there is no resolution. */
  assessment: Assessment | null;
  situations: SituationView[];
  /** The promised date if accepted today; null when it cannot be counted (no calendar for the year). */
  promisedIfToday: string | null;
  pendingSync: number;
  history: CaseEventView[];
}

const EMPTY: Resolution = { matters: [], materials: [], fields: [], unanswered: [] };

/** A finding as the contract carries it; a warning overridden at 受理 carries the clerk's reason. */
export function findingView(f: Finding, overrides: ReadonlyArray<{ ruleId: string; reason: string }>): FindingView {
  const overridden = f.severity === 'warning' ? overrides.find((o) => o.ruleId === f.ruleId) : undefined;
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    values: f.values.map((v) => ({
      value: v.value,
      label: v.label,
      source: v.source.kind === 'page' && v.source.region ? { ...v.source, region: [...v.source.region] as [number, number, number, number] } : (v.source as FindingView['values'][number]['source']),
    })),
    ...(f.materialId !== undefined ? { materialId: f.materialId } : {}),
    ...(f.fieldKey !== undefined ? { fieldKey: f.fieldKey } : {}),
    matters: [...f.matters],
    overridable: f.overridable,
    ...(overridden ? { overridden: { reason: overridden.reason } } : {}),
  };
}

export function buildCaseView(row: CaseRow, ctx: ViewContext): CaseView {
  const s = row.state;
  const res = 'error' in ctx.resolution ? EMPTY : ctx.resolution;
  const draft = s.status === 'DRAFT';
  const assessment = ctx.assessment;
  const blockers = 'error' in ctx.resolution ? [ctx.resolution.error] : (assessment?.blockers ?? []);
  const matterName = (code: string) => ctx.catalog.matters.get(code)?.name ?? code;
  return {
    summary: caseSummary(row, ctx.pendingSync),
    subject: s.subject,
    onBehalfOf: s.onBehalfOf ?? null,
    matters: res.matters.map((m) => ({ code: m.code, name: m.name, promisedDays: m.promisedDays, instantApproval: m.instantApproval, decidingOffice: m.decidingOffice })),
    situations: ctx.situations,
    fields: res.fields.map((f) => ({
      key: f.key,
      label: f.label,
      type: f.type,
      ...(f.options ? { options: f.options.map((o) => ({ value: o.value, label: o.label })) } : {}),
      required: f.required,
      neededBy: f.neededBy.map(matterName),
      value: s.form[f.key] ?? '',
      source: s.sources[f.key] ?? null,
      error: assessment?.fieldErrors.get(f.key) ?? null,
    })),
    materials: res.materials.map((m) => {
      const st = s.materials[m.id];
      return {
        id: m.id,
        name: m.name,
        docType: m.docType,
        form: m.form,
        carrier: m.carrier,
        copies: m.copies,
        requirement: m.requirement,
        mayBeSupplementedLater: m.mayBeSupplementedLater,
        mayBeReplacedByCommitment: m.mayBeReplacedByCommitment,
        neededBy: [...new Set(m.neededBy.map((n) => (n.matter === null ? '情形材料' : matterName(n.matter))))],
        producedBy: m.producedBy !== undefined ? matterName(m.producedBy) : null,
        status: materialStatus(s, m),
        deadline: st?.deadline ?? null,
        note: st?.note ?? null,
        attachments: st?.attachments ?? [],
      };
    }),
    blockers: draft ? blockers : [],
    noticePreview: draft ? (assessment?.notice ?? []) : [],
    findings: (assessment?.findings ?? []).map((f) => findingView(f, s.overrides)),
    rulesVersion: assessment?.rulesVersion ?? null,
    automated: s.automated ? { rulesVersion: s.automated.rulesVersion } : null,
    promisedDateIfAcceptedToday: draft ? ctx.promisedIfToday : null,
    promisedDate: s.promisedDate ?? null,
    notice: s.notice ?? null,
    reason: s.reason ?? null,
    forwardedTo: s.forwardedTo ?? null,
    escalation: s.escalation ? { reason: s.escalation.reason, owner: s.escalation.owner, resolution: s.escalation.resolution ?? null } : null,
    certificates: s.certificates.map((c) => ({
      template: c.template,
      documentNo: c.documentNo,
      sha256: c.sha256,
      prints: c.prints,
      issuedAt: c.at,
      ...(c.title ? { title: c.title } : {}),
      ...(c.verifyId ? { verifyId: c.verifyId } : {}),
      ...(c.revoked ? { revoked: c.revoked } : {}),
    })),
    delivery: s.delivery ? { method: s.delivery.method, address: s.delivery.address ?? null, trackingNo: s.delivery.trackingNo ?? null } : null,
    history: ctx.history,
    decision: decisionView(s, res.matters), // decision fields
  };
}
