import { z } from 'zod';
import { OfficeId } from '../queue/types.js';

/**
 * Document numbers (文号 and licence numbers) handed out by the hall in blocks, in the shape of
 * `HallApi` (shared/hall/api.ts), into which it is spread. A document number is printed into a
 * signed PDF, so it must be final when the PDF is made — also offline. Each workstation therefore
 * holds blocks of serials per (office, year, series), reserved ahead from the hall, and uses them
 * offline (electron/backend/certificates/document-serials.ts); the hall never hands one serial of a
 * counter out twice (upstream/certificates/number-blocks.ts).
 *
 * Numbers may have gaps: a block not used up by the end of the year (or by a workstation that is
 * retired) is never handed out again. Gaps are expected; duplicates are impossible.
 *
 * Series: `w:<word>` — an official series of the office (齐审批 + 备 → `w:备`, the 机关代字 is the
 * office's own); `p:<pattern>` — a licence pattern (`p:JY1{division}{serial:7}`). Official series
 * are counted per office. Licence numbers carry no office (the county and its branch share the
 * division 371425), so a pattern is counted once for the whole hall, whichever office asks; a
 * pattern without `{year}` runs on across years (its number would repeat otherwise).
 */
export const DOCUMENT_NUMBER_MAX_BLOCK = 100;
export const DOCUMENT_NUMBER_MAX_SERIES = 20;
/** The largest serial any document number takes (document-number.ts). */
export const DOCUMENT_SERIAL_MAX = 9_999_999;

export const DocumentSeries = z
  .string()
  .max(80)
  .regex(/^(w:[\u4e00-\u9fff]{0,4}|p:[^\s]*\{serial(:\d{1,2})?\}[^\s]*)$/u, 'w:<word> or p:<pattern with {serial}>');

export const DocumentYear = z.number().int().min(2000).max(2099);

export const ReserveDocumentNumbersInput = z
  .object({
    /** Idempotency key: a retry with the same id returns the same blocks and burns none. */
    requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    series: z
      .array(
        z
          .object({
            /** The device's office if left out; any other office is refused. */
            office: OfficeId.optional(),
            year: DocumentYear,
            series: DocumentSeries,
            count: z.number().int().min(1).max(DOCUMENT_NUMBER_MAX_BLOCK),
            /**
             * Serials this workstation numbered itself before the hall handed out blocks (its old
             * local counter): the block starts after them, so no number issued then comes again.
             */
            usedUpTo: z.number().int().min(0).max(DOCUMENT_SERIAL_MAX).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(DOCUMENT_NUMBER_MAX_SERIES),
  })
  .strict();
export type ReserveDocumentNumbersInput = z.input<typeof ReserveDocumentNumbersInput>;

export const DocumentNumberBlock = z.object({
  office: z.string(),
  year: z.number().int(),
  series: z.string(),
  /** Serials first..last (inclusive) are this workstation's. */
  first: z.number().int().positive(),
  last: z.number().int().positive(),
});
export type DocumentNumberBlock = z.infer<typeof DocumentNumberBlock>;

export const ReserveDocumentNumbersOutput = z.object({
  /** One block per series asked, in the order asked. */
  blocks: z.array(DocumentNumberBlock),
  serverNow: z.number(),
});
export type ReserveDocumentNumbersOutput = z.infer<typeof ReserveDocumentNumbersOutput>;

export const DocumentNumberApi = {
  reserveDocumentNumbers: {
    method: 'POST',
    path: '/api/document-numbers/reserve',
    auth: 'device',
    input: ReserveDocumentNumbersInput,
    output: ReserveDocumentNumbersOutput,
  },
} as const satisfies Record<string, { method: 'GET' | 'POST'; path: string; auth: 'device'; input: z.ZodType; output: z.ZodType }>;

export type DocumentNumberRouteName = keyof typeof DocumentNumberApi;

/** All offices of the hall share a licence pattern's counter (see above). */
export const HALL_WIDE_SCOPE = '*';

/** The counter a series of an office and year draws from on the hall. */
export function counterOf(office: string, year: number, series: string): { scope: string; year: number; series: string } {
  if (series.startsWith('w:')) return { scope: office, year, series };
  return { scope: HALL_WIDE_SCOPE, year: series.includes('{year}') ? year : 0, series };
}
