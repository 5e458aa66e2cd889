/**
 * `node --import tsx tests/capture/generate.ts --out DIR [--count 10] [--kind camera|scan|clean|mixed] [--seed 1]`
 *
 * Writes synthetic documents with ground truth beside them, the layout `bench:capture --dir` and
 * `bench:extract --dir` read: `x.jpg` (or `x.png`) and `x.json` = {"type", "fields"}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DOC_TYPES, generateDocument, type Degradation, type DocType } from './generator/index.js';

export const KINDS = ['camera', 'scan', 'clean', 'mixed'] as const;
export type SetKind = (typeof KINDS)[number];

/** The kind of the i-th document of a set: mixed alternates camera, scan, camera, clean. */
export function kindOf(set: SetKind, i: number): Degradation['kind'] {
  if (set !== 'mixed') return set;
  return (['camera', 'scan', 'camera', 'clean'] as const)[i % 4]!;
}

export interface SetItem {
  name: string;
  type: DocType;
  seed: number;
  kind: Degradation['kind'];
}

/** `count` documents of each type, seeds from `seed`. */
export function setItems(count: number, set: SetKind, seed: number, types: readonly DocType[] = DOC_TYPES): SetItem[] {
  const items: SetItem[] = [];
  for (const type of types) {
    for (let i = 0; i < count; i++) items.push({ name: `${type}-${seed + i}`, type, seed: seed + i, kind: kindOf(set, i) });
  }
  return items;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, count: { type: 'string', default: '10' }, kind: { type: 'string', default: 'camera' }, seed: { type: 'string', default: '1' } },
    strict: true,
  });
  if (!values.out) throw new Error('--out DIR is required');
  if (!(KINDS as readonly string[]).includes(values.kind)) throw new Error(`--kind must be one of ${KINDS.join(', ')}`);
  mkdirSync(values.out, { recursive: true });
  for (const item of setItems(Number(values.count), values.kind as SetKind, Number(values.seed))) {
    const doc = await generateDocument(item.type, item.seed, item.kind);
    writeFileSync(path.join(values.out, `${item.name}.${doc.ext}`), doc.image);
    writeFileSync(path.join(values.out, `${item.name}.json`), `${JSON.stringify(doc.truth, null, 2)}\n`);
  }
  console.log(`wrote ${Number(values.count) * DOC_TYPES.length} documents to ${values.out}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
