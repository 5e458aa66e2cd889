import { z } from 'zod';

/**
 * The workstation's own settings: who it is (enrolment with the hall server) and where it stands.
 * Electron keeps them with electron-store (main.ts); plain Node (tests, the browser preview) uses
 * the JSON file store next to this file. The session token is never a setting: it lives in memory.
 */
export const Settings = z.object({
  deviceName: z.string().max(60).nullable().default(null),
  /** The hall server this workstation is enrolled with; null = none configured (embedded hall if allowed). */
  hallUrl: z.string().max(200).nullable().default(null),
  deviceToken: z.string().max(200).nullable().default(null),
  deviceId: z.string().max(100).nullable().default(null),
  /** Sync identity: every outbox mutation carries (clientId, mutationId). */
  clientId: z.string().max(64).nullable().default(null),
  office: z.string().max(40).nullable().default(null),
  officeName: z.string().max(60).nullable().default(null),
  /** The window this workstation usually stands at (preselected at sign-in). */
  windowId: z.string().max(48).nullable().default(null),
});
export type Settings = z.infer<typeof Settings>;
export type SettingsPatch = Partial<Settings>;

export function defaultSettings(): Settings {
  return Settings.parse({});
}

export interface SettingsStore {
  get(): Settings;
  /** Merges the patch, persists durably, returns the new settings. */
  set(patch: SettingsPatch): Settings;
}

/** Settings kept in memory only (tests). */
export function memorySettingsStore(initial: SettingsPatch = {}): SettingsStore {
  let current: Settings = Settings.parse({ ...initial });
  return {
    get: () => ({ ...current }),
    set(patch) {
      current = Settings.parse({ ...current, ...patch });
      return { ...current };
    },
  };
}
