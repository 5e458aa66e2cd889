import type { CaseState } from '../../shared/case/types.js';
import { AppError } from '../../shared/errors.js';
import type { CaseMutation } from '../../shared/hall/api.js';
import { SignedRecord } from '../../electron/backend/certificates/record.js';
import type { CertificateStore } from './store.js';

/**
 * What a window's certificate actions do on the hall besides the case log, applied by sync/push.ts
 * inside the transaction of the case action (so the record and the action commit together, and a
 * refused record refuses the action):
 *  - `certificate_issued` (or `notice_document_issued`) with its verification record: the office's SM2 public key is registered
 *    and the record stored (store.putRecord checks the signature) — only a device enrolled to the
 *    record's office may publish it, and only for a case of that office;
 *  - `certificate_revoked`: the document's record is marked revoked (shown on /verify/:id).
 */
export function applyCertificateEffects(
  store: CertificateStore,
  device: { office: string },
  m: CaseMutation,
  /** The case after the action. */
  state: CaseState | undefined,
  at: number,
): void {
  const a = m.action;
  if ((a.type === 'certificate_issued' || a.type === 'notice_document_issued') && a.verification) {
    const parsed = SignedRecord.safeParse(a.verification.signed);
    if (!parsed.success) throw new AppError('bad_request', '核验记录格式有误，不予接收。', parsed.error.issues[0]?.message);
    const r = parsed.data.record;
    if (r.id !== a.verification.id) throw new AppError('bad_request', '核验记录与证照不对应，不予接收。', `record ${r.id} vs ${a.verification.id}`);
    if (r.number !== a.documentNo) throw new AppError('bad_request', '核验记录的文号与证照不一致，不予接收。', `record number ${r.number} vs ${a.documentNo}`);
    if (r.officeId !== device.office || state?.office !== device.office) {
      throw new AppError('forbidden', '只能发布本办理机构出具文书的核验记录。', `record of ${r.officeId} from a device of ${device.office}`);
    }
    store.addOfficeKey(r.officeId, r.publicKey, at);
    store.putRecord(parsed.data, at);
    return;
  }
  if (a.type === 'certificate_revoked') {
    const verifyId = state?.certificates.find((c) => c.documentNo === a.documentNo)?.verifyId;
    // A document issued before verification records existed has nothing to revoke on the hall.
    if (verifyId && store.getRecord(verifyId)) store.revoke(verifyId, a.reason, m.staffId, at);
  }
}
