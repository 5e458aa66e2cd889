import { documentAbbreviation, type OfficeConfig } from '../../../shared/office/config.js';
import { getMeta, setMeta, type Db } from '../store/database.js';
import { generateSm2KeyPair, Sm2KeyPairSchema, type Sm2KeyPair } from './record.js';
import type { IssuingOffice } from './render.js';
import type { OfficeSeal } from './seal.js';
import { configuredSeal } from './seal-settings.js';

/**
 * Who issues a case's documents at this window: the office of the case, its name as printed and
 * on the seal, its 机关代字 for document numbers, and its SM2 key for verification records —
 * generated once per office at this workstation and kept in the local database (meta), its public
 * key carried to the hall with the first record it signs.
 *
 * Seals: the office's imported seal image and certificate (印章设置, seal-settings.ts); an office
 * with none configured gets the engine's specimen seal, marked 样章, with the page watermarked 样本.
 */

/** The issuing authority of the county hall when the office settings have not been pulled yet. */
const COUNTY_AUTHORITY = '齐河县行政审批服务局';
/** 6-digit administrative division of 齐河县 (licence number patterns). */
export const DIVISION = '371425';

const keyName = (office: string) => `certificates.sm2.${office}`;

export interface CaseIssuer {
  office: IssuingOffice;
  seal: OfficeSeal;
  abbreviation: string;
}

/** The office's SM2 key pair at this workstation, generated and stored on first use. */
export function officeSm2Key(db: Db, office: string): Sm2KeyPair {
  return db.transaction(() => {
    const stored = getMeta(db, keyName(office));
    const parsed = stored === null ? null : Sm2KeyPairSchema.safeParse(JSON.parse(stored));
    if (parsed?.success) return parsed.data;
    const pair = generateSm2KeyPair();
    setMeta(db, keyName(office), JSON.stringify({ privateKey: pair.privateKey, publicKey: pair.publicKey }));
    return pair;
  })();
}

/**
 * The issuer of an office's documents. `config`: the office settings pulled from the hall
 * (undefined before the first pull); `hallName`: the hall's authority (齐河县行政审批服务局).
 */
export function caseIssuer(db: Db, officeId: string, config: OfficeConfig | undefined, hallName: string | undefined): CaseIssuer {
  const kind = config?.kind ?? (officeId.endsWith('county') ? 'county' : 'branch');
  // The county office issues in the authority's name; a branch in its own.
  const officeName = (kind === 'county' ? (hallName ?? COUNTY_AUTHORITY) : (config?.name ?? hallName ?? COUNTY_AUTHORITY)).slice(0, 40);
  const sm2 = officeSm2Key(db, officeId);
  return {
    office: { officeId, officeName, sm2 },
    seal: configuredSeal(db, officeId, officeName),
    // 机关代字 from the office settings (resources/offices/*.json), by kind before the first pull.
    abbreviation: documentAbbreviation({ kind, abbreviation: config?.abbreviation }),
  };
}
