import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { checkCreditCode } from '../../shared/checks/credit-code.js';
import { checkIdNumber } from '../../shared/checks/id-number.js';
import { EnterpriseRecord, IssuedCertificate } from '../../shared/checks/registry-schema.js';
import { repoRoot } from '../config.js';

/**
 * The registry data the hall answers from (resources/registry/): enterprises by credit code
 * (企业登记信息) and certificates already issued (电子证照). Validated at start: every credit code
 * passes GB 32100, every holder is a valid credit code or ID number; an invalid file stops the hall
 * with each error listed. A file that is absent means no data of that kind.
 *
 * `authoritative`: whether the enterprise list is the whole register. Only then is a code not in it
 * answered as "no such enterprise" (which blocks 受理); the demo list is not, so an unknown code is
 * left unanswered (the window shows it as not verified).
 */
export interface RegistryData {
  authoritative: boolean;
  enterprises: EnterpriseRecord[];
  certificates: IssuedCertificate[];
}

const EnterprisesFile = z.object({ $comment: z.string().optional(), authoritative: z.boolean().default(false), enterprises: z.array(EnterpriseRecord) }).strict();
const CertificatesFile = z.object({ $comment: z.string().optional(), certificates: z.array(IssuedCertificate) }).strict();

export function defaultRegistryDir(): string {
  return path.join(repoRoot(), 'resources', 'registry');
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`registry data ${file}: not readable JSON: ${(err as Error).message}`);
  }
}

/** Reads and checks the registry directory; throws an Error listing every problem (English, for the operator). */
export function loadRegistryData(dir = defaultRegistryDir()): RegistryData {
  const errors: string[] = [];
  const data: RegistryData = { authoritative: false, enterprises: [], certificates: [] };
  const ent = path.join(dir, 'enterprises.json');
  if (existsSync(ent)) {
    const r = EnterprisesFile.safeParse(readJson(ent));
    if (!r.success) errors.push(...r.error.issues.map((i) => `${ent}: ${i.path.join('.')}: ${i.message}`));
    else {
      data.authoritative = r.data.authoritative;
      const seen = new Set<string>();
      r.data.enterprises.forEach((e, i) => {
        const c = checkCreditCode(e.uscc);
        if (!c.valid || c.normalized !== e.uscc) errors.push(`${ent}: enterprises.${i}.uscc: ${e.uscc} is not a valid credit code (${c.reason ?? 'not normalised'})`);
        if (seen.has(e.uscc)) errors.push(`${ent}: enterprises.${i}.uscc: ${e.uscc} listed twice`);
        seen.add(e.uscc);
      });
      data.enterprises = r.data.enterprises;
    }
  }
  const certs = path.join(dir, 'certificates.json');
  if (existsSync(certs)) {
    const r = CertificatesFile.safeParse(readJson(certs));
    if (!r.success) errors.push(...r.error.issues.map((i) => `${certs}: ${i.path.join('.')}: ${i.message}`));
    else {
      r.data.certificates.forEach((c, i) => {
        if (!checkCreditCode(c.holder).valid && !checkIdNumber(c.holder).valid) errors.push(`${certs}: certificates.${i}.holder: ${c.holder} is neither a credit code nor an ID number`);
      });
      data.certificates = r.data.certificates;
    }
  }
  if (errors.length > 0) throw new Error(`invalid registry data in ${dir}: ${errors.length} error(s)\n${errors.map((e) => `  ${e}`).join('\n')}`);
  return data;
}
