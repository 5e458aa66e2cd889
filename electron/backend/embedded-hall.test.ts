import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createWorkstation } from './index.js';
import { memorySettingsStore } from './settings/settings-store.js';
import { signIn, state, tempDir, value, waitFor } from './test-helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('embedded hall', () => {
  it('starts a hall on loopback when none is configured, enrols once, and works as a complete hall', async () => {
    const dataDir = tempDir('ws-embedded');
    const settings = memorySettingsStore();
    const ws = await createWorkstation({ dataDir, settings, embeddedHall: true });
    let deviceId: string | null;
    try {
      const d = value(await ws.handlers['device.status']({}));
      expect(d).toMatchObject({ enrolled: true, embeddedHall: true, office: 'qihe-county' });
      expect(d.hallUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(d.publicPages?.display).toBe(`${d.hallUrl}/display?office=qihe-county`);
      expect(settings.get().hallUrl).toBeNull();
      deviceId = settings.get().deviceId;
      await waitFor('online', async () => (await state(ws)).connection.online);
      const s = value(await signIn(ws));
      expect(s.session?.staff.id).toBe('1001');
    } finally {
      await ws.close();
    }
    const again = await createWorkstation({ dataDir, settings, embeddedHall: true });
    try {
      expect(settings.get().deviceId).toBe(deviceId);
      await waitFor('online again', async () => (await state(again)).connection.online);
    } finally {
      await again.close();
    }
  });

  it('runs as the browser preview process: prints PREVIEW_LISTENING and stops on SIGTERM', async () => {
    const dataDir = tempDir('preview');
    // `node --import tsx`, not the tsx CLI: under load the CLI's signal relay gives up after 30 ms and
    // SIGKILLs the child (exit 143), which would test tsx instead of the preview's own shutdown.
    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/backend/bridge/main.ts', '--data', dataDir], {
      cwd: root,
      env: { ...process.env, ONEWINDOW_LOG: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /PREVIEW_LISTENING (\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`preview exited early (${code})`)));
        setTimeout(() => reject(new Error('preview did not start in time')), 30_000);
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const res = await fetch(new URL('/bridge/invoke', url), { method: 'POST', body: '{}' });
      expect(res.status).toBe(401);
      const code = await new Promise<number | null>((resolve) => {
        child.on('exit', (c) => resolve(c));
        child.kill('SIGTERM');
      });
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 40_000);
});
