import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonSettingsStore } from './json-settings-store.js';

process.env.ONEWINDOW_LOG ??= 'silent';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ow-settings-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('JSON settings store', () => {
  it('starts from defaults and persists a patch across reopen', () => {
    const file = path.join(dir, 'settings.json');
    const a = jsonSettingsStore(file);
    expect(a.get().hallUrl).toBeNull();
    a.set({ hallUrl: 'http://127.0.0.1:7300', windowId: 'qihe-county/3' });
    const b = jsonSettingsStore(file);
    expect(b.get()).toMatchObject({ hallUrl: 'http://127.0.0.1:7300', windowId: 'qihe-county/3', deviceToken: null });
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('keeps a corrupt file aside and falls back to defaults', () => {
    const file = path.join(dir, 'settings.json');
    fs.writeFileSync(file, '{"hallUrl": "http://x", trunc');
    const s = jsonSettingsStore(file);
    expect(s.get().hallUrl).toBeNull();
    const aside = fs.readdirSync(dir).filter((f) => f.startsWith('settings.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, aside[0]!), 'utf8')).toContain('trunc');
    s.set({ deviceName: '3号窗口电脑' });
    expect(jsonSettingsStore(file).get().deviceName).toBe('3号窗口电脑');
  });

  it('treats a file that fails the schema as corrupt', () => {
    const file = path.join(dir, 'settings.json');
    fs.writeFileSync(file, JSON.stringify({ hallUrl: 42 }));
    expect(jsonSettingsStore(file).get().hallUrl).toBeNull();
    expect(fs.readdirSync(dir).some((f) => f.startsWith('settings.json.corrupt-'))).toBe(true);
  });
});
