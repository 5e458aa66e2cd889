import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors.js';
import { importKind, sniffKind } from './sniff.js';

const bytes = (...b: number[]): Uint8Array => new Uint8Array([...b, ...new Array(64).fill(0)]);

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('what a file is, by content', () => {
  it.each([
    ['jpeg', bytes(0xff, 0xd8, 0xff, 0xe0)],
    ['png', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)],
    ['tiff', bytes(0x49, 0x49, 0x2a, 0x00)],
    ['pdf', new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj')],
  ])('%s', (kind, b) => expect(sniffKind(b)).toBe(kind));

  it('names nothing for text', () => {
    expect(sniffKind(new TextEncoder().encode('身份证号码 37142519850307001X'))).toBeNull();
  });
});

describe('files refused before any decoder sees them', () => {
  it('an empty file', () => {
    const e = refusal(() => importKind(new Uint8Array(), 'scan.jpg'));
    expect(e.code).toBe('bad_request');
    expect(e.message).toMatch(/文件为空/);
  });

  it('a file over the size limit', () => {
    const e = refusal(() => importKind(new Uint8Array(2048), 'big.jpg', { maxBytes: 1024 }));
    expect(e.code).toBe('payload_too_large');
    expect(e.message).toMatch(/文件过大/);
  });

  it('a text file named .jpg says its name lies', () => {
    const e = refusal(() => importKind(new TextEncoder().encode('hello, this is not a picture'), '身份证.jpg'));
    expect(e.message).toMatch(/扩展名为 \.jpg，但内容不是图片或 PDF/);
  });

  it('a Word file is not a supported format', () => {
    const e = refusal(() => importKind(bytes(0x50, 0x4b, 0x03, 0x04), '申请书.docx'));
    expect(e.message).toMatch(/不支持的文件格式/);
  });
});
