/**
 * Comparison checks (智能比对) and instant approval (智能秒批): the public surface.
 * Pure code — runs in the window backend, the renderer and the hall server alike.
 */
export { checkIdNumber, repairIdNumber, idCheckChar, type IdNumberResult } from './id-number.js';
export { checkCreditCode, repairCreditCode, creditCheckChar, CREDIT_CODE_ALPHABET, type CreditCodeResult } from './credit-code.js';
export { checkPhone, checkDate, checkMoney, checkArea, checkNumber, parseDate, parseAmount, isIndefinite, type FormatResult } from './formats.js';
export { compareValues, parseValidUntil, type Agreement } from './compare.js';
export { normalizeName, normalizeAddress, normalizeText, simplified, prepareChecks } from './normalize-text.js';
export { CheckRule, Severity, Comparison, DocumentRef, RuleId } from './rule-schema.js';
export { EnterpriseRecord, IssuedCertificate, OpenCase, RegistryAnswer } from './registry-schema.js';
export { DOCUMENT_FIELDS, documentFieldLabel, isDocumentField } from './document-fields.js';
export { runChecks, checkCase } from './engine.js';
export { effectiveRules, rulesVersion, producedFieldKeys, RULES_ENGINE_VERSION, PRODUCED_FIELDS } from './rules.js';
export { applicantKeys } from './eval-cases.js';
export { LOW_CONFIDENCE } from './eval-documents.js';
export { oneTimeNoticeItems, type NoticeItemDraft } from './notice.js';
export { instantApprovalDecision, type InstantApprovalDecision } from './instant-approval.js';
export type {
  CheckInput,
  EffectiveRule,
  ExtractedDocument,
  ExtractedField,
  Finding,
  FindingValue,
  FormEntry,
  FormValueOrigin,
  MaterialState,
  MaterialStatus,
  PageRegion,
  ValueSource,
} from './types.js';
