import { z } from 'zod';
import type { DeviceStatus } from '../../../shared/contract.js';
import { AppError } from '../../../shared/errors.js';
import { WindowView } from '../../../shared/hall/views.js';
import { HallHttp } from '../hall-client/http.js';
import { createLogger } from '../log.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { getMeta, setMeta, type Db } from '../store/database.js';
import type { Outbox } from '../store/outbox.js';
import { hallForgotDevice, setHallForgotDevice } from '../sync/re-enrol-notice.js';
import { carryOverPendingWork, hallKnowsDevice, refuseOtherOffice } from '../sync/re-enrol.js';

const log = createLogger('device');
const WINDOWS_KEY = 'device.windows';
/** Which hall the stored device token belongs to: a URL, or 'embedded'. */
export const ENROLLED_HALL_KEY = 'device.enrolled_hall';
export const EMBEDDED = 'embedded';

export interface DeviceDeps {
  db: Db;
  settings: SettingsStore;
  outbox: Outbox;
  /** The hall the workstation talks to now (opts.hallUrl, settings, or the embedded hall). */
  hallUrl(): string | null;
  embeddedHall(): boolean;
  /** The device is now enrolled with `hallUrl`: reconnect. */
  enrolled(hallUrl: string): void;
  /** Attachments not yet uploaded (counted in the re-enrolment messages). */
  attachmentsWaiting?(): number;
}

/**
 * Enrolment of this workstation with a hall server (one-time code → device token and sync client
 * id, kept in the settings) and the device's status for the UI.
 */
export class DeviceService {
  constructor(private readonly d: DeviceDeps) {}

  status(): DeviceStatus {
    const s = this.d.settings.get();
    const hallUrl = this.d.hallUrl();
    const windows = this.windows();
    const windowId = s.windowId ?? windows[0]?.id ?? null;
    const publicPages =
      hallUrl && s.office
        ? {
            kiosk: new URL(`/kiosk?office=${encodeURIComponent(s.office)}`, hallUrl).toString(),
            display: new URL(`/display?office=${encodeURIComponent(s.office)}`, hallUrl).toString(),
            evaluator: new URL(`/evaluator?windowId=${encodeURIComponent(windowId ?? '')}`, hallUrl).toString(),
          }
        : null;
    return {
      // A hall that no longer knows the device (re-enrol-notice.ts): offer the enrol form again; nothing local is dropped.
      enrolled: s.deviceToken !== null && !hallForgotDevice(this.d.db),
      deviceName: s.deviceName,
      office: s.office,
      officeName: s.officeName,
      hallUrl,
      embeddedHall: this.d.embeddedHall(),
      windows,
      windowId,
      publicPages,
    };
  }

  /**
   * Enrols with the hall at `hallUrl` using a one-time code. `embedded` marks the workstation's own
   * loopback hall, whose URL is not stored (its port may change between starts).
   */
  async enroll(input: { hallUrl: string; code: string; deviceName: string }, opts: { embedded?: boolean } = {}): Promise<DeviceStatus> {
    const url = normaliseUrl(input.hallUrl);
    const pending = this.d.outbox.pendingCount();
    const current = this.d.settings.get();
    // Re-enrolment with pending work (sync/re-enrol.ts): only where the hall no longer knows this device.
    const carry = pending > 0 && current.clientId !== null;
    if (carry && (current.deviceToken === null || (await hallKnowsDevice(this.d.db, url, current.deviceToken)))) {
      throw new AppError('conflict', `本机还有 ${pending} 条办理记录未上传，请先恢复与原大厅服务器的连接完成上传，再重新登记。`);
    }
    const res = await new HallHttp(url).call('enroll', { code: input.code.trim().toUpperCase(), deviceName: input.deviceName });
    if (carry) {
      refuseOtherOffice(current, res, pending + (this.d.attachmentsWaiting?.() ?? 0));
      carryOverPendingWork(this.d.db, this.d.outbox, res.clientId);
    } else {
      this.d.outbox.bindClient(res.clientId);
      setHallForgotDevice(this.d.db, false);
    }
    this.d.settings.set({
      deviceName: input.deviceName,
      hallUrl: opts.embedded ? null : url,
      deviceToken: res.deviceToken,
      deviceId: res.deviceId,
      clientId: res.clientId,
      office: res.office,
      officeName: res.officeName,
      windowId: res.windows.some((w) => w.id === current.windowId) ? current.windowId : (res.windows[0]?.id ?? null),
    });
    setMeta(this.d.db, WINDOWS_KEY, JSON.stringify(res.windows));
    setMeta(this.d.db, ENROLLED_HALL_KEY, opts.embedded ? EMBEDDED : url);
    log.info(`enrolled with ${opts.embedded ? 'the embedded hall' : url} as ${res.deviceId} (office ${res.office})`);
    this.d.enrolled(url);
    return this.status();
  }

  enrolledHall(): string | null {
    return getMeta(this.d.db, ENROLLED_HALL_KEY);
  }

  private windows(): WindowView[] {
    const raw = getMeta(this.d.db, WINDOWS_KEY);
    if (!raw) return [];
    const parsed = z.array(WindowView).safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  }
}

function normaliseUrl(u: string): string {
  const url = new URL(u);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('bad_request', '大厅服务器地址应以 http:// 或 https:// 开头。');
  return url.origin;
}
