import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { readCalendarDir, readCatalogDir } from '../../shared/catalog/node-loader.js';
import { formatCatalogError, validateCatalog, type CatalogData } from '../../shared/catalog/validate.js';
import type { CalendarYear } from '../../shared/catalog/working-days.js';
import type { CatalogSource } from '../../shared/hall/api.js';
import { defaultCalendarDir, defaultCatalogDir } from '../config.js';

/**
 * The reference data the hall hands to every window whatever its office: the matter catalog and
 * the holiday calendars. Loaded and validated once at start — a hall with an invalid catalog or
 * calendar does not start (and so never distributes it). Each part has its own version, a hash of
 * exactly what goes on the wire.
 */
export interface HallReferenceData {
  catalog: { version: string; source: CatalogSource; data: CatalogData };
  calendars: { version: string; years: CalendarYear[] };
}

export function versionOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

function requireDir(dir: string, what: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${what} directory not found: ${dir}`);
}

/** Reads and validates both; throws an Error listing every problem in English (as `catalog check` does). */
export function loadHallReferenceData(opts: { catalogDir?: string | undefined; calendarDir?: string | undefined } = {}): HallReferenceData {
  const catalogDir = path.resolve(opts.catalogDir ?? defaultCatalogDir());
  const calendarDir = path.resolve(opts.calendarDir ?? defaultCalendarDir());
  requireDir(catalogDir, 'catalog');
  requireDir(calendarDir, 'holiday calendar');
  const files = readCatalogDir(catalogDir);
  const checked = validateCatalog(files);
  if (!checked.ok) {
    const n = checked.errors.length;
    throw new Error(`invalid matter catalog ${catalogDir}: ${n} error${n === 1 ? '' : 's'}\n${checked.errors.map((e) => `  ${formatCatalogError(e)}`).join('\n')}`);
  }
  const years = readCalendarDir(calendarDir);
  if (years.length === 0) throw new Error(`holiday calendar ${calendarDir} has no <year>.json file`);
  const source: CatalogSource = { files: files.map((f) => ({ file: f.file, data: f.data })) };
  return {
    catalog: { version: versionOf(source), source, data: checked.catalog },
    calendars: { version: versionOf(years), years },
  };
}
