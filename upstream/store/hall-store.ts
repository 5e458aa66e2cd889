import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { TicketEvent, TicketState } from '../../shared/queue/types.js';
import { openCaseTables } from '../cases/case-store.js';
import { GroupCommit, type GroupCommitOptions } from './group-commit.js';
import { runMigrations } from './migrations.js';

/**
 * The hall server's durable store (dataDir/hall.db). WAL with synchronous=FULL and group commit
 * (see group-commit.ts): each request's writes are one savepoint of a batch that commits once per
 * event-loop turn; a reply is sent only after `whenCommitted()`, so a kill -9 never loses an
 * acknowledged write. Tables are reached only through these functions.
 */
export interface DeviceRow {
  id: string;
  office: string;
  name: string;
  clientId: string;
  enrolledAt: number;
  revoked: boolean;
}

export interface SessionRow {
  tokenHash: string;
  deviceId: string;
  staffId: string;
  /** Null: a supervisor or administrator signed in without a window's seat (stored as '': the column is NOT NULL). */
  windowId: string | null;
  createdAt: number;
}

export interface AppointmentRow {
  code: string;
  office: string;
  board: string;
  slotStart: number;
  usedAt: number | null;
  ticketId: string | null;
}

export interface AttachmentRow {
  sha256: string;
  size: number;
  office: string;
  deviceId: string;
  completedAt: number;
}

export type WindowEventType =
  | 'signed_in'
  | 'signed_out'
  | 'paused'
  | 'unpaused'
  | 'called'
  | 'recalled'
  | 'resumed'
  | 'ticket_action';

export interface WindowEventRow {
  seq: number;
  windowId: string;
  type: WindowEventType;
  at: number;
  data: Record<string, unknown>;
}

export type HallStore = ReturnType<typeof openHallStore>;

export function openHallStore(dataDir: string, now: () => number = Date.now, opts: GroupCommitOptions = {}) {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'hall.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  runMigrations(db, now());
  const commits = new GroupCommit(db, opts);

  const q = {
    lastSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM ticket_event'),
    eventsOfOfficeAfter: db.prepare('SELECT seq, office, json FROM ticket_event WHERE office = ? AND seq > ? ORDER BY seq LIMIT ?'),
    insertEvent: db.prepare(
      'INSERT INTO ticket_event (seq, event_id, ticket_id, office, business_date, type, at, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    upsertTicket: db.prepare(
      `INSERT INTO ticket (ticket_id, office, business_date, status, last_seq, json) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(ticket_id) DO UPDATE SET status = excluded.status, last_seq = excluded.last_seq, json = excluded.json`,
    ),
    ticketsOfDay: db.prepare('SELECT json FROM ticket WHERE business_date = ?'),
    ticket: db.prepare('SELECT json FROM ticket WHERE ticket_id = ?'),
    eventsOfTicket: db.prepare('SELECT json FROM ticket_event WHERE ticket_id = ? ORDER BY seq'),
    eventById: db.prepare('SELECT seq FROM ticket_event WHERE event_id = ?'),
    counter: db.prepare('SELECT last FROM number_counter WHERE office = ? AND board = ? AND business_date = ?'),
    setCounter: db.prepare(
      `INSERT INTO number_counter (office, board, business_date, last) VALUES (?, ?, ?, ?)
       ON CONFLICT(office, board, business_date) DO UPDATE SET last = excluded.last`,
    ),
    insertDevice: db.prepare(
      'INSERT INTO device (id, office, name, token_hash, client_id, enrolled_at, revoked) VALUES (?, ?, ?, ?, ?, ?, 0)',
    ),
    deviceByToken: db.prepare('SELECT id, office, name, client_id, enrolled_at, revoked FROM device WHERE token_hash = ?'),
    revokeDevice: db.prepare('UPDATE device SET revoked = 1 WHERE id = ?'),
    insertCode: db.prepare('INSERT INTO enrol_code (code_hash, office, created_at, expires_at) VALUES (?, ?, ?, ?)'),
    code: db.prepare('SELECT office, expires_at, used_at FROM enrol_code WHERE code_hash = ?'),
    useCode: db.prepare('UPDATE enrol_code SET used_at = ?, device_id = ? WHERE code_hash = ? AND used_at IS NULL'),
    insertSession: db.prepare(
      'INSERT INTO session (token_hash, device_id, staff_id, window_id, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    session: db.prepare(
      'SELECT token_hash, device_id, staff_id, window_id, created_at FROM session WHERE token_hash = ? AND ended_at IS NULL',
    ),
    endSession: db.prepare('UPDATE session SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL'),
    sessionsAtWindow: db.prepare(
      'SELECT token_hash, device_id, staff_id, window_id, created_at FROM session WHERE window_id = ? AND ended_at IS NULL',
    ),
    activeSessions: db.prepare(
      'SELECT token_hash, device_id, staff_id, window_id, created_at FROM session WHERE ended_at IS NULL ORDER BY created_at',
    ),
    progress: db.prepare('SELECT last_applied FROM client_progress WHERE client_id = ?'),
    setProgress: db.prepare(
      `INSERT INTO client_progress (client_id, last_applied) VALUES (?, ?)
       ON CONFLICT(client_id) DO UPDATE SET last_applied = excluded.last_applied`,
    ),
    insertResult: db.prepare('INSERT OR REPLACE INTO mutation_result (client_id, mutation_id, status, reason, at) VALUES (?, ?, ?, ?, ?)'),
    result: db.prepare('SELECT status, reason FROM mutation_result WHERE client_id = ? AND mutation_id = ?'),
    insertWindowEvent: db.prepare('INSERT INTO window_event (window_id, type, at, json) VALUES (?, ?, ?, ?)'),
    lastPresenceEvents: db.prepare(
      `SELECT w.seq, w.window_id, w.type, w.at, w.json FROM window_event w
       JOIN (SELECT window_id, MAX(seq) AS seq FROM window_event
             WHERE type IN ('signed_in','signed_out','paused','unpaused') GROUP BY window_id) m ON m.seq = w.seq`,
    ),
    windowEvents: db.prepare('SELECT seq, window_id, type, at, json FROM window_event WHERE window_id = ? ORDER BY seq'),
    insertRatingToken: db.prepare('INSERT INTO rating_token (ticket_id, token_hash, created_at) VALUES (?, ?, ?)'),
    ratingToken: db.prepare('SELECT 1 AS ok FROM rating_token WHERE ticket_id = ? AND token_hash = ?'),
    dedupe: db.prepare('SELECT json FROM request_dedupe WHERE scope = ? AND request_id = ?'),
    insertDedupe: db.prepare('INSERT INTO request_dedupe (scope, request_id, at, json) VALUES (?, ?, ?, ?)'),
    insertAppointment: db.prepare('INSERT INTO appointment (code, office, board, slot_start, created_at) VALUES (?, ?, ?, ?, ?)'),
    appointment: db.prepare('SELECT code, office, board, slot_start, used_at, ticket_id FROM appointment WHERE code = ?'),
    useAppointment: db.prepare('UPDATE appointment SET used_at = ?, ticket_id = ? WHERE code = ? AND used_at IS NULL'),
    attachment: db.prepare('SELECT sha256, size, office, device_id, completed_at FROM attachment WHERE sha256 = ?'),
    insertAttachment: db.prepare(
      'INSERT OR IGNORE INTO attachment (sha256, size, office, device_id, completed_at) VALUES (?, ?, ?, ?, ?)',
    ),
  };

  type SessionSql = { token_hash: string; device_id: string; staff_id: string; window_id: string; created_at: number };
  const toSession = (r: SessionSql): SessionRow => ({
    tokenHash: r.token_hash,
    deviceId: r.device_id,
    staffId: r.staff_id,
    windowId: r.window_id === '' ? null : r.window_id,
    createdAt: r.created_at,
  });
  type WindowEventSql = { seq: number; window_id: string; type: WindowEventType; at: number; json: string };
  const toWindowEvent = (r: WindowEventSql): WindowEventRow => ({
    seq: r.seq,
    windowId: r.window_id,
    type: r.type,
    at: r.at,
    data: JSON.parse(r.json) as Record<string, unknown>,
  });

  return {
    /** The connection, for the dashboard's own tables and read-only queries. */
    db,
    /** The case tables (log, projections, official numbers, audit): see cases/case-store.ts. */
    cases: openCaseTables(db),
    /**
     * Runs `fn` as one request of the open group-commit batch, in its own savepoint: if it throws,
     * only its writes are undone. Its writes are durable once `whenCommitted()` resolves, not before.
     */
    transaction<T>(fn: () => T): T {
      return commits.run(fn);
    },
    /** Runs `cb` after everything written so far has been committed (at once if nothing is pending). */
    afterCommit(cb: () => void): void {
      commits.afterCommit(cb);
    },
    /** Resolves when everything written so far is durable. Await it before any reply. */
    whenCommitted(): Promise<void> {
      return commits.whenCommitted();
    },
    /** Commits the open batch now (for synchronous callers that hand a result out at once). */
    flush(): void {
      commits.flush();
    },
    close(): void {
      if (!db.open) return;
      commits.flush();
      db.close();
    },

    // tickets
    lastTicketSeq(): number {
      return (q.lastSeq.get() as { s: number }).s;
    },
    /** Appends one event and the ticket's new projection. Call inside a transaction. */
    appendTicketEvent(seq: number, event: TicketEvent, state: TicketState): void {
      q.insertEvent.run(seq, event.eventId, event.ticketId, state.office, state.businessDate, event.action.type, event.at, JSON.stringify(event));
      q.upsertTicket.run(state.ticketId, state.office, state.businessDate, state.status, seq, JSON.stringify(state));
    },
    /**
     * Up to `limit` events of the given offices with seq > `after`, in seq order: one index range
     * scan per office (ticket_event_office_seq), merged.
     */
    ticketEventsAfter(offices: readonly string[], after: number, limit: number): Array<{ seq: number; office: string; event: TicketEvent }> {
      const rows: Array<{ seq: number; office: string; json: string }> = [];
      for (const office of new Set(offices)) rows.push(...(q.eventsOfOfficeAfter.all(office, after, limit) as typeof rows));
      rows.sort((a, b) => a.seq - b.seq);
      return rows.slice(0, limit).map((r) => ({ seq: r.seq, office: r.office, event: JSON.parse(r.json) as TicketEvent }));
    },
    hasEvent(eventId: string): boolean {
      return q.eventById.get(eventId) !== undefined;
    },
    ticketsOfDay(businessDate: string): TicketState[] {
      return (q.ticketsOfDay.all(businessDate) as Array<{ json: string }>).map((r) => JSON.parse(r.json) as TicketState);
    },
    ticket(ticketId: string): TicketState | undefined {
      const r = q.ticket.get(ticketId) as { json: string } | undefined;
      return r ? (JSON.parse(r.json) as TicketState) : undefined;
    },
    ticketEvents(ticketId: string): TicketEvent[] {
      return (q.eventsOfTicket.all(ticketId) as Array<{ json: string }>).map((r) => JSON.parse(r.json) as TicketEvent);
    },
    /** Next number of a board's series for the day. Call inside the transaction that issues the ticket. */
    nextNumber(office: string, board: string, businessDate: string): number {
      const r = q.counter.get(office, board, businessDate) as { last: number } | undefined;
      const next = (r?.last ?? 0) + 1;
      q.setCounter.run(office, board, businessDate, next);
      return next;
    },

    // devices and enrolment
    insertEnrolCode(codeHash: string, office: string, createdAt: number, expiresAt: number): void {
      q.insertCode.run(codeHash, office, createdAt, expiresAt);
    },
    /** Marks a code used; returns its office, or why it cannot be used. */
    useEnrolCode(codeHash: string, at: number, deviceId: string): { office: string } | { refused: 'unknown' | 'used' | 'expired' } {
      const r = q.code.get(codeHash) as { office: string; expires_at: number; used_at: number | null } | undefined;
      if (r === undefined) return { refused: 'unknown' };
      if (r.used_at !== null) return { refused: 'used' };
      if (r.expires_at < at) return { refused: 'expired' };
      if (q.useCode.run(at, deviceId, codeHash).changes !== 1) return { refused: 'used' };
      return { office: r.office };
    },
    insertDevice(d: { id: string; office: string; name: string; tokenHash: string; clientId: string; enrolledAt: number }): void {
      q.insertDevice.run(d.id, d.office, d.name, d.tokenHash, d.clientId, d.enrolledAt);
    },
    deviceByTokenHash(tokenHash: string): DeviceRow | undefined {
      const r = q.deviceByToken.get(tokenHash) as
        | { id: string; office: string; name: string; client_id: string; enrolled_at: number; revoked: number }
        | undefined;
      if (r === undefined) return undefined;
      return { id: r.id, office: r.office, name: r.name, clientId: r.client_id, enrolledAt: r.enrolled_at, revoked: r.revoked !== 0 };
    },
    revokeDevice(id: string): void {
      q.revokeDevice.run(id);
    },

    // sessions
    insertSession(s: SessionRow): void {
      q.insertSession.run(s.tokenHash, s.deviceId, s.staffId, s.windowId ?? '', s.createdAt);
    },
    sessionByTokenHash(tokenHash: string): SessionRow | undefined {
      const r = q.session.get(tokenHash) as SessionSql | undefined;
      return r ? toSession(r) : undefined;
    },
    endSession(tokenHash: string, at: number): void {
      q.endSession.run(at, tokenHash);
    },
    sessionsAtWindow(windowId: string): SessionRow[] {
      return (q.sessionsAtWindow.all(windowId) as SessionSql[]).map(toSession);
    },
    activeSessions(): SessionRow[] {
      return (q.activeSessions.all() as SessionSql[]).map(toSession);
    },

    // sync progress
    lastApplied(clientId: string): number {
      return (q.progress.get(clientId) as { last_applied: number } | undefined)?.last_applied ?? 0;
    },
    setLastApplied(clientId: string, mutationId: number): void {
      q.setProgress.run(clientId, mutationId);
    },
    recordMutationResult(clientId: string, mutationId: number, status: 'failed', reason: string, at: number): void {
      q.insertResult.run(clientId, mutationId, status, reason, at);
    },
    mutationResult(clientId: string, mutationId: number): { status: string; reason: string | null } | undefined {
      return q.result.get(clientId, mutationId) as { status: string; reason: string | null } | undefined;
    },

    // window log
    appendWindowEvent(windowId: string, type: WindowEventType, at: number, data: Record<string, unknown> = {}): void {
      q.insertWindowEvent.run(windowId, type, at, JSON.stringify(data));
    },
    /** The latest sign-in / sign-out / pause / unpause of every window. */
    lastPresenceEvents(): WindowEventRow[] {
      return (q.lastPresenceEvents.all() as WindowEventSql[]).map(toWindowEvent);
    },
    windowEvents(windowId: string): WindowEventRow[] {
      return (q.windowEvents.all(windowId) as WindowEventSql[]).map(toWindowEvent);
    },

    // ratings
    addRatingToken(ticketId: string, tokenHash: string, at: number): void {
      q.insertRatingToken.run(ticketId, tokenHash, at);
    },
    hasRatingToken(ticketId: string, tokenHash: string): boolean {
      return q.ratingToken.get(ticketId, tokenHash) !== undefined;
    },

    // idempotent requests
    dedupe<T>(scope: string, requestId: string): T | undefined {
      const r = q.dedupe.get(scope, requestId) as { json: string } | undefined;
      return r ? (JSON.parse(r.json) as T) : undefined;
    },
    putDedupe(scope: string, requestId: string, at: number, value: unknown): void {
      q.insertDedupe.run(scope, requestId, at, JSON.stringify(value));
    },

    // appointments
    addAppointment(a: { code: string; office: string; board: string; slotStart: number; createdAt: number }): void {
      q.insertAppointment.run(a.code, a.office, a.board, a.slotStart, a.createdAt);
    },
    appointment(code: string): AppointmentRow | undefined {
      const r = q.appointment.get(code) as
        | { code: string; office: string; board: string; slot_start: number; used_at: number | null; ticket_id: string | null }
        | undefined;
      if (r === undefined) return undefined;
      return { code: r.code, office: r.office, board: r.board, slotStart: r.slot_start, usedAt: r.used_at, ticketId: r.ticket_id };
    },
    useAppointment(code: string, at: number, ticketId: string): boolean {
      return q.useAppointment.run(at, ticketId, code).changes === 1;
    },

    // attachments (stored complete and verified; the bytes live in dataDir/attachments)
    attachment(sha256: string): AttachmentRow | undefined {
      const r = q.attachment.get(sha256) as { sha256: string; size: number; office: string; device_id: string; completed_at: number } | undefined;
      return r ? { sha256: r.sha256, size: r.size, office: r.office, deviceId: r.device_id, completedAt: r.completed_at } : undefined;
    },
    /** Records a verified attachment; a second record of the same content is ignored. Call inside a transaction. */
    recordAttachment(a: AttachmentRow): void {
      q.insertAttachment.run(a.sha256, a.size, a.office, a.deviceId, a.completedAt);
    },
  };
}
