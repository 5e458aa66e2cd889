import type { HallInput } from '../../../shared/hall/api.js';
import { AppError } from '../../../shared/errors.js';
import { forgetHallCopies } from '../attachments/attachment-store.js';
import { HallHttp } from '../hall-client/http.js';
import { createLogger } from '../log.js';
import type { Db } from '../store/database.js';
import type { Outbox } from '../store/outbox.js';
import { isUnknownDevice, setHallForgotDevice } from './re-enrol-notice.js';
import { bindReplica, calendarVersion, caseCursor, catalogVersion, pullCursor, referenceVersion } from './replica.js';

const log = createLogger('re-enrol');

/**
 * Enrolling again while work waits to be uploaded: the hall no longer knows this workstation (its
 * database wiped, see re-enrol-notice.ts), so the old client id and its mutation ids mean nothing
 * to it, and the pending work must reach it under the new enrolment, each mutation exactly once.
 *
 *  1. Before the one-time code is used, the hall is asked whether it still knows the old device
 *     token (`hallKnowsDevice`). If it does, the work belongs to that enrolment: enrolling again is
 *     refused as before (upload first), since a mutation the hall applied but whose answer was lost
 *     would be applied twice under a new client id.
 *  2. The new enrolment must be for the same office (`refuseOtherOffice`): the pending tickets,
 *     cases and attachments are that office's. Refused otherwise, with nothing changed locally.
 *  3. `carryOverPendingWork`, in ONE transaction: the outbox is tied to the new client id and its
 *     pending entries numbered from 1 in their order (the hall has never seen the new id: its
 *     progress for it is 0), local records following; refused entries stay parked; the replica is
 *     dropped as for a hall reset (hall-reset.ts: cursors, epoch, marks, pulled tickets and cases)
 *     and pulled again from 0; attachments are marked to be asked about again and uploaded.
 * The caller stores the new enrolment after the commit: a crash between the two leaves the outbox
 * under a client id the settings do not name; the hall refuses the old token, so the clerk enrols
 * again and the work is carried over once more (nothing was pushed under the intermediate id).
 */
export interface CarriedOver {
  /** Pending outbox entries now numbered under the new client id. */
  mutations: number;
  /** Attachments that will be asked about (HEAD) and uploaded again. */
  attachments: number;
}

/** True when the hall at `url` accepts `deviceToken`; false when it does not know it (401). Other failures are thrown. */
export async function hallKnowsDevice(db: Db, url: string, deviceToken: string): Promise<boolean> {
  // A pull at the window's cursors with the versions it holds: a small page when the hall knows the device.
  const input: HallInput<'pull'> = { cursor: pullCursor(db), caseCursor: caseCursor(db), limit: 1 };
  const [reference, catalog, calendars] = [referenceVersion(db), catalogVersion(db), calendarVersion(db)];
  if (reference !== null) input.referenceVersion = reference;
  if (catalog !== null) input.catalogVersion = catalog;
  if (calendars !== null) input.calendarVersion = calendars;
  try {
    await new HallHttp(url).call('pull', input, { deviceToken });
    return true;
  } catch (err) {
    if (isUnknownDevice(err)) return false;
    throw err;
  }
}

/** Refuses an enrolment for another office than the one the pending work belongs to. */
export function refuseOtherOffice(current: { office: string | null; officeName: string | null }, next: { office: string; officeName: string }, waiting: number): void {
  if (current.office === null || current.office === next.office) return;
  throw new AppError(
    'conflict',
    `本机还有 ${waiting} 条记录和附件未上传，属于“${current.officeName ?? current.office}”，不能登记到“${next.officeName}”。请使用“${current.officeName ?? current.office}”的登记码重新登记；本机记录未作任何改动（该登记码已作废）。`,
    `re-enrol refused: pending work of ${current.office}, code of ${next.office}`,
  );
}

/** Carries the pending work over to the new client id (see the top of this file), in one transaction. */
export function carryOverPendingWork(db: Db, outbox: Outbox, clientId: string): CarriedOver {
  return db.transaction((): CarriedOver => {
    const mutations = outbox.carryOver(clientId, 0);
    bindReplica(db, clientId);
    const attachments = forgetHallCopies(db);
    setHallForgotDevice(db, false);
    log.warn(`re-enrolled as ${clientId}: ${mutations} pending mutation(s) numbered again from 1, replica dropped, ${attachments} attachment(s) to upload again`);
    return { mutations, attachments };
  })();
}
