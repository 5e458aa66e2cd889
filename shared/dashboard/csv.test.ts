import { describe, expect, it } from 'vitest';
import { csvCell } from './csv.js';

describe('CSV cells', () => {
  it('a negative or signed number stays a number; text that Excel would run as a formula stays text', () => {
    expect(csvCell('-1.5')).toBe('-1.5');
    expect(csvCell('+12.5%')).toBe('+12.5%');
    expect(csvCell('=SUM(A1:A9)')).toBe("'=SUM(A1:A9)");
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('王丽（1001），"差评"')).toBe('"王丽（1001），""差评"""');
  });
});
