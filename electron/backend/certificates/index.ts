/**
 * 智能制证 — the certificate engine of the workstation. Public API (everything else in this folder
 * is internal):
 *
 *   renderDocument({ template, title?, fields, office, seal, number, issuedAt, hallUrl, id?, paper?, now? })
 *     → Promise<{ pdf, record, sha256, id, url, specimen, layout }>
 *   issuePermitsTogether({ fields, office, seal, issuedAt, hallUrl, permits: [{ template, number, title?, fields?, id? }] })
 *     → Promise<RenderedDocument[]>            (拿地即开工: all checked before any is drawn)
 *   verifyPdf(bytes, { officeKeys?, certificates?, revocation? }) → Promise<VerificationResult>
 *   formatDocumentNumber({ abbreviation, word?, year, serial }) → '齐审批受〔2026〕123号'
 *   documentNumberFor(template.numbering, { abbreviation, year, serial, division? })
 *   generateSm2KeyPair(), validateSealImage(bytes), checkSigningIdentity(seal, at)
 *
 * Errors meant for the clerk are AppError('bad_request', Chinese message) and nothing is issued.
 *
 * Field keys: the catalog's semantic keys (enterprise.name, legalRep.name, ...) plus these, which
 * the case supplies: matter.name, matter.promisedDays, case.no, case.submittedAt, case.acceptedAt
 * (YYYY-MM-DD), window.name, hall.phone, notice.missing (rows {name, requirement, note}),
 * notice.supplementDeadline, notice.reason, notice.legalBasis, notice.advice, commitment.conditions
 * (list), decision.content, decision.validity, decision.licenceName, doc.items (rows {label, value},
 * see itemsFromFields), licence.* / realEstate.* / permit.* (see each template's `fields`).
 * Built in: doc.number, doc.title, doc.issuedAt, office.name, verify.url, verify.id.
 */
import type { Template } from './template-schema.js';
import { loadSigningIdentity, type SigningIdentity } from './signing-identity.js';
import { prepareSealImage, type OfficeSeal } from './seal.js';
import type { Revocation } from './verify.js';

export { renderDocument, prepareDocument, producePrepared } from './render.js';
export type { IssuingOffice, RenderInput, RenderedDocument, PreparedDocument } from './render.js';
export { issuePermitsTogether, LAND_TO_CONSTRUCTION_TEMPLATES } from './permits.js';
export type { PermitRequest, PermitsInput } from './permits.js';
export { verifyPdf } from './verify.js';
export type { Revocation, VerificationResult, VerificationTrust, SignerInfo } from './verify.js';
export { formatDocumentNumber, formatPatternNumber, documentNumberFor } from './document-number.js';
export type { NumberParts } from './document-number.js';
export { generateSm2KeyPair, verifyRecordSignature, canonicalJson, SignedRecord, VerificationRecord, VERIFY_ID } from './record.js';
export type { Sm2KeyPair } from './record.js';
export { readRecord } from './pdf-update.js';
export { allTemplates, getTemplate, loadTemplateDir } from './templates.js';
export type { Template } from './template-schema.js';
export type { OfficeSeal } from './seal.js';
export type { FieldValues, FieldValue } from './fields.js';
export type { SigningIdentity } from './signing-identity.js';

/** Checks an office's seal image when it is imported (PNG or SVG); throws AppError with the reason. */
export async function validateSealImage(bytes: Uint8Array): Promise<void> {
  await prepareSealImage(bytes);
}

/** Checks an office's certificate when it is imported (password, key/cert match, validity at `at`). */
export async function checkSigningIdentity(seal: OfficeSeal, at: Date = new Date()): Promise<Pick<SigningIdentity, 'subject' | 'issuer' | 'notBefore' | 'notAfter' | 'fingerprint' | 'specimen'>> {
  const id = await loadSigningIdentity(seal, at);
  return { subject: id.subject, issuer: id.issuer, notBefore: id.notBefore, notAfter: id.notAfter, fingerprint: id.fingerprint, specimen: id.specimen };
}

/**
 * Rows `{label, value}` for the generic templates' `doc.items` from case fields: `keys` in order,
 * labelled from the field dictionary (`labels`), empty values left out.
 */
export function itemsFromFields(values: Record<string, string | undefined>, keys: readonly string[], labels: Record<string, string>): Array<{ label: string; value: string }> {
  return keys.flatMap((k) => {
    const v = values[k]?.trim();
    return v ? [{ label: labels[k] ?? k, value: v }] : [];
  });
}

/** A revocation lookup over a list (the workstation's copy of the hall's revocations). */
export function revocationLookup(list: readonly Revocation[]): (id: string) => Revocation | undefined {
  const byId = new Map(list.map((r) => [r.id, r]));
  return (id) => byId.get(id);
}

/** The fields a template declares, for a form that collects them: key, label, kind, required. */
export function templateFields(t: Template): Array<{ key: string; label: string; kind: string; required: boolean; from?: string[] }> {
  return t.fields.map((f) => ({ key: f.key, label: f.label, kind: f.kind, required: f.required, ...(f.from ? { from: f.from } : {}) }));
}

