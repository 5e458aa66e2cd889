import { HallHttpError } from '../hall-client/http.js';
import { createLogger } from '../log.js';
import { getMeta, setMeta, type Db } from '../store/database.js';

const log = createLogger('re-enrol');

/**
 * A hall that no longer knows this workstation: its database was wiped (a fresh one, not a backup)
 * or the device was revoked, so it answers 401 to the device token on every call. Nothing the
 * window does by itself can mend that: an administrator must enrol the workstation again with a
 * new one-time code (re-enrol.ts carries the pending work over to the new enrolment).
 *
 * Seen on the pull, and — while the connection is down (a socket the hall refuses looks like any
 * lost link) — by asking the hall every PROBE_MS with a one-item pull on a client of its own (not
 * the puller's, whose retries and timing stay as they were). Kept in `meta` (so it survives a
 * restart), cleared when the hall accepts the device again and by a new enrolment. While set, the device
 * status says the workstation is not enrolled (the enrol form is offered again; nothing local is
 * dropped) and the sync status shows `unknownDeviceMessage`.
 */
export const DEVICE_UNKNOWN_KEY = 'device.unknown_to_hall';

/** For the clerk: `waiting` is the records plus attachments not yet uploaded. */
export function unknownDeviceMessage(waiting: number): string {
  return `大厅服务器已不认识本工作站（大厅数据可能已重置，或本机已被停用），请管理员重新登记本机；本机未上传的 ${waiting} 条记录和附件会保留并在登记后上传。`;
}

/** The hall refused the device token itself (unknown or revoked device), not a session or a PIN. */
export function isUnknownDevice(err: unknown): boolean {
  if (!(err instanceof HallHttpError) || err.status !== 401) return false;
  return /unknown or revoked device token|no device token/.test(err.detail ?? '') || err.message.startsWith('该工作站尚未登记');
}

export function hallForgotDevice(db: Db): boolean {
  return getMeta(db, DEVICE_UNKNOWN_KEY) !== null;
}

export function setHallForgotDevice(db: Db, forgot: boolean): void {
  if (forgot === hallForgotDevice(db)) return;
  if (forgot) setMeta(db, DEVICE_UNKNOWN_KEY, '1');
  else db.prepare('DELETE FROM meta WHERE key = ?').run(DEVICE_UNKNOWN_KEY);
}

/** While the connection is down, how often the hall is asked whether it still knows the device. */
export const PROBE_MS = 3000;

/**
 * Watches the window's device-authenticated calls and, while the connection is down, asks the hall
 * (every PROBE_MS, one call at a time) whether it still knows the device: a socket the hall refuses
 * looks like any lost connection, and the pusher's refusals are not told apart.
 */
export class HallRecognition {
  private timer: NodeJS.Timeout | null = null;
  private probing = false;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly hooks: {
      waiting(): number;
      changed(): void;
      /** The device token of the current enrolment (null when none). */
      currentToken(): string | null;
      /** True: the hall knows `deviceToken`; false: it does not (401); throws when unreachable. */
      probe(deviceToken: string): Promise<boolean>;
    },
  ) {}

  /**
   * Passes a call made with `deviceToken` through, noting whether the hall knows the device. An
   * answer about a token that is no longer the enrolment's (the window enrolled again while the call
   * was in flight) says nothing about the current one and is ignored.
   */
  watch<T>(call: Promise<T>, deviceToken: string): Promise<T> {
    return call.then(
      (v) => {
        this.answer(deviceToken, true);
        return v;
      },
      (err: unknown) => {
        if (isUnknownDevice(err)) this.answer(deviceToken, false);
        throw err;
      },
    );
  }

  /** The connection's state changed: probe while it is down, stop once it is up. */
  connectionChanged(online: boolean): void {
    if (online || this.closed) this.stop();
    else if (!this.timer) {
      this.timer = setInterval(() => void this.probeOnce(), PROBE_MS);
      this.timer.unref?.();
      void this.probeOnce();
    }
  }

  unknown(): boolean {
    return this.db.open && hallForgotDevice(this.db);
  }

  /** The sync status's hall notice: this one while the hall does not know the device, else `other`. */
  notice(other: string | null | undefined): string | null {
    return this.unknown() ? unknownDeviceMessage(this.hooks.waiting()) : (other ?? null);
  }

  close(): void {
    this.closed = true;
    this.stop();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async probeOnce(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      const token = this.hooks.currentToken();
      if (token !== null) this.answer(token, await this.hooks.probe(token));
    } catch {
      // Unreachable (or any other failure): nothing learnt; asked again later.
    } finally {
      this.probing = false;
    }
  }

  private answer(deviceToken: string, known: boolean): void {
    if (deviceToken === this.hooks.currentToken()) this.set(!known);
  }

  private set(forgot: boolean): void {
    if (!this.db.open || forgot === this.unknown()) return; // an answer arriving after close
    setHallForgotDevice(this.db, forgot);
    if (forgot) log.warn('the hall does not know this device any more (401 on the device token): enrol again; pending work is kept');
    else log.info('the hall knows this device again');
    this.hooks.changed();
  }
}
