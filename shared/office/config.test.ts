import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { documentAbbreviation, HallConfig, parseWindowId, windowId, windowLabel } from './config.js';

const PIN_HASH = 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA==';

/** A small valid configuration: a county hall and one branch, to be broken one way per test. */
function base() {
  return {
    hallName: '齐河县政务服务中心',
    offices: [
      {
        id: 'qihe-county',
        name: '齐河县政务服务中心',
        shortName: '县中心',
        kind: 'county' as const,
        prefix: '',
        boards: [
          { code: 'A', name: '市场准入', defaultServiceMinutes: 8 },
          { code: 'B', name: '社会事务', defaultServiceMinutes: 6 },
        ],
        windows: [
          { no: 1, boards: [{ board: 'A', weight: 2 }, { board: 'B', weight: 1 }] },
          { no: 2, boards: [{ board: 'B', weight: 1 }] },
        ],
      },
      {
        id: 'qihe-edz',
        name: '经济开发区分中心',
        shortName: '开发区',
        kind: 'branch' as const,
        parent: 'qihe-county',
        prefix: 'K',
        boards: [{ code: 'A', name: '市场准入', defaultServiceMinutes: 8 }],
        windows: [{ no: 1, boards: [{ board: 'A', weight: 1 }] }],
      },
    ],
    staff: [
      { id: '1001', name: '王丽', office: 'qihe-county', roles: ['clerk' as const], pinHash: PIN_HASH },
      { id: '2001', name: '刘洋', office: 'qihe-edz', roles: ['branch_staff' as const], pinHash: PIN_HASH },
    ],
  };
}

function messages(input: unknown): string[] {
  const r = HallConfig.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.message);
}

describe('hall configuration', () => {
  it('accepts a valid configuration and fills the defaults', () => {
    const cfg = HallConfig.parse(base());
    expect(cfg.timeZone).toBe('Asia/Shanghai');
    expect(cfg.offices[0]!.policy).toEqual({ targetWaitMinutes: 10, minCallGapMs: 2_000, maxWaitMinutes: 30 });
    expect(cfg.offices[0]!.boards[0]!.recallLimit).toBe(2);
  });

  it('refuses two offices with the same ticket prefix', () => {
    const c = base();
    c.offices[1]!.prefix = '';
    expect(messages(c)).toEqual([expect.stringContaining('prefix "" already used')]);
  });

  it('refuses two offices numbering documents under the same 机关代字 (a second branch left to the default)', () => {
    const c = base();
    const second = { ...structuredClone(c.offices[1]!), id: 'qihe-south', prefix: 'N' };
    const two = { ...c, offices: [...c.offices, second] };
    expect(messages(two)).toEqual([expect.stringContaining('机关代字 "齐开审批" already used by qihe-edz')]);
    expect(messages({ ...two, offices: [...c.offices, { ...second, abbreviation: '齐南审批' }] })).toEqual([]);
    expect(documentAbbreviation(HallConfig.parse(base()).offices[0]!)).toBe('齐审批');
    expect(messages({ ...c, offices: [c.offices[0], { ...c.offices[1], abbreviation: 'QK审批' }] })).toEqual(['机关代字应为 1 至 10 个汉字']);
  });

  it('refuses a window serving a board its office does not have', () => {
    const c = base();
    c.offices[0]!.windows[1]!.boards.push({ board: 'Z', weight: 1 });
    expect(messages(c)).toEqual(['unknown board Z']);
  });

  it('refuses an unknown parent office', () => {
    const c = base();
    c.offices[1]!.parent = 'nowhere';
    expect(messages(c)).toEqual(['unknown parent office nowhere']);
  });

  it('refuses duplicate office ids, board codes, window numbers and staff ids', () => {
    const c = base();
    c.offices[1]!.id = 'qihe-county';
    c.offices[0]!.boards.push({ code: 'A', name: '重复', defaultServiceMinutes: 5 });
    c.offices[0]!.windows[1]!.no = 1;
    c.staff[1]!.id = '1001';
    c.staff[1]!.office = 'qihe-county';
    const m = messages(c);
    expect(m).toEqual(
      expect.arrayContaining(['duplicate office id qihe-county', 'duplicate board code', 'duplicate window 1', 'duplicate staff id 1001']),
    );
  });

  it('refuses staff of an unknown office, a plain PIN, and a window without boards', () => {
    const c1 = base();
    c1.staff[0]!.office = 'elsewhere';
    expect(messages(c1)).toEqual(['unknown office elsewhere']);
    const c2 = base();
    c2.staff[0]!.pinHash = '123456';
    expect(messages(c2)).toHaveLength(1);
    const c3 = base();
    c3.offices[0]!.windows[0]!.boards = [];
    expect(messages(c3)).toEqual(['a window serves at least one board']);
  });

  it('refuses a bad board code or weight', () => {
    const c = base();
    c.offices[0]!.boards[0]!.code = 'a';
    c.offices[0]!.windows[0]!.boards[0]!.weight = 0;
    expect(messages(c).length).toBeGreaterThanOrEqual(2);
  });
});

describe('window ids', () => {
  it('round-trip office and number', () => {
    expect(windowId('qihe-edz', 3)).toBe('qihe-edz/3');
    expect(parseWindowId('qihe-edz/3')).toEqual({ office: 'qihe-edz', no: 3 });
    expect(parseWindowId(windowId('qihe-county', 12))).toEqual({ office: 'qihe-county', no: 12 });
  });

  it('label a window by name or number', () => {
    expect(windowLabel({ no: 3 })).toBe('3号窗口');
    expect(windowLabel({ no: 3, name: '综合受理3号' })).toBe('综合受理3号');
  });
});

describe('the shipped configuration resources/offices/qihe.json', () => {
  const path = fileURLToPath(new URL('../../resources/offices/qihe.json', import.meta.url));
  const cfg = HallConfig.parse(JSON.parse(readFileSync(path, 'utf8')));

  it('validates and has the county hall with its seven boards and the branch with prefix K', () => {
    const county = cfg.offices.find((o) => o.id === 'qihe-county')!;
    expect(county.prefix).toBe('');
    expect(county.boards.map((b) => `${b.code}${b.name}`)).toEqual([
      'A市场准入',
      'B社会事务',
      'C建设项目',
      'D人社医保',
      'E不动产登记',
      'F公积金',
      'G税务',
    ]);
    expect(county.windows).toHaveLength(12);
    const edz = cfg.offices.find((o) => o.id === 'qihe-edz')!;
    expect(edz).toMatchObject({ prefix: 'K', kind: 'branch', parent: 'qihe-county' });
    expect(edz.boards.map((b) => b.code)).toEqual(['A', 'C', 'G']);
    expect(edz.windows).toHaveLength(3);
  });

  it('has the demo staff with hashed PINs only', () => {
    const byId = new Map(cfg.staff.map((s) => [s.id, s]));
    expect(byId.get('1001')).toMatchObject({ name: '王丽', office: 'qihe-county', roles: ['clerk'] });
    expect(byId.get('1002')).toMatchObject({ name: '张伟', roles: ['clerk'] });
    expect(byId.get('1003')).toMatchObject({ name: '李娜', roles: ['clerk'] });
    expect(byId.get('2001')).toMatchObject({ name: '刘洋', office: 'qihe-edz', roles: ['branch_staff'] });
    expect(byId.get('9001')).toMatchObject({ name: '赵敏', roles: ['supervisor'] });
    expect(byId.get('9999')?.roles).toEqual(['admin']);
    for (const s of cfg.staff) expect(s.pinHash.startsWith('scrypt$')).toBe(true);
    expect(JSON.stringify(cfg)).not.toContain('123456');
  });
});
