import { createHash, randomBytes, randomInt } from 'node:crypto';

/** Bearer tokens (device, session, rating): 32 random bytes, base64url. Stored only as SHA-256. */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ'; // no I, O: read aloud over the phone
const CODE_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function pick(alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

/** One-time enrolment code, `ABCD-1234`. */
export function newEnrolmentCode(): string {
  return `${pick(LETTERS, 4)}-${pick('0123456789', 4)}`;
}

/** Appointment code as printed on a booking confirmation: 8 characters, no look-alikes. */
export function newAppointmentCode(): string {
  return pick(CODE_CHARS, 8);
}
