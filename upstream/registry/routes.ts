import type { RegistryRouteName } from '../../shared/hall/registry-api.js';
import type { RouteHandlers } from '../http/routes.js';
import type { HallRegistry } from './hall-registry.js';

/** The handlers behind the RegistryApi routes (device auth, done by the caller), spread by the hall next to `createRouteHandlers`. */
export function createRegistryRouteHandlers(registry: HallRegistry): Pick<RouteHandlers, RegistryRouteName> {
  return {
    registryLookup: (input) => registry.lookup(input),
  };
}
