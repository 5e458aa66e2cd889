import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { widthEmFor } from './layout.js';
import { breakUnits, fitText, sizeSteps, type FitStyle } from './text-layout.js';

const song = widthEmFor('song');
const style = (o: Partial<FitStyle> = {}): FitStyle => ({ size: 12, minSize: 8, lineHeight: 1.3, indent: 0, fit: 'wrap', ...o });
const noSpace = (s: string) => s.replace(/[ \n]/g, '');

describe('line breaking', () => {
  it('keeps closing punctuation off the start of a line and opening punctuation off its end', () => {
    expect(breakUnits('你好，世界。')).toEqual(['你', '好，', '世', '界。']);
    expect(breakUnits('依据《行政许可法》办理')).toEqual(['依', '据', '《行', '政', '许', '可', '法》', '办', '理']);
    expect(breakUnits('编号QH2026-05号')).toEqual(['编', '号', 'QH2026-05', '号']);
  });

  it('never starts a wrapped line with a comma', () => {
    const text = '申请人应当如实提交有关材料，并对申请材料实质内容的真实性负责，行政机关不得要求申请人提交与其申请的行政许可事项无关的技术资料和其他材料。';
    for (let w = 40; w < 300; w += 7) {
      const f = fitText(text, w, 1000, style({ minSize: 12 }), song);
      if (!f) continue;
      for (const l of f.lines) expect(/^[，。、；：）》]/.test(l.text), `width ${w}: "${l.text}"`).toBe(false);
    }
  });
});

describe('fitting text to a box', () => {
  it('shrinks a long name onto one line before wrapping it', () => {
    const name = '齐河县𠮷祥黄河国际生态城智能制造装备研究院';
    const f = fitText(name, 200, 20, style({ size: 14, minSize: 8, fit: 'shrink' }), song);
    expect(f?.lines).toHaveLength(1);
    expect(f?.size).toBeLessThan(14);
    expect((f?.lines[0]?.width ?? 999) <= 200).toBe(true);
  });

  it('returns null when the text cannot fit at the smallest size', () => {
    expect(fitText('很长的内容'.repeat(50), 100, 20, style(), song)).toBeNull();
    expect(sizeSteps(12, 11)).toEqual([12, 11.75, 11.5, 11.25, 11]);
  });

  it('honours the first-line indent', () => {
    const f = fitText('一二三四五六七八九十', 120, 100, style({ indent: 2 }), song);
    expect(f?.lines[0]?.offset).toBeCloseTo(2 * (f?.size ?? 0), 5);
    expect(f?.lines[1]?.offset).toBe(0);
  });

  it('property: whatever the text and box, every line fits, the lines fit the height, and no character is lost', () => {
    const alphabet = fc.constantFrom(...'齐河县行政审批服务局𠮷，。、（）《》ABCxyz0123456789- ');
    fc.assert(
      fc.property(
        fc.array(alphabet, { minLength: 1, maxLength: 160 }).map((a) => a.join('')),
        fc.integer({ min: 20, max: 400 }),
        fc.integer({ min: 10, max: 200 }),
        fc.constantFrom<'wrap' | 'shrink'>('wrap', 'shrink'),
        fc.integer({ min: 0, max: 2 }),
        (text, w, h, fit, indent) => {
          const f = fitText(text, w, h, style({ fit, indent }), song);
          if (!f) return;
          expect(f.height).toBeLessThanOrEqual(h + 1e-6);
          for (const l of f.lines) expect(l.offset + l.width).toBeLessThanOrEqual(w + 1e-6);
          expect(noSpace(f.lines.map((l) => l.text).join(''))).toBe(noSpace(text));
          expect(f.size).toBeGreaterThanOrEqual(8);
        },
      ),
      { numRuns: 300 },
    );
  });
});
