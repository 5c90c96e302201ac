/** Valid objects to start from; each test case changes one thing. */

export type Mutation = (o: any) => void;

/** A deep copy with the mutation applied. */
export function mutate<T>(base: T, ...mutations: Mutation[]): T {
  const copy = structuredClone(base);
  for (const m of mutations) m(copy);
  return copy;
}

const podTemplate = () => ({
  metadata: { labels: { app: 'web' } },
  spec: {
    volumes: [{ name: 'conf', configMap: { name: 'web-conf' } }],
    containers: [
      {
        name: 'nginx',
        image: 'nginx:1.25.3',
        ports: [{ name: 'http', containerPort: 80 }],
        volumeMounts: [{ name: 'conf', mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf' }],
      },
      { name: 'exporter', image: 'nginx/nginx-prometheus-exporter:0.11.0', ports: [{ name: 'metrics', containerPort: 9113 }] },
    ],
  },
});

function rollout(strategy: object): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' } },
    spec: { replicas: 5, revisionHistoryLimit: 3, selector: { matchLabels: { app: 'web' } }, template: podTemplate(), strategy },
  };
}

/** A basic (replica-weighted) canary. */
export const CANARY = rollout({
  canary: { steps: [{ setWeight: 20 }, { pause: { duration: 60 } }, { setWeight: 80 }, { pause: { duration: '1m30s' } }, { pause: {} }] },
});

/** A canary routed by the NGINX Ingress controller. */
export const NGINX_CANARY = rollout({
  canary: {
    stableService: 'web-stable',
    canaryService: 'web-canary',
    trafficRouting: { nginx: { stableIngress: 'web' } },
    steps: [{ setWeight: 10 }, { pause: {} }],
  },
});

/** A canary routed by Istio with a managed header route. */
export const ISTIO_CANARY = rollout({
  canary: {
    stableService: 'web-stable',
    canaryService: 'web-canary',
    trafficRouting: { istio: { virtualService: { name: 'web', routes: ['primary'] } }, managedRoutes: [{ name: 'hdr' }] },
    steps: [{ setWeight: 10 }, { setHeaderRoute: { name: 'hdr', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] } }, { pause: {} }],
  },
});

/** A canary routed by the AWS load balancer controller. */
export const ALB_CANARY = rollout({
  canary: {
    stableService: 'web-stable',
    canaryService: 'web-canary',
    trafficRouting: { alb: { ingress: 'web', servicePort: 80, rootService: 'web-root' } },
    steps: [{ setWeight: 10 }],
  },
});

/** A blue/green Rollout with a preview Service. */
export const BLUE_GREEN = rollout({ blueGreen: { activeService: 'web-active', previewService: 'web-preview', autoPromotionEnabled: false } });

export function service(name: string, selector: Record<string, string> = { app: 'web' }, namespace?: string): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: { selector, ports: [{ port: 80, targetPort: 80 }] },
  };
}

export function configMap(name: string): any {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { 'nginx.conf': 'events {}' } };
}

export function ingress(name: string, backend: string): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name },
    spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: backend, port: { number: 80 } } } }] } }] },
  };
}

export function analysisTemplate(name: string, metric: Record<string, unknown> = { count: 1 }, kind = 'AnalysisTemplate'): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind,
    metadata: { name },
    spec: { metrics: [{ name: 'success', ...metric, provider: { prometheus: { address: 'http://prometheus:9090', query: 'vector(1)' } } }] },
  };
}

/** The HTTP routes of Argo's `successCaseVsvc` (validation_references_test.go). */
export const dest = (host: string, weight: number, subset?: string) => ({ destination: { host, ...(subset ? { subset } : {}) }, weight });
export const VS_HTTP = [
  { name: 'primary', route: [dest('stable', 100), dest('canary', 0)] },
  { name: 'secondary', route: [dest('stable', 100), dest('canary', 0)] },
];
/** An Istio VirtualService with these http routes (and other spec fields). */
export const virtualService = (name: string, http?: unknown[], extra: Record<string, unknown> = {}) => ({
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'VirtualService',
  metadata: { name },
  spec: { hosts: ['istio-rollout.dev.argoproj.io'], ...(http ? { http } : {}), ...extra },
});
/** ISTIO_CANARY with Argo's test Services `stable` / `canary` and this virtualService (or virtualServices). */
export const vsRollout = (virtualService?: Record<string, unknown>, virtualServices?: unknown[]) =>
  mutate(ISTIO_CANARY, (o) => {
    const c = o.spec.strategy.canary;
    c.stableService = 'stable';
    c.canaryService = 'canary';
    c.trafficRouting = { istio: virtualServices ? { virtualServices } : { virtualService } };
    c.steps = [{ setWeight: 10 }, { pause: {} }];
  });
/** A metric that runs once (so a step may use it). */
export const metric = (name: string) => ({ name, count: 1, provider: { prometheus: { address: 'http://prometheus:9090', query: 'vector(1)' } } });
/** An analysis template with these spec fields (its one metric `success` unless `metrics` is given). */
export const templateWith = (name: string, spec: Record<string, unknown>, kind = 'AnalysisTemplate') =>
  mutate(analysisTemplate(name, { count: 1 }, kind), (o) => Object.assign(o.spec, spec));

/** NGINX_CANARY routed instead by Ambassador through these Mappings. */
export const ambassadorRollout = (mappings: string[]) =>
  mutate(NGINX_CANARY, (o) => (o.spec.strategy.canary.trafficRouting = { ambassador: { mappings } }));

export const mapping = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'getambassador.io/v2',
  kind: 'Mapping',
  metadata: { name },
  spec: { prefix: '/', service: 'web-stable:80', ...spec },
});

/** NGINX_CANARY routed instead by App Mesh through the virtual service `my-svc`. */
export const appMeshRollout = (virtualService: unknown = { name: 'my-svc' }) =>
  mutate(NGINX_CANARY, (o) => {
    o.spec.strategy.canary.trafficRouting = {
      appMesh: { ...(virtualService ? { virtualService } : {}), virtualNodeGroup: { canaryVirtualNodeRef: { name: 'vn-canary' }, stableVirtualNodeRef: { name: 'vn-stable' } } },
    };
  });

/** An App Mesh VirtualService provided by the VirtualRouter `router` (none when undefined). */
export const appMeshVirtualService = (name: string, router?: string) => ({
  apiVersion: 'appmesh.k8s.aws/v1beta2',
  kind: 'VirtualService',
  metadata: { name },
  spec: { awsName: `${name}.example`, ...(router ? { provider: { virtualRouter: { virtualRouterRef: { name: router } } } } : {}) },
});

/** An App Mesh VirtualRouter with these routes (by default one httpRoute with the stable and canary nodes; null: none). */
export const virtualRouter = (name: string, routes: unknown = [appMeshRoute('primary', 'httpRoute', 2)]) => ({
  apiVersion: 'appmesh.k8s.aws/v1beta2',
  kind: 'VirtualRouter',
  metadata: { name },
  spec: { listeners: [{ portMapping: { port: 80, protocol: 'http' } }], ...(routes === null ? {} : { routes }) },
});

export function appMeshRoute(name: string, type: string, targets: number): any {
  const nodes = ['vn-canary', 'vn-stable', 'vn-other'].slice(0, targets).map((n, i) => ({ virtualNodeRef: { name: n }, weight: i === 0 ? 0 : 100 }));
  return { name, [type]: { match: { prefix: '/' }, action: { weightedTargets: nodes } } };
}
