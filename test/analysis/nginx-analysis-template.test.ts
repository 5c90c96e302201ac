import { Duration } from 'cdk8s';
import {
  AnalysisMetric, BlueGreenNginxRollout, CanaryNginxRollout, CanaryStep, NginxAnalysisTemplate, NginxAnalysisTemplateProps,
} from '../../lib';
import { indexOf, one, synthChart } from '../support/synth';

const PROM = 'http://prometheus.monitoring.svc:9090';

const ARGS = [
  { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
  { name: 'rollout', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
  { name: 'latest-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
  { name: 'stable-hash', valueFrom: { podTemplateHashValue: 'Stable' } },
];

describe('NginxAnalysisTemplate', () => {
  test("defaults measure the exporter's nginx_up and request rate of the new pods, 4 times, 30 s apart", () => {
    const objects = synthChart((c) => new NginxAnalysisTemplate(c, 'health', { name: 'nginx-health', prometheusAddress: PROM }));
    const t = one(objects, 'AnalysisTemplate', 'nginx-health');
    expect(t.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(t.spec.args).toEqual([{ name: 'namespace' }, { name: 'rollout' }, { name: 'latest-hash' }, { name: 'stable-hash' }]);
    expect(t.spec.metrics).toEqual([
      {
        name: 'nginx-up', interval: '30s', count: 4, failureLimit: 1,
        successCondition: 'len(result) > 0 && result[0] == 1',
        provider: { prometheus: { address: PROM, query: 'min(nginx_up{namespace="{{args.namespace}}",rollouts_pod_template_hash="{{args.latest-hash}}"})' } },
      },
      {
        name: 'request-rate', interval: '30s', count: 4, failureLimit: 1,
        successCondition: 'len(result) > 0 && result[0] >= 0',
        provider: { prometheus: { address: PROM, query: 'sum(rate(nginx_http_requests_total{namespace="{{args.namespace}}",rollouts_pod_template_hash="{{args.latest-hash}}"}[2m]))' } },
      },
    ]);
  });

  test('user PromQL with its own measurement settings', () => {
    const objects = synthChart((c) => new NginxAnalysisTemplate(c, 'errors', {
      name: 'errors', prometheusAddress: PROM, interval: Duration.minutes(1), count: 5, failureLimit: 2,
      metrics: [
        AnalysisMetric.prometheus({ name: 'active', query: 'sum(nginx_connections_active)', successCondition: 'result[0] < 1000' }),
        AnalysisMetric.prometheus({
          name: 'accepted', query: 'sum(nginx_connections_accepted)', successCondition: 'result[0] > 0',
          failureCondition: 'result[0] == 0', interval: Duration.seconds(10), count: 2, failureLimit: 0,
        }),
      ],
    }));
    const [a, b] = one(objects, 'AnalysisTemplate').spec.metrics;
    expect(a).toMatchObject({ name: 'active', interval: '60s', count: 5, failureLimit: 2 });
    expect(b).toMatchObject({ name: 'accepted', interval: '10s', count: 2, failureLimit: 0, failureCondition: 'result[0] == 0' });
  });

  test('a canary analysis step and background analysis wire every argument, templates before the Rollout', () => {
    const objects = synthChart((c) => {
      const step = new NginxAnalysisTemplate(c, 'step', { name: 'step-check', prometheusAddress: PROM });
      const bg = new NginxAnalysisTemplate(c, 'bg', { name: 'bg-check', prometheusAddress: PROM });
      new CanaryNginxRollout(c, 'web', {
        name: 'web',
        steps: [CanaryStep.setWeight(20), CanaryStep.analysis(step), CanaryStep.setWeight(100)],
        backgroundAnalysis: { templates: [bg], startingStep: 1 },
      });
    });
    const canary = one(objects, 'Rollout').spec.strategy.canary;
    expect(canary.steps[1]).toEqual({ analysis: { templates: [{ templateName: 'step-check' }], args: ARGS } });
    expect(canary.analysis).toEqual({ templates: [{ templateName: 'bg-check' }], args: ARGS, startingStep: 1 });
    expect(indexOf(objects, 'AnalysisTemplate', 'step-check')).toBeLessThan(indexOf(objects, 'Rollout', 'web'));
    expect(indexOf(objects, 'AnalysisTemplate', 'bg-check')).toBeLessThan(indexOf(objects, 'Rollout', 'web'));
  });

  test('blue/green pre- and post-promotion analysis, templates before the Rollout', () => {
    const objects = synthChart((c) => {
      const pre = new NginxAnalysisTemplate(c, 'pre', { name: 'pre', prometheusAddress: PROM });
      const post = new NginxAnalysisTemplate(c, 'post', { name: 'post', prometheusAddress: PROM });
      new BlueGreenNginxRollout(c, 'web', { name: 'web', prePromotionAnalysis: [pre], postPromotionAnalysis: [post] });
    });
    const bg = one(objects, 'Rollout').spec.strategy.blueGreen;
    expect(bg.prePromotionAnalysis).toEqual({ templates: [{ templateName: 'pre' }], args: ARGS });
    expect(bg.postPromotionAnalysis).toEqual({ templates: [{ templateName: 'post' }], args: ARGS });
    expect(indexOf(objects, 'AnalysisTemplate', 'pre')).toBeLessThan(indexOf(objects, 'Rollout', 'web'));
    expect(indexOf(objects, 'AnalysisTemplate', 'post')).toBeLessThan(indexOf(objects, 'Rollout', 'web'));
  });

  test.each<[string, Partial<NginxAnalysisTemplateProps>, string]>([
    ['a Prometheus address that is not a URL', { prometheusAddress: 'prometheus:9090' }, "prometheusAddress is 'prometheus:9090'; it must be an http:// or https:// URL"],
    ['a count of 0', { count: 0 }, 'count is 0; it must be an integer >= 1'],
    ['no metrics', { metrics: [] }, 'metrics is []; it needs at least one metric'],
    ['duplicate metric names', { metrics: [AnalysisMetric.nginxUp(), AnalysisMetric.nginxUp()] },
      "metrics is [\"nginx-up\",\"nginx-up\"]; metric names must be unique ('nginx-up' repeats)"],
    ['an empty query', { metrics: [AnalysisMetric.prometheus({ name: 'x', query: ' ', successCondition: 'true' })] },
      "metrics[0].query is ' '; it must be a PromQL query"],
  ])('rejects %s', (_, props, message) => {
    expect(() => synthChart((c) => new NginxAnalysisTemplate(c, 't', { prometheusAddress: PROM, ...props })))
      .toThrow(`NginxAnalysisTemplate 'test/t': ${message}`);
  });

  test('an analysis step without templates is rejected by the Rollout', () => {
    expect(() => synthChart((c) => new CanaryNginxRollout(c, 'web', { steps: [CanaryStep.analysis()] })))
      .toThrow("CanaryNginxRollout 'test/web': steps[0].analysis.templates is []; it needs at least one template");
  });
});
