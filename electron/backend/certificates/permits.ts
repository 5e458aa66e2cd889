import type { FieldValues } from './fields.js';
import { prepareDocument, producePrepared, type RenderedDocument, type RenderInput } from './render.js';
import { loadSigningIdentity } from './signing-identity.js';

/**
 * 拿地即开工: the permits of an industrial project issued together in one action — 不动产权证书
 * (land), 建设用地规划许可证, 建设工程规划许可证 and 建筑工程施工许可证. All are checked and laid out
 * first; if any is refused, none is issued.
 */

export const LAND_TO_CONSTRUCTION_TEMPLATES = [
  'real_estate_certificate',
  'land_use_planning_permit',
  'construction_engineering_planning_permit',
  'construction_permit',
] as const;

export interface PermitRequest {
  template: string;
  number: string;
  title?: string;
  /** Fields for this permit only, on top of the shared ones. */
  fields?: FieldValues;
  id?: string;
}

export interface PermitsInput extends Omit<RenderInput, 'template' | 'number' | 'title' | 'id' | 'fields'> {
  /** The project's case fields, shared by every permit. */
  fields: FieldValues;
  permits: PermitRequest[];
}

export async function issuePermitsTogether(input: PermitsInput): Promise<RenderedDocument[]> {
  const { permits, ...common } = input;
  const identity = await loadSigningIdentity(common.seal, common.now ?? new Date());
  const prepared = [];
  for (const p of permits) {
    prepared.push(
      await prepareDocument(
        { ...common, template: p.template, number: p.number, title: p.title, id: p.id, fields: { ...common.fields, ...(p.fields ?? {}) } },
        identity,
      ),
    );
  }
  const out: RenderedDocument[] = [];
  for (const p of prepared) out.push(await producePrepared(p));
  return out;
}
