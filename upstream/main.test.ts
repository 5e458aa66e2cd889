import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'onewindow-main-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function startHall(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'upstream/main.ts', '--port', '0', '--data', dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
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

async function issue(url: string): Promise<string> {
  const r = await fetch(`${url}/api/kiosk/tickets`, {
    method: 'POST',
    body: JSON.stringify({ office: 'qihe-county', board: 'C', requestId: `req${Math.random().toString(36).slice(2, 12)}` }),
  });
  return ((await r.json()) as { number: string }).number;
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
