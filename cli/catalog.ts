import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { defaultCatalogDir } from '../upstream/config.js';
import { loadCatalogDir } from '../shared/catalog/node-loader.js';
import { BOARDS, type BoardCode } from '../shared/catalog/schema.js';
import { formatCatalogError, type CatalogData } from '../shared/catalog/validate.js';

export { defaultCatalogDir };

/** The summary printed for a valid catalog: matters per board, bundles, dictionary sizes. */
export function describeCatalog(catalog: CatalogData): string {
  const lines = [`catalog ok: ${catalog.matters.length} matters, ${catalog.bundles.length} bundles, ${catalog.fields.length} fields, ${catalog.materials.length} materials`];
  for (const code of Object.keys(BOARDS) as BoardCode[]) {
    const n = catalog.matters.filter((m) => m.board === code).length;
    const b = catalog.bundles.filter((x) => x.board === code).length;
    lines.push(`  ${code} ${BOARDS[code]}: ${n} matters, ${b} bundles`);
  }
  lines.push(`  instant approval (秒批): ${catalog.matters.filter((m) => m.instantApproval).length}; branch may decide (县镇同权): ${catalog.matters.filter((m) => m.branchMayDecide).length}`);
  lines.push(`  bundles: ${catalog.bundles.map((b) => b.name).join('、')}`);
  return `${lines.join('\n')}\n`;
}

/**
 * `onewindow catalog check [DIR]`: validates a catalog directory. Prints each error as
 * `file: path: message` on stderr and returns 1, or prints a summary on stdout and returns 0.
 */
export function catalogCheck(dirArg: string | undefined, out: (s: string) => void, err: (s: string) => void): number {
  const dir = path.resolve(dirArg ?? defaultCatalogDir());
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    err(`error: catalog directory not found: ${dir}\n`);
    return 1;
  }
  const result = loadCatalogDir(dir);
  if (!result.ok) {
    for (const e of result.errors) err(`${formatCatalogError(e)}\n`);
    err(`catalog ${dir}: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}\n`);
    return 1;
  }
  out(describeCatalog(result.catalog));
  return 0;
}
