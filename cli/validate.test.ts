import { describe, expect, it } from 'vitest';
import { validateCommand } from './validate.js';

function run(...argv: string[]): { code: number; out: string; err: string; json: Record<string, unknown> | null } {
  let out = '';
  let err = '';
  // 2026-05-11 12:00 in China.
  const code = validateCommand(argv, (s) => (out += s), (s) => (err += s), () => Date.parse('2026-05-11T04:00:00Z'));
  return { code, out, err, json: out ? (JSON.parse(out) as Record<string, unknown>) : null };
}

describe('onewindow validate', () => {
  it('prints an ID number as JSON with birth date, sex, region and age today, exit 0', () => {
    const r = run('id', '371425199003070018');
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ valid: true, reason: null, normalized: '371425199003070018', birthDate: '1990-03-07', sex: 'M', region: '山东省德州市齐河县', regionCode: '371425', age: 36 });
    expect(r.out.endsWith('}\n')).toBe(true);
  });

  it('normalises a lower-case x and takes --on for the age', () => {
    const r = run('id', '11010519491231002x', '--on', '1999-12-30');
    expect(r.json).toMatchObject({ valid: true, normalized: '11010519491231002X', sex: 'F', region: '北京市', age: 49 });
  });

  it('explains an impossible birth date in Chinese, exit 1', () => {
    const r = run('id', '371425199902300024');
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ valid: false, reason: '出生日期19990230不是真实的日期', normalized: '371425199902300024' });
  });

  it('suggests the repair for a single OCR slip', () => {
    const r = run('id', '3714251990O3070018');
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ valid: false, repaired: '371425199003070018' });
  });

  it('prints a credit code with authority, entity type and region', () => {
    const r = run('uscc', '91371425MA3C8K7P1B');
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ valid: true, reason: null, normalized: '91371425MA3C8K7P1B', registrationAuthority: '工商（市场监管）', entityType: '企业', region: '山东省德州市齐河县', regionCode: '371425' });
  });

  it('refuses the letter O in a credit code and suggests 0', () => {
    const r = run('uscc', '91371425MA3C8K7PO8');
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ valid: false, repaired: '91371425MA3C8K7P08' });
    expect(String(r.json?.reason)).toContain('不使用字母I、O、S、V、Z');
  });

  it('reports usage errors with exit 2 and prints nothing on stdout', () => {
    for (const argv of [[], ['passport', 'E1234567'], ['id'], ['id', '1', '2'], ['id', '371425199003070018', '--on', '2026-02-30'], ['uscc', '91371425MA3C8K7P1B', '--on', '2026-01-01'], ['id', 'x', '--nope']]) {
      const r = run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/^error: /);
    }
  });
});
