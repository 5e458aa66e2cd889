import path from 'node:path';
import { z } from 'zod';
import { SealAuditEntry, type OfficeSealStatus } from '../../../shared/certificates/seal-contract.js';
import { AppError } from '../../../shared/errors.js';
import { createLogger } from '../log.js';
import { getMeta, setMeta, type Db } from '../store/database.js';
import { checkSigningIdentity, validateSealImage, type OfficeSeal } from './index.js';
import { keyFileSecretBox, openSecret, type SecretBox } from './seal-settings-secret.js';

/**
 * 印章设置 at this workstation: each office's imported seal image and signing certificate
 * (PKCS#12), checked with the engine when imported and kept in the local database (meta, one row
 * per office, written in one transaction with the audit entry). The certificate's password is kept
 * only encrypted (`SecretBox`: safeStorage in Electron, a 0600 key file in the browser preview).
 * An office with nothing configured keeps the drawn specimen seal (样章).
 */

const log = createLogger('seal-settings');
const keyOf = (officeId: string) => `certificates.seal.${officeId}`;
const AUDIT_KEY = 'certificates.seal.audit';
/** Entries of the local seal audit kept (newest first). */
const AUDIT_KEEP = 100;

const Staff = z.object({ staffId: z.string(), name: z.string() });
export type SealActor = z.infer<typeof Staff>;

const StoredSeal = z.object({
  officeId: z.string(),
  imageKind: z.enum(['png', 'svg']),
  sealImage: z.string(),
  p12: z.string(),
  password: z.object({ box: z.enum(['safeStorage', 'keyFile']), value: z.string() }),
  subject: z.string(),
  issuer: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  fingerprint: z.string(),
  importedAt: z.number(),
  importedBy: Staff,
});
type StoredSeal = z.infer<typeof StoredSeal>;

/** The secret box of each workstation database (set by `SealSettingsStore`), for the issuing path. */
const boxes = new WeakMap<Db, SecretBox>();

function boxFor(db: Db): SecretBox {
  let box = boxes.get(db);
  if (!box) {
    if (db.memory) throw new AppError('bad_request', '印章设置无法读取（本机没有保存证书密码的密钥）。未出具任何文书。', 'no secret box for an in-memory database');
    box = keyFileSecretBox(path.dirname(db.name));
    boxes.set(db, box);
  }
  return box;
}

function stored(db: Db, officeId: string): StoredSeal | null {
  const raw = getMeta(db, keyOf(officeId));
  if (raw === null) return null;
  const parsed = StoredSeal.safeParse(JSON.parse(raw));
  if (!parsed.success) {
    log.error(`stored seal of ${officeId} is unreadable; the office issues with the specimen seal`);
    return null;
  }
  return parsed.data;
}

/**
 * The seal an office's documents get: its imported image and certificate, or — nothing configured —
 * only its name (the engine then draws the specimen seal 样章). Called by `caseIssuer`.
 */
export function configuredSeal(db: Db, officeId: string, officeName: string): OfficeSeal {
  const s = stored(db, officeId);
  if (!s) return { officeId, officeName };
  return {
    officeId,
    officeName,
    sealImage: new Uint8Array(Buffer.from(s.sealImage, 'base64')),
    p12: new Uint8Array(Buffer.from(s.p12, 'base64')),
    p12Password: openSecret(boxFor(db), s.password.box, s.password.value),
  };
}

function statusOf(officeId: string, officeName: string, s: StoredSeal | null): OfficeSealStatus {
  return {
    officeId,
    officeName,
    configured: s !== null,
    specimen: s === null,
    subject: s?.subject ?? null,
    issuer: s?.issuer ?? null,
    notBefore: s?.notBefore ?? null,
    notAfter: s?.notAfter ?? null,
    fingerprint: s?.fingerprint ?? null,
    imageKind: s?.imageKind ?? null,
    importedAt: s?.importedAt ?? null,
    importedBy: s?.importedBy ?? null,
  };
}

const isPng = (b: Uint8Array) => b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;

/** The engine's refusal, said for an import: nothing was issued is beside the point, nothing was changed is. */
async function refusedUnchanged<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    throw new AppError(err.code, `${err.message.replace(/未出具任何文书。?$/, '')}印章设置未更改。`, err.detail);
  }
}

export interface SealImport {
  officeId: string;
  /** The name the office issues under (on the specimen seal, and in the status). */
  officeName: string;
  sealImage: Uint8Array;
  p12: Uint8Array;
  password: string;
}

export class SealSettingsStore {
  constructor(
    private readonly d: {
      db: Db;
      box: SecretBox;
      now(): number;
      /** Runs inside the transaction of each change, with its audit entry (it goes to the hall's audit trail through the outbox). */
      recorded?(entry: SealAuditEntry): void;
    },
  ) {
    boxes.set(d.db, d.box);
  }

  get protection(): SecretBox['kind'] {
    return this.d.box.kind;
  }

  status(officeId: string, officeName: string): OfficeSealStatus {
    return statusOf(officeId, officeName, stored(this.d.db, officeId));
  }

  history(): SealAuditEntry[] {
    const raw = getMeta(this.d.db, AUDIT_KEY);
    const parsed = raw === null ? null : SealAuditEntry.array().safeParse(JSON.parse(raw));
    return parsed?.success ? parsed.data : [];
  }

  /**
   * Checks the seal image and the certificate (password, key and certificate match, valid now) —
   * the engine's Chinese message on any fault, nothing stored — then stores both, replacing what
   * the office had, with the audit entry in the same transaction.
   */
  async import(input: SealImport, by: SealActor): Promise<OfficeSealStatus> {
    const at = this.d.now();
    const id = await refusedUnchanged(async () => {
      await validateSealImage(input.sealImage);
      return checkSigningIdentity({ officeId: input.officeId, officeName: input.officeName, p12: input.p12, p12Password: input.password }, new Date(at));
    });
    const record: StoredSeal = {
      officeId: input.officeId,
      imageKind: isPng(input.sealImage) ? 'png' : 'svg',
      sealImage: Buffer.from(input.sealImage).toString('base64'),
      p12: Buffer.from(input.p12).toString('base64'),
      password: { box: this.d.box.kind, value: this.d.box.encrypt(input.password) },
      subject: id.subject,
      issuer: id.issuer,
      notBefore: id.notBefore.toISOString(),
      notAfter: id.notAfter.toISOString(),
      fingerprint: id.fingerprint,
      importedAt: at,
      importedBy: by,
    };
    this.d.db.transaction(() => {
      setMeta(this.d.db, keyOf(input.officeId), JSON.stringify(record));
      this.audit({ at, officeId: input.officeId, action: 'imported', staffId: by.staffId, name: by.name, fingerprint: id.fingerprint, subject: id.subject });
    })();
    log.info(`seal imported for ${input.officeId} by staff ${by.staffId}: certificate ${id.fingerprint.slice(0, 16)}…, valid until ${record.notAfter}`);
    return statusOf(input.officeId, input.officeName, record);
  }

  /** Back to the specimen seal; refused when the office has nothing configured. */
  remove(officeId: string, officeName: string, by: SealActor): OfficeSealStatus {
    const at = this.d.now();
    const was = stored(this.d.db, officeId);
    if (getMeta(this.d.db, keyOf(officeId)) === null) throw new AppError('bad_request', '该单位尚未导入印章，正在使用样章，无需删除。', `no seal configured for ${officeId}`);
    this.d.db.transaction(() => {
      this.d.db.prepare('DELETE FROM meta WHERE key = ?').run(keyOf(officeId));
      this.audit({ at, officeId, action: 'removed', staffId: by.staffId, name: by.name, fingerprint: was?.fingerprint ?? null, subject: was?.subject ?? null });
    })();
    log.info(`seal removed for ${officeId} by staff ${by.staffId}; documents get the specimen seal again`);
    return statusOf(officeId, officeName, null);
  }

  private audit(entry: SealAuditEntry): void {
    setMeta(this.d.db, AUDIT_KEY, JSON.stringify([entry, ...this.history()].slice(0, AUDIT_KEEP)));
    this.d.recorded?.(entry);
  }
}
