import type { EffectiveRule, Finding, FindingValue, Severity } from './types.js';

/** A finding of a rule; `overridable` follows from the severity. */
export function finding(
  rule: EffectiveRule,
  severity: Severity,
  message: string,
  values: FindingValue[],
  where: { materialId?: string; fieldKey?: string } = {},
): Finding {
  return {
    ruleId: rule.id,
    severity,
    message: 'message' in rule && rule.message ? `${rule.message}：${message}` : message,
    values,
    ...(where.materialId !== undefined ? { materialId: where.materialId } : {}),
    ...(where.fieldKey !== undefined ? { fieldKey: where.fieldKey } : {}),
    matters: [...rule.matters],
    overridable: severity === 'warning',
  };
}

const RANK: Record<Severity, number> = { blocking: 0, warning: 1, info: 2 };

/** The lesser of two severities (a blocking rule on a low-confidence reading becomes a warning). */
export function atMost(severity: Severity, cap: Severity): Severity {
  return RANK[severity] >= RANK[cap] ? severity : cap;
}

export function severityRank(s: Severity): number {
  return RANK[s];
}
