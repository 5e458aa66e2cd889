import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError, describeIssues } from '../../../shared/errors.js';
import { repoRoot } from '../../../upstream/config.js';
import { Template } from './template-schema.js';

/**
 * Loads the templates of resources/templates/<id>.json (the file name is the template id). Every
 * file is validated with the Template schema; a broken file is reported with its name and path.
 */

export function defaultTemplateDir(): string {
  return path.join(repoRoot(), 'resources', 'templates');
}

export interface TemplateProblem {
  file: string;
  message: string;
}

export function loadTemplateDir(dir: string = defaultTemplateDir()): { templates: Map<string, Template>; problems: TemplateProblem[] } {
  const templates = new Map<string, Template>();
  const problems: TemplateProblem[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    } catch (err) {
      problems.push({ file, message: `not JSON: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    const parsed = Template.safeParse(json);
    if (!parsed.success) {
      problems.push({ file, message: describeIssues(parsed.error.issues) });
      continue;
    }
    if (`${parsed.data.id}.json` !== file) {
      problems.push({ file, message: `id "${parsed.data.id}" does not match the file name` });
      continue;
    }
    templates.set(parsed.data.id, parsed.data);
  }
  return { templates, problems };
}

let cached: Map<string, Template> | undefined;

/** Every template of the default directory; throws if any file is invalid. */
export function allTemplates(): Map<string, Template> {
  if (!cached) {
    const { templates, problems } = loadTemplateDir();
    if (problems.length > 0) {
      throw new AppError('internal', '证照模板文件有误，请联系管理员。', problems.map((p) => `${p.file}: ${p.message}`).join('; '));
    }
    cached = templates;
  }
  return cached;
}

export function getTemplate(id: string): Template {
  const t = allTemplates().get(id);
  if (!t) throw new AppError('not_found', `没有名为「${id}」的证照模板。`, `template ${id} not found`);
  return t;
}
