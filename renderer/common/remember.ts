/** Choices remembered on this workstation (the capture dialog's camera, resolution, scanner and tab; the sign-in's 值班登录), by key. */
const PREFIX = 'onewindow.';

export function remembered<T>(key: string, fallback: T): T {
  try {
    const v = localStorage.getItem(PREFIX + key);
    return v === null ? fallback : (JSON.parse(v) as T);
  } catch {
    return fallback;
  }
}

export function remember(key: string, value: unknown): void {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    /* storage unavailable: chosen again next time */
  }
}
