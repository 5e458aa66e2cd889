/**
 * Staffed time of windows, from the hall's window log (sign-in, sign-out, pause, unpause and every
 * ticket action taken at the window). Utilisation and throughput per hour are measured against it.
 *
 * Rules, per window and business day:
 *  - staffed: a clerk is signed in and the window is not paused; paused time is counted apart;
 *  - a session still open when the day began (nobody signed out the night before) counts from the
 *    window's first logged action of the day, not from midnight;
 *  - a session still open when a past day ended counts up to the window's last logged action of
 *    that day; today's open session counts up to now.
 */
export interface WindowLogEvent {
  windowId: string;
  /** signed_in, signed_out, paused, unpaused, called, recalled, resumed, ticket_action */
  type: string;
  at: number;
  staffId: string | undefined;
}

export interface PresenceAtStart {
  staffId: string;
  paused: boolean;
}

export interface StaffedTime {
  windowId: string;
  staffId: string;
  staffedMs: number;
  pausedMs: number;
}

/** The state a presence event leaves a window in (other events leave it as it was). */
export function applyPresence(state: PresenceAtStart | undefined, e: WindowLogEvent): PresenceAtStart | undefined {
  switch (e.type) {
    case 'signed_in':
      return { staffId: e.staffId ?? '', paused: false };
    case 'signed_out':
      return state && e.staffId !== undefined && e.staffId !== state.staffId ? state : undefined;
    case 'paused':
      return state ? { ...state, paused: true } : state;
    case 'unpaused':
      return state ? { ...state, paused: false } : state;
    default:
      return state;
  }
}

/**
 * Staffed and paused time per (window, clerk) within one day.
 * @param atStart each window's presence when the day began (from the last presence event before it)
 * @param events the day's window events, in log order
 * @param end now for today; for a past day, the day's end (open sessions then stop at the last action)
 */
export function staffedTime(
  atStart: ReadonlyMap<string, PresenceAtStart>,
  events: readonly WindowLogEvent[],
  opts: { dayEnd: number; pastDay: boolean },
): StaffedTime[] {
  const byWindow = new Map<string, WindowLogEvent[]>();
  for (const e of events) {
    const list = byWindow.get(e.windowId);
    if (list) list.push(e);
    else byWindow.set(e.windowId, [e]);
  }
  const out = new Map<string, StaffedTime>();
  const add = (windowId: string, s: PresenceAtStart, ms: number) => {
    if (ms <= 0) return;
    const key = `${windowId}\u0000${s.staffId}`;
    const row = out.get(key) ?? { windowId, staffId: s.staffId, staffedMs: 0, pausedMs: 0 };
    if (s.paused) row.pausedMs += ms;
    else row.staffedMs += ms;
    out.set(key, row);
  };
  for (const windowId of new Set([...atStart.keys(), ...byWindow.keys()])) {
    const list = byWindow.get(windowId) ?? [];
    let state = atStart.get(windowId);
    // A session carried over from an earlier day with no action in this one was not staffed.
    if (list.length === 0) continue;
    let since = list[0]!.at;
    for (const e of list) {
      if (state) add(windowId, state, e.at - since);
      since = e.at;
      state = applyPresence(state, e);
    }
    if (state) add(windowId, state, (opts.pastDay ? list[list.length - 1]!.at : Math.max(opts.dayEnd, since)) - since);
  }
  const key = (r: StaffedTime) => `${r.windowId}\u0000${r.staffId}`;
  return [...out.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
