import { parseArgs } from 'node:util';
import { realIsoDate } from '../shared/checks/calendar-date.js';
import { checkCreditCode, repairCreditCode } from '../shared/checks/credit-code.js';
import { checkIdNumber, repairIdNumber } from '../shared/checks/id-number.js';
import { businessDate } from '../shared/queue/numbering.js';

export const VALIDATE_USAGE = `usage: onewindow validate id|uscc VALUE [--on YYYY-MM-DD]
  id    resident ID number (GB 11643): checksum, real birth date, region; prints birth date, sex, region, age on --on (default today)
  uscc  unified social credit code (GB 32100): alphabet, checksum; prints registration authority, entity type, region
  Prints one JSON object {"valid","reason","normalized",...}; "repaired" when one OCR slip (O→0, I→1 …) explains it.
  Exit 0 when valid, 1 when not, 2 on a usage error.
`;

/**
 * `onewindow validate id|uscc VALUE [--on DATE]`. Returns the exit code; `now` is injectable for tests.
 */
export function validateCommand(argv: readonly string[], out: (s: string) => void, err: (s: string) => void, now: () => number = Date.now): number {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { on: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (e) {
    err(`error: ${e instanceof Error ? e.message : String(e)}\n\n${VALIDATE_USAGE}`);
    return 2;
  }
  const [kind, value, ...rest] = parsed.positionals;
  if ((kind !== 'id' && kind !== 'uscc') || value === undefined || rest.length > 0) {
    err(`error: ${kind === undefined ? 'missing id|uscc' : kind !== 'id' && kind !== 'uscc' ? `unknown kind "${kind}" (id or uscc)` : value === undefined ? 'missing VALUE' : `unexpected argument "${rest[0]}" (quote a value with spaces)`}\n\n${VALIDATE_USAGE}`);
    return 2;
  }
  let result: object & { valid: boolean };
  if (kind === 'id') {
    const on = parsed.values.on ?? businessDate(now());
    if (realIsoDate(on) === null) {
      err(`error: --on must be a real date YYYY-MM-DD, got "${on}"\n`);
      return 2;
    }
    const r = checkIdNumber(value, { on });
    const repaired = r.valid ? null : repairIdNumber(value);
    result = { ...r, ...(repaired ? { repaired } : {}) };
  } else {
    if (parsed.values.on !== undefined) {
      err(`error: --on applies to id only\n\n${VALIDATE_USAGE}`);
      return 2;
    }
    const r = checkCreditCode(value);
    const repaired = r.valid ? null : repairCreditCode(value);
    result = { ...r, ...(repaired ? { repaired } : {}) };
  }
  out(`${JSON.stringify(result)}\n`);
  return result.valid ? 0 : 1;
}
