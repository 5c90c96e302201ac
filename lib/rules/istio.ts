/**
 * Rule 63, on an Istio VirtualService found in the object set: the controller's `ValidateVirtualService`
 * (`validation_references.go`) with `ValidateHTTPRoutes` / `ValidateTlsRoutes` / `ValidateTcpRoutes`
 * (`rollout/trafficrouting/istio/istio.go`). The routes the Rollout names must exist, and the routes it will
 * reweight must send to both the stable and the canary Service (or DestinationRule subsets). Returns the
 * controller's messages; the caller reports them at `...istio.virtualService.name` with the VirtualService's name.
 */
import { arr, isSet, obj, str } from './util';

/** Go's `json.Unmarshal` into the controller's route structs: which JSON shapes decode without an error. */
type Shape = 'string' | 'int' | 'uint32' | 'number' | { readonly fields: Record<string, Shape> } | { readonly list: Shape } | { readonly map: Shape };

const STRING_MATCH: Shape = { fields: { exact: 'string', prefix: 'string', regex: 'string' } };
const DESTINATION: Shape = { fields: { host: 'string', subset: 'string', port: { fields: { number: 'uint32' } } } };
const ROUTE_DESTINATIONS: Shape = { list: { fields: { destination: DESTINATION, weight: 'int' } } };
const STRINGS: Shape = { list: 'string' };
const L4_MATCH = { destinationSubnets: STRINGS, port: 'int', sourceLabels: { map: 'string' }, gateways: STRINGS, sourceNamespace: 'string' } as const;

const HTTP_ROUTE: Shape = {
  fields: {
    name: 'string',
    match: { list: { fields: { method: STRING_MATCH, uri: STRING_MATCH, headers: { map: STRING_MATCH } } } },
    route: ROUTE_DESTINATIONS,
    mirror: DESTINATION,
    mirrorPercentage: { fields: { value: 'number' } },
  },
};
const TLS_ROUTE: Shape = { fields: { match: { list: { fields: { sniHosts: STRINGS, ...L4_MATCH } } }, route: ROUTE_DESTINATIONS } };
const TCP_ROUTE: Shape = { fields: { match: { list: { fields: L4_MATCH } }, route: ROUTE_DESTINATIONS } };

/** Whether `value` decodes into the shape (`null` decodes into anything; unknown fields are ignored). */
function decodes(value: unknown, shape: Shape): boolean {
  if (value === null || value === undefined) return true;
  if (shape === 'string') return typeof value === 'string';
  if (shape === 'number') return typeof value === 'number' && Number.isFinite(value);
  if (shape === 'int') return Number.isSafeInteger(value);
  if (shape === 'uint32') return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 0xffffffff;
  if ('list' in shape) return Array.isArray(value) && value.every((v) => decodes(v, shape.list));
  const o = obj(value);
  if (!o) return false;
  if ('map' in shape) return Object.values(o).every((v) => decodes(v, shape.map));
  return Object.entries(shape.fields).every(([k, s]) => decodes(o[k], s));
}

/** What the checks read from the Rollout. */
export interface IstioRollout {
  readonly canary: Record<string, any>;
  readonly istio: Record<string, any>;
  readonly managedRoutes: unknown;
}

/**
 * `GetStableAndCanaryServices(ro, false)`: the stable and canary Services, or with ping-pong and neither set, pong
 * and ping (the status says which is stable; before the first rollout it is empty, which means pong).
 */
function stableAndCanary(canary: Record<string, any>): [string, string] {
  const stable = str(canary.stableService);
  const canarySvc = str(canary.canaryService);
  if (isSet(canary.pingPong) && stable === '' && canarySvc === '') {
    const pingPong = obj(canary.pingPong) ?? {};
    return [str(pingPong.pongService), str(pingPong.pingService)];
  }
  return [stable, canarySvc];
}

/** `getHost`: the short name before the first dot (`web.ns.svc.cluster.local` is `web`; `.x` is ""). */
function hostOf(destination: unknown): string {
  const host = str(obj(obj(destination)?.destination)?.host);
  const dot = host.indexOf('.');
  return dot < 0 ? host : host.slice(0, dot);
}

/** `validateVirtualServiceRouteDestinations`: the route sends to both Services (or both subsets). */
function destinationsError(route: unknown, ro: IstioRollout): string | undefined {
  const [stable, canary] = stableAndCanary(ro.canary);
  const dests = arr(obj(route)?.route);
  const hosts = dests.map(hostOf);
  if (isSet(ro.istio.destinationRule)) {
    const rule = obj(ro.istio.destinationRule) ?? {};
    const subsets = dests.map((d) => str(obj(obj(d)?.destination)?.subset));
    const canarySubset = str(rule.canarySubsetName);
    const stableSubset = str(rule.stableSubsetName);
    if (canarySubset === '' || !subsets.includes(canarySubset)) return `Canary DestinationRule subset '${canarySubset}' not found in route`;
    if (stableSubset === '' || !subsets.includes(stableSubset)) return `Stable DestinationRule subset '${stableSubset}' not found in route`;
    return undefined;
  }
  if (canary === '' || !hosts.includes(canary)) return `Canary Service '${canary}' not found in route`;
  if (stable === '' || !hosts.includes(stable)) return `Stable Service '${stable}' not found in route`;
  return undefined;
}

/** `ValidateHTTPRoutes`. */
function httpRoutesError(routes: any[], names: string[], ro: IstioRollout): string | undefined {
  let indexes: number[] = [];
  if (names.length === 0) {
    // With no route names the controller edits the only route, or else the first unnamed one.
    const unnamed = routes.findIndex((r) => str(obj(r)?.name) === '');
    if (routes.length === 1) indexes = [0];
    else if (unnamed >= 0) indexes = [unnamed];
  } else {
    for (const name of names) {
      const i = routes.findIndex((r) => str(obj(r)?.name) === name);
      if (i < 0) return `HTTP Route '${name}' is not found in the defined Virtual Service.`;
      indexes.push(i);
    }
  }
  for (const i of indexes) {
    const error = destinationsError(routes[i], ro);
    if (error) return error;
  }
  const managed = new Set(arr(ro.managedRoutes).map((m) => str(obj(m)?.name)));
  const unmanaged = routes.filter((r) => !managed.has(typeof obj(r)?.name === 'string' ? obj(r)!.name : ''));
  if (names.length === 0 && unmanaged.length > 1) {
    return 'spec.http[] should be set in VirtualService and it must have exactly one route when omitting spec.strategy.canary.trafficRouting.istio.virtualService.routes';
  }
  return undefined;
}

/** The single port of a TLS/TCP route's matches (0 when none), or undefined when they name several. */
function singlePort(route: unknown): number | undefined {
  const ports = new Set(arr(obj(route)?.match).map((m) => (typeof obj(m)?.port === 'number' ? obj(m)!.port : 0)));
  if (ports.size > 1) return undefined;
  return ports.size === 0 ? 0 : [...ports][0];
}

/** `ValidateTlsRoutes` / `ValidateTcpRoutes`: the Rollout's routes are found by port (and SNI hosts for TLS). */
function l4RoutesError(kind: 'TLS' | 'TCP', routes: any[], wanted: unknown[], ro: IstioRollout): string | undefined {
  const matches = (want: Record<string, any>, route: unknown): boolean => {
    const port = singlePort(route);
    if (port === undefined || port !== (typeof want.port === 'number' ? want.port : 0)) return false;
    if (kind === 'TCP') return true;
    // `evaluate.Equal`: as many hosts as wanted (duplicates count), and every route host among them.
    const hosts = new Set(arr(obj(route)?.match).flatMap((m) => arr(obj(m)?.sniHosts).map(str)));
    const want_ = arr(want.sniHosts).map(str);
    return want_.length === hosts.size && [...hosts].every((h) => want_.includes(h));
  };
  let indexes: number[] = [0];
  if (wanted.length > 0) {
    indexes = [];
    for (const w of wanted) {
      const found = routes.flatMap((r, i) => (matches(obj(w) ?? {}, r) ? [i] : []));
      if (found.length === 0) return `No matching ${kind} routes found in the defined Virtual Service.`;
      indexes.push(...found);
    }
  }
  // (With no routes wanted and an empty list, the controller indexes past the end; nothing to check here.)
  for (const i of indexes.filter((i) => i < routes.length)) {
    const error = destinationsError(routes[i], ro);
    if (error) return error;
  }
  if (wanted.length === 0 && routes.length > 1) {
    const field = kind === 'TLS' ? 'tls' : 'tcp';
    return `spec.${field}[] should be set in VirtualService and it must have exactly one route when omitting spec.strategy.canary.trafficRouting.istio.virtualService.${field}Routes`;
  }
  return undefined;
}

/** Every message `ValidateVirtualService` gives for the VirtualService `vs`, which the Rollout names in `entry`. */
export function virtualServiceErrors(ro: IstioRollout, entry: Record<string, any>, vs: any): string[] {
  const spec = obj(vs?.spec) ?? {};
  const http = Array.isArray(spec.http) ? spec.http : undefined;
  const tls = Array.isArray(spec.tls) ? spec.tls : undefined;
  const tcp = Array.isArray(spec.tcp) ? spec.tcp : undefined;
  const out: string[] = [];
  if (!http && !tls && !tcp) out.push('Unable to get any of the HTTP, TCP or TLS routes for the Istio VirtualService');
  if (http) {
    if (!decodes(http, { list: HTTP_ROUTE })) out.push('Unable to get HTTP routes for Istio VirtualService');
    else {
      const error = httpRoutesError(http, arr(entry.routes).map(str), ro);
      if (error) out.push(`Istio VirtualService has invalid HTTP routes. Error: ${error}`);
    }
  }
  if (tls) {
    if (!decodes(tls, { list: TLS_ROUTE })) out.push('Unable to get TLS routes for Istio VirtualService');
    else {
      const error = l4RoutesError('TLS', tls, arr(entry.tlsRoutes), ro);
      if (error) out.push(`Istio VirtualService has invalid TLS routes. Error: ${error}`);
    }
  }
  if (tcp) {
    if (!decodes(tcp, { list: TCP_ROUTE })) out.push('Unable to get TCP routes for Istio VirtualService');
    else {
      const error = l4RoutesError('TCP', tcp, arr(entry.tcpRoutes), ro);
      if (error) out.push(`Istio VirtualService has invalid TCP routes. Error: ${error}`);
    }
  }
  return out;
}

/** `GetVirtualServiceNamespaceName`: `name.namespace` (anything after a second dot is dropped), or a bare name. */
export function virtualServiceNamespaceName(ref: string): { name: string; namespace: string } {
  const fields = ref.split('.');
  return fields.length >= 2 ? { name: fields[0], namespace: fields[1] } : { name: fields[0], namespace: '' };
}
