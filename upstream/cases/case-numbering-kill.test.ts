import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { foldCase } from '../../shared/case/case-reducer.js';
import type { CaseEvent } from '../../shared/case/types.js';
import type { MutationAck } from '../../shared/hall/api.js';
import { freePort, startHallProcess, type HallProcess } from '../../tests/support/hall-process.js';
import { startHallServer } from '../server.js';
import { newCaseId, openAction } from './test-support.js';

/**
 * Kill-safety of official numbers: the counter, the opening, its `numbered` event and the client's
 * progress are one transaction. Windows push openings while the hall process is killed -9 again and
 * again; they resend whatever was not acknowledged. Afterwards every office's numbers are exactly
 * 1..n, every case has one number, and every number a window was ever told is the one on disk.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Win {
  office: string;
  windowId: string;
  staffId: string;
  clientId: string;
  token: string;
  bodies: Array<Record<string, unknown>>;
  acked: number;
  told: Map<string, string>;
}

async function enrol(specs: Array<{ office: string; windowId: string; staffId: string; code: string }>, url: string): Promise<Win[]> {
  return Promise.all(
    specs.map(async (s) => {
      const r = await fetch(`${url}/api/enroll`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: s.code, deviceName: 'kill-test' }) });
      const body = (await r.json()) as { clientId: string; deviceToken: string };
      if (r.status !== 200) throw new Error(`enrol: ${JSON.stringify(body)}`);
      return { office: s.office, windowId: s.windowId, staffId: s.staffId, clientId: body.clientId, token: body.deviceToken, bodies: [], acked: 0, told: new Map() };
    }),
  );
}

describe('official case numbers under kill -9', () => {
  it('stay unique and gapless per office, and every acknowledged number survives', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'onewindow-case-kill-'));
    dirs.push(dataDir);
    const specs = [
      { office: 'qihe-county', windowId: 'qihe-county/1', staffId: '1001' },
      { office: 'qihe-county', windowId: 'qihe-county/2', staffId: '1002' },
      { office: 'qihe-county', windowId: 'qihe-county/3', staffId: '1003' },
      { office: 'qihe-edz', windowId: 'qihe-edz/1', staffId: '2001' },
    ];
    // enrolment codes made in-process on the same data folder, before the hall process starts
    const setup = await startHallServer({ dataDir, port: 0, log: () => {} });
    const withCodes = specs.map((s) => ({ ...s, code: setup.createEnrolmentCode(s.office, 30 * 60_000) }));
    await setup.close();

    const port = await freePort();
    let hall: HallProcess = await startHallProcess({ dataDir, port });
    const url = `http://127.0.0.1:${port}`;
    const wins = await enrol(withCodes, url);
    const PER = 60;
    for (const w of wins) {
      for (let i = 0; i < PER; i++) {
        w.bodies.push({ mutationId: i + 1, kind: 'case_action', caseId: newCaseId(), key: `open-${w.clientId}-${i}`.slice(0, 64), windowId: w.windowId, staffId: w.staffId, at: Date.now(), action: openAction() });
      }
    }

    let down = false;
    let cut = 0;
    const pushLoop = async (w: Win) => {
      while (w.acked < PER) {
        if (down) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        const batch = w.bodies.slice(w.acked, w.acked + 4);
        try {
          const r = await fetch(`${url}/api/sync/push`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${w.token}` },
            body: JSON.stringify({ clientId: w.clientId, mutations: batch }),
          });
          const body = (await r.json()) as { acks: MutationAck[] };
          if (r.status !== 200) throw new Error(`push ${r.status}: ${JSON.stringify(body)}`);
          for (const a of body.acks) {
            expect(a.status === 'applied' || a.status === 'duplicate', JSON.stringify(a)).toBe(true);
            const caseId = w.bodies[a.mutationId - 1]!.caseId as string;
            const before = w.told.get(caseId);
            if (before !== undefined) expect(a.caseNo).toBe(before); // a retry is told the same number
            w.told.set(caseId, a.caseNo!);
            w.acked = Math.max(w.acked, a.mutationId);
          }
        } catch (err) {
          if (err instanceof Error && /push \d+/.test(err.message)) throw err;
          cut += 1;
          await new Promise((r) => setTimeout(r, 20)); // connection cut by the kill: resend later
        }
      }
    };

    // Kill -9 as the work passes 10 %, 25 %, 40 %, 55 % and 70 % (plus a random few ms), so every
    // kill lands while windows are pushing; restart on the same port.
    const total = wins.length * PER;
    const acked = () => wins.reduce((n, w) => n + w.acked, 0);
    const killedAt: number[] = [];
    const killer = (async () => {
      for (const share of [0.1, 0.25, 0.4, 0.55, 0.7]) {
        while (acked() < share * total) await new Promise((r) => setTimeout(r, 2));
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 15)));
        down = true;
        killedAt.push(acked());
        await hall.kill('SIGKILL');
        hall = await startHallProcess({ dataDir, port });
        down = false;
      }
    })();
    await Promise.all([...wins.map(pushLoop), killer]);
    await hall.stop();
    expect(killedAt.length).toBe(5);
    expect(killedAt.every((n) => n < total)).toBe(true);
    expect(cut).toBeGreaterThan(0); // pushes were cut off mid-flight and resent

    const db = new Database(path.join(dataDir, 'hall.db'), { readonly: true });
    try {
      const cases = db.prepare('SELECT case_id, office, case_no FROM "case"').all() as Array<{ case_id: string; office: string; case_no: string | null }>;
      expect(cases.length).toBe(wins.length * PER);
      for (const office of ['qihe-county', 'qihe-edz']) {
        const nos = cases.filter((c) => c.office === office).map((c) => c.case_no!);
        const prefix = office === 'qihe-county' ? 'QIHE-' : 'QIHE-K-';
        const year = nos[0]!.slice(prefix.length, prefix.length + 4);
        expect([...nos].sort()).toEqual(Array.from({ length: nos.length }, (_, i) => `${prefix}${year}-${String(i + 1).padStart(6, '0')}`));
        expect(db.prepare('SELECT last FROM case_number_counter WHERE office = ? AND year = ?').get(office, Number(year))).toEqual({ last: nos.length });
      }
      const byId = new Map(cases.map((c) => [c.case_id, c.case_no]));
      for (const w of wins) for (const [caseId, caseNo] of w.told) expect(byId.get(caseId)).toBe(caseNo);
      // each case's log: one opening, one numbering, and it folds to the stored number
      const events = (db.prepare('SELECT json FROM case_event ORDER BY seq').all() as Array<{ json: string }>).map((r) => JSON.parse(r.json) as CaseEvent);
      expect(events.length).toBe(2 * cases.length);
      const logs = new Map<string, CaseEvent[]>();
      for (const e of events) logs.set(e.caseId, [...(logs.get(e.caseId) ?? []), e]);
      for (const [caseId, log] of logs) {
        expect(log.map((e) => e.action.type)).toEqual(['opened', 'numbered']);
        const f = foldCase(log);
        expect(f.ok && f.state.caseNo).toBe(byId.get(caseId));
      }
      for (const w of wins) expect(db.prepare('SELECT last_applied FROM client_progress WHERE client_id = ?').get(w.clientId)).toEqual({ last_applied: PER });
    } finally {
      db.close();
    }
  }, 90_000);
});
