import { randomUUID } from 'node:crypto';
import type { PanelState, Session } from '../../../shared/contract.js';
import { AppError } from '../../../shared/errors.js';
import { NEEDS_HALL, type WindowTicketAction } from '../../../shared/hall/api.js';
import type { StaffView, WindowPanel, WindowView } from '../../../shared/hall/views.js';
import { NO_SEAT_MESSAGE } from '../../../shared/office/config.js';
import { ACTION_LABEL } from '../../../shared/queue/ticket-reducer.js';
import type { HallConnection } from '../hall-client/connection.js';
import { HallHttpError, OFFLINE_MESSAGE } from '../hall-client/http.js';
import { createLogger } from '../log.js';
import { CoalescedRun } from '../sync/coalesced-run.js';
import type { Db } from '../store/database.js';
import type { Outbox, OutboxEntry } from '../store/outbox.js';
import type { Pusher } from '../sync/pusher.js';
import { applyLocally, applyToPanel } from './local-ticket.js';
import { loadPanel, savePanel } from './panel-cache.js';

const log = createLogger('queue');
export const CALL_BLOCKED_OFFLINE = '大厅服务器连接中断，暂不能叫号';
/** How long an action waits for its push before answering with the local result. */
const ACTION_PUSH_WAIT_MS = 2500;
const FLUSH_BEFORE_CALL_FAILED = '还有办理记录未上传到大厅服务器，上传完成前暂不能叫号，请稍后重试。';

interface ActiveSession {
  token: string;
  staff: StaffView;
  /** Null: signed in without a window's seat (值班登录, supervisors and administrators). */
  window: WindowView | null;
  signedInAt: number;
}
type SeatedSession = ActiveSession & { window: WindowView };

export interface QueueDeps {
  db: Db;
  outbox: Outbox;
  pusher: Pusher;
  connection(): HallConnection | null;
  deviceToken(): string | null;
  /** Remember the window the clerk signed in at (settings). */
  rememberWindow(windowId: string): void;
  now(): number;
  /** The panel state changed; push it to the UI. */
  changed(): void;
  /** How far the pull has got (added to SyncStatus). */
  pullStatus?(): { lastPullAt: number | null; pullCursor: number; hallNotice?: string | null; unknownToHall?: boolean };
  /** Attachments still to upload (added to SyncStatus). */
  attachmentStatus?(): { pendingAttachments: number; pendingAttachmentBytes: number };
}

/**
 * The window's side of the hall's ticket queue: the clerk's session (token in memory only), the
 * panel (the hall's, with still-pending local actions applied on top), and the actions.
 *  - Calling, resuming, pausing and signing in ask the hall and need it reachable.
 *  - Actions on the current ticket (start, no-show, hold, finish; recall and transfer only online)
 *    are checked with the shared reducer, written locally with their outbox entry in one
 *    transaction, shown at once, and pushed by the pusher.
 */
export class QueueService {
  private session: ActiveSession | null = null;
  private hallPanel: WindowPanel | null = null;
  /** Panel refetches, coalesced: a burst of hall events makes at most one more fetch. */
  private readonly refresher = new CoalescedRun(
    () => this.fetchPanel(),
    () => this.session?.window != null,
    (err) => log.debug('panel refresh failed', err),
  );
  /** Counts acknowledgement batches, so a panel fetched across one is known to be possibly stale. */
  private ackGeneration = 0;

  constructor(private readonly d: QueueDeps) {}

  hasSession(): boolean {
    return this.session !== null;
  }

  // ---- state ---------------------------------------------------------------------------------

  /** The hall's panel with the local actions not yet acknowledged applied on top. */
  localPanel(): WindowPanel | null {
    const hall = this.hallPanel;
    if (!hall?.current) return hall;
    // Local actions only ever concern the ticket at the window.
    return this.d.outbox.pendingForTicket(hall.current.ticketId).reduce((p, e) => applyToPanel(p, e.body), hall);
  }

  state(): PanelState {
    const conn = this.d.connection();
    const online = conn?.online() ?? false;
    const connection = conn?.status() ?? { online: false, since: this.d.now(), hallUrl: null, clockOffsetMs: null, lastError: '未配置大厅服务器。' };
    const sync = { ...this.d.outbox.status(), ...this.d.pullStatus?.(), ...this.d.attachmentStatus?.() };
    const panel = this.localPanel();
    const session: Session | null = this.session
      ? { staff: this.session.staff, window: panel?.window ?? this.session.window, signedInAt: this.session.signedInAt }
      : null;
    const blocked = this.callBlockedReason(online, panel);
    return { session, connection: { ...connection, lastError: connection.lastError ?? this.d.pusher.lastError }, sync, panel, canCallNext: blocked === null, callBlockedReason: blocked };
  }

  private callBlockedReason(online: boolean, panel: WindowPanel | null): string | null {
    if (!this.session) return '请先登录';
    if (!this.session.window) return NO_SEAT_MESSAGE;
    if (!online) return CALL_BLOCKED_OFFLINE;
    if (panel?.window.status === 'paused') return '窗口已暂停服务，请先恢复服务';
    const cur = panel?.current;
    if (cur && (cur.status === 'CALLED' || cur.status === 'SERVING')) return `请先处理当前号码 ${cur.number}`;
    return null;
  }

  // ---- hall events ---------------------------------------------------------------------------

  /** The signed-in session's credentials for other hall calls (the dashboard), or null. */
  hallAuth(): { deviceToken: string | null; sessionToken: string } | null {
    return this.session ? this.auth(this.session) : null;
  }

  /** The hall says the queue changed (or the link came back): refetch, coalescing bursts. */
  refresh(): Promise<void> {
    if (!this.session?.window) return Promise.resolve();
    return this.refresher.request();
  }

  /** The hall acknowledged these: fold them into its panel as we know it until the next fetch. */
  acked(entries: OutboxEntry[]): void {
    this.ackGeneration += 1;
    const fold = (panel: WindowPanel): WindowPanel =>
      entries.reduce((p, e) => (e.body.kind === 'ticket_action' ? applyToPanel(p, e.body) : p), panel);
    if (this.hallPanel) {
      const before = this.hallPanel;
      this.hallPanel = fold(before);
      if (this.hallPanel !== before) savePanel(this.d.db, this.hallPanel, this.d.now());
    }
    // An action acknowledged while its window's panel is not loaded (before sign-in, or another
    // window's work left in the outbox) still folds into that window's cached panel.
    const loaded = this.hallPanel?.window.id;
    const others = new Set(entries.flatMap((e) => (e.body.kind === 'ticket_action' && e.body.windowId !== loaded ? [e.body.windowId] : [])));
    for (const windowId of others) {
      const stored = loadPanel(this.d.db, windowId);
      const folded = stored && fold(stored);
      if (folded && folded !== stored) savePanel(this.d.db, folded, this.d.now());
    }
  }

  // ---- session -------------------------------------------------------------------------------

  /** Signs in at a window, or without one (`windowId` omitted: 值班登录, supervisors and administrators only, the hall decides). */
  async signIn(input: { staffId: string; pin: string; windowId?: string | undefined }): Promise<PanelState> {
    const conn = this.requireHall('登录');
    const deviceToken = this.d.deviceToken();
    if (!deviceToken) throw new AppError('unauthorized', '本机尚未登记到大厅服务器，请先登记。');
    const res = await conn.http.call('signIn', input, { deviceToken });
    this.session = { token: res.sessionToken, staff: res.staff, window: res.window, signedInAt: this.d.now() };
    this.hallPanel = res.window ? loadPanel(this.d.db, res.window.id) : null;
    if (res.window) this.d.rememberWindow(res.window.id);
    log.info(`signed in: staff ${res.staff.id} ${res.window ? `at ${res.window.id}` : 'without a window'}`);
    if (res.window) await this.fetchPanel().catch((err: unknown) => log.warn('panel fetch after sign-in failed', err));
    this.d.changed();
    return this.state();
  }

  async signOut(): Promise<{ ok: true }> {
    const s = this.requireSession();
    const conn = this.d.connection();
    if (conn) {
      try {
        await conn.http.call('signOut', {}, this.auth(s));
      } catch (err) {
        log.warn('sign-out at the hall failed; signed out locally', err);
      }
    }
    this.session = null;
    this.hallPanel = null;
    log.info(`signed out: staff ${s.staff.id}`);
    this.d.changed();
    return { ok: true };
  }

  /** Ends the session (e.g. the device was re-enrolled elsewhere). */
  dropSession(): void {
    this.session = null;
    this.hallPanel = null;
  }

  // ---- calling (hall only) -------------------------------------------------------------------

  async callNext(): Promise<PanelState> {
    const s = this.requireSeat();
    const conn = this.d.connection();
    if (!conn || !conn.online()) throw new AppError('offline', `${CALL_BLOCKED_OFFLINE}。${OFFLINE_MESSAGE}`);
    const cur = this.localPanel()?.current;
    if (cur && (cur.status === 'CALLED' || cur.status === 'SERVING')) {
      throw new AppError('invalid_transition', `请先办结、过号、挂起或转移当前号码 ${cur.number}，再叫下一个号。`);
    }
    await this.flushOrRefuse();
    const res = await this.sessionCall(() => conn.http.call('callNext', { requestId: requestId() }, this.auth(s)));
    this.setHallPanel(res.panel);
    this.d.changed();
    return this.state();
  }

  async resume(ticketId: string): Promise<PanelState> {
    const s = this.requireSeat();
    const conn = this.requireHall('恢复办理');
    await this.flushOrRefuse();
    const res = await this.sessionCall(() => conn.http.call('resume', { ticketId, requestId: requestId() }, this.auth(s)));
    this.setHallPanel(res.panel);
    this.d.changed();
    return this.state();
  }

  async pause(reason: string): Promise<PanelState> {
    const s = this.requireSeat();
    const conn = this.requireHall('暂停服务');
    this.setHallPanel(await this.sessionCall(() => conn.http.call('pause', { reason }, this.auth(s))));
    this.d.changed();
    return this.state();
  }

  async unpause(): Promise<PanelState> {
    const s = this.requireSeat();
    const conn = this.requireHall('恢复服务');
    this.setHallPanel(await this.sessionCall(() => conn.http.call('unpause', {}, this.auth(s))));
    this.d.changed();
    return this.state();
  }

  // ---- actions on the current ticket (through the outbox) ------------------------------------

  /**
   * Checks the action against the current ticket with the shared reducer, then writes the local
   * event and its outbox entry in one transaction and shows the result. Actions in NEEDS_HALL are
   * refused offline.
   */
  async ticketAction(action: WindowTicketAction): Promise<PanelState> {
    const s = this.requireSeat();
    const label = ACTION_LABEL[action.type];
    const conn = this.d.connection();
    if (NEEDS_HALL.has(action.type) && !conn?.online()) {
      throw new AppError('offline', `大厅服务器连接中断，暂不能${label}。当前号码可继续办理、挂起或办结，恢复连接后自动上传。`);
    }
    const cur = this.localPanel()?.current;
    if (!cur) throw new AppError('invalid_transition', `当前没有正在呼叫或办理的号码，不能${label}。`);
    const at = this.d.now();
    const actor = { windowId: s.window.id, staffId: s.staff.id };
    const check = applyLocally(cur, action, actor, at);
    if (!check.ok) throw new AppError('invalid_transition', check.reason, `local check refused ${action.type} on ${cur.ticketId}`);
    const mutationId = this.d.outbox.append(
      { kind: 'ticket_action', ticketId: cur.ticketId, windowId: s.window.id, staffId: s.staff.id, at, action },
      `${cur.number} ${label}`,
    );
    log.info(`queued mutation ${mutationId}: ${action.type} ${cur.number}`);
    this.d.changed();
    if (conn?.online()) {
      // Wait a little for the hall's answer (so a refusal shows at once), never long: the entry is
      // safe in the outbox and the pusher carries on by itself.
      const pushed = this.d.pusher.flush().then(
        () => true,
        (err: unknown) => {
          log.warn(`push after ${action.type} did not complete; it stays in the outbox`, err);
          return false;
        },
      );
      await Promise.race([pushed, new Promise<boolean>((r) => setTimeout(() => r(false), ACTION_PUSH_WAIT_MS).unref())]);
      const parked = this.d.outbox.status().parked.find((p) => p.mutationId === mutationId);
      if (parked) throw new AppError('invalid_transition', parked.reason, `hall refused mutation ${mutationId}`);
      // The local state already shows the action; the hall's panel follows as an event. The clerk's
      // button must not wait on a panel request that may be slow or already on its way.
      void this.refresh();
    } else {
      this.d.pusher.kick();
    }
    return this.state();
  }

  // ---- helpers -------------------------------------------------------------------------------

  private async fetchPanel(): Promise<void> {
    const s = this.session;
    const conn = this.d.connection();
    if (!s?.window || !conn) return;
    const generation = this.ackGeneration;
    const panel = await this.sessionCall(() => conn.http.call('panel', {}, this.auth(s)));
    if (this.session !== s) return;
    // Acknowledgements that arrived while this panel was on its way may be newer than it: the hall
    // may have answered before it applied them, and their outbox entries (the overlay) are gone.
    // Keep the folded state and ask again instead of showing the ticket as it was before them.
    if (this.ackGeneration !== generation) {
      void this.refresher.request();
      return;
    }
    this.setHallPanel(panel);
    this.d.changed();
  }

  private setHallPanel(panel: WindowPanel): void {
    this.hallPanel = panel;
    if (this.session) this.session.window = panel.window;
    savePanel(this.d.db, panel, this.d.now());
  }

  private async flushOrRefuse(): Promise<void> {
    try {
      await this.d.pusher.flush();
    } catch (err) {
      throw new AppError('offline', FLUSH_BEFORE_CALL_FAILED, `flush before call failed: ${(err as Error).message}`);
    }
  }

  /** A session call the hall refuses as unauthorised ends the local session too. */
  private async sessionCall<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof HallHttpError && err.status === 401 && this.session) {
        log.warn('hall refused the session; signed out locally', err);
        this.session = null;
        this.hallPanel = null;
        this.d.changed();
        throw new AppError('unauthorized', err.message || '登录已失效，请重新登录。', err.detail);
      }
      throw err;
    }
  }

  private requireSession(): ActiveSession {
    if (!this.session) throw new AppError('unauthorized', '请先登录');
    return this.session;
  }

  /** The session, which must hold a window's seat: queue work is done at a window. */
  private requireSeat(): SeatedSession {
    const s = this.requireSession();
    if (!s.window) throw new AppError('forbidden', NO_SEAT_MESSAGE, `staff ${s.staff.id} signed in without a window`);
    return s as SeatedSession;
  }

  private requireHall(what: string): HallConnection {
    const conn = this.d.connection();
    if (!conn) throw new AppError('offline', `未配置大厅服务器，暂不能${what}。`);
    return conn;
  }

  private auth(s: ActiveSession): { deviceToken: string | null; sessionToken: string } {
    return { deviceToken: this.d.deviceToken(), sessionToken: s.token };
  }
}

function requestId(): string {
  return randomUUID().replace(/-/g, '');
}
