import { z } from 'zod';

/**
 * Boundary schemas for what the checks take from outside the form: registry answers (through the
 * hall server, cached at the window, `stale` when they could not be refreshed) and open cases.
 */
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date is YYYY-MM-DD');

export const EnterpriseRecord = z.object({
  uscc: z.string().min(1).max(18),
  name: z.string().min(1).max(200),
  legalRep: z.string().min(1).max(100).optional(),
  /** 登记状态 as the registry says it: 存续, 在业, 注销, 吊销, 迁出, 撤销 ... */
  status: z.string().min(1).max(40),
  address: z.string().max(300).optional(),
});
export type EnterpriseRecord = z.infer<typeof EnterpriseRecord>;

export const IssuedCertificate = z.object({
  template: z.string().min(1).max(60),
  name: z.string().max(100).optional(),
  documentNo: z.string().min(1).max(60),
  /** The holder's ID number or credit code. */
  holder: z.string().min(1).max(18),
  issuedOn: IsoDate,
  validUntil: IsoDate.optional(),
  revoked: z.boolean().optional(),
});
export type IssuedCertificate = z.infer<typeof IssuedCertificate>;

const answerBase = { key: z.string().min(1).max(18), stale: z.boolean(), fetchedAt: z.string().min(1).max(40) };
export const RegistryAnswer = z.discriminatedUnion('registry', [
  z.object({ registry: z.literal('enterprise'), ...answerBase, record: EnterpriseRecord.nullable() }),
  z.object({ registry: z.literal('certificates'), ...answerBase, certificates: z.array(IssuedCertificate).max(200) }),
]);
export type RegistryAnswer = z.infer<typeof RegistryAnswer>;

/** A case not finished yet, for the duplicate check; `applicantKeys` come from `applicantKeys(form)`. */
export const OpenCase = z.object({
  caseId: z.string().min(1).max(80),
  caseNo: z.string().max(40).optional(),
  /** Matter codes of the case. */
  matters: z.array(z.string().max(40)).max(30),
  applicantKeys: z.array(z.string().max(220)).max(20),
  openedOn: IsoDate.optional(),
});
export type OpenCase = z.infer<typeof OpenCase>;
