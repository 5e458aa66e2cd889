import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCalendarDir, loadCatalogDir } from './node-loader.js';
import { indexCatalog, type CatalogIndex } from './validate.js';

/** Test helper: the shipped catalog and calendar directories, loaded and indexed. */
export const SHIPPED_CATALOG_DIR = fileURLToPath(new URL('../../resources/catalog', import.meta.url));
export const SHIPPED_CALENDAR_DIR = fileURLToPath(new URL('../../resources/calendar', import.meta.url));
export const REPO_ROOT = path.resolve(SHIPPED_CATALOG_DIR, '..', '..');

export function shippedCatalog(): CatalogIndex {
  const r = loadCatalogDir(SHIPPED_CATALOG_DIR);
  if (!r.ok) throw new Error(`shipped catalog invalid: ${r.errors.map((e) => `${e.file}: ${e.path}: ${e.message}`).join('; ')}`);
  return indexCatalog(r.catalog);
}

export const shippedCalendar = () => loadCalendarDir(SHIPPED_CALENDAR_DIR);
