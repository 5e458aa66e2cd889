import { loadCalendarDir, readCatalogDir } from '../../../shared/catalog/node-loader.js';
import { formatCatalogError, indexCatalog, validateCatalog, type CatalogIndex } from '../../../shared/catalog/validate.js';
import type { WorkingCalendar } from '../../../shared/catalog/working-days.js';
import { AppError } from '../../../shared/errors.js';
import type { OfficeConfig } from '../../../shared/office/config.js';
import { defaultCalendarDir, defaultCatalogDir } from '../../../upstream/config.js';
import { versionOf } from '../../../upstream/sync/reference-data.js';
import { createLogger } from '../log.js';
import type { Db } from '../store/database.js';
import { referenceData } from '../sync/replica.js';

const log = createLogger('catalog');

export interface WindowCatalog {
  index: CatalogIndex;
  /** The catalog's version: the hall's (a hash of its source files), or the same hash of the bundled files. */
  version: string;
  /** Where it came from: pulled from the hall, or shipped with the app (a fresh window, offline). */
  origin: 'hall' | 'bundled';
}

export interface CatalogDirs {
  /** The bundled matter catalog (default resources/catalog). */
  catalogDir?: string | undefined;
  /** The bundled holiday calendars (default resources/calendar). */
  calendarDir?: string | undefined;
}

/**
 * What the window knows of the matter catalog, the holiday calendar and its office: the reference
 * data pulled from the hall when there is some and it is valid (`referenceData` validates the
 * catalog again and ignores one that fails), else what ships with the app under resources/ — so a
 * window enrolled but never synced, or offline from the start, can still take cases.
 */
export class CatalogProvider {
  private bundledCatalog: WindowCatalog | null = null;
  private bundledCalendar: WorkingCalendar | null = null;

  constructor(
    private readonly db: Db,
    private readonly dirs: CatalogDirs = {},
  ) {}

  catalog(): WindowCatalog {
    const ref = referenceData(this.db);
    if (ref.catalog && ref.versions.catalog) return { index: ref.catalog, version: ref.versions.catalog, origin: 'hall' };
    return this.bundled();
  }

  calendar(): WorkingCalendar {
    const ref = referenceData(this.db);
    if (ref.calendar) return ref.calendar;
    if (!this.bundledCalendar) {
      try {
        this.bundledCalendar = loadCalendarDir(this.dirs.calendarDir ?? defaultCalendarDir());
      } catch (err) {
        throw new AppError('internal', '节假日日历无法读取，无法计算办结时限，请联系管理员。', String(err));
      }
    }
    return this.bundledCalendar;
  }

  timeZone(): string {
    return referenceData(this.db).office?.timeZone ?? 'Asia/Shanghai';
  }

  /** An office's settings as the hall sent them (kind, prefix, boards); undefined before the first pull. */
  office(id: string): OfficeConfig | undefined {
    return referenceData(this.db).office?.offices.find((o) => o.id === id);
  }

  private bundled(): WindowCatalog {
    if (!this.bundledCatalog) {
      const dir = this.dirs.catalogDir ?? defaultCatalogDir();
      let files;
      try {
        files = readCatalogDir(dir);
      } catch (err) {
        throw new AppError('internal', '事项目录无法读取，请联系管理员。', `bundled catalog ${dir}: ${String(err)}`);
      }
      const checked = validateCatalog(files);
      if (!checked.ok) {
        throw new AppError('internal', '本机事项目录有误，请联系管理员。', `bundled catalog ${dir}: ${checked.errors.slice(0, 3).map(formatCatalogError).join('; ')}`);
      }
      const version = versionOf({ files: files.map((f) => ({ file: f.file, data: f.data })) });
      this.bundledCatalog = { index: indexCatalog(checked.catalog), version, origin: 'bundled' };
      log.info(`using the bundled matter catalog ${version.slice(0, 12)} (none pulled from the hall yet)`);
    }
    return this.bundledCatalog;
  }
}
