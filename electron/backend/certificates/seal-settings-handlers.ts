import type { SealMethods, SealSettingsView } from '../../../shared/certificates/seal-contract.js';
import { AppError } from '../../../shared/errors.js';
import type { StaffView } from '../../../shared/hall/views.js';
import type { CatalogProvider } from '../catalog/window-catalog.js';
import type { HandlerImpl } from '../handlers.js';
import type { Db } from '../store/database.js';
import type { Outbox } from '../store/outbox.js';
import { referenceData } from '../sync/replica-reference.js';
import { caseIssuer } from './issuing-office.js';
import type { SecretBox } from './seal-settings-secret.js';
import { SealSettingsStore, type SealActor } from './seal-settings.js';

type SealMethodName = keyof typeof SealMethods;

export interface SealHandlerDeps {
  db: Db;
  catalogs: Pick<CatalogProvider, 'office'>;
  /** Keeps the certificate passwords: safeStorage in Electron, a key file otherwise. */
  box: SecretBox;
  now(): number;
  /** The office this workstation is enrolled for (the offices it issues for), null before enrolment. */
  office(): string | null;
  /** The signed-in staff member, null when nobody is. */
  staff(): StaffView | null;
  /** The window of the signed-in session (null: signed in without one, 值班登录). */
  windowId(): string | null;
  /** Each change also goes to the hall's audit trail, in the transaction that makes it. */
  outbox: Pick<Outbox, 'append'>;
}

export const SEAL_ADMIN_ONLY = '只有系统管理员可以查看和修改印章设置。';

/**
 * The contract's seal methods (shared/certificates/seal-contract.ts): only a signed-in
 * administrator, and only for the office this workstation serves (its documents are signed here,
 * offline, with what is stored here).
 */
export function sealSettingsHandlers(d: SealHandlerDeps): Pick<HandlerImpl, SealMethodName> {
  const store = new SealSettingsStore({
    db: d.db,
    box: d.box,
    now: d.now,
    recorded: (e) =>
      d.outbox.append(
        { kind: 'settings_audit', what: e.action === 'imported' ? 'seal.imported' : 'seal.removed', officeId: e.officeId, fingerprint: e.fingerprint, subject: e.subject, windowId: d.windowId(), staffId: e.staffId, at: e.at },
        `印章设置：${e.action === 'imported' ? '导入' : '删除'}印章（${e.officeId}）`,
      ),
  });

  const admin = (): SealActor => {
    const staff = d.staff();
    if (!staff) throw new AppError('unauthorized', '请先登录');
    if (!staff.roles.includes('admin')) throw new AppError('forbidden', SEAL_ADMIN_ONLY, `staff ${staff.id} (${staff.roles.join(',')}) asked for seal settings`);
    return { staffId: staff.id, name: staff.name };
  };
  /** The office named, if this workstation serves it; the name its documents are issued under. */
  const served = (officeId: string): string => {
    if (officeId !== d.office()) {
      throw new AppError('forbidden', '本工作站只能设置其所属办理机构的印章，请在该机构的工作站上设置。', `office ${officeId}, workstation of ${d.office() ?? 'none'}`);
    }
    return caseIssuer(d.db, officeId, d.catalogs.office(officeId), referenceData(d.db).office?.hallName).office.officeName;
  };
  const view = (): SealSettingsView => {
    const office = d.office();
    return {
      offices: office ? [store.status(office, served(office))] : [],
      passwordProtection: store.protection,
      history: store.history(),
    };
  };
  const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

  return {
    'seal.status': async () => {
      admin();
      return view();
    },
    'seal.import': async (i) => {
      const by = admin();
      const officeName = served(i.officeId);
      await store.import({ officeId: i.officeId, officeName, sealImage: bytes(i.sealImage), p12: bytes(i.p12), password: i.password }, by);
      return view();
    },
    'seal.remove': async (i) => {
      const by = admin();
      store.remove(i.officeId, served(i.officeId), by);
      return view();
    },
  };
}
