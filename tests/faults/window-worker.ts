/**
 * One workstation backend as a process, for `npm run test:faults` (tests/faults/run.ts kills it with
 * SIGKILL at random and starts it again on the same data folder).
 *
 *   node --import tsx tests/faults/window-worker.ts --data DIR --hall URL --journal FILE
 *        [--code ENROL-CODE] [--office ID] [--window ID] [--staff ID] [--pin PIN] [--drain]
 *
 * Work mode: enrols once (with --code, when the settings hold no device yet), signs in, then loops
 * doing real work: issue a ticket at the kiosk API, call next, start, then hold (and resume) or finish.
 * Every action the workstation accepted (so its mutation is in the outbox) is appended to the journal
 * with its (clientId, mutationId), fsync'd.
 * Drain mode (--drain): no new work; waits until the outbox is empty, prints `DRAINED {json}` and exits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import type { PanelState } from '../../shared/contract.js';
import { HallHttp } from '../../electron/backend/hall-client/http.js';
import { createWorkstation, type Workstation } from '../../electron/backend/index.js';
import { jsonSettingsStore } from '../../electron/backend/settings/json-settings-store.js';

process.env.ONEWINDOW_LOG ??= 'warn';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    hall: { type: 'string' },
    journal: { type: 'string' },
    code: { type: 'string' },
    office: { type: 'string', default: 'test-hall' },
    window: { type: 'string', default: 'test-hall/1' },
    staff: { type: 'string', default: 'c001' },
    pin: { type: 'string', default: '123456' },
    drain: { type: 'boolean', default: false },
  },
  strict: true,
});
const dataDir = values.data!;
const hallUrl = values.hall!;
const journalFile = values.journal!;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let requestSeq = 0;

type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

async function main(): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true });
  const settings = jsonSettingsStore(path.join(dataDir, 'settings.json'));
  const ws = await createWorkstation({ dataDir, settings, hallUrl });
  const stop = async () => {
    await ws.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());

  if (!settings.get().deviceToken) {
    if (!values.code) throw new Error('not enrolled and no --code given');
    for (;;) {
      const r = (await ws.handlers['device.enroll']({ hallUrl, code: values.code, deviceName: '故障测试工作站' })) as Result<unknown>;
      if (r.ok) break;
      if (r.error.code !== 'offline') throw new Error(`enrolment refused: ${r.error.code} ${r.error.message}`);
      await sleep(200);
    }
  }
  const clientId = settings.get().clientId!;
  process.stdout.write(`WORKER_READY ${clientId}\n`);

  if (values.drain) {
    await drain(ws);
    return;
  }
  await work(ws, clientId);
}

async function state(ws: Workstation): Promise<PanelState> {
  const r = (await ws.handlers['queue.state']({})) as Result<PanelState>;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function drain(ws: Workstation): Promise<void> {
  const end = Date.now() + 90_000;
  for (;;) {
    const st = await state(ws);
    if (st.connection.online && st.sync.pending === 0) {
      process.stdout.write(`DRAINED ${JSON.stringify({ pending: st.sync.pending, parked: st.sync.parked, pullCursor: st.sync.pullCursor ?? null })}\n`);
      // Give the puller a moment to fold what the last acknowledgements released.
      await sleep(1500);
      await ws.close();
      process.exit(0);
    }
    if (Date.now() > end) {
      process.stdout.write(`DRAIN_TIMEOUT ${JSON.stringify(st.sync)}\n`);
      await ws.close();
      process.exit(3);
    }
    await sleep(100);
  }
}

/** The newest local mutation: read from the workstation's own database (a second, read-only connection). */
function lastQueued(db: Database.Database): { mutationId: number; clientId: string; ticketId: string; action: string } | undefined {
  return db
    .prepare('SELECT mutation_id AS mutationId, client_id AS clientId, ticket_id AS ticketId, action FROM ticket_event WHERE mutation_id IS NOT NULL ORDER BY id DESC LIMIT 1')
    .get() as { mutationId: number; clientId: string; ticketId: string; action: string } | undefined;
}

async function work(ws: Workstation, clientId: string): Promise<void> {
  const journal = fs.openSync(journalFile, 'a');
  const reader = new Database(path.join(dataDir, 'workstation.db'), { readonly: true, fileMustExist: true });
  const hall = new HallHttp(hallUrl, { timeoutMs: 2000 });
  const office = values.office!;

  /** Runs one action that goes through the outbox; journals its mutation when the workstation accepted it. */
  const act = async (name: 'queue.start' | 'queue.finish' | 'queue.hold', input: unknown): Promise<boolean> => {
    const r = (await ws.handlers[name](input as never)) as Result<PanelState>;
    if (!r.ok) return false;
    const q = lastQueued(reader);
    if (q) {
      fs.writeSync(journal, `${JSON.stringify({ ...q, action: (JSON.parse(q.action) as { type: string }).type, at: Date.now() })}\n`);
      fs.fsyncSync(journal);
    }
    return true;
  };

  // Sign in (retrying while the hall is down).
  for (;;) {
    const r = (await ws.handlers['session.signIn']({ staffId: values.staff!, pin: values.pin!, windowId: values.window! })) as Result<PanelState>;
    if (r.ok) break;
    await sleep(200);
  }
  process.stdout.write(`WORKER_SIGNED_IN ${clientId}\n`);

  for (;;) {
    const st = await state(ws);
    if (!st.session) {
      // The hall refused the session (e.g. restarted and lost nothing, but we were signed out): sign in again.
      await ws.handlers['session.signIn']({ staffId: values.staff!, pin: values.pin!, windowId: values.window! });
      await sleep(100);
      continue;
    }
    const cur = st.panel?.current;
    if (cur?.status === 'CALLED') {
      await act('queue.start', {});
    } else if (cur?.status === 'SERVING') {
      if (Math.random() < 0.3) await act('queue.hold', { kind: Math.random() < 0.5 ? 'waiting' : 'with_materials', note: '等待补充材料' });
      else await act('queue.finish', { caseNo: `F-${Date.now() % 100000}` });
    } else if (st.panel && st.panel.resumable.length > 0 && Math.random() < 0.5) {
      await ws.handlers['queue.resume']({ ticketId: st.panel.resumable[0]!.ticketId });
    } else if (st.canCallNext) {
      try {
        await hall.call('kioskIssue', { office, board: 'A', requestId: `fault-${process.pid}-${Date.now()}-${++requestSeq}` });
      } catch {
        // hall down: the call below will say so too
      }
      await ws.handlers['queue.callNext']({});
    } else {
      await sleep(50);
    }
    await sleep(10);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`worker failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(2);
});
