import { type Finding, formatFinding, validateObjects } from '../../lib/rules';
import { OBJECT_CASES } from './cases';
import { analysisTemplate, BLUE_GREEN, CANARY, configMap, ingress, mutate, NGINX_CANARY, service } from './fixtures';

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
        analysisTemplate('step', { count: 3, interval: '10s' }),
        analysisTemplate('once'),
        analysisTemplate('bg', { interval: '1m' }),
        analysisTemplate('cluster', { count: 1 }, 'ClusterAnalysisTemplate'),
        mutate(CANARY, (o) => {
          o.spec.strategy.canary.analysis = { templates: [{ templateName: 'bg' }] };
          o.spec.strategy.canary.steps = [{ analysis: { templates: [{ templateName: 'step' }, { templateName: 'once' }, { templateName: 'cluster', clusterScope: true }] } }];
        }),
      ],
    ],
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

  it('reports a missing Service once per field', () => {
    const findings = validateObjects([configMap('web-conf'), NGINX_CANARY]);
    expect(findings.map((f) => `${f.rule} ${f.path}`)).toEqual([
      'service-not-found spec.strategy.canary.stableService',
      'service-not-found spec.strategy.canary.canaryService',
    ]);
  });
});
