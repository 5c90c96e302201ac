/**
 * Rule 64, on the Ambassador Mappings and App Mesh VirtualRouters a Rollout routes through, when they are in the
 * object set: `ValidateAmbassadorMapping` and `ValidateAppMeshVirtualRouter` (`validation_references.go`). The
 * controller reports these on the Rollout with the paths inside the routed object (`spec.weight`, `spec.routes[0]`).
 */
import { obj } from './util';

/** `ambassador.GetMappingWeight`: `spec.weight` when it is an integer (anything else reads as 0). */
export function ambassadorMappingWeight(mapping: any): number {
  const weight = obj(mapping?.spec)?.weight;
  return Number.isSafeInteger(weight) ? (weight as number) : 0;
}

/** Go's `%T` and `%v` of a decoded JSON value, for the accessor errors of `unstructured.NestedMap`. */
function goType(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}
function goValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (v !== null && typeof v === 'object') return `map[${Object.entries(v).map(([k, x]) => `${k}:${goValue(x)}`).join(' ')}]`;
  return String(v);
}

const ROUTE_TYPES = ['httpRoute', 'tcpRoute', 'http2Route', 'grpcRoute'];

/** The first problem `ValidateAppMeshVirtualRouter` finds, with its path, or undefined. */
export function appMeshVirtualRouterError(router: any): { path: string; message: string } | undefined {
  const name = String(router?.metadata?.name ?? '');
  const routes = obj(router?.spec)?.routes;
  if (!Array.isArray(routes) || routes.length === 0) return { path: 'spec.routes', message: `No routes defined for AppMesh virtual-router ${name}` };
  for (let i = 0; i < routes.length; i++) {
    const path = `spec.routes[${i}]`;
    const route = obj(routes[i]);
    if (!route) return { path, message: `Invalid route was found for AppMesh virtual-router ${name} at index ${i}` };
    // `%s` of an interface{}: a missing name prints as `%!s(<nil>)`.
    const routeName = route.name === undefined || route.name === null ? '%!s(<nil>)' : goValue(route.name);
    const detail = `AppMesh virtual-router ${name} and route ${routeName}`;
    let type: string | undefined;
    for (const t of ROUTE_TYPES) {
      const v = route[t];
      if (v === undefined || v === null) continue;
      if (!obj(v)) {
        const error = `.${t} accessor error: ${goValue(v)} is of the type ${goType(v)}, expected map[string]interface{}`;
        return { path, message: `Error getting route details for ${detail}. Error: ${error}` };
      }
      type = t;
      break;
    }
    if (!type) return { path, message: `Error getting route details for ${detail}. Error: Route has unsupported route type` };
    const targetsPath = `${path}.${type}.action.weightedTargets`;
    const targets = obj(obj(route[type])?.action)?.weightedTargets;
    if (!Array.isArray(targets)) return { path: targetsPath, message: `Invalid route action found for ${detail}` };
    if (targets.length !== 2) {
      return { path: targetsPath, message: `Invalid number of weightedTargets (${targets.length}) for ${detail}, expected 2` };
    }
  }
  return undefined;
}

/** `GetVirtualRouterCRForVirtualService`: the VirtualRouter an App Mesh VirtualService uses, if it names one. */
export function appMeshVirtualRouterRef(virtualService: any): { name: string; namespace: string } | undefined {
  const ref = obj(obj(obj(obj(virtualService?.spec)?.provider)?.virtualRouter)?.virtualRouterRef);
  if (!ref) return undefined;
  const namespace = typeof ref.namespace === 'string' && ref.namespace !== '' ? ref.namespace : String(virtualService?.metadata?.namespace ?? '');
  return { name: String(ref.name ?? ''), namespace };
}
