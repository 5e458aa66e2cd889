import fs from 'node:fs';
import path from 'node:path';
import { describeIssues } from '../../../shared/errors.js';
import { createLogger } from '../log.js';
import { Settings, type SettingsPatch, type SettingsStore } from './settings-store.js';

const log = createLogger('settings');

/**
 * Settings in one JSON file. Writes are atomic (temp file, fsync, rename, fsync of the folder), so a
 * crash leaves either the old or the new file. A file that cannot be read back (bad JSON or a value
 * that fails the schema) is kept aside as `<file>.corrupt-<timestamp>` and the defaults are used.
 */
export function jsonSettingsStore(file: string): SettingsStore {
  let current = load(file);
  return {
    get: () => ({ ...current }),
    set(patch: SettingsPatch) {
      const next = Settings.parse({ ...current, ...patch });
      writeAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
      current = next;
      return { ...next };
    },
  };
}

function load(file: string): Settings {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Settings.parse({});
    throw err;
  }
  let problem: string;
  try {
    const parsed = Settings.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    problem = describeIssues(parsed.error.issues);
  } catch (err) {
    problem = `invalid JSON: ${(err as Error).message}`;
  }
  const aside = `${file}.corrupt-${Date.now()}`;
  fs.renameSync(file, aside);
  log.warn(`settings file unreadable, kept aside as ${path.basename(aside)}; using defaults`, problem);
  return Settings.parse({});
}

export function writeAtomic(file: string, text: string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  try {
    const dfd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  } catch {
    // Directories cannot be fsynced on every platform (Windows); the rename is still atomic.
  }
}
