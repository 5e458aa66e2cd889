import type { z } from 'zod';

/** One workstation method: its input and output schemas, and whether it needs a signed-in clerk. */
export function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, opts: { session: boolean }) {
  return { input, output, ...opts };
}
