import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors.js';
import type { StaffView, WindowView } from '../../shared/hall/views.js';
import { SEAT_REQUIRED_MESSAGE, watchesHall, type StaffConfig } from '../../shared/office/config.js';
import type { QueueEngine } from '../queue/engine.js';
import type { DeviceRow, HallStore, SessionRow } from '../store/hall-store.js';
import { dummyPinHash, verifyPin } from './pin.js';
import { revokedDevices } from './devices.js';
import { PinLockout } from './pin-lockout.js';
import { hashToken, newEnrolmentCode, newToken } from './tokens.js';

/**
 * Who may do what at the hall: workstation enrolment (one-time codes), device tokens, staff sign-in
 * with PIN (slow KDF, lockout after repeated failures), window sessions.
 */
export const UNENROLLED_MESSAGE = '该工作站尚未登记或已被停用，请联系管理员登记';
export const SESSION_EXPIRED_MESSAGE = '登录已失效，请重新登录';
/** A sign-in lasts at most this long (a day shift with its overtime); then staff sign in again. */
export const SESSION_MAX_MS = 12 * 3_600_000;
export const SESSION_TOO_OLD_MESSAGE = '登录已超过 12 小时，为保护办件数据已自动退出，请重新登录';
const BAD_PIN_MESSAGE = '工号或密码错误';
export const DEFAULT_ENROL_TTL_MS = 30 * 60_000;

export interface SessionContext {
  device: DeviceRow;
  session: SessionRow;
}

export class Access {
  private readonly lockout: PinLockout;
  private readonly settledRevoked = new Set<string>();

  constructor(
    private readonly store: HallStore,
    private readonly queue: QueueEngine,
    private readonly now: () => number,
  ) {
    this.lockout = new PinLockout(store.db, (fn) => store.transaction(fn), now);
  }

  createEnrolmentCode(office: string, ttlMs = DEFAULT_ENROL_TTL_MS): string {
    const code = createEnrolmentCode(this.store, office, ttlMs, this.now(), (id) => this.queue.hasOffice(id));
    this.store.flush(); // handed out synchronously: make it durable before it leaves
    return code;
  }

  enroll(code: string, deviceName: string) {
    const at = this.now();
    const deviceId = randomUUID();
    const deviceToken = newToken();
    const clientId = `c-${randomUUID()}`;
    const office = this.store.transaction(() => {
      const r = this.store.useEnrolCode(hashToken(code), at, deviceId);
      if ('refused' in r) {
        const why = r.refused === 'expired' ? '登记码已过期' : r.refused === 'used' ? '登记码已使用过' : '登记码无效';
        throw new AppError('unauthorized', `${why}，请向管理员索取新的登记码。`, `enrol code ${r.refused}`);
      }
      this.store.insertDevice({ id: deviceId, office: r.office, name: deviceName, tokenHash: hashToken(deviceToken), clientId, enrolledAt: at });
      return r.office;
    });
    const o = this.queue.office(office);
    return { deviceId, deviceToken, clientId, office, officeName: o.name, windows: this.queue.officeWindows(office) };
  }

  device(token: string | undefined): DeviceRow {
    const d = token ? this.store.deviceByTokenHash(hashToken(token)) : undefined;
    if (!d || d.revoked) throw new AppError('unauthorized', UNENROLLED_MESSAGE, token ? 'unknown or revoked device token' : 'no device token');
    return d;
  }

  session(deviceToken: string | undefined, sessionToken: string | undefined): SessionContext {
    const device = this.device(deviceToken);
    const session = sessionToken ? this.store.sessionByTokenHash(hashToken(sessionToken)) : undefined;
    if (!session || session.deviceId !== device.id) {
      throw new AppError('unauthorized', SESSION_EXPIRED_MESSAGE, session ? 'session of another device' : 'no or ended session');
    }
    if (this.now() - session.createdAt > SESSION_MAX_MS) {
      // Left signed in (overnight, or a computer nobody signed out of): ended as a sign-out would.
      this.endSession({ device, session });
      throw new AppError('unauthorized', SESSION_TOO_OLD_MESSAGE, `session of ${session.staffId} older than ${SESSION_MAX_MS / 3_600_000} h`);
    }
    return { device, session };
  }

  /** Verifies a staff member's PIN, counting failures per staff id. */
  async verifyStaff(staffId: string, pin: string): Promise<StaffConfig> {
    this.lockout.check(staffId);
    const staff = this.queue.staffMember(staffId);
    const ok = await verifyPin(pin, staff?.pinHash ?? (await dummyPinHash()));
    if (!staff || !ok) {
      this.lockout.failed(staffId);
      throw new AppError('unauthorized', BAD_PIN_MESSAGE, `bad pin for ${staffId}`);
    }
    this.lockout.succeeded(staffId);
    return staff;
  }

  /**
   * Signs staff in at a window, or — a supervisor or administrator, `windowId` omitted — without
   * taking any window's seat (值班登录): the window stays as it was (not opened, its clerk not
   * displaced), so estimates, the live view and its alarms are not skewed by someone who does not serve.
   */
  async signIn(
    device: DeviceRow,
    input: { staffId: string; pin: string; windowId?: string | undefined },
  ): Promise<{ sessionToken: string; staff: StaffView; window: WindowView | null }> {
    const windowId = input.windowId ?? null;
    if (windowId !== null && this.queue.windowOffice(windowId) !== device.office) {
      throw new AppError('forbidden', '该窗口不属于本工作站所在大厅，请选择本大厅的窗口。', `window ${windowId} not in ${device.office}`);
    }
    const staff = await this.verifyStaff(input.staffId, input.pin);
    if (staff.office !== device.office) {
      throw new AppError('forbidden', '该工作人员不属于本大厅，不能在此登录。', `staff ${staff.id} of ${staff.office}`);
    }
    if (windowId === null && !watchesHall(staff.roles)) {
      throw new AppError('forbidden', SEAT_REQUIRED_MESSAGE, `staff ${staff.id} (${staff.roles.join(',')}) signed in without a window`);
    }
    const sessionToken = newToken();
    const at = this.now();
    this.store.transaction(() => {
      // One clerk per window: a new sign-in takes the window over (e.g. after a workstation crash).
      if (windowId !== null) for (const s of this.store.sessionsAtWindow(windowId)) this.store.endSession(s.tokenHash, at);
      this.store.insertSession({ tokenHash: hashToken(sessionToken), deviceId: device.id, staffId: staff.id, windowId, createdAt: at });
      if (windowId !== null) this.queue.signedIn(windowId, staff.id);
    });
    return {
      sessionToken,
      staff: { id: staff.id, name: staff.name, office: staff.office, roles: staff.roles },
      window: windowId === null ? null : this.queue.windowView(windowId),
    };
  }

  /**
   * Devices revoked since the last call (by `onewindow hall device revoke`, another process): a
   * window one of their ended sessions still holds in the queue is closed, as a sign-out would.
   * Returns their ids (their sockets are closed by the caller).
   */
  settleRevoked(): string[] {
    const found = revokedDevices(this.store.db, this.settledRevoked);
    for (const d of found) {
      this.settledRevoked.add(d.id);
      for (const w of d.windows) {
        let view;
        try {
          view = this.queue.windowView(w.windowId);
        } catch {
          continue; // a window no longer configured
        }
        if (view.staffId !== w.staffId || this.store.sessionsAtWindow(w.windowId).length > 0) continue;
        this.store.transaction(() => this.queue.signedOut(w.windowId, w.staffId));
      }
    }
    return found.map((d) => d.id);
  }

  signOut(ctx: SessionContext): void {
    this.endSession(ctx);
  }

  private endSession(ctx: SessionContext): void {
    this.store.transaction(() => {
      this.store.endSession(ctx.session.tokenHash, this.now());
      if (ctx.session.windowId !== null) this.queue.signedOut(ctx.session.windowId, ctx.session.staffId);
    });
  }
}

/** Stores a one-time enrolment code (hashed) and returns it. Shared by the server and the CLI. */
export function createEnrolmentCode(store: HallStore, office: string, ttlMs: number, at: number, officeExists: (id: string) => boolean): string {
  if (!officeExists(office)) throw new AppError('not_found', '没有找到该办事大厅。', `unknown office ${office}`);
  for (;;) {
    const code = newEnrolmentCode();
    try {
      store.insertEnrolCode(hashToken(code), office, at, at + ttlMs);
      return code;
    } catch (err) {
      if (!String(err).includes('UNIQUE')) throw err;
    }
  }
}
