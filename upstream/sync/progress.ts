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
