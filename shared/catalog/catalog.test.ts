import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogDir } from './node-loader.js';
import { BOARDS } from './schema.js';
import { REPO_ROOT, SHIPPED_CATALOG_DIR, shippedCatalog } from './test-support.js';

describe('the shipped matter catalog', () => {
  it('validates with no errors', () => {
    const r = loadCatalogDir(SHIPPED_CATALOG_DIR);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('has at least 60 matters spread over all seven boards', () => {
    const { data } = shippedCatalog();
    expect(data.matters.length).toBeGreaterThanOrEqual(60);
    for (const board of Object.keys(BOARDS)) {
      expect(data.matters.filter((m) => m.board === board).length, `board ${board}`).toBeGreaterThanOrEqual(5);
    }
  });

  it('has at least 8 bundles including every one the issue names', () => {
    const { data } = shippedCatalog();
    expect(data.bundles.length).toBeGreaterThanOrEqual(8);
    const names = data.bundles.map((b) => b.name);
    for (const name of ['企业开办', '餐饮店开办', '个体工商户开办', '新生儿出生一件事', '退休一件事', '残疾人服务一件事', '工业项目拿地即开工']) {
      expect(names).toContain(name);
    }
    expect(names.some((n) => n.startsWith('不动产转移登记'))).toBe(true);
  });

  it('uses the boards of the county hall configuration', () => {
    const hall = JSON.parse(readFileSync(path.join(REPO_ROOT, 'resources', 'offices', 'qihe.json'), 'utf8')) as {
      offices: { id: string; boards: { code: string; name: string }[] }[];
    };
    const county = hall.offices.find((o) => o.id === 'qihe-county');
    expect(Object.fromEntries(county!.boards.map((b) => [b.code, b.name]))).toEqual(BOARDS);
  });

  it('lets the development-zone branch decide only matters of the boards it serves (县镇同权)', () => {
    const hall = JSON.parse(readFileSync(path.join(REPO_ROOT, 'resources', 'offices', 'qihe.json'), 'utf8')) as {
      offices: { id: string; boards: { code: string }[] }[];
    };
    const branchBoards = new Set(hall.offices.find((o) => o.id === 'qihe-edz')!.boards.map((b) => b.code));
    const delegated = shippedCatalog().data.matters.filter((m) => m.branchMayDecide);
    expect(delegated.length).toBeGreaterThan(10);
    for (const m of delegated) expect(branchBoards.has(m.board), `${m.code} ${m.name} on board ${m.board}`).toBe(true);
  });

  it('charges the housing registration fee of 80 yuan per case for a second-hand home transfer', () => {
    const m = shippedCatalog().matters.get('37142500-BDC-002')!;
    expect(m.fees).not.toBe('不收费');
    expect(m.fees !== '不收费' && m.fees[0]!.amountFen).toBe(8000);
  });

  it('gives every instant-approval matter a result template and a promise of 0 days', () => {
    const instant = shippedCatalog().data.matters.filter((m) => m.instantApproval);
    expect(instant.length).toBeGreaterThan(5);
    for (const m of instant) {
      expect(m.results.length, m.code).toBeGreaterThan(0);
      expect(m.promisedDays, m.code).toBe(0);
    }
  });
});
