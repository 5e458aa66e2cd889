import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureService } from '../electron/backend/capture/index.js';
import { AppError } from '../shared/errors.js';
import { generateDocument } from '../tests/capture/generator/index.js';
import { extractCommand, ExtractUsageError } from './extract.js';

let dir: string;
let service: CaptureService;
let card: string;
let truth: Record<string, string>;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ow-extract-'));
  service = new CaptureService();
  const doc = await generateDocument('idcard_front', 3, 'camera', { rotation: 90 });
  card = path.join(dir, `card.${doc.ext}`);
  writeFileSync(card, doc.image);
  truth = doc.truth.fields;
});
afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await extractCommand(args, (s) => (out += s), service);
  return { code, out };
}

describe('onewindow extract FILE', () => {
  it('prints the document type, fields with confidence and region, and the form keys as JSON', async () => {
    const pdf = path.join(dir, 'card.pdf');
    const { code, out } = await run([card, '--pdf', pdf]);
    expect(code).toBe(0);
    const json = JSON.parse(out) as { pages: Array<{ docType: string; rotation: number; fields: Record<string, { value: string; confidence: number; valid: boolean; region: { width: number } }>; form: Record<string, string> }> };
    const page = json.pages[0]!;
    expect(page.docType).toBe('idcard_front');
    expect(page.rotation).toBe(270);
    expect(page.fields.idNumber).toMatchObject({ value: truth.idNumber, valid: true });
    expect(page.fields.name!.confidence).toBeGreaterThan(0.8);
    expect(page.fields.name!.region.width).toBeGreaterThan(0);
    expect(page.form['applicant.idNumber']).toBe(truth.idNumber);
    expect(page.form['applicant.name']).toBe(truth.name);
    expect(existsSync(pdf)).toBe(true);
    expect(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '')).toContain(truth.idNumber);
  }, 180_000);

  it('reads the page as the type given with --type, and fills the role given with --role', async () => {
    const { out } = await run([card, '--type', 'idcard_front', '--role', 'legalRep']);
    const page = (JSON.parse(out) as { pages: Array<{ typeConfidence: number; form: Record<string, string> }> }).pages[0]!;
    expect(page.typeConfidence).toBe(1);
    expect(Object.keys(page.form).sort()).toEqual(['legalRep.idNumber', 'legalRep.name']);
  }, 180_000);

  it('refuses an unknown type and a missing file, clearly', async () => {
    await expect(run([card, '--type', 'passport'])).rejects.toThrow(ExtractUsageError);
    await expect(run([])).rejects.toThrow(/exactly one FILE/);
    const err = await run([path.join(dir, 'nope.jpg')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/无法读取文件/);
  });
});
