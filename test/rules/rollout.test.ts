import { formatFinding, validateRollout } from '../../lib/rules';
import { ROLLOUT_CASES } from './cases';
import { ALB_CANARY, BLUE_GREEN, CANARY, ISTIO_CANARY, mutate, NGINX_CANARY } from './fixtures';

describe('validateRollout: invalid cases', () => {
  test.each(ROLLOUT_CASES)('$name -> $rule', ({ input, rule, path, message }) => {
    const findings = validateRollout(input);
    expect(findings).toContainEqual({ severity: 'error', rule, path, message, object: expect.objectContaining({ kind: 'Rollout' }) });
  });
});

const step = (...steps: any[]) => (o: any) => (o.spec.strategy.canary.steps = steps);

const VALID: Array<[string, any]> = [
  ['basic canary', CANARY],
  ['nginx canary', NGINX_CANARY],
  ['Istio canary with a header route', ISTIO_CANARY],
  ['ALB canary', ALB_CANARY],
  ['blue/green', BLUE_GREEN],
  ['blue/green without preview', mutate(BLUE_GREEN, (o) => delete o.spec.strategy.blueGreen.previewService)],
  ['maxSurge 0 alone (maxUnavailable defaults to 25%)', mutate(CANARY, (o) => (o.spec.strategy.canary.maxSurge = 0))],
  ['maxSurge 0 and maxUnavailable 1', mutate(CANARY, (o) => Object.assign(o.spec.strategy.canary, { maxSurge: '0%', maxUnavailable: 1 }))],
  ['no steps (rolling update)', mutate(CANARY, step())],
  ['setWeight 0 and 100', mutate(CANARY, step({ setWeight: 0 }, { setWeight: 100 }))],
  ['non-monotonic weights', mutate(CANARY, step({ setWeight: 50 }, { setWeight: 10 }))],
  ...[0, '0', '60', '30s', '1m', '1h30m', '500ms', '2\u00b5s', '1.5h', '+5s', '-500ms'].map(
    (duration): [string, any] => [`pause duration ${JSON.stringify(duration)}`, mutate(CANARY, step({ pause: { duration } }))],
  ),
  ['indefinite pause', mutate(CANARY, step({ pause: {} }))],
  [
    'setWeight 500 under maxTrafficWeight 1000',
    mutate(NGINX_CANARY, (o) => {
      o.spec.strategy.canary.trafficRouting.maxTrafficWeight = 1000;
      o.spec.strategy.canary.steps = [{ setWeight: 500 }];
    }),
  ],
  ['setCanaryScale with setWeight in one step', mutate(NGINX_CANARY, step({ setWeight: 20, setCanaryScale: { replicas: 2 } }))],
  [
    'Istio subset split without services',
    mutate(ISTIO_CANARY, (o) => {
      const c = o.spec.strategy.canary;
      delete c.stableService;
      delete c.canaryService;
      c.trafficRouting.istio.destinationRule = { name: 'dr', canarySubsetName: 'canary', stableSubsetName: 'stable' };
    }),
  ],
  [
    'plugin router without services, with maxTrafficWeight',
    mutate(CANARY, (o) => (o.spec.strategy.canary.trafficRouting = { plugins: { 'acme/router': {} }, maxTrafficWeight: 1000 })),
  ],
  ['services without trafficRouting', mutate(CANARY, (o) => Object.assign(o.spec.strategy.canary, { stableService: 'a', canaryService: 'b' }))],
  [
    'ALB ping-pong without stable/canary services',
    mutate(ALB_CANARY, (o) => {
      const c = o.spec.strategy.canary;
      delete c.stableService;
      delete c.canaryService;
      c.pingPong = { pingService: 'ping', pongService: 'pong' };
    }),
  ],
  [
    'workloadRef without selector or template',
    mutate(CANARY, (o) => {
      delete o.spec.selector;
      delete o.spec.template;
      o.spec.workloadRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
    }),
  ],
  ['anti-affinity weight 100', mutate(BLUE_GREEN, (o) => (o.spec.strategy.blueGreen.antiAffinity = { preferredDuringSchedulingIgnoredDuringExecution: { weight: 100 } }))],
  ['required anti-affinity', mutate(CANARY, (o) => (o.spec.strategy.canary.antiAffinity = { requiredDuringSchedulingIgnoredDuringExecution: {} }))],
  [
    'downward-API analysis args',
    mutate(
      CANARY,
      step({
        analysis: {
          templates: [{ templateName: 't' }],
          args: ["metadata.name", "metadata.namespace", "metadata.labels['app']", "metadata.annotations['example.com/x']", 'status.podIP'].map((fieldPath, i) => ({
            name: `a${i}`,
            valueFrom: { fieldRef: { fieldPath } },
          })),
        },
      }),
    ),
  ],
  ['generateName instead of name', mutate(CANARY, (o) => (delete o.metadata.name, (o.metadata.generateName = 'web-')))],
  ['selector with matchExpressions', mutate(CANARY, (o) => (o.spec.selector.matchExpressions = [{ key: 'app', operator: 'In', values: ['web', 'api'] }]))],
  ['progressDeadlineSeconds above minReadySeconds', mutate(CANARY, (o) => Object.assign(o.spec, { minReadySeconds: 30, progressDeadlineSeconds: 31 }))],
  ['replicas 0', mutate(CANARY, (o) => (o.spec.replicas = 0))],
  ...['nginx', 'nginx:1.14.1', `registry:5000/a/b:tag@sha256:${'0123456789abcdef'.repeat(4)}`, 'docker.io/library/nginx:latest', 'localhost/x_y__z-w.v:1'].map(
    (image): [string, any] => [`image ${image}`, mutate(CANARY, (o) => (o.spec.template.spec.containers[0].image = image))],
  ),
];

describe('validateRollout: valid cases', () => {
  test.each(VALID)('%s', (_name, rollout) => {
    expect(validateRollout(rollout).map(formatFinding)).toEqual([]);
  });
});

describe('validateRollout: reporting', () => {
  it('reports every error, not only the first', () => {
    const bad = mutate(CANARY, (o) => {
      o.spec.replicas = -1;
      o.spec.strategy.canary.steps = [{ setWeight: 120 }, { pause: { duration: '1d' } }];
    });
    expect(validateRollout(bad).map((f) => f.rule)).toEqual(['replicas-nonnegative', 'setweight-range', 'pause-duration']);
  });

  it('reads like the controller through formatFinding', () => {
    const bad = mutate(CANARY, (o) => (o.spec.strategy.canary.steps[0].setWeight = 120));
    expect(validateRollout(bad).map(formatFinding)).toEqual([
      'error: Rollout/web: spec.strategy.steps[0].setWeight: Invalid value: 120: SetWeight needs to be between 0 and 100 [setweight-range]',
    ]);
  });

  it('reports a rule repeated per step once', () => {
    const bad = mutate(CANARY, step({ setCanaryScale: { replicas: 1 } }, { setCanaryScale: { weight: 10 } }));
    expect(validateRollout(bad).filter((f) => f.rule === 'set-canary-scale-needs-traffic-routing')).toHaveLength(1);
  });

  it('validates only the strategy when both are listed', () => {
    const bad = mutate(CANARY, (o) => (o.spec.strategy.blueGreen = { activeService: 'a', previewService: 'a' }));
    expect(validateRollout(bad).map((f) => f.rule)).toEqual(['strategy-multiple']);
  });

  it('does not throw on malformed input', () => {
    for (const input of [undefined, null, 42, 'x', [], {}, { spec: 'x' }, { spec: { strategy: { canary: { steps: 'x' } } } }, { spec: { template: { spec: { containers: [null, 1] } } } }]) {
      expect(() => validateRollout(input)).not.toThrow();
    }
  });
});
