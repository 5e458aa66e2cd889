import type { DocSpec, DocType } from './layout.js';
import { Rng } from './random.js';
import { degrade, randomDegradation, renderDoc, type Box, type Degradation } from './render.js';
import { idCardBack, idCardFront } from './templates-card.js';
import { birthCertificate, businessLicense, propertyCertificate } from './templates-paper.js';

export { DOC_TYPES, type DocType } from './layout.js';
export type { Box, Degradation } from './render.js';

/**
 * Synthetic test documents with ground truth. `generateDocument(type, seed, kind)` always gives the
 * same image for the same arguments. Ground truth follows the `bench:extract` format:
 * `{ "type": ..., "fields": { ... } }`, dates as YYYY-MM-DD (or 长期).
 */

export interface GroundTruth {
  type: DocType;
  fields: Record<string, string>;
}

export interface SyntheticDocument {
  image: Buffer;
  /** jpg or png */
  ext: 'jpg' | 'png';
  truth: GroundTruth;
  degradation: Degradation;
  /** Field boxes on the clean document (before degradation). */
  regions: Record<string, Box>;
}

const TEMPLATES: Record<DocType, (rng: Rng) => DocSpec> = {
  idcard_front: idCardFront,
  idcard_back: idCardBack,
  business_license: businessLicense,
  property_certificate: propertyCertificate,
  birth_certificate: birthCertificate,
};

export async function generateDocument(
  type: DocType,
  seed: number,
  kind: Degradation['kind'] = 'camera',
  override: Partial<Degradation> = {},
): Promise<SyntheticDocument> {
  const rng = new Rng(seed * 7919 + type.length * 104729);
  const spec = TEMPLATES[type](rng);
  const degradation = { ...randomDegradation(rng, kind), ...override };
  const { png, regions } = await renderDoc(spec);
  const image = await degrade(png, degradation, rng);
  return { image, ext: degradation.jpegQuality === null ? 'png' : 'jpg', truth: { type, fields: spec.fields }, degradation, regions };
}
