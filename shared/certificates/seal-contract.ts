import { z } from 'zod';
import { method } from '../contract-method.js';
import { OfficeId } from '../queue/types.js';

/**
 * 印章设置: the workstation methods an administrator uses to give an office its own seal image and
 * signing certificate (PKCS#12), see the state of each office this workstation serves, and go back
 * to the specimen seal (样章). Spread into `Contract` (shared/contract.ts). Only role `admin`: the
 * backend refuses anyone else (electron/backend/certificates/seal-settings-handlers.ts).
 * Nothing secret ever comes back: no image, no certificate file, no password.
 */

/** Largest seal image accepted (PNG/SVG) and largest PKCS#12 file, in bytes. */
export const SEAL_IMAGE_MAX_BYTES = 5 * 1024 * 1024;
export const SEAL_P12_MAX_BYTES = 256 * 1024;

const base64Of = (maxBytes: number, what: string) =>
  z
    .string()
    .min(1, `请选择${what}`)
    .max(Math.ceil((maxBytes * 4) / 3) + 4, `${what}过大（不能超过 ${Math.round(maxBytes / 1024)} KB）`)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, `${what}内容有误，请重新选择文件`);

export const SealImportInput = z
  .object({
    officeId: OfficeId,
    /** The seal image (transparent PNG or SVG), base64. */
    sealImage: base64Of(SEAL_IMAGE_MAX_BYTES, '印章图片'),
    /** The office's signing certificate with its key (.p12/.pfx), base64. */
    p12: base64Of(SEAL_P12_MAX_BYTES, '数字证书文件'),
    password: z.string().max(200, '证书密码过长'),
  })
  .strict();
export type SealImportInput = z.infer<typeof SealImportInput>;

/** One office's seal as the administrator sees it: configured or the specimen, never a secret. */
export const OfficeSealStatus = z.object({
  officeId: z.string(),
  officeName: z.string(),
  configured: z.boolean(),
  /** True while documents get the drawn specimen seal marked 样章 (nothing configured). */
  specimen: z.boolean(),
  subject: z.string().nullable(),
  issuer: z.string().nullable(),
  /** Certificate validity, ISO 8601. */
  notBefore: z.string().nullable(),
  notAfter: z.string().nullable(),
  /** SHA-256 of the certificate, hex. */
  fingerprint: z.string().nullable(),
  /** 'png' | 'svg' of the imported image. */
  imageKind: z.enum(['png', 'svg']).nullable(),
  importedAt: z.number().nullable(),
  importedBy: z.object({ staffId: z.string(), name: z.string() }).nullable(),
});
export type OfficeSealStatus = z.infer<typeof OfficeSealStatus>;

/** A seal import or removal, as recorded at this workstation (who, when, which certificate). */
export const SealAuditEntry = z.object({
  at: z.number(),
  officeId: z.string(),
  action: z.enum(['imported', 'removed']),
  staffId: z.string(),
  name: z.string(),
  fingerprint: z.string().nullable(),
  subject: z.string().nullable(),
});
export type SealAuditEntry = z.infer<typeof SealAuditEntry>;

export const SealSettingsView = z.object({
  offices: z.array(OfficeSealStatus),
  /** How the certificate password is kept: the system's key store (Electron) or a key file (browser preview). */
  passwordProtection: z.enum(['safeStorage', 'keyFile']),
  history: z.array(SealAuditEntry),
});
export type SealSettingsView = z.infer<typeof SealSettingsView>;

export const SealMethods = {
  'seal.status': method(z.object({}).strict(), SealSettingsView, { session: true }),
  /** Checks the image and the certificate (password, validity, key) and stores them; nothing is stored on a refusal. */
  'seal.import': method(SealImportInput, SealSettingsView, { session: true }),
  /** Back to the specimen seal (样章). */
  'seal.remove': method(z.object({ officeId: OfficeId }).strict(), SealSettingsView, { session: true }),
} as const;

export type SealMethodName = keyof typeof SealMethods;
export type SealMethodInput<M extends SealMethodName> = z.input<(typeof SealMethods)[M]['input']>;
export type SealMethodOutput<M extends SealMethodName> = z.infer<(typeof SealMethods)[M]['output']>;
