import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startHallServer } from '../../upstream/server.js';
import type { TicketEvent, TicketState } from '../../shared/queue/types.js';
import { HallClient } from './hall-http.js';
import { cliEnrolmentCode } from './cli.js';
export { cliEnrolmentCode };
import { makeTestHallConfig, writeHallConfig, type TestHall, type TestHallOptions } from './test-hall-config.js';
import { WindowClerk } from './window-clerk.js';

/**
 * Everything a load test needs before the hall process starts: a temp data folder, a generated
 * configuration file, and one enrolment code per window (made with the hall's own
 * `createEnrolmentCode`, in-process, on the same data folder, which is then closed).
 */
export interface PreparedHall extends TestHall {
  dataDir: string;
  configFile: string;
  codes: string[];
  cleanup(): void;
}

export async function prepareHall(o: TestHallOptions & { dataDir?: string; cliCodes?: number }): Promise<PreparedHall> {
  const dataDir = o.dataDir ?? mkdtempSync(path.join(tmpdir(), 'onewindow-hall-'));
  const hall = await makeTestHallConfig(o);
  const configFile = writeHallConfig(dataDir, hall.config);
  // the first `cliCodes` codes come from the admin CLI, as a hall administrator makes them
  const codes: string[] = [];
  for (let i = 0; i < Math.min(o.cliCodes ?? 0, hall.staff.length); i++) codes.push(await cliEnrolmentCode(dataDir, hall.office, configFile));
  const server = await startHallServer({ dataDir, config: hall.config, port: 0, webDir: dataDir });
  try {
    while (codes.length < hall.staff.length) codes.push(server.createEnrolmentCode(hall.office, 30 * 60_000));
  } finally {
    await server.close();
  }
  return { ...hall, dataDir, configFile, codes, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** Enrols one workstation per window and signs its clerk in; returns the windows ready to call. */
export async function openWindows(
  baseUrl: string,
  hall: PreparedHall,
  o: { deadline: number; validate?: boolean },
): Promise<WindowClerk[]> {
  return Promise.all(
    hall.staff.map(async (s, i) => {
      const client = new HallClient({ baseUrl, validate: o.validate });
      await client.enroll(hall.codes[i]!, `测试工作站${i + 1}`);
      await client.signIn(s.staffId, s.pin, s.windowId);
      return new WindowClerk({ client, windowId: s.windowId, staffId: s.staffId, deadline: o.deadline });
    }),
  );
}

/**
 * Read-only look into a stopped hall's database (tables `ticket` and `ticket_event` of
 * upstream/store/migrations.ts), for checks that must not trust the server's own answers.
 */
export interface HallAudit {
  tickets: TicketState[];
  eventsOf(ticketId: string): TicketEvent[];
  /** ticket id → its `called` events. */
  calls: Map<string, TicketEvent[]>;
  /** Tickets with more than one `called` event. */
  doubleCalls: string[];
}

export function auditHallDb(dataDir: string): HallAudit {
  const db = new Database(path.join(dataDir, 'hall.db'), { readonly: true, fileMustExist: true });
  try {
    const tickets = (db.prepare('SELECT json FROM ticket').all() as Array<{ json: string }>).map((r) => JSON.parse(r.json) as TicketState);
    const events = new Map<string, TicketEvent[]>();
    for (const r of db.prepare('SELECT json FROM ticket_event ORDER BY seq').iterate() as Iterable<{ json: string }>) {
      const e = JSON.parse(r.json) as TicketEvent;
      const list = events.get(e.ticketId);
      if (list) list.push(e);
      else events.set(e.ticketId, [e]);
    }
    const calls = new Map<string, TicketEvent[]>();
    for (const [id, list] of events) calls.set(id, list.filter((e) => e.action.type === 'called'));
    const doubleCalls = [...calls].filter(([, l]) => l.length > 1).map(([id]) => id);
    return { tickets, eventsOf: (id) => events.get(id) ?? [], calls, doubleCalls };
  } finally {
    db.close();
  }
}
