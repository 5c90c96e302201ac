/**
 * Property-based tests over raw objects: random valid canary and blue/green Rollouts (with the objects they need,
 * in order) never produce an error, and a random single mutation that breaks a rule always produces that rule.
 */
import fc from 'fast-check';
import { formatFinding, type RuleId, validateObjects, validateRollout, validateSchema } from '../../lib/rules';
import { pauseDurationSeconds } from '../../lib/rules/duration';

const RUNS = { numRuns: 150 };

const dnsName = fc.stringMatching(/^[a-z]([a-z0-9-]{0,12}[a-z0-9])?$/);
const image = fc.oneof(
  fc.constantFrom('nginx', 'nginx:1.25.3', 'nginx/nginx-prometheus-exporter:0.11.0', `registry.example.com:5000/team/web@sha256:${'ab'.repeat(32)}`),
  fc.tuple(dnsName, fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,10}$/)).map(([repo, tag]) => `${repo}:${tag}`),
);
const duration = fc.oneof(
  fc.integer({ min: 0, max: 3600 }),
  fc.integer({ min: 0, max: 3600 }).map(String),
  fc.tuple(fc.integer({ min: 0, max: 100 }), fc.constantFrom('s', 'm', 'h', 'ms')).map(([n, u]) => `${n}${u}`),
  fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${h}h${m}m`),
);
const intOrPercent = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 50 }).map((n) => `${n}%`));
const antiAffinity = fc.option(
  fc.oneof(
    fc.integer({ min: 1, max: 100 }).map((weight) => ({ preferredDuringSchedulingIgnoredDuringExecution: { weight } })),
    fc.constant({ requiredDuringSchedulingIgnoredDuringExecution: {} }),
  ),
  { nil: undefined },
);

/** The spec outside the strategy, with names the set must provide. */
const base = fc
  .record({
    name: dnsName,
    app: dnsName,
    replicas: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
    revisionHistoryLimit: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
    minReadySeconds: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
    extraDeadline: fc.option(fc.integer({ min: 1, max: 600 }), { nil: undefined }),
    containers: fc.uniqueArray(dnsName, { minLength: 1, maxLength: 3 }),
    images: fc.array(image, { minLength: 3, maxLength: 3 }),
    configMap: fc.option(dnsName, { nil: undefined }),
  })
  .map((b) => {
    const spec: any = {
      selector: { matchLabels: { app: b.app } },
      template: {
        metadata: { labels: { app: b.app, tier: 'web' } },
        spec: {
          containers: b.containers.map((name, i) => ({ name, image: b.images[i], ports: [{ containerPort: 8080 + i }] })),
          ...(b.configMap ? { volumes: [{ name: 'conf', configMap: { name: b.configMap } }] } : {}),
        },
      },
    };
    if (b.replicas !== undefined) spec.replicas = b.replicas;
    if (b.revisionHistoryLimit !== undefined) spec.revisionHistoryLimit = b.revisionHistoryLimit;
    if (b.minReadySeconds !== undefined) spec.minReadySeconds = b.minReadySeconds;
    // progressDeadlineSeconds must stay above minReadySeconds (its default, 600, already is).
    if (b.extraDeadline !== undefined) spec.progressDeadlineSeconds = (b.minReadySeconds ?? 0) + b.extraDeadline;
    const before: any[] = b.configMap ? [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: b.configMap }, data: {} }] : [];
    return { name: b.name, app: b.app, spec, before };
  });

type Router = 'none' | 'nginx' | 'smi';

function canarySteps(router: Router, maxWeight: number) {
  const actions: Array<fc.Arbitrary<Record<string, unknown>>> = [
    fc.integer({ min: 0, max: maxWeight }).map((setWeight) => ({ setWeight })),
    fc.option(duration, { nil: undefined }).map((d) => ({ pause: d === undefined ? {} : { duration: d } })),
    dnsName.map((name) => ({ experiment: { templates: [{ name, specRef: 'canary' }] } })),
  ];
  if (router !== 'none') {
    actions.push(
      fc.integer({ min: 0, max: 100 }).map((weight) => ({ setCanaryScale: { weight } })),
      fc.tuple(fc.integer({ min: 0, max: maxWeight }), fc.integer({ min: 0, max: 5 })).map(([setWeight, replicas]) => ({ setWeight, setCanaryScale: { replicas } })),
    );
  }
  return fc.array(fc.oneof(...actions), { maxLength: 8 });
}

/** A valid canary Rollout and the objects that must come before it. */
const canarySet = fc
  .record({
    base,
    router: fc.constantFrom<Router>('none', 'nginx', 'smi'),
    maxTrafficWeight: fc.option(fc.integer({ min: 100, max: 10000 }), { nil: undefined }),
    surge: fc.tuple(intOrPercent, intOrPercent).filter(([a, b]) => !(String(a).replace('%', '') === '0' && String(b).replace('%', '') === '0')),
    services: fc.uniqueArray(dnsName, { minLength: 2, maxLength: 2 }),
    scaleDown: fc.constantFrom('none', 'delay', 'dynamic'),
    antiAffinity,
  })
  .chain((c) => {
    const maxWeight = c.router === 'nginx' && c.maxTrafficWeight !== undefined ? c.maxTrafficWeight : 100;
    return canarySteps(c.router, maxWeight).map((steps) => ({ ...c, steps, maxWeight }));
  })
  .map((c) => {
    const canary: any = { steps: c.steps, maxSurge: c.surge[0], maxUnavailable: c.surge[1] };
    if (c.antiAffinity) canary.antiAffinity = c.antiAffinity;
    const objects: any[] = [...c.base.before];
    if (c.router !== 'none') {
      const [stable, canarySvc] = c.services;
      Object.assign(canary, { stableService: stable, canaryService: canarySvc });
      canary.trafficRouting = c.router === 'nginx' ? { nginx: { stableIngress: `${c.base.name}-ingress` } } : { smi: {} };
      if (c.router === 'nginx' && c.maxTrafficWeight !== undefined) canary.trafficRouting.maxTrafficWeight = c.maxTrafficWeight;
      if (c.scaleDown === 'delay') canary.scaleDownDelaySeconds = 30;
      if (c.scaleDown === 'dynamic') canary.dynamicStableScale = true;
      for (const name of c.services) objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: c.base.app } } });
    }
    const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: c.base.name }, spec: { ...c.base.spec, strategy: { canary } } };
    return { rollout, objects: [...objects, rollout], maxWeight: c.maxWeight };
  });

/** A valid blue/green Rollout and the objects that must come before it. */
const blueGreenSet = fc
  .record({
    base,
    services: fc.uniqueArray(dnsName, { minLength: 2, maxLength: 2 }),
    preview: fc.boolean(),
    autoPromotionEnabled: fc.option(fc.boolean(), { nil: undefined }),
    autoPromotionSeconds: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
    scaleDownDelaySeconds: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
    limitBelow: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
    previewReplicaCount: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    antiAffinity,
  })
  .map((b) => {
    const [active, preview] = b.services;
    const blueGreen: any = { activeService: active };
    if (b.preview) blueGreen.previewService = preview;
    for (const key of ['autoPromotionEnabled', 'autoPromotionSeconds', 'scaleDownDelaySeconds', 'previewReplicaCount', 'antiAffinity'] as const) {
      if (b[key] !== undefined) blueGreen[key] = b[key];
    }
    const history = b.base.spec.revisionHistoryLimit ?? 10;
    if (b.limitBelow !== undefined) blueGreen.scaleDownDelayRevisionLimit = Math.min(b.limitBelow, history);
    const services = (b.preview ? [active, preview] : [active]).map((name) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { selector: { app: b.base.app } },
    }));
    const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: b.base.name }, spec: { ...b.base.spec, strategy: { blueGreen } } };
    return { rollout, objects: [...b.base.before, ...services, rollout], maxWeight: 100 };
  });

const errorsOf = (findings: ReturnType<typeof validateRollout>) => findings.filter((f) => f.severity === 'error').map(formatFinding);

describe('random valid Rollouts', () => {
  it('canary: no errors from validateObjects or the schema', () => {
    fc.assert(
      fc.property(canarySet, ({ rollout, objects }) => {
        expect(errorsOf(validateObjects(objects))).toEqual([]);
        expect(errorsOf(validateSchema(rollout))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('blue/green: no errors from validateObjects or the schema', () => {
    fc.assert(
      fc.property(blueGreenSet, ({ rollout, objects }) => {
        expect(errorsOf(validateObjects(objects))).toEqual([]);
        expect(errorsOf(validateSchema(rollout))).toEqual([]);
      }),
      RUNS,
    );
  });
});

interface Mutation {
  readonly rule: RuleId;
  readonly apply: (rollout: any, maxWeight: number) => void;
}

const spec = (f: (s: any) => void) => (r: any) => f(r.spec);
const pod = (f: (p: any) => void) => (r: any) => f(r.spec.template.spec);

/** Mutations that break a rule whatever the Rollout is. */
const COMMON: Mutation[] = [
  { rule: 'replicas-nonnegative', apply: spec((s) => (s.replicas = -1)) },
  { rule: 'selector-required', apply: spec((s) => delete s.selector) },
  { rule: 'selector-empty', apply: spec((s) => (s.selector = {})) },
  { rule: 'selector-invalid', apply: spec((s) => (s.selector.matchExpressions = [{ key: 'app', operator: 'Near' }])) },
  { rule: 'selector-template-mismatch', apply: spec((s) => (s.template.metadata.labels.app += '-other')) },
  { rule: 'restart-policy', apply: pod((p) => (p.restartPolicy = 'Never')) },
  { rule: 'active-deadline-seconds', apply: pod((p) => (p.activeDeadlineSeconds = 5)) },
  { rule: 'containers-required', apply: pod((p) => (p.containers = [])) },
  { rule: 'container-name', apply: pod((p) => (p.containers[0].name = 'Not_A_Label')) },
  { rule: 'container-name-duplicate', apply: pod((p) => p.containers.push({ ...p.containers[0] })) },
  { rule: 'container-image', apply: pod((p) => (p.containers[0].image = 'not an image')) },
  { rule: 'container-port', apply: pod((p) => (p.containers[0].ports[0].containerPort = 65536)) },
  { rule: 'min-ready-seconds-nonnegative', apply: spec((s) => (s.minReadySeconds = -1)) },
  { rule: 'revision-history-limit-nonnegative', apply: spec((s) => (s.revisionHistoryLimit = -1)) },
  { rule: 'progress-deadline-min-ready', apply: spec((s) => (s.minReadySeconds = s.progressDeadlineSeconds ?? 600)) },
  { rule: 'strategy-required', apply: spec((s) => (s.strategy = {})) },
  { rule: 'strategy-multiple', apply: spec((s) => Object.assign(s.strategy, { canary: s.strategy.canary ?? {}, blueGreen: s.strategy.blueGreen ?? { activeService: 'a' } })) },
  { rule: 'metadata-name', apply: (r) => (r.metadata.name = 'Not A Name') },
  { rule: 'label-syntax', apply: spec((s) => (s.template.metadata.labels['bad key'] = 'x')) },
];

const canary = (f: (c: any, maxWeight: number) => void) => (r: any, maxWeight: number) => f(r.spec.strategy.canary, maxWeight);
const CANARY_ONLY: Mutation[] = [
  { rule: 'step-action-required', apply: canary((c) => c.steps.push({})) },
  { rule: 'step-multiple-actions', apply: canary((c) => c.steps.push({ setWeight: 10, pause: {} })) },
  { rule: 'setweight-range', apply: canary((c, max) => c.steps.push({ setWeight: max + 1 })) },
  { rule: 'setweight-range', apply: canary((c) => c.steps.unshift({ setWeight: -1 })) },
  { rule: 'pause-duration', apply: canary((c) => c.steps.push({ pause: { duration: '1d' } })) },
  { rule: 'max-surge-max-unavailable-zero', apply: canary((c) => Object.assign(c, { maxSurge: '0%', maxUnavailable: 0 })) },
  { rule: 'canary-same-services', apply: canary((c) => Object.assign(c, { stableService: 'same', canaryService: 'same' })) },
  { rule: 'dynamic-stable-scale-needs-traffic-routing', apply: canary((c) => (delete c.trafficRouting, (c.dynamicStableScale = true))) },
  { rule: 'scale-down-delay-needs-traffic-routing', apply: canary((c) => (delete c.trafficRouting, (c.scaleDownDelaySeconds = 10))) },
  { rule: 'set-canary-scale-needs-traffic-routing', apply: canary((c) => (delete c.trafficRouting, c.steps.push({ setCanaryScale: { replicas: 1 } }))) },
  { rule: 'anti-affinity-strategy', apply: canary((c) => (c.antiAffinity = {})) },
  { rule: 'experiment-weight-needs-traffic-routing', apply: canary((c) => (delete c.trafficRouting, c.steps.push({ experiment: { templates: [{ name: 'e', specRef: 'canary', weight: 5 }] } }))) },
];

const blueGreen = (f: (b: any, r: any) => void) => (r: any) => f(r.spec.strategy.blueGreen, r);
const BLUE_GREEN_ONLY: Mutation[] = [
  { rule: 'bluegreen-same-services', apply: blueGreen((b) => (b.previewService = b.activeService)) },
  { rule: 'bluegreen-scale-down-revision-limit', apply: blueGreen((b, r) => (b.scaleDownDelayRevisionLimit = (r.spec.revisionHistoryLimit ?? 10) + 1)) },
  { rule: 'anti-affinity-weight', apply: blueGreen((b) => (b.antiAffinity = { preferredDuringSchedulingIgnoredDuringExecution: { weight: 101 } })) },
];

function breaks(set: fc.Arbitrary<{ rollout: any; maxWeight: number }>, mutations: Mutation[]) {
  fc.assert(
    fc.property(set, fc.constantFrom(...mutations), ({ rollout, maxWeight }, mutation) => {
      const broken = structuredClone(rollout);
      mutation.apply(broken, maxWeight);
      const rules = validateRollout(broken).filter((f) => f.severity === 'error').map((f) => f.rule);
      expect(rules).toContain(mutation.rule);
    }),
    { numRuns: 300 },
  );
}

describe('random single mutations', () => {
  it('that break a rule of a canary always produce it', () => breaks(canarySet, [...COMMON, ...CANARY_ONLY]));
  it('that break a rule of a blue/green always produce it', () => breaks(blueGreenSet, [...COMMON, ...BLUE_GREEN_ONLY]));
});

describe('robustness and parsing', () => {
  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), (objects) => {
        validateObjects(objects);
        for (const o of objects) validateRollout(o);
      }),
      RUNS,
    );
  });

  it('never throws on Rollout-shaped garbage', () => {
    const garbage = fc.jsonValue();
    const shaped = fc.record({
      apiVersion: fc.constant('argoproj.io/v1alpha1'),
      kind: fc.constant('Rollout'),
      metadata: fc.oneof(garbage, fc.record({ name: fc.string() })),
      spec: fc.record({
        selector: garbage,
        template: fc.oneof(garbage, fc.record({ metadata: garbage, spec: fc.record({ containers: garbage, volumes: garbage }) })),
        strategy: fc.oneof(garbage, fc.record({ canary: fc.oneof(garbage, fc.record({ steps: fc.array(garbage), trafficRouting: garbage })) }), fc.record({ blueGreen: garbage })),
      }),
    });
    fc.assert(
      fc.property(fc.array(shaped, { maxLength: 3 }), (objects) => {
        validateObjects(objects);
      }),
      RUNS,
    );
  });

  it('never throws on garbage templates and router objects that a Rollout names', () => {
    const garbage = fc.jsonValue();
    const named = (apiVersion: string, kind: string) =>
      fc.record({ apiVersion: fc.constant(apiVersion), kind: fc.constant(kind), metadata: fc.record({ name: fc.constant('x') }), spec: fc.oneof(garbage, fc.dictionary(fc.constantFrom('metrics', 'args', 'dryRun', 'measurementRetention', 'templates', 'http', 'tls', 'tcp', 'weight', 'routes', 'provider'), garbage)) });
    const ref = fc.constant([{ templateName: 'x' }, { templateName: 'x', clusterScope: true }]);
    const analysis = fc.record({ templates: fc.oneof(ref, garbage), args: garbage, dryRun: garbage, measurementRetention: garbage });
    const rollout = fc.record({
      apiVersion: fc.constant('argoproj.io/v1alpha1'),
      kind: fc.constant('Rollout'),
      metadata: fc.record({ name: fc.constant('web') }),
      spec: fc.record({
        strategy: fc.oneof(
          fc.record({
            canary: fc.record({
              analysis,
              steps: fc.array(fc.record({ analysis }), { maxLength: 2 }),
              trafficRouting: fc.oneof(
                fc.record({ istio: fc.record({ virtualService: fc.oneof(garbage, fc.record({ name: fc.constant('x'), routes: garbage, tlsRoutes: garbage, tcpRoutes: garbage })) }) }),
                fc.record({ ambassador: fc.record({ mappings: fc.oneof(fc.constant(['x']), garbage) }) }),
                fc.record({ appMesh: fc.record({ virtualService: fc.oneof(garbage, fc.constant({ name: 'x' })) }) }),
              ),
            }),
          }),
          fc.record({ blueGreen: fc.record({ activeService: fc.constant('a'), prePromotionAnalysis: analysis, postPromotionAnalysis: analysis }) }),
        ),
      }),
    });
    const others = fc.array(
      fc.oneof(
        named('argoproj.io/v1alpha1', 'AnalysisTemplate'),
        named('argoproj.io/v1alpha1', 'ClusterAnalysisTemplate'),
        named('networking.istio.io/v1beta1', 'VirtualService'),
        named('getambassador.io/v2', 'Mapping'),
        named('appmesh.k8s.aws/v1beta2', 'VirtualService'),
        fc.constant({ apiVersion: 'appmesh.k8s.aws/v1beta2', kind: 'VirtualService', metadata: { name: 'x' }, spec: { provider: { virtualRouter: { virtualRouterRef: { name: 'x' } } } } }),
        named('appmesh.k8s.aws/v1beta2', 'VirtualRouter'),
        fc.record({ apiVersion: fc.constant('appmesh.k8s.aws/v1beta2'), kind: fc.constant('VirtualRouter'), metadata: fc.constant({ name: 'x' }), spec: fc.record({ routes: fc.array(fc.oneof(garbage, fc.dictionary(fc.constantFrom('name', 'httpRoute', 'grpcRoute'), garbage))) }) }),
      ),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(others, rollout, (objects, ro) => {
        validateObjects([...objects, ro]);
      }),
      RUNS,
    );
  });

  it('reads Go durations as the controller does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10000 }), fc.constantFrom<[string, number]>(['s', 1], ['m', 60], ['h', 3600]), (n, [unit, factor]) => {
        expect(pauseDurationSeconds(`${n}${unit}`)).toBe(n * factor);
        expect(pauseDurationSeconds(`${n}`)).toBe(n);
        expect(pauseDurationSeconds(n)).toBe(n);
      }),
      RUNS,
    );
  });
});
