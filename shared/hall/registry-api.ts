import { z } from 'zod';
import { RegistryAnswer } from '../checks/registry-schema.js';

/**
 * Registry look-ups through the hall server (登记信息核验), in the shape of `HallApi`
 * (shared/hall/api.ts), into which they are spread. An enrolled workstation asks, in one call, for
 * the enterprises with some unified social credit codes and for the certificates already issued to
 * some holders (ID numbers or credit codes). The hall answers from the registry data it holds and
 * from what its own cases issued; every answer it gives is fresh (`stale: false`). The window caches
 * the answers and marks them stale when it cannot refresh them (electron/backend/checks/registry-cache.ts).
 */
export const REGISTRY_MAX_KEYS = 20;

/** A credit code or an ID number: 18 characters of digits and capitals, as compacted by the checks. */
const RegistryKey = z.string().regex(/^[0-9A-Z]{18}$/, 'an 18-character credit code or ID number');

export const RegistryLookupInput = z
  .object({
    enterprises: z.array(RegistryKey).max(REGISTRY_MAX_KEYS).default([]),
    holders: z.array(RegistryKey).max(REGISTRY_MAX_KEYS).default([]),
  })
  .strict();
export type RegistryLookupInput = z.input<typeof RegistryLookupInput>;

export const RegistryLookupOutput = z.object({
  /** One enterprise answer per code asked (record null: no such enterprise), one certificates answer per holder. */
  answers: z.array(RegistryAnswer),
  serverNow: z.number(),
});
export type RegistryLookupOutput = z.infer<typeof RegistryLookupOutput>;

export const RegistryApi = {
  registryLookup: { method: 'POST', path: '/api/registry/lookup', auth: 'device', input: RegistryLookupInput, output: RegistryLookupOutput },
} as const satisfies Record<string, { method: 'GET' | 'POST'; path: string; auth: 'device'; input: z.ZodType; output: z.ZodType }>;

export type RegistryRouteName = keyof typeof RegistryApi;
