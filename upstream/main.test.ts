import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'onewindow-main-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function startHall(dir = dataDir): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'upstream/main.ts', '--port', '0', '--data', dir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      const m = /^HALL_LISTENING (\S+)\n/m.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on('data', (d: Buffer) => (err += String(d)));
    child.on('exit', (code) => reject(new Error(`hall exited ${code}: ${err}`)));
  });
}

async function issueTicket(url: string, board = 'C'): Promise<{ ticketId: string; number: string }> {
  const r = await fetch(`${url}/api/kiosk/tickets`, {
    method: 'POST',
    body: JSON.stringify({ office: 'qihe-county', board, requestId: `req${Math.random().toString(36).slice(2, 12)}` }),
  });
  if (r.status !== 200) throw new Error(`issue failed: ${r.status} ${await r.text()}`);
  return (await r.json()) as { ticketId: string; number: string };
}

async function issue(url: string): Promise<string> {
  return (await issueTicket(url)).number;
}

describe('hall server process', () => {
  it('prints HALL_LISTENING, survives kill -9 without losing an acknowledged ticket, and stops on SIGTERM', async () => {
    const a = await startHall();
    const numbers = [await issue(a.url), await issue(a.url), await issue(a.url)];
    expect(numbers).toEqual(['C001', 'C002', 'C003']);
    const killed = new Promise((r) => a.child.once('exit', r));
    a.child.kill('SIGKILL');
    await killed;
    const b = await startHall();
    expect(await issue(b.url)).toBe('C004');
    const office = (await (await fetch(`${b.url}/api/public/office?office=qihe-county`)).json()) as { boards: Array<{ code: string; waiting: number }> };
    expect(office.boards.find((x) => x.code === 'C')?.waiting).toBe(4);
    const exited = new Promise<number | null>((r) => b.child.once('exit', (code) => r(code)));
    b.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('group commit: a kill -9 right after replies were sent loses nothing that was replied to', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'onewindow-kill-'));
    try {
      const a = await startHall(dir);
      const killed = new Promise((r) => a.child.once('exit', r));
      const replied: Array<{ ticketId: string; number: string }> = [];
      // 120 kiosk issues at once are committed in a few batches; kill -9 the moment the first reply is in
      await Promise.all(
        Array.from({ length: 120 }, () =>
          issueTicket(a.url, 'D').then(
            (t) => {
              replied.push(t);
              if (replied.length === 1) a.child.kill('SIGKILL');
            },
            () => undefined, // cut off by the kill: never acknowledged
          ),
        ),
      );
      await killed;
      expect(replied.length).toBeGreaterThanOrEqual(1);
      const db = new Database(path.join(dir, 'hall.db'), { readonly: true });
      const stored = new Map(
        (db.prepare("SELECT ticket_id, json FROM ticket WHERE office = 'qihe-county'").all() as Array<{ ticket_id: string; json: string }>).map((r) => [
          r.ticket_id,
          (JSON.parse(r.json) as { number: string }).number,
        ]),
      );
      db.close();
      for (const t of replied) expect(stored.get(t.ticketId)).toBe(t.number);
      expect(new Set(stored.values()).size).toBe(stored.size); // no number given twice
      const b = await startHall(dir); // and the hall goes on from there
      const next = await issueTicket(b.url, 'D');
      expect(Number(next.number.slice(1))).toBe(stored.size + 1);
      const exited = new Promise((r) => b.child.once('exit', r));
      b.child.kill('SIGTERM');
      await exited;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad arguments with a clear English message and exit code 2', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'upstream/main.ts', '--port', 'abc'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--port must be an integer');
  });
});

describe('onewindow CLI', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/onewindow.mjs', ...args], { cwd: root, encoding: 'utf8' });

  it('hall enroll prints a one-time code; hall appointment add prints a check-in code', () => {
    const e = cli('hall', 'enroll', '--data', dataDir, '--office', 'qihe-edz', '--ttl-minutes', '5');
    expect(e.status, e.stderr).toBe(0);
    expect(e.stdout.trim()).toMatch(/^[A-Z]{4}-\d{4}$/);
    const a = cli('hall', 'appointment', 'add', '--data', dataDir, '--office', 'qihe-county', '--board', 'A', '--slot', '2025-03-03T09:30:00+08:00');
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout.trim()).toMatch(/^[A-Z0-9]{8}$/);
  });

  it('an unknown command or office prints usage and exits 2', () => {
    const u = cli('frobnicate');
    expect(u.status).toBe(2);
    expect(u.stderr).toContain('usage:');
    const o = cli('hall', 'enroll', '--data', dataDir, '--office', 'nowhere');
    expect(o.status).toBe(2);
    expect(o.stderr).toContain('unknown office');
    expect(cli('--help').status).toBe(0);
  });
});
