import { AppError } from '../errors.js';
import { realIsoDate } from './calendar-date.js';
import { buildContext, type CheckContext } from './context.js';
import { evalCertificateRegistry, evalDuplicate, evalEnterpriseRegistry } from './eval-cases.js';
import { evalDocumentDocument, evalFormDocument, evalNotExpired } from './eval-documents.js';
import { evalAge, evalFormat, evalRange, evalRequiredField } from './eval-fields.js';
import { evalMaterial } from './eval-materials.js';
import { severityRank } from './finding.js';
import { effectiveRules, rulesVersion } from './rules.js';
import type { CheckInput, EffectiveRule, Finding } from './types.js';

/**
 * The comparison checks engine (智能比对): pure and deterministic — the same input gives the same
 * findings in the same order (blocking, then warning, then info; within a severity, rule order).
 * Nothing here reads a clock, a file or the network: registry answers and open cases are inputs.
 */

function evaluate(ctx: CheckContext, rule: EffectiveRule): Finding | Finding[] | null {
  switch (rule.kind) {
    case 'required_field':
      return evalRequiredField(ctx, rule);
    case 'format':
      return evalFormat(ctx, rule);
    case 'age':
      return evalAge(ctx, rule);
    case 'range':
      return evalRange(ctx, rule);
    case 'form_document':
      return evalFormDocument(ctx, rule);
    case 'document_document':
      return evalDocumentDocument(ctx, rule);
    case 'not_expired':
      return evalNotExpired(ctx, rule);
    case 'material':
      return evalMaterial(ctx, rule);
    case 'duplicate':
      return evalDuplicate(ctx, rule);
    case 'enterprise_registry':
      return evalEnterpriseRegistry(ctx, rule);
    case 'certificate_registry':
      return evalCertificateRegistry(ctx, rule);
  }
}

/** Throws AppError('bad_request') when the acceptance date is not a real YYYY-MM-DD day (nothing else is judged on a wrong day). */
export function runChecks(input: CheckInput): Finding[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.acceptanceDate) || realIsoDate(input.acceptanceDate) === null) {
    throw new AppError('bad_request', '受理日期无效，无法进行比对。', `acceptanceDate "${input.acceptanceDate}" is not a YYYY-MM-DD day`);
  }
  const ctx = buildContext(input);
  const found: Array<{ f: Finding; order: number }> = [];
  let order = 0;
  for (const rule of effectiveRules(input.resolution, input.bundle)) {
    const r = evaluate(ctx, rule);
    if (r === null) continue;
    for (const f of Array.isArray(r) ? r : [r]) found.push({ f, order: order++ });
  }
  found.sort((a, b) => severityRank(a.f.severity) - severityRank(b.f.severity) || a.order - b.order);
  return found.map((x) => x.f);
}

/** The findings and the version of the rules that produced them (for the audit of automated decisions). */
export function checkCase(input: CheckInput): { findings: Finding[]; rulesVersion: string } {
  return { findings: runChecks(input), rulesVersion: rulesVersion(input.resolution, input.bundle) };
}
