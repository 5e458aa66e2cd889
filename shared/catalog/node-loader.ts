import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describeIssues } from '../errors.js';
import { validateCatalog, type CatalogSourceFile, type ValidationResult } from './validate.js';
import { buildCalendar, CalendarYear, type WorkingCalendar } from './working-days.js';

/**
 * Node-only: reads a catalog directory (fields.json, materials.json, matters/*.json, bundles/*.json
 * and anything else, which validation reports) into source files for validateCatalog. A file that
 * cannot be read or parsed becomes a readError, never an exception.
 */
export function readCatalogDir(dir: string): CatalogSourceFile[] {
  const out: CatalogSourceFile[] = [];
  const walk = (rel: string): void => {
    const abs = path.join(dir, rel);
    for (const name of readdirSync(abs).sort()) {
      const relName = rel === '' ? name : `${rel}/${name}`;
      if (statSync(path.join(abs, name)).isDirectory()) {
        walk(relName);
        continue;
      }
      if (!name.endsWith('.json')) continue;
      try {
        out.push({ file: relName, data: JSON.parse(readFileSync(path.join(abs, name), 'utf8')) as unknown });
      } catch (err) {
        out.push({ file: relName, readError: `not valid JSON: ${err instanceof Error ? err.message : String(err)}` });
      }
    }
  };
  walk('');
  return out;
}

/** Reads and validates a catalog directory. */
export function loadCatalogDir(dir: string): ValidationResult {
  return validateCatalog(readCatalogDir(dir));
}

/** Reads and checks every `<year>.json` of a calendar directory; throws with a readable message on a bad file. */
export function readCalendarDir(dir: string): CalendarYear[] {
  const years: CalendarYear[] = [];
  for (const name of readdirSync(dir).filter((n) => /^\d{4}\.json$/.test(n)).sort()) {
    const file = path.join(dir, name);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`invalid holiday calendar ${file}: not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    const r = CalendarYear.safeParse(raw);
    if (!r.success) throw new Error(`invalid holiday calendar ${file}: ${describeIssues(r.error.issues)}`);
    if (`${r.data.year}.json` !== name) throw new Error(`holiday calendar ${file} is for ${r.data.year}`);
    years.push(r.data);
  }
  return years;
}

/** Reads every `<year>.json` of a calendar directory into working-day lookups (see readCalendarDir). */
export function loadCalendarDir(dir: string): WorkingCalendar {
  return buildCalendar(readCalendarDir(dir));
}
