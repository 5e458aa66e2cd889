import { indexCatalog, validateCatalog, type CatalogIndex } from '../../../shared/catalog/validate.js';
import { buildCalendar, CalendarYear, type WorkingCalendar } from '../../../shared/catalog/working-days.js';
import { CatalogSource, PullReference } from '../../../shared/hall/api.js';
import { createLogger } from '../log.js';
import { getMeta, type Db } from '../store/database.js';

/**
 * The reference data a window pulls (see replica.ts), as stored in `meta`, in three parts each with
 * its own version: the office settings (`reference`), the matter catalog (its source files) and the
 * holiday calendars. `referenceData(db)` reads them back, validated and indexed once per version.
 */
const log = createLogger('replica');

export const REFERENCE_VERSION = 'pull.reference_version';
export const REFERENCE_JSON = 'pull.reference_json';
export const CATALOG_VERSION = 'pull.catalog_version';
export const CATALOG_JSON = 'pull.catalog_json';
export const CALENDAR_VERSION = 'pull.calendar_version';
export const CALENDAR_JSON = 'pull.calendar_json';

export function referenceVersion(db: Db): string | null {
  return getMeta(db, REFERENCE_VERSION);
}

export function catalogVersion(db: Db): string | null {
  return getMeta(db, CATALOG_VERSION);
}

export function calendarVersion(db: Db): string | null {
  return getMeta(db, CALENDAR_VERSION);
}

/** The office reference data of the last pull that carried one. */
export function replicaReference(db: Db): PullReference | null {
  const json = getMeta(db, REFERENCE_JSON);
  if (json === null) return null;
  const parsed = PullReference.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}

/** The reference data a window holds (null: not pulled yet). */
export interface ReferenceData {
  office: PullReference | null;
  /** The matter catalog, validated and indexed. */
  catalog: CatalogIndex | null;
  /** The holiday calendars as published, and as working-day lookups. */
  calendars: CalendarYear[] | null;
  calendar: WorkingCalendar | null;
  versions: { office: string | null; catalog: string | null; calendars: string | null };
}

/** Parsed parts by version, per database: the catalog is validated once, not on every read. */
const parsedCache = new WeakMap<
  Db,
  { catalog?: { version: string; index: CatalogIndex | null }; calendars?: { version: string; parsed: { years: CalendarYear[]; calendar: WorkingCalendar } | null } }
>();

function storedCatalog(db: Db, version: string | null): CatalogIndex | null {
  if (version === null) return null;
  const cache = parsedCache.get(db) ?? {};
  parsedCache.set(db, cache);
  if (cache.catalog?.version !== version) {
    // Read (it is large) only when the version changed.
    const json = getMeta(db, CATALOG_JSON);
    if (json === null) return null;
    const source = CatalogSource.safeParse(JSON.parse(json));
    const checked = source.success ? validateCatalog(source.data.files) : null;
    if (!checked?.ok) log.warn(`stored catalog ${version.slice(0, 12)} does not validate; ignored`);
    cache.catalog = { version, index: checked?.ok ? indexCatalog(checked.catalog) : null };
  }
  return cache.catalog.index;
}

function storedCalendars(db: Db, version: string | null): { years: CalendarYear[]; calendar: WorkingCalendar } | null {
  if (version === null) return null;
  const cache = parsedCache.get(db) ?? {};
  parsedCache.set(db, cache);
  if (cache.calendars?.version !== version) {
    const json = getMeta(db, CALENDAR_JSON);
    if (json === null) return null;
    const parsed = CalendarYear.array().safeParse(JSON.parse(json));
    cache.calendars = { version, parsed: parsed.success ? { years: parsed.data, calendar: buildCalendar(parsed.data) } : null };
  }
  return cache.calendars.parsed;
}

/** Everything pulled as reference data: office settings, matter catalog, holiday calendars. */
export function referenceData(db: Db): ReferenceData {
  const versions = { office: referenceVersion(db), catalog: catalogVersion(db), calendars: calendarVersion(db) };
  const calendars = storedCalendars(db, versions.calendars);
  return {
    office: replicaReference(db),
    catalog: storedCatalog(db, versions.catalog),
    calendars: calendars?.years ?? null,
    calendar: calendars?.calendar ?? null,
    versions,
  };
}
