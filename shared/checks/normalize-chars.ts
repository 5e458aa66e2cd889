/**
 * Character-level normalisation shared by the identifier checks and the comparison rules:
 * full-width to half-width (NFKC), no spaces, no separators.
 */

/** NFKC folds full-width digits and letters (０１２Ｘ) and the ideographic space to ASCII. */
export function toHalfWidth(raw: string): string {
  return raw.normalize('NFKC');
}

/** Half-width, upper-case, without spaces and the separators people type into long codes. */
export function compactCode(raw: string): string {
  return toHalfWidth(raw).replace(/[\s\-_.·—]/g, '').toUpperCase();
}
