import { AppError } from '../../../shared/errors.js';
import type { Numbering } from './template-schema.js';

/**
 * Document numbers (文号). Pure: the counter lives with the office's records; this only writes
 * the number it is given. Official documents follow GB/T 9704-2012: 机关代字 + 〔year〕 + serial +
 * 号, the serial without leading zeros (齐审批〔2026〕123号). Licences use their own patterns
 * (食品经营许可证 JY13714250000123, 不动产权证书 鲁（2026）齐河县不动产权第0000123号).
 */

export interface NumberParts {
  /** 机关代字 of the issuing office: 齐审批, 齐审批开发区. */
  abbreviation: string;
  year: number;
  serial: number;
  /** 6-digit administrative division code (371425 齐河县), for licence patterns. */
  division?: string;
}

function check(p: NumberParts): void {
  if (!Number.isInteger(p.year) || p.year < 2000 || p.year > 2099) {
    throw new AppError('bad_request', `文号年份有误：${p.year}。`, `year ${p.year}`);
  }
  if (!Number.isInteger(p.serial) || p.serial < 1 || p.serial > 9_999_999) {
    throw new AppError('bad_request', `文号序号有误：${p.serial}（应为 1 至 9999999 的整数）。`, `serial ${p.serial}`);
  }
}

/** 齐审批 + 受 + 〔2026〕 + 123 + 号 → 齐审批受〔2026〕123号. */
export function formatDocumentNumber(p: NumberParts & { word?: string }): string {
  check(p);
  if (!/^[\u4e00-\u9fff]{1,10}$/u.test(p.abbreviation) || (p.word !== undefined && !/^[\u4e00-\u9fff]{0,4}$/u.test(p.word))) {
    throw new AppError('bad_request', `机关代字「${p.abbreviation}${p.word ?? ''}」有误：应为 1 至 10 个汉字。`, 'bad abbreviation');
  }
  return `${p.abbreviation}${p.word ?? ''}〔${p.year}〕${p.serial}号`;
}

/** Fills `{year}`, `{serial}` / `{serial:7}` (zero-padded) and `{division}` in a licence number pattern. */
export function formatPatternNumber(pattern: string, p: NumberParts): string {
  check(p);
  return pattern.replace(/\{(year|serial|division)(?::(\d{1,2}))?\}/g, (_m, name: string, width: string | undefined) => {
    if (name === 'year') return String(p.year);
    if (name === 'division') {
      if (!p.division || !/^\d{6}$/.test(p.division)) throw new AppError('bad_request', '缺少或有误的行政区划代码（6 位数字）。', `division ${p.division}`);
      return p.division;
    }
    const s = String(p.serial);
    const w = width === undefined ? 0 : Number(width);
    if (s.length > w && w > 0) throw new AppError('bad_request', `序号 ${s} 超出证号的 ${w} 位。`, `serial ${s} wider than ${w}`);
    return s.padStart(w, '0');
  });
}

/** The number of a document of a template with this numbering. */
export function documentNumberFor(numbering: Numbering, p: NumberParts): string {
  return numbering.style === 'official' ? formatDocumentNumber({ ...p, word: numbering.word }) : formatPatternNumber(numbering.pattern, p);
}
