import { z } from 'zod';

/** A ticket as every dashboard list names it: number, day, office, board, window and clerk by name. */
export const TicketRef = z.object({
  ticketId: z.string(),
  number: z.string(),
  day: z.string(),
  office: z.string(),
  board: z.string(),
  window: z.string(),
  staff: z.string(),
});
export type TicketRef = z.infer<typeof TicketRef>;
