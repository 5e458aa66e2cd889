import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeIssues } from '../shared/errors.js';
import { HallConfig } from '../shared/office/config.js';

/** The repository root, from this file's place (or the working directory in a bundle). */
export function repoRoot(): string {
  const url = (import.meta as { url?: string }).url;
  return url ? path.resolve(path.dirname(fileURLToPath(url)), '..') : process.cwd();
}

export function defaultConfigPath(): string {
  return path.join(repoRoot(), 'resources', 'offices', 'qihe.json');
}

/** The matter catalog the hall distributes (validated at start). */
export function defaultCatalogDir(): string {
  return path.join(repoRoot(), 'resources', 'catalog');
}

/** The holiday calendars (`<year>.json`) the hall distributes. */
export function defaultCalendarDir(): string {
  return path.join(repoRoot(), 'resources', 'calendar');
}

export function defaultWebDir(): string {
  return path.join(repoRoot(), 'dist', 'web');
}

/** Reads and validates a hall configuration file; throws an Error with a readable English message. */
export function loadHallConfig(file = defaultConfigPath()): HallConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read hall configuration ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const r = HallConfig.safeParse(raw);
  if (!r.success) throw new Error(`invalid hall configuration ${file}: ${describeIssues(r.error.issues)}`);
  return r.data;
}
