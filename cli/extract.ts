import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CaptureService, DOC_TYPE_NAMES, DOC_TYPES, searchablePdf, toFormValues, type DocType } from '../electron/backend/capture/index.js';
import { AppError } from '../shared/errors.js';

/**
 * `onewindow extract FILE [--type T] [--role R] [--pdf OUT.pdf]`: reads an image or a PDF with
 * the capture pipeline and prints, as JSON, each page's document type and fields (value,
 * confidence, validity, region on the stored page) and the form keys they would fill.
 */

export const EXTRACT_USAGE = `usage: onewindow extract FILE [--type ${DOC_TYPES.join('|')}] [--role ROLE] [--pdf OUT.pdf]
  prints the document type and extracted fields of an image or PDF as JSON
  --type T     read every page as this document type (skips type recognition)
  --role R     whose data it is for the form keys (applicant, legalRep, seller …)
  --pdf OUT    also write a searchable PDF (page images + invisible text layer)
`;

export class ExtractUsageError extends Error {}

export async function extractCommand(argv: string[], out: (s: string) => void, service?: CaptureService): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { type: { type: 'string' }, role: { type: 'string' }, pdf: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    out(EXTRACT_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new ExtractUsageError('extract takes exactly one FILE');
  const type = values.type;
  if (type !== undefined && !(DOC_TYPES as readonly string[]).includes(type)) {
    throw new ExtractUsageError(`--type must be one of ${DOC_TYPES.join(', ')}, got "${type}"`);
  }
  const file = positionals[0]!;
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new AppError('not_found', `无法读取文件：${file}`, String(err));
  }
  const capture = service ?? new CaptureService();
  try {
    const result = await capture.importFile(bytes, { fileName: file, ...(type ? { docType: type as DocType } : {}) });
    const pages = result.pages.map((p) => ({
      page: p.index + 1,
      docType: p.docType,
      docTypeName: p.docType ? DOC_TYPE_NAMES[p.docType] : null,
      typeConfidence: p.typeConfidence,
      rotation: p.rotation,
      skew: p.skew,
      cropped: p.cropped,
      size: { width: p.stored.width, height: p.stored.height },
      storedSha256: p.stored.sha256,
      fields: Object.fromEntries(
        p.fields.map((f) => [f.name, {
          label: f.label, value: f.value, confidence: f.confidence, valid: f.valid,
          ...(f.problem ? { problem: f.problem } : {}), ...(f.repairedFrom !== undefined ? { repairedFrom: f.repairedFrom } : {}), ...(f.note ? { note: f.note } : {}),
          region: f.region,
        }]),
      ),
      missing: p.missing,
      form: Object.fromEntries(toFormValues(p, values.role ? { role: values.role } : {}).map((v) => [v.key, v.value])),
      ms: Object.values(p.timings).reduce((a, b) => a + b, 0),
    }));
    if (values.pdf) {
      const pdf = await searchablePdf(result.pages.map((p) => ({ jpeg: p.stored.bytes, width: p.stored.width, height: p.stored.height, lines: p.lines })));
      await writeFile(values.pdf, pdf);
    }
    out(`${JSON.stringify({ file, sha256: result.source.sha256, mime: result.source.mime, pages, skipped: result.skipped }, null, 2)}\n`);
    return 0;
  } finally {
    if (!service) await capture.close();
  }
}
