import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors.js';
import type { BoardSummary, CallRecord, IssuedTicket, OfficePublic, RatingRequest, TicketView, WindowPanel, WindowView } from '../../shared/hall/views.js';
import type { HallPush, Mutation, MutationAck, PullPage, TicketMutation, WindowTicketAction } from '../../shared/hall/api.js';
import { pickNext, type RoundRobinState } from '../../shared/queue/calling.js';
import { effectiveWindows, estimateWaitMinutes, updateServiceAverage } from '../../shared/queue/estimate.js';
import { businessDate, formatTicketNumber } from '../../shared/queue/numbering.js';
import { applyTicketEvent } from '../../shared/queue/ticket-reducer.js';
import { CALLABLE, type Actor, type Priority, type TicketAction, type TicketEvent, type TicketState } from '../../shared/queue/types.js';
import { windowId as makeWindowId, windowLabel, type HallConfig, type OfficeConfig, type StaffConfig, type WindowConfig } from '../../shared/office/config.js';
import { hashToken, newToken } from '../auth/tokens.js';
import type { HallStore, WindowEventType } from '../store/hall-store.js';
import { CaseService } from '../cases/case-service.js';
import { PullService, type PullInput } from '../sync/pull.js';
import { PushService, type PushDevice } from '../sync/push.js';
import type { HallReferenceData } from '../sync/reference-data.js';
import { ticketViewIn } from './views.js';

/**
 * The hall's ticket queue: the single authority on who is called. Every change is one ticket event,
 * checked by the shared reducer, persisted with the ticket's projection in one store transaction (a
 * savepoint of the current group-commit batch), applied in memory as soon as that savepoint is
 * released, and broadcast only once the batch has committed. Everything here is synchronous: Node
 * runs one request at a time through it, so "call next" is serialised and a ticket is never called
 * twice — also within one batch, since memory always equals what the open transaction holds.
 */
export type QueueBroadcast =
  | { to: 'office'; office: string; message: HallPush }
  /** Only the enrolled workstations that may see the office (never the public pages). */
  | { to: 'windows'; office: string; message: HallPush }
  | { to: 'evaluator'; windowId: string; message: HallPush };

interface WindowRuntime {
  id: string;
  office: OfficeConfig;
  config: WindowConfig;
  staffId: string | undefined;
  paused: boolean;
  pauseReason: string | undefined;
  roundRobin: RoundRobinState;
  lastCallAt: number;
}

/** Who acts at a window: the signed-in clerk (route) or the clerk named in a pushed mutation. */
export interface WindowActor {
  windowId: string;
  staffId: string;
}

const RATING_WINDOW_MS = 10 * 60_000;
const RECENT_CALLS = 10;
const ACTIVE = new Set(['WAITING', 'CALLED', 'SERVING', 'HELD', 'TRANSFERRED', 'RECYCLED']);

class UnitOfWork {
  readonly states = new Map<string, TicketState>();
  /** Memory updates, applied once the request's savepoint is released. */
  readonly after: Array<() => void> = [];
  /** Broadcasts, sent once the batch holding the request has committed. */
  readonly notify: Array<() => void> = [];
  readonly offices = new Set<string>();
  constructor(public seq: number) {}
}

export class QueueEngine {
  private readonly offices = new Map<string, OfficeConfig>();
  private readonly staff = new Map<string, StaffConfig>();
  private readonly windows = new Map<string, WindowRuntime>();
  private readonly tickets = new Map<string, TicketState>();
  /**
   * Today's tickets that are not DONE or CANCELLED (final states), in the same order as `tickets`:
   * what "call next", the current ticket and the panels scan, instead of the whole day.
   */
  private readonly live = new Map<string, TicketState>();
  private todayMinute = NaN;
  private todayDate = '';
  private readonly serviceAverage = new Map<string, number>();
  private readonly recentCalls = new Map<string, CallRecord[]>();
  private readonly changeSeq = new Map<string, number>();
  private readonly listeners = new Set<(b: QueueBroadcast) => void>();
  private seq: number;
  private day: string;
  private readonly pulls: PullService;
  private readonly pushes: PushService;

  constructor(
    private readonly store: HallStore,
    readonly config: HallConfig,
    readonly now: () => number,
    /** Catalog and calendars for the windows' pulls; none in tests that do not need them. */
    referenceData: HallReferenceData | null = null,
  ) {
    for (const o of config.offices) {
      this.offices.set(o.id, o);
      for (const w of o.windows) {
        const id = makeWindowId(o.id, w.no);
        this.windows.set(id, { id, office: o, config: w, staffId: undefined, paused: false, pauseReason: undefined, roundRobin: {}, lastCallAt: 0 });
      }
    }
    for (const s of config.staff) this.staff.set(s.id, s);
    this.seq = store.lastTicketSeq();
    this.pulls = new PullService(store, config, referenceData);
    const applyTicket = (office: string, eventId: string, m: TicketMutation, progress: () => void) => this.applyTicketMutation(office, eventId, m, progress);
    this.pushes = new PushService(store, config, now, applyTicket, new CaseService(store, config, now), (office) =>
      this.store.afterCommit(() => this.emit({ to: 'windows', office, message: { type: 'cases.changed', office } })),
    );
    this.day = this.today();
    this.loadDay();
    this.loadPresence();
  }

  // ---------------------------------------------------------------- start-up

  /** Today's business date; computed once per minute (a day in any time zone starts on a whole minute). */
  private today(): string {
    const minute = Math.floor(this.now() / 60_000);
    if (minute !== this.todayMinute) {
      this.todayMinute = minute;
      this.todayDate = businessDate(minute * 60_000, this.config.timeZone);
    }
    return this.todayDate;
  }

  private setTicket(t: TicketState): void {
    this.tickets.set(t.ticketId, t);
    if (t.status === 'DONE' || t.status === 'CANCELLED') this.live.delete(t.ticketId);
    else this.live.set(t.ticketId, t);
  }

  /** Rebuilds the in-memory queue of the current business day from the store. */
  private loadDay(): void {
    this.tickets.clear();
    this.live.clear();
    this.serviceAverage.clear();
    this.recentCalls.clear();
    const list = this.store.ticketsOfDay(this.day);
    for (const t of list) this.setTicket(t);
    const done = list.filter((t) => t.status === 'DONE' && t.serviceMs !== undefined).sort((a, b) => a.finishedAt! - b.finishedAt!);
    for (const t of done) this.recordService(t);
    const called = list.filter((t) => t.calledAt !== undefined && t.windowId !== undefined).sort((a, b) => a.calledAt! - b.calledAt!);
    for (const t of called) this.rememberCall(t, false);
  }

  private loadPresence(): void {
    for (const s of this.store.activeSessions()) {
      const w = s.windowId === null ? undefined : this.windows.get(s.windowId);
      if (w) w.staffId = s.staffId;
    }
    for (const e of this.store.lastPresenceEvents()) {
      const w = this.windows.get(e.windowId);
      if (!w || w.staffId === undefined) continue;
      w.paused = e.type === 'paused';
      w.pauseReason = e.type === 'paused' && typeof e.data.reason === 'string' ? e.data.reason : undefined;
    }
  }

  /** Past midnight in the hall's time zone: yesterday's lines close, numbering restarts. */
  private rollDay(): string {
    const d = this.today();
    if (d !== this.day) {
      this.day = d;
      this.loadDay();
    }
    return d;
  }

  // ---------------------------------------------------------------- lookups

  onBroadcast(cb: (b: QueueBroadcast) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  office(id: string): OfficeConfig {
    const o = this.offices.get(id);
    if (!o) throw new AppError('not_found', '没有找到该办事大厅，请检查地址中的大厅编号。', `unknown office ${id}`);
    return o;
  }

  hasOffice(id: string): boolean {
    return this.offices.has(id);
  }

  staffMember(id: string): StaffConfig | undefined {
    return this.staff.get(id);
  }

  private window(id: string): WindowRuntime {
    const w = this.windows.get(id);
    if (!w) throw new AppError('not_found', '没有找到该窗口，请检查窗口编号。', `unknown window ${id}`);
    return w;
  }

  windowOffice(id: string): string {
    return this.window(id).office.id;
  }

  private board(office: OfficeConfig, code: string) {
    const b = office.boards.find((x) => x.code === code);
    if (!b) throw new AppError('not_found', `${office.shortName}没有业务板块 ${code}。`, `unknown board ${office.id}/${code}`);
    return b;
  }

  /** A ticket of today from memory, or an older one from the store. */
  ticket(id: string): TicketState {
    this.rollDay();
    const t = this.tickets.get(id) ?? this.store.ticket(id);
    if (!t) throw new AppError('not_found', '没有找到该号码。', `unknown ticket ${id}`);
    return t;
  }

  ticketEvents(id: string): TicketEvent[] {
    return this.store.ticketEvents(id);
  }

  private currentAt(windowId: string): TicketState | undefined {
    for (const t of this.live.values()) {
      if (t.windowId === windowId && (t.status === 'CALLED' || t.status === 'SERVING')) return t;
    }
    return undefined;
  }

  private callable(office: string): TicketState[] {
    const out: TicketState[] = [];
    for (const t of this.live.values()) if (t.office === office && CALLABLE.has(t.status)) out.push(t);
    return out;
  }

  private averageMs(office: OfficeConfig, board: string): number {
    return this.serviceAverage.get(`${office.id}/${board}`) ?? this.board(office, board).defaultServiceMinutes * 60_000;
  }

  private recordService(t: TicketState): void {
    const office = this.offices.get(t.office);
    if (!office || t.serviceMs === undefined || !office.boards.some((b) => b.code === t.board)) return;
    this.serviceAverage.set(`${t.office}/${t.board}`, updateServiceAverage(this.averageMs(office, t.board), t.serviceMs));
  }

  private presence(office: string) {
    const out: Array<{ serving: boolean; boards: string[] }> = [];
    for (const w of this.windows.values()) {
      if (w.office.id !== office) continue;
      out.push({ serving: w.staffId !== undefined && !w.paused, boards: w.config.boards.map((b) => b.board) });
    }
    return out;
  }

  private rememberCall(t: TicketState, recall: boolean): CallRecord | undefined {
    if (t.windowId === undefined || t.calledAt === undefined) return undefined;
    const w = this.windows.get(t.windowId);
    if (!w) return undefined;
    const rec: CallRecord = { ticketId: t.ticketId, number: t.number, windowNo: w.config.no, windowName: windowLabel(w.config), at: t.calledAt, recall };
    const list = this.recentCalls.get(t.office) ?? [];
    list.unshift(rec);
    if (list.length > RECENT_CALLS) list.length = RECENT_CALLS;
    this.recentCalls.set(t.office, list);
    return rec;
  }

  // ---------------------------------------------------------------- writing

  /**
   * Runs `fn` as one store transaction. If it throws, its savepoint is rolled back and memory is
   * untouched. Otherwise memory and service averages follow at once (later requests of the same
   * batch must see them), and broadcasts follow the batch's commit.
   */
  private run<T>(fn: (w: UnitOfWork) => T): T {
    const work = new UnitOfWork(this.seq);
    const result = this.store.transaction(() => fn(work));
    this.seq = work.seq;
    for (const s of work.states.values()) {
      if (s.businessDate === this.day) this.setTicket(s);
    }
    for (const f of work.after) f();
    this.store.afterCommit(() => {
      for (const f of work.notify) f();
      for (const office of work.offices) this.changed(office);
    });
    return result;
  }

  /** Tells an office's displays and windows that its queue changed. Call after a commit. */
  private changed(office: string): void {
    const seq = (this.changeSeq.get(office) ?? 0) + 1;
    this.changeSeq.set(office, seq);
    this.emit({ to: 'office', office, message: { type: 'queue.changed', office, seq } });
  }

  private emit(b: QueueBroadcast): void {
    for (const l of this.listeners) {
      try {
        l(b);
      } catch {
        // a broken socket must never undo a committed change
      }
    }
  }

  /** Appends one event to a ticket's log inside `work`; a refused transition aborts the transaction. */
  private append(
    work: UnitOfWork,
    ticketId: string,
    actor: Actor,
    at: number,
    action: (seq: number) => TicketAction,
    eventId?: string,
  ): TicketState {
    const before = work.states.get(ticketId) ?? this.tickets.get(ticketId) ?? this.store.ticket(ticketId);
    const seq = work.seq + 1;
    const event: TicketEvent = { eventId: eventId ?? `s${seq}`, ticketId, at, actor, action: action(seq) };
    const r = applyTicketEvent(before, event);
    if (!r.ok) throw new AppError('invalid_transition', r.reason, `${event.action.type} refused on ${ticketId}`);
    this.store.appendTicketEvent(seq, event, r.state);
    work.seq = seq;
    work.states.set(ticketId, r.state);
    work.offices.add(r.state.office);
    this.afterEvent(work, r.state, event);
    return r.state;
  }

  /** Side effects of a committed event: calls on the display, ratings, service averages. */
  private afterEvent(work: UnitOfWork, t: TicketState, e: TicketEvent): void {
    const type = e.action.type;
    if (type === 'called' || (type === 'recalled' && t.status === 'CALLED')) {
      const recent = this.now() - t.lastEventAt < 30_000; // an offline recall replayed later is not announced
      work.after.push(() => {
        const rec = this.rememberCall(t, type === 'recalled');
        if (rec && recent) work.notify.push(() => this.emit({ to: 'office', office: t.office, message: { type: 'call', office: t.office, call: rec } }));
      });
    }
    if (type === 'finished' && t.windowId !== undefined) {
      const token = newToken(24);
      this.store.addRatingToken(t.ticketId, hashToken(token), this.now());
      const windowId = t.windowId;
      work.after.push(() => this.recordService(t));
      work.notify.push(() => {
        const request = this.ratingRequest(t, token);
        if (request) this.emit({ to: 'evaluator', windowId, message: { type: 'rating.request', windowId, request } });
      });
    }
    if (e.actor.windowId !== undefined && type !== 'called') {
      const logType: WindowEventType = type === 'recalled' ? 'recalled' : type === 'resumed' ? 'resumed' : 'ticket_action';
      this.store.appendWindowEvent(e.actor.windowId, logType, e.at, { ticketId: t.ticketId, number: t.number, action: type, eventId: e.eventId });
    }
  }

  // ---------------------------------------------------------------- kiosk

  issue(input: {
    office: string;
    board: string;
    priority: Priority;
    requestId: string;
    appointment?: { code: string; slotStart: number };
    greenStaffId?: string;
  }): IssuedTicket {
    const day = this.rollDay();
    const office = this.office(input.office);
    const board = this.board(office, input.board);
    const scope = `issue:${office.id}`;
    const previous = this.store.dedupe<IssuedTicket>(scope, input.requestId);
    if (previous) return previous;
    return this.run((work) => {
      const now = this.now();
      const n = this.store.nextNumber(office.id, board.code, day);
      const ticketId = randomUUID();
      // Who is ahead and the wait quoted, before the ticket joins its line (every ticket already in a
      // line is ahead of it): recorded in the ticket's log and shown on the kiosk, the same number.
      const ahead = this.callable(office.id).filter(
        (x) => x.board === board.code && x.transferTo?.windowId === undefined && (input.priority === 'normal' || x.priority === input.priority),
      ).length;
      const estimate = estimateWaitMinutes(ahead, effectiveWindows(board.code, this.presence(office.id)), this.averageMs(office, board.code));
      const t = this.append(work, ticketId, { kind: input.greenStaffId ? 'clerk' : 'kiosk', staffId: input.greenStaffId }, now, (seq) => ({
        type: 'issued',
        office: office.id,
        board: board.code,
        number: formatTicketNumber(office.prefix, board.code, n),
        priority: input.priority,
        appointment: input.appointment,
        recallLimit: board.recallLimit,
        orderKey: seq,
        businessDate: day,
        ...(estimate !== null ? { quotedWaitMinutes: estimate } : {}),
      }));
      if (input.appointment && !this.store.useAppointment(input.appointment.code, now, ticketId)) {
        throw new AppError('conflict', '该预约已签到取号，请勿重复签到。', `appointment ${input.appointment.code} already used`);
      }
      const issued: IssuedTicket = {
        ticketId,
        number: t.number,
        office: office.id,
        officeName: office.name,
        board: board.code,
        boardName: board.name,
        priority: t.priority,
        issuedAt: t.issuedAt,
        ahead,
        estimateMinutes: estimate,
      };
      this.store.putDedupe(scope, input.requestId, now, issued);
      return issued;
    });
  }

  checkIn(input: { office: string; code: string; requestId: string }): IssuedTicket {
    const office = this.office(input.office);
    const previous = this.store.dedupe<IssuedTicket>(`issue:${office.id}`, input.requestId);
    if (previous) return previous;
    const a = this.store.appointment(input.code);
    if (!a || a.office !== office.id) throw new AppError('not_found', '没有找到该预约，请核对预约码或到咨询台办理。', `unknown appointment ${input.code}`);
    if (a.usedAt !== null) throw new AppError('conflict', '该预约已签到取号，请勿重复签到。', `appointment ${a.code} used`);
    if (businessDate(a.slotStart, this.config.timeZone) !== this.rollDay()) {
      throw new AppError('conflict', '该预约不是今天的，请在预约当天签到。', `appointment ${a.code} is for another day`);
    }
    return this.issue({ office: office.id, board: a.board, priority: 'appointment', requestId: input.requestId, appointment: { code: a.code, slotStart: a.slotStart } });
  }

  // ---------------------------------------------------------------- window presence

  /** Records a sign-in. Call as the last step of the transaction that stores the session. */
  signedIn(windowId: string, staffId: string): void {
    const w = this.window(windowId);
    this.store.appendWindowEvent(windowId, 'signed_in', this.now(), { staffId });
    w.staffId = staffId;
    w.paused = false;
    w.pauseReason = undefined;
    this.touch(w.office.id);
  }

  /** Records a sign-out. Call as the last step of the transaction that ends the session. */
  signedOut(windowId: string, staffId: string): void {
    const w = this.window(windowId);
    this.store.appendWindowEvent(windowId, 'signed_out', this.now(), { staffId });
    if (w.staffId === staffId) {
      w.staffId = undefined;
      w.paused = false;
      w.pauseReason = undefined;
    }
    this.touch(w.office.id);
  }

  /** queue.changed for an office once what was just written is committed. */
  private touch(office: string): void {
    this.store.afterCommit(() => this.changed(office));
  }

  pause(actor: WindowActor, reason: string): WindowPanel {
    const w = this.window(actor.windowId);
    this.store.transaction(() => this.store.appendWindowEvent(w.id, 'paused', this.now(), { staffId: actor.staffId, reason }));
    w.paused = true;
    w.pauseReason = reason;
    this.touch(w.office.id);
    return this.panel(w.id);
  }

  unpause(actor: WindowActor): WindowPanel {
    const w = this.window(actor.windowId);
    this.store.transaction(() => this.store.appendWindowEvent(w.id, 'unpaused', this.now(), { staffId: actor.staffId }));
    w.paused = false;
    w.pauseReason = undefined;
    this.touch(w.office.id);
    return this.panel(w.id);
  }

  // ---------------------------------------------------------------- window actions

  private requireReady(w: WindowRuntime, verb: string): void {
    if (w.staffId === undefined) throw new AppError('conflict', `窗口未登录，不能${verb}。`, `window ${w.id} closed`);
    if (w.paused) throw new AppError('conflict', `窗口已暂停服务，请先恢复服务再${verb}。`, `window ${w.id} paused`);
    const current = this.currentAt(w.id);
    if (current) {
      throw new AppError('conflict', `当前号码 ${current.number} 尚未处理完，请先办结、挂起、转移或过号，再${verb}。`, `window ${w.id} busy with ${current.ticketId}`);
    }
  }

  callNext(actor: WindowActor, requestId: string): { ticket: TicketView | null; panel: WindowPanel } {
    this.rollDay();
    const w = this.window(actor.windowId);
    const scope = `call:${w.id}`;
    const previous = this.store.dedupe<{ ticketId: string }>(scope, requestId);
    if (previous) return { ticket: ticketViewIn(this.ticket(previous.ticketId), w.office), panel: this.panel(w.id) };
    this.requireReady(w, '叫号');
    const now = this.now();
    const gap = w.office.policy.minCallGapMs;
    if (now - w.lastCallAt < gap) {
      const wait = Math.ceil((w.lastCallAt + gap - now) / 1000);
      throw new AppError('too_fast', `叫号过于频繁，请 ${wait} 秒后再叫下一位。`, `min call gap ${gap} ms`);
    }
    const maxWait = w.office.policy.maxWaitMinutes;
    const pick = pickNext(this.callable(w.office.id), { windowId: w.id, boards: w.config.boards }, w.roundRobin, now, {
      maxWaitMs: maxWait > 0 ? maxWait * 60_000 : undefined,
    });
    if (!pick) return { ticket: null, panel: this.panel(w.id) };
    const t = this.run((work) => {
      const called = this.append(work, pick.ticket.ticketId, { kind: 'clerk', staffId: actor.staffId, windowId: w.id }, now, () => ({
        type: 'called',
        windowId: w.id,
        staffId: actor.staffId,
      }));
      this.store.appendWindowEvent(w.id, 'called', now, { ticketId: called.ticketId, number: called.number, rule: pick.rule, staffId: actor.staffId });
      this.store.putDedupe(scope, requestId, now, { ticketId: called.ticketId });
      work.after.push(() => {
        w.roundRobin = pick.roundRobin;
        w.lastCallAt = now;
      });
      return called;
    });
    return { ticket: ticketViewIn(t, w.office), panel: this.panel(w.id) };
  }

  /** Whether window `w` may take up held ticket `t` (its board, or the window that holds the papers). */
  private mayResume(w: WindowRuntime, t: TicketState): boolean {
    if (t.status !== 'HELD' || t.office !== w.office.id) return false;
    if (t.hold?.kind === 'with_materials') return t.hold.windowId === w.id;
    return t.hold?.windowId === w.id || w.config.boards.some((b) => b.board === t.board);
  }

  private resumeRefusal(w: WindowRuntime, t: TicketState): AppError {
    if (t.status !== 'HELD') return new AppError('invalid_transition', `号码 ${t.number} 未挂起，不能恢复办理。`, `ticket ${t.ticketId} is ${t.status}`);
    if (t.hold?.kind === 'with_materials') {
      return new AppError('forbidden', `号码 ${t.number} 为持件挂起，材料在原窗口，只能在原窗口恢复办理。`, `held with materials at ${t.hold.windowId}`);
    }
    return new AppError('forbidden', `本窗口不办理号码 ${t.number} 的业务板块，不能恢复办理。`, `window ${w.id} does not serve ${t.board}`);
  }

  resume(actor: WindowActor, ticketId: string, requestId: string): { ticket: TicketView; panel: WindowPanel } {
    const w = this.window(actor.windowId);
    const scope = `resume:${w.id}`;
    const previous = this.store.dedupe<{ ticketId: string }>(scope, requestId);
    if (previous) return { ticket: ticketViewIn(this.ticket(previous.ticketId), w.office), panel: this.panel(w.id) };
    const t = this.ticket(ticketId);
    if (t.office !== w.office.id) throw new AppError('not_found', '没有找到该号码。', `ticket ${ticketId} of another office`);
    this.requireReady(w, '恢复办理');
    if (!this.mayResume(w, t)) throw this.resumeRefusal(w, t);
    const now = this.now();
    const resumed = this.run((work) => {
      const r = this.append(work, t.ticketId, { kind: 'clerk', staffId: actor.staffId, windowId: w.id }, now, () => ({
        type: 'resumed',
        windowId: w.id,
        staffId: actor.staffId,
      }));
      this.store.putDedupe(scope, requestId, now, { ticketId: r.ticketId });
      return r;
    });
    return { ticket: ticketViewIn(resumed, w.office), panel: this.panel(w.id) };
  }

  /**
   * A ticket mutation from a window's outbox (sync/push.ts has checked the window and the clerk
   * belong to `deviceOffice`), applied in one transaction with `progress` (the client's new
   * lastApplied). Throws AppError for a business refusal; writes nothing then.
   */
  private applyTicketMutation(deviceOffice: string, eventId: string, m: TicketMutation, progress: () => void): void {
    this.rollDay();
    const w = this.window(m.windowId);
    this.run((work) => {
      const t = work.states.get(m.ticketId) ?? this.tickets.get(m.ticketId) ?? this.store.ticket(m.ticketId);
      if (!t || t.office !== deviceOffice) throw new AppError('not_found', '没有找到该号码。', `ticket ${m.ticketId}`);
      const a = m.action;
      if (a.type === 'resumed') {
        if (!this.mayResume(w, t)) throw this.resumeRefusal(w, t);
      } else if (a.type === 'cancelled') {
        // any window of the office may cancel a waiting or held ticket
      } else if (t.windowId !== w.id) {
        throw new AppError('forbidden', `号码 ${t.number} 不在本窗口，不能操作。`, `ticket ${t.ticketId} at ${t.windowId ?? 'no window'}`);
      }
      const at = Math.min(Math.max(m.at, t.lastEventAt), this.now());
      const actor: Actor = { kind: 'clerk', staffId: m.staffId, windowId: w.id };
      this.append(work, t.ticketId, actor, at, (seq) => this.serverAction(w.office, a, m, seq), eventId);
      progress();
    });
  }

  /** Completes a window's action with what only the server decides: order keys, target checks. */
  private serverAction(office: OfficeConfig, a: WindowTicketAction, m: TicketMutation, seq: number): TicketAction {
    switch (a.type) {
      case 'recycled':
        return { type: 'recycled', orderKey: seq };
      case 'resumed':
        return { type: 'resumed', windowId: m.windowId, staffId: m.staffId };
      case 'transferred': {
        this.board(office, a.toBoard);
        if (a.toWindowId !== undefined) {
          const target = this.windows.get(a.toWindowId);
          if (!target || target.office.id !== office.id) {
            throw new AppError('not_found', '转移的目标窗口不存在，请重新选择。', `unknown window ${a.toWindowId}`);
          }
        }
        let orderKey = seq;
        if (a.position === 'front') {
          const line = this.callable(office.id).filter((x) => x.board === a.toBoard && x.ticketId !== m.ticketId);
          if (line.length > 0) orderKey = Math.min(...line.map((x) => x.orderKey)) - 1;
        }
        return { type: 'transferred', toBoard: a.toBoard, toWindowId: a.toWindowId, position: a.position, orderKey };
      }
      default:
        return a;
    }
  }

  /** Applies a window's pushed mutations (tickets, cases, audit) in order: see sync/push.ts. */
  push(device: PushDevice, clientId: string, mutations: readonly Mutation[]): { acks: MutationAck[]; lastApplied: number } {
    return this.pushes.push(device, clientId, mutations);
  }

  /** A page of the ticket log for a window of `office` (see PullService). */
  pull(office: string, input: PullInput): PullPage {
    return this.pulls.page(office, input, this.now());
  }

  // ---------------------------------------------------------------- evaluator

  private ratingRequest(t: TicketState, token: string): RatingRequest | undefined {
    if (t.windowId === undefined || t.finishedAt === undefined) return undefined;
    const w = this.windows.get(t.windowId);
    if (!w) return undefined;
    return {
      ticketId: t.ticketId,
      number: t.number,
      windowId: w.id,
      windowName: windowLabel(w.config),
      staffName: (t.staffId && this.staff.get(t.staffId)?.name) || '',
      ratingToken: token,
      finishedAt: t.finishedAt,
    };
  }

  /** The latest unrated service of the window finished in the last 10 minutes, with a fresh token. */
  evaluatorPending(windowId: string): RatingRequest | null {
    this.rollDay();
    const w = this.window(windowId);
    const since = this.now() - RATING_WINDOW_MS;
    let latest: TicketState | undefined;
    for (const t of this.tickets.values()) {
      if (t.windowId !== w.id || t.status !== 'DONE' || t.rating !== undefined || (t.finishedAt ?? 0) < since) continue;
      if (!latest || t.finishedAt! > latest.finishedAt!) latest = t;
    }
    if (!latest) return null;
    const token = newToken(24);
    const ticketId = latest.ticketId;
    this.store.transaction(() => this.store.addRatingToken(ticketId, hashToken(token), this.now()));
    return this.ratingRequest(latest, token) ?? null;
  }

  rate(input: { ticketId: string; ratingToken: string; level: number; reason?: string | undefined }): void {
    const t = this.tickets.get(input.ticketId) ?? this.store.ticket(input.ticketId);
    if (!t || !this.store.hasRatingToken(input.ticketId, hashToken(input.ratingToken))) {
      throw new AppError('forbidden', '评价凭证无效，请在窗口办结后再评价。', 'bad rating token');
    }
    if (input.level <= 2 && (input.reason ?? '').trim() === '') {
      throw new AppError('bad_request', '选择“不满意”或“非常不满意”时，请说明原因。', 'reason required for low rating');
    }
    this.run((work) => {
      this.append(work, t.ticketId, { kind: 'evaluator', windowId: t.windowId }, this.now(), () => ({
        type: 'rated',
        level: input.level,
        reason: input.reason,
      }));
    });
  }

  // ---------------------------------------------------------------- views

  boardSummaries(officeId: string, only?: readonly string[]): BoardSummary[] {
    this.rollDay();
    const office = this.office(officeId);
    const now = this.now();
    const line = this.callable(office.id);
    const presence = this.presence(office.id);
    return office.boards
      .filter((b) => only === undefined || only.includes(b.code))
      .map((b) => {
        const waitingList = line.filter((t) => t.board === b.code);
        const eff = effectiveWindows(b.code, presence);
        return {
          code: b.code,
          name: b.name,
          waiting: waitingList.length,
          estimateMinutes: estimateWaitMinutes(waitingList.length, eff, this.averageMs(office, b.code)),
          longestWaitMs: waitingList.reduce((m, t) => Math.max(m, now - t.queuedAt), 0),
          effectiveWindows: Math.round(eff * 1000) / 1000,
        };
      });
  }

  windowView(id: string): WindowView {
    const w = this.window(id);
    return {
      id: w.id,
      no: w.config.no,
      name: windowLabel(w.config),
      boards: w.config.boards.map((b) => ({ board: b.board, weight: b.weight })),
      status: w.staffId === undefined ? 'closed' : w.paused ? 'paused' : 'open',
      pauseReason: w.pauseReason ?? null,
      staffId: w.staffId ?? null,
      staffName: (w.staffId && this.staff.get(w.staffId)?.name) || null,
    };
  }

  officeWindows(officeId: string): WindowView[] {
    const office = this.office(officeId);
    return office.windows.map((w) => this.windowView(makeWindowId(office.id, w.no)));
  }

  panel(windowId: string): WindowPanel {
    this.rollDay();
    const w = this.window(windowId);
    const office = w.office;
    const current = this.currentAt(w.id);
    const resumable: TicketView[] = [];
    for (const t of this.live.values()) if (this.mayResume(w, t)) resumable.push(ticketViewIn(t, office));
    resumable.sort((a, b) => (a.hold?.since ?? 0) - (b.hold?.since ?? 0));
    return {
      serverNow: this.now(),
      window: this.windowView(w.id),
      boards: this.boardSummaries(office.id, w.config.boards.map((b) => b.board)),
      current: current ? ticketViewIn(current, office) : null,
      resumable,
      transferTargets: {
        boards: office.boards.map((b) => ({ code: b.code, name: b.name })),
        windows: [...this.windows.values()]
          .filter((x) => x.office.id === office.id && x.id !== w.id)
          .map((x) => ({ id: x.id, no: x.config.no, name: windowLabel(x.config), open: x.staffId !== undefined && !x.paused })),
      },
      nextCallAllowedAt: w.lastCallAt + office.policy.minCallGapMs,
    };
  }

  recent(officeId: string): CallRecord[] {
    this.rollDay();
    this.office(officeId);
    return [...(this.recentCalls.get(officeId) ?? [])];
  }

  officePublic(officeId: string): OfficePublic {
    const office = this.office(officeId);
    return {
      office: office.id,
      name: office.name,
      hallName: this.config.hallName,
      serverNow: this.now(),
      boards: this.boardSummaries(office.id),
      recentCalls: this.recent(office.id),
    };
  }
}
