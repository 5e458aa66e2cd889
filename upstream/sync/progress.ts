/**
 * The `detail` of the hall's out_of_order refusal of a push, and how a window reads the hall's
 * progress back out of it. A push is refused as out of order when its first new mutation id is
 * beyond the client's last applied id + 1; since a window always pushes its oldest pending entry
 * first, that only happens when the hall no longer holds mutations it acknowledged (a database
 * restored from a backup): the window recovers from it (electron/backend/sync/lost-progress.ts).
 */
export function outOfOrderDetail(lastApplied: number, expected: number, got: number): string {
  return `lastApplied=${lastApplied}; expected mutationId ${expected}, got ${got}`;
}

/** The hall's last applied id named in an out_of_order detail, or null if it names none. */
export function lastAppliedOf(detail: string | undefined): number | null {
  const m = /(?:^|\W)lastApplied=(\d{1,15})(?:\D|$)/.exec(detail ?? '');
  return m ? Number(m[1]) : null;
}

/**
 * The `detail` of the hall's out_of_order refusal of a push whose ids it already holds with other
 * content (a window restored from an older disk image, see mutation-digest.ts): the first reused id
 * and the hall's progress, after which the window numbers that work again.
 */
export function idsReusedDetail(lastApplied: number, firstReused: number): string {
  return `reused=${firstReused}; lastApplied=${lastApplied}; mutation ids already applied with other content`;
}

/** The first reused id named in an out_of_order detail, or null if it names none. */
export function reusedFrom(detail: string | undefined): number | null {
  const m = /(?:^|\W)reused=(\d{1,15})(?:\D|$)/.exec(detail ?? '');
  return m ? Number(m[1]) : null;
}
