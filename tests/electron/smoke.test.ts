/**
 * Electron smoke test: opens the real app (dist/electron/main.cjs) with Playwright's `_electron` and
 * checks the window, its hardening and one call over IPC. It needs an Electron binary.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function executableIn(dir: string): string | null {
  const candidates =
    process.platform === 'win32'
      ? ['electron.exe']
      : process.platform === 'darwin'
        ? ['Electron.app/Contents/MacOS/Electron']
        : ['electron'];
  for (const c of candidates) {
    const p = path.join(dir, c);
    if (fs.existsSync(p) && fs.statSync(p).isFile()) return p;
  }
  return null;
}

function findElectronBinary(): string | null {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) return executableIn(override);
  return executableIn(path.join(root, 'node_modules', 'electron', 'dist'));
}

const binary = findElectronBinary();
if (!binary) {
  console.warn(
    'skipped: no Electron binary on this machine (electron@45 fetches it lazily and this machine cannot download) — set ELECTRON_OVERRIDE_DIST_PATH to run it',
  );
}

describe('Electron app', () => {
  // Skipped, never passed, where no Electron binary exists: electron@45 downloads its binary the first
  // time it runs, which machines without internet cannot do (see FACTS.md). Set
  // ELECTRON_OVERRIDE_DIST_PATH to a folder holding an Electron 45 binary to run this test.
  it.skipIf(!binary)('opens the hardened workstation window and answers over IPC', { timeout: 120_000 }, async () => {
    execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--electron'], { cwd: root, stdio: 'inherit' });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ow-electron-'));
    const app = await electron.launch({
      executablePath: binary!,
      args: [path.join(root, 'dist/electron/main.cjs')],
      cwd: root,
      env: { ...process.env, ONEWINDOW_DATA_DIR: dataDir, ONEWINDOW_LOG: 'warn' },
      timeout: 60_000,
    });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      expect(page.url()).toBe('app://workstation/workstation.html');
      expect(await page.title()).toMatch(/OneWindow|一窗受理/);
      const exposed = await page.evaluate(() => ({
        api: typeof (window as unknown as { onewindow?: { invoke?: unknown } }).onewindow?.invoke,
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
        opened: window.open('https://example.com') === null,
      }));
      expect(exposed).toEqual({ api: 'function', require: 'undefined', process: 'undefined', opened: true });
      const status = await page.evaluate(() =>
        (window as unknown as { onewindow: { invoke(m: string, i: unknown): Promise<unknown> } }).onewindow.invoke('device.status', {}),
      );
      // No hall configured: the app starts an embedded hall on loopback and enrols with it.
      expect(status).toMatchObject({ ok: true, value: { enrolled: true, embeddedHall: true, office: 'qihe-county' } });
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        const wc = BrowserWindow.getAllWindows()[0]!.webContents;
        return (wc as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
      });
      expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    } finally {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
