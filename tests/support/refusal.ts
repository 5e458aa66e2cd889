import { expect } from 'vitest';
import { AppError } from '../../shared/errors.js';

/** The AppError `p` is refused with (the test fails if it resolves, or rejects with anything else). */
export async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}
