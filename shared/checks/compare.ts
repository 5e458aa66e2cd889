import { compactCode } from './normalize-chars.js';
import { normalizeAddress, normalizeName, normalizeText } from './normalize-text.js';
import { isIndefinite, parseAmount, parseDate } from './formats.js';
import type { Comparison } from './rule-schema.js';

/**
 * same: equal after normalisation; partial: an address one side gives in more detail than the
 * other; different; unreadable: a date or number that cannot be parsed on one side.
 */
export type Agreement = 'same' | 'partial' | 'different' | 'unreadable';

/** The expiry part of 2015.03.07-2035.03.07 / 2035年03月07日 / 长期: ISO date, 'indefinite', or null. */
export function parseValidUntil(raw: string): string | 'indefinite' | null {
  const parts = raw.trim().split(/\s*(?:-|—|–|~|～|至)\s*(?=\d{4}|长期|長期)/);
  const last = parts[parts.length - 1] ?? '';
  if (isIndefinite(last)) return 'indefinite';
  return parseDate(last);
}

function compareDates(a: string, b: string): Agreement {
  const da = isIndefinite(a) ? 'indefinite' : parseValidUntil(a);
  const db = isIndefinite(b) ? 'indefinite' : parseValidUntil(b);
  if (da === null || db === null) return 'unreadable';
  return da === db ? 'same' : 'different';
}

function compareNumbers(a: string, b: string, tolerance: number): Agreement {
  const strip = (s: string) => s.replace(/(平方米|平米|㎡|m²|m2)$/i, '');
  const na = parseAmount(strip(a));
  const nb = parseAmount(strip(b));
  if (na === null || nb === null) return 'unreadable';
  return Math.abs(na - nb) <= tolerance ? 'same' : 'different';
}

export function compareValues(kind: Comparison, a: string, b: string): Agreement {
  switch (kind) {
    case 'name':
      return normalizeName(a) === normalizeName(b) ? 'same' : 'different';
    case 'idNumber':
    case 'uscc':
      return compactCode(a) === compactCode(b) ? 'same' : 'different';
    case 'address': {
      const na = normalizeAddress(a);
      const nb = normalizeAddress(b);
      if (na === nb) return 'same';
      // One side in more detail: a town (街道/镇/乡) the other leaves out, or a unit and room it adds.
      const dropTown = (s: string) => s.replace(/^.{1,8}?(街道|镇|乡)/, '');
      const [short, long] = na.length <= nb.length ? [dropTown(na), nb] : [dropTown(nb), na];
      return short.length >= 4 && (long.includes(short) || dropTown(long).startsWith(short)) ? 'partial' : 'different';
    }
    case 'date':
      return compareDates(a, b);
    case 'amount':
      return compareNumbers(a, b, 0.005);
    case 'area':
      return compareNumbers(a, b, 0.01);
    case 'text':
      return normalizeText(a) === normalizeText(b) ? 'same' : 'different';
  }
}

/** The comparison a form field's type implies. */
export function comparisonForFieldType(type: string): Comparison {
  switch (type) {
    case 'idNumber':
    case 'uscc':
    case 'address':
    case 'date':
    case 'area':
      return type;
    case 'money':
    case 'number':
      return 'amount';
    default:
      return 'text';
  }
}
