import { describe, expect, it } from 'vitest';
import { shippedCatalog } from '../../../shared/catalog/test-support.js';
import { mayDecide, normalizeQuery, searchCatalog } from './catalog-search.js';

const catalog = shippedCatalog();
const county = { branch: false };
const branch = { branch: true };
const names = (q: string, o = county) => searchCatalog(catalog, q, o).map((h) => h.name);

describe('finding a matter or a bundle at the window', () => {
  it('finds a bundle by its pinyin initials, first', () => {
    const hits = searchCatalog(catalog, 'qykb', county);
    expect(hits[0]).toMatchObject({ kind: 'bundle', code: 'enterprise-opening', name: '企业开办', matchedBy: '拼音首字母', board: 'A', boardName: '市场准入' });
    expect(hits[0]!.matterCount).toBeGreaterThanOrEqual(6);
  });

  it('finds the food business licences by spjy, and by full pinyin', () => {
    const spjy = names('spjy');
    expect(spjy.slice(0, 2).sort()).toEqual(['食品经营许可（食品销售经营者）', '食品经营许可（餐饮服务经营者）'].sort());
    expect(names('shipinjingying').slice(0, 2).every((n) => n.startsWith('食品经营许可'))).toBe(true);
    expect(names('QYKB')[0]).toBe('企业开办');
  });

  it('finds by name, exact names first, then names that start with the query, then those containing it', () => {
    expect(names('企业开办')[0]).toBe('企业开办');
    const hits = names('注销');
    expect(hits).toContain('企业注销');
    expect(hits).toContain('企业注销登记');
    expect(hits).toContain('个体工商户注销登记');
    // A name starting with the query outranks one that only contains it.
    expect(names('个体')[0]).toMatch(/^个体/);
  });

  it('finds by code, exactly or by its serial', () => {
    expect(searchCatalog(catalog, '37142500-XZSP-007', county)[0]).toMatchObject({ code: '37142500-XZSP-007', matchedBy: '编码' });
    expect(searchCatalog(catalog, '37142500-xzsp-007', county)[0]?.code).toBe('37142500-XZSP-007');
    expect(searchCatalog(catalog, 'XZSP007', county).map((h) => h.code)).toContain('37142500-XZSP-007');
  });

  it('finds by the aliases applicants use', () => {
    const hit = searchCatalog(catalog, '开饭店', county)[0];
    expect(hit).toMatchObject({ name: '食品经营许可（餐饮服务经营者）', matchedBy: '别名' });
    expect(searchCatalog(catalog, '刻章', county)[0]).toMatchObject({ name: '公章刻制备案', matchedBy: '别名' });
  });

  it('ignores full-width characters and spaces in the query, and finds nothing for nonsense', () => {
    expect(normalizeQuery(' ＱＹ Ｋ Ｂ ')).toBe('qykb');
    expect(names('ＱＹＫＢ')[0]).toBe('企业开办');
    expect(names('zzzzqqq')).toEqual([]);
  });

  it('lists the bundles for an empty query', () => {
    const hits = searchCatalog(catalog, '', county);
    expect(hits.length).toBe(catalog.data.bundles.length);
    expect(hits.every((h) => h.kind === 'bundle')).toBe(true);
  });

  it('shows a branch office only the matters it may decide and the bundles all of whose matters it may decide', () => {
    const all = searchCatalog(catalog, '', branch).map((h) => h.code);
    expect(all).toContain('restaurant-opening');
    expect(all).toContain('sole-trader-opening');
    // 企业开办 includes social insurance and housing-fund registration: county only.
    expect(all).not.toContain('enterprise-opening');
    expect(names('qykb', branch)).not.toContain('企业开办');
    // 公积金 matters are not 县镇同权.
    expect(names('公积金', branch)).toEqual([]);
    expect(names('公积金').length).toBeGreaterThan(0);
    expect(searchCatalog(catalog, '开饭店', branch)[0]?.branchMayDecide).toBe(true);
    expect(mayDecide(catalog, 'bundle', 'enterprise-opening', true)).toBe(false);
    expect(mayDecide(catalog, 'bundle', 'enterprise-opening', false)).toBe(true);
    expect(mayDecide(catalog, 'matter', '37142500-XZSP-002', true)).toBe(true);
  });
});
