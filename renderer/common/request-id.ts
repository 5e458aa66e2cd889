/**
 * Idempotency keys for kiosk and window requests (matches /^[A-Za-z0-9_-]{8,64}$/).
 * Uses getRandomValues, which unlike randomUUID also exists on plain-http pages in the hall's LAN.
 */
export function newRequestId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
