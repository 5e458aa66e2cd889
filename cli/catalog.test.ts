import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, SHIPPED_CATALOG_DIR } from '../shared/catalog/test-support.js';

const BIN = path.join(REPO_ROOT, 'bin', 'onewindow.mjs');
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function check(dir?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'catalog', 'check', ...(dir ? [dir] : [])], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A copy of the shipped catalog with one file edited. */
function brokenCopy(file: string, edit: (data: Json) => void): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ow-catalog-'));
  temps.push(dir);
  cpSync(SHIPPED_CATALOG_DIR, dir, { recursive: true });
  const abs = path.join(dir, file);
  const data = JSON.parse(readFileSync(abs, 'utf8')) as Json;
  edit(data);
  writeFileSync(abs, JSON.stringify(data, null, 2));
  return dir;
}

describe('onewindow catalog check', () => {
  it('accepts the shipped catalog and prints matters per board, bundles and fields', () => {
    const r = check();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^catalog ok: \d+ matters, \d+ bundles, \d+ fields, \d+ materials/);
    expect(r.stdout).toMatch(/A 市场准入: \d+ matters/);
    expect(r.stdout).toMatch(/G 税务: \d+ matters/);
    expect(r.stdout).toContain('企业开办');
  });

  const defects: { name: string; file: string; edit: (d: Json) => void; expected: string }[] = [
    {
      name: 'an unknown field key',
      file: 'matters/market.json',
      edit: (d) => {
        d.matters[3].fields[2].key = 'applicant.idNumbr';
      },
      expected: 'matters/market.json: matters[3].fields[2].key: unknown field key "applicant.idNumbr"',
    },
    {
      name: 'an unknown board',
      file: 'matters/social.json',
      edit: (d) => {
        d.matters[0].board = 'H';
      },
      expected: 'matters/social.json: matters[0].board: unknown board "H" (boards: A, B, C, D, E, F, G)',
    },
    {
      name: 'a duplicate matter code',
      file: 'matters/tax.json',
      edit: (d) => {
        d.matters[2].code = d.matters[0].code;
      },
      expected: 'matters/tax.json: matters[2].code: duplicate matter code "37142500-SW-001" (first used in matters/tax.json: matters[0])',
    },
    {
      name: 'a bundle naming a matter that does not exist',
      file: 'bundles/market.json',
      edit: (d) => {
        d.bundles[0].matters[1] = '37142500-XZSP-999';
      },
      expected: 'bundles/market.json: bundles[0].matters[1]: unknown matter code "37142500-XZSP-999"',
    },
    {
      name: 'an instant-approval matter without a result document',
      file: 'matters/market.json',
      edit: (d) => {
        d.matters[0].results = [];
      },
      expected: 'matters/market.json: matters[0].results: an instant-approval (秒批) matter must issue at least one result document',
    },
  ];

  for (const defect of defects) {
    it(`refuses ${defect.name}, naming the file and the path`, () => {
      const r = check(brokenCopy(defect.file, defect.edit));
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toContain(defect.expected);
      expect(r.stderr).toMatch(/: \d+ errors?\n$/);
    });
  }

  it('reports a file that is not JSON and keeps checking the rest', () => {
    const dir = brokenCopy('matters/tax.json', () => {});
    writeFileSync(path.join(dir, 'matters', 'tax.json'), '{ "matters": [');
    const r = check(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^matters\/tax\.json: \(root\): not valid JSON/m);
    // Bundles naming the lost tax matters are reported too: the rest of the catalog is still checked.
    expect(r.stderr).toMatch(/bundles\/market\.json: bundles\[\d+\]\.matters\[\d+\]: unknown matter code "37142500-SW-001"/);
  });

  it('exits 1 for a directory that does not exist', () => {
    const r = check(path.join(tmpdir(), 'no-such-catalog-dir'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/catalog directory not found/);
  });
});
