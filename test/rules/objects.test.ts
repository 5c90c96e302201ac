import { type Finding, formatFinding, validateObjects } from '../../lib/rules';
import { OBJECT_CASES } from './cases';
import {
  ambassadorRollout,
  appMeshRollout,
  appMeshRoute,
  appMeshVirtualService,
  mapping,
  virtualRouter,
  analysisTemplate, BLUE_GREEN, CANARY, configMap, dest, ingress, metric, mutate, NGINX_CANARY, service, templateWith, virtualService, VS_HTTP, vsRollout } from './fixtures';

/** A valid, ordered set for each Rollout fixture. */
const CANARY_SET = () => [configMap('web-conf'), CANARY];
const NGINX_SET = () => [configMap('web-conf'), service('web-stable'), service('web-canary'), ingress('web', 'web-stable'), NGINX_CANARY];
const BLUE_GREEN_SET = () => [configMap('web-conf'), service('web-active'), service('web-preview'), BLUE_GREEN];
const withSteps = (rollout: any, steps: any[]) => mutate(rollout, (o) => (o.spec.strategy.canary.steps = steps));

const summary = (findings: Finding[]) => findings.map(formatFinding);

describe('validateObjects: invalid sets', () => {
  test.each(OBJECT_CASES)('$name -> $rule', ({ objects, rule, path, message, kind }) => {
    expect(validateObjects(objects)).toContainEqual({
      severity: 'error',
      rule,
      path,
      message,
      object: expect.objectContaining({ kind: kind ?? 'Rollout' }),
    });
  });
});

describe('validateObjects: valid sets', () => {
  test.each([
    ['basic canary with its ConfigMap', CANARY_SET()],
    ['nginx canary with Services and Ingress', NGINX_SET()],
    ['blue/green with Services', BLUE_GREEN_SET()],
    ['nginx canary when the set has no Ingress (managed elsewhere)', NGINX_SET().filter((o) => o.kind !== 'Ingress')],
    ['Service selector with rollouts-pod-template-hash', [configMap('web-conf'), service('web-active', { app: 'web', 'rollouts-pod-template-hash': 'abc' }), service('web-preview'), BLUE_GREEN]],
    [
      'step and background analyses that terminate, cluster-scoped too',
      [
        configMap('web-conf'),
        // One AnalysisRun merges the templates of a step: their metric names must differ.
        analysisTemplate('step', { name: 'step', count: 3, interval: '10s' }),
        analysisTemplate('once', { name: 'once', count: 1 }),
        analysisTemplate('bg', { interval: '1m' }),
        analysisTemplate('cluster', { name: 'cluster', count: 1 }, 'ClusterAnalysisTemplate'),
        mutate(CANARY, (o) => {
          o.spec.strategy.canary.analysis = { templates: [{ templateName: 'bg' }] };
          o.spec.strategy.canary.steps = [{ analysis: { templates: [{ templateName: 'step' }, { templateName: 'once' }, { templateName: 'cluster', clusterScope: true }] } }];
        }),
      ],
    ],
    [
      // TestValidateAnalysisTemplatesWithType "success": the Rollout passes the arg the template leaves open.
      'analysis args passed by the Rollout: a value, no value at all, podTemplateHashValue and fieldRef',
      [
        configMap('web-conf'),
        templateWith('rate', { args: [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }, { name: 'e', value: 'default' }, { name: 'f', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }),
        withSteps(CANARY, [
          {
            analysis: {
              templates: [{ templateName: 'rate' }],
              args: [
                { name: 'a', value: 'x' },
                { name: 'b' },
                { name: 'c', valueFrom: { podTemplateHashValue: 'Latest' } },
                { name: 'd', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
              ],
            },
          },
        ]),
      ],
    ],
    [
      // TestFlattenTemplates " Merge args with same name but only one has value"
      'two step templates share an arg that only one gives a value',
      [
        configMap('web-conf'),
        templateWith('a', { metrics: [metric('a')], args: [{ name: 'foo' }] }),
        templateWith('b', { metrics: [metric('b')], args: [{ name: 'foo', value: 'true' }] }),
        withSteps(CANARY, [{ analysis: { templates: [{ templateName: 'a' }, { templateName: 'b' }] } }]),
      ],
    ],
    [
      // TestValidateAnalysisTemplateWithType "validate background analysisTemplate - success"
      'background arg named by canary.analysis.args without a value',
      [
        configMap('web-conf'),
        templateWith('bg', { args: [{ name: 'service-name' }] }),
        mutate(CANARY, (o) => (o.spec.strategy.canary.analysis = { templates: [{ templateName: 'bg' }], args: [{ name: 'service-name' }] })),
      ],
    ],
    [
      'one template referenced twice (directly and nested) counts once',
      [
        configMap('web-conf'),
        analysisTemplate('inner'),
        templateWith('outer', { metrics: [metric('outer')], templates: [{ templateName: 'inner' }] }),
        withSteps(CANARY, [{ analysis: { templates: [{ templateName: 'outer' }, { templateName: 'inner' }] } }]),
      ],
    ],
    [
      'distinct dry-run and retention rules in a step and its template',
      [
        configMap('web-conf'),
        templateWith('a', { metrics: [metric('a'), metric('b')], dryRun: [{ metricName: 'a' }], measurementRetention: [{ metricName: 'a', limit: 1 }] }),
        withSteps(CANARY, [{ analysis: { templates: [{ templateName: 'a' }], dryRun: [{ metricName: 'b' }], measurementRetention: [{ metricName: 'b', limit: 2 }] } }]),
      ],
    ],
    // Rule 63, the success cases of TestValidateVirtualService / TestValidateVirtualServices
    ['VirtualService HTTP routes named by the Rollout', [configMap('web-conf'), service('stable'), service('canary'), virtualService('istio-vsvc', VS_HTTP), vsRollout({ name: 'istio-vsvc', routes: ['primary', 'secondary'] })]],
    ['virtualServices entry', [configMap('web-conf'), service('stable'), service('canary'), virtualService('istio-vsvc', VS_HTTP), vsRollout(undefined, [{ name: 'istio-vsvc', routes: ['primary', 'secondary'] }])]],
    [
      'VirtualService TLS route (no tlsRoutes: its only one)',
      [configMap('web-conf'), service('stable'), service('canary'), virtualService('istio-vsvc', undefined, { tls: [{ match: [{ port: 443, sniHosts: ['istio-rollout.dev.argoproj.io'] }], route: [dest('stable', 100), dest('canary', 0)] }] }), vsRollout({ name: 'istio-vsvc' })],
    ],
    [
      'VirtualService TLS route found by port and SNI hosts in any order',
      [
        configMap('web-conf'),
        service('stable'),
        service('canary'),
        virtualService('istio-vsvc', undefined, {
          tls: [
            { match: [{ port: 443, sniHosts: ['a.example.com', 'b.example.com'] }], route: [dest('stable', 100), dest('canary', 0)] },
            { match: [{ port: 8443, sniHosts: ['c.example.com'] }], route: [dest('other', 100)] },
          ],
        }),
        vsRollout({ name: 'istio-vsvc', tlsRoutes: [{ port: 443, sniHosts: ['b.example.com', 'a.example.com'] }] }),
      ],
    ],
    ['VirtualService TCP route', [configMap('web-conf'), service('stable'), service('canary'), virtualService('istio-vsvc', undefined, { tcp: [{ match: [{ port: 443 }], route: [dest('stable', 100), dest('canary', 0)] }] }), vsRollout({ name: 'istio-vsvc' })]],
    [
      'one unnamed HTTP route, fully qualified hosts, a VirtualService named name.namespace',
      [
        configMap('web-conf'),
        service('stable'),
        service('canary'),
        mutate(virtualService('istio-vsvc', [{ route: [dest('stable.default.svc.cluster.local', 100), dest('canary.default.svc.cluster.local', 0)] }]), (o) => (o.metadata.namespace = 'default')),
        vsRollout({ name: 'istio-vsvc.default' }),
      ],
    ],
    [
      'no routes named: the managed header routes do not count',
      [
        configMap('web-conf'),
        service('stable'),
        service('canary'),
        virtualService('istio-vsvc', [{ name: 'hdr', route: [dest('canary', 100)] }, { name: 'primary', route: [dest('stable', 100), dest('canary', 0)] }]),
        mutate(vsRollout({ name: 'istio-vsvc' }), (o) => (o.spec.strategy.canary.trafficRouting.managedRoutes = [{ name: 'hdr' }])),
      ],
    ],
    ['Istio VirtualService managed elsewhere (none in the set)', [configMap('web-conf'), service('stable'), service('canary'), vsRollout({ name: 'istio-vsvc', routes: ['primary'] })]],
    // Rule 64 success cases (TestValidateAmbassadorMapping, TestValidateAppMeshResource)
    ['Ambassador Mapping without weight', [configMap('web-conf'), service('web-stable'), service('web-canary'), mapping('echo'), ambassadorRollout(['echo'])]],
    [
      'x.getambassador.io AmbassadorMapping with weight 0, and a weight that is not an integer',
      [
        configMap('web-conf'),
        service('web-stable'),
        service('web-canary'),
        { ...mapping('a', { weight: 0 }), apiVersion: 'x.getambassador.io/v3alpha1', kind: 'AmbassadorMapping' },
        mapping('b', { weight: '20' }),
        ambassadorRollout(['a', 'b']),
      ],
    ],
    ['Ambassador Mappings managed elsewhere (none in the set)', [configMap('web-conf'), service('web-stable'), service('web-canary'), ambassadorRollout(['echo'])]],
    ...['httpRoute', 'tcpRoute', 'http2Route', 'grpcRoute'].map((type): [string, any[]] => [
      `App Mesh VirtualRouter ${type} with two weighted targets`,
      [configMap('web-conf'), service('web-stable'), service('web-canary'), appMeshVirtualService('my-svc', 'my-vrouter'), virtualRouter('my-vrouter', [appMeshRoute('primary', type, 2)]), appMeshRollout()],
    ]),
    ['App Mesh managed elsewhere (no App Mesh VirtualService in the set)', [configMap('web-conf'), service('web-stable'), service('web-canary'), appMeshRollout()]],
    ['optional ConfigMap missing', [mutate(CANARY, (o) => (o.spec.template.spec.volumes[0].configMap.optional = true))]],
    ['Rollout without namespace and Services with one', [configMap('web-conf'), service('web-active', { app: 'web' }, 'prod'), service('web-preview', { app: 'web' }, 'prod'), BLUE_GREEN]],
    ['same name, different kinds', [configMap('web'), service('web'), mutate(CANARY, (o) => (o.spec.template.spec.volumes[0].configMap.name = 'web'))]],
    ['same name, different namespaces', [service('web', { app: 'web' }, 'a'), service('web', { app: 'web' }, 'b')]],
  ])('%s', (_name, objects) => {
    expect(summary(validateObjects(objects as any[]))).toEqual([]);
  });
});

describe('validateObjects: behaviour', () => {
  it('gives missing references the missingReference severity, and other rules stay errors', () => {
    const objects = [withSteps(CANARY, [{ setWeight: 120 }])];
    const findings = validateObjects(objects, { missingReference: 'warning' });
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([
      ['setweight-range', 'error'],
      ['configmap-not-found', 'warning'],
    ]);
    expect(validateObjects(objects).every((f) => f.severity === 'error')).toBe(true);
  });

  it('passes over kinds it does not know, and foreign kinds named Rollout', () => {
    const unknown = [
      { apiVersion: 'networking.istio.io/v1alpha3', kind: 'VirtualService', metadata: { name: 'Not Valid' }, spec: { anything: true } },
      { apiVersion: 'example.com/v1', kind: 'Rollout', metadata: { name: 'x' }, spec: {} },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: {} },
      null,
      'text',
    ];
    expect(validateObjects(unknown)).toEqual([]);
  });

  it('runs validateRollout on every Rollout and names the object of each finding', () => {
    const a = mutate(CANARY, (o) => (o.metadata.name = 'a'), (o) => (o.spec.replicas = -1));
    const b = mutate(CANARY, (o) => (o.metadata.name = 'b'), (o) => (o.metadata.namespace = 'ns'), (o) => (o.spec.replicas = -2));
    const findings = validateObjects([configMap('web-conf'), a, b]);
    expect(findings.map((f) => [f.object?.name, f.object?.namespace, f.rule])).toEqual([
      ['a', undefined, 'replicas-nonnegative'],
      ['b', 'ns', 'replicas-nonnegative'],
    ]);
  });

  it('cannot merge an analysis whose ClusterAnalysisTemplate is outside the set: only the missing reference is reported', () => {
    const rollout = withSteps(CANARY, [{ analysis: { templates: [{ templateName: 'a' }, { templateName: 'shared', clusterScope: true }] } }]);
    const findings = validateObjects([configMap('web-conf'), templateWith('a', { args: [{ name: 'x' }] }), rollout], { missingReference: 'warning' });
    expect(summary(findings)).toEqual([
      "warning: Rollout/web: spec.strategy.canary.steps[0].analysis.templates[1].templateName: Invalid value: \"shared\": ClusterAnalysisTemplate 'shared' not found [analysis-template-not-found]",
    ]);
  });

  it('gives a missing nested template the missingReference severity, once for the analyses that share it', () => {
    const rollout = mutate(CANARY, (o) => {
      o.spec.strategy.canary.analysis = { templates: [{ templateName: 'outer' }] };
      o.spec.strategy.canary.steps = [{ analysis: { templates: [{ templateName: 'outer' }] } }];
    });
    const findings = validateObjects([configMap('web-conf'), templateWith('outer', { templates: [{ templateName: 'inner', clusterScope: true }] }), rollout], { missingReference: 'warning' });
    expect(summary(findings)).toEqual([
      "warning: Rollout/web: spec.templates: Invalid value: \"inner\": ClusterAnalysisTemplate 'inner' not found [analysis-template-not-found]",
    ]);
  });

  it('stops at templates that nest each other', () => {
    const a = templateWith('a', { metrics: [metric('a')], templates: [{ templateName: 'b' }], args: [{ name: 'x' }] });
    const b = templateWith('b', { metrics: [metric('b')], templates: [{ templateName: 'a' }] });
    const findings = validateObjects([configMap('web-conf'), a, b, withSteps(CANARY, [{ analysis: { templates: [{ templateName: 'a' }] } }])]);
    expect(summary(findings)).toEqual([
      'error: Rollout/web: spec.strategy.canary.steps[0].analysis.templates: Invalid value: "templateNames: [a b]": args.x was not resolved [analysis-args-unresolved]',
    ]);
  });

  it('drops every background arg when one fieldRef is not readable by the downward API, as the controller does', () => {
    // BuildArgumentsForRolloutAnalysisRun fails on metadata.foo and buildAnalysisArgs then passes no args at all;
    // rule 47 checks only step args, so the background analysis reaches the merge.
    const analysis = { templates: [{ templateName: 'bg' }], args: [{ name: 'x', value: 'v' }, { name: 'y', valueFrom: { fieldRef: { fieldPath: 'metadata.foo' } } }] };
    const findings = validateObjects([configMap('web-conf'), templateWith('bg', { args: [{ name: 'x' }] }), mutate(CANARY, (o) => (o.spec.strategy.canary.analysis = analysis))]);
    expect(findings.map((f) => [f.rule, f.message])).toEqual([['analysis-args-unresolved', 'Invalid value: "templateNames: [bg]": args.x was not resolved']]);
  });

  it('reports each analysis that cannot be merged, and checks every analysis against each step\'s dry-run rules', () => {
    const rollout = mutate(CANARY, (o) => {
      o.spec.strategy.canary.analysis = { templates: [{ templateName: 'bg' }] };
      o.spec.strategy.canary.steps = [{ analysis: { templates: [{ templateName: 'rate' }], dryRun: [{ metricName: 'm' }, { metricName: 'm' }] } }, { setWeight: 50 }];
    });
    const findings = validateObjects([configMap('web-conf'), templateWith('bg', { metrics: [metric('m')] }), analysisTemplate('rate'), rollout]);
    expect(findings.map((f) => `${f.rule} ${f.path}`)).toEqual([
      'analysis-dry-run-duplicate spec.strategy.canary.steps[0].analysis.templates',
      'analysis-dry-run-duplicate spec.strategy.canary.analysis.templates',
    ]);
  });

  it('reports a missing Service once per field', () => {
    const findings = validateObjects([configMap('web-conf'), NGINX_CANARY]);
    expect(findings.map((f) => `${f.rule} ${f.path}`)).toEqual([
      'service-not-found spec.strategy.canary.stableService',
      'service-not-found spec.strategy.canary.canaryService',
    ]);
  });
});

/**
 * `count` blue/green Rollouts, each with its two Services before it; every Service (and, with `countRollouts`, every
 * Rollout) counts how often its metadata is read.
 */
function bigSet(count: number, countRollouts = false) {
  const reads = new Map<string, number>();
  const counted = (o: any) => new Proxy(o, {
    get(target, key, receiver) {
      if (key === 'metadata') reads.set(target.metadata.name, (reads.get(target.metadata.name) ?? 0) + 1);
      return Reflect.get(target, key, receiver);
    },
  });
  const objects: any[] = [configMap('web-conf')];
  for (let i = 0; i < count; i++) {
    const rollout = mutate(BLUE_GREEN, (o) => {
      o.metadata.name = `web${i}`;
      o.spec.strategy.blueGreen.activeService = `web${i}-active`;
      o.spec.strategy.blueGreen.previewService = `web${i}-preview`;
    });
    objects.push(counted(service(`web${i}-active`)), counted(service(`web${i}-preview`)), countRollouts ? counted(rollout) : rollout);
  }
  return { objects, reads };
}

describe('validateObjects: references are looked up, not scanned', () => {

  test('each Service is read a bounded number of times, however many Rollouts the set has', () => {
    const small = bigSet(5);
    const large = bigSet(200);
    expect(validateObjects(small.objects).filter((f) => f.severity === 'error')).toEqual([]);
    expect(validateObjects(large.objects).filter((f) => f.severity === 'error')).toEqual([]);
    // A scan of every Service per reference reads each Service about 2 x 200 times in the large set.
    const most = (reads: Map<string, number>) => Math.max(...reads.values());
    expect(most(large.reads)).toBe(most(small.reads));
    expect(most(large.reads)).toBeLessThan(40);
  });
});

describe('validateObjects: each object is read once for the set', () => {
  test("an object's metadata is read three times (its name and namespace for the index, then its own rules), however it is referred to", () => {
    const { objects, reads } = bigSet(20, true);
    expect(validateObjects(objects).filter((f) => f.severity === 'error')).toEqual([]);
    // (the index, the lookups, the duplicate check and the check across Rollouts read the name and namespace kept
    // from the first read)
    expect(Math.max(...reads.values())).toBe(3);
  });

  test('duplicates are found through the index: same group, kind, namespace and name; each later copy once', () => {
    const cm = (name: string, namespace?: string, apiVersion = 'v1') => ({ apiVersion, kind: 'ConfigMap', metadata: { name, ...(namespace ? { namespace } : {}) } });
    const findings = validateObjects([cm('a'), cm('a', 'ns'), cm('a', undefined, 'other.io/v1'), cm('a'), cm('b'), cm('a'), { kind: 'ConfigMap', metadata: {} }, { kind: 'ConfigMap', metadata: {} }]);
    const duplicates = findings.filter((f) => f.rule === 'duplicate-object');
    expect(duplicates.map((f) => [f.object?.name, f.object?.namespace, f.object?.apiVersion])).toEqual([['a', undefined, 'v1'], ['a', undefined, 'v1']]);
  });
});
