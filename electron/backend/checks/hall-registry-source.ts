import { AppError } from '../../../shared/errors.js';
import { REGISTRY_MAX_KEYS } from '../../../shared/hall/registry-api.js';
import type { HallHttp } from '../hall-client/http.js';
import type { RegistryKeys, RegistrySource } from './registry-cache.js';

/**
 * The hall's registry route (`registryLookup`, shared/hall/registry-api.ts) as a RegistrySource,
 * over the window's current hall connection. Wired in electron/backend/index.ts:
 *   registry: hallRegistrySource({ connection: () => connection, deviceToken: () => settings.get().deviceToken }),
 */
export function hallRegistrySource(deps: {
  connection: () => { http: HallHttp; online(): boolean } | null;
  deviceToken: () => string | null | undefined;
}): RegistrySource {
  return {
    online: () => (deps.connection()?.online() ?? false) && !!deps.deviceToken(),
    async lookup(keys: RegistryKeys, timeoutMs: number) {
      const c = deps.connection();
      const token = deps.deviceToken();
      if (!c || !token) throw new AppError('offline', '未连接大厅服务器。', 'registry look-up without a hall connection');
      const r = await c.http.call('registryLookup', { enterprises: keys.enterprises.slice(0, REGISTRY_MAX_KEYS), holders: keys.holders.slice(0, REGISTRY_MAX_KEYS) }, { deviceToken: token }, timeoutMs);
      return r.answers;
    },
  };
}
