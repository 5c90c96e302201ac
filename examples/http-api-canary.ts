import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AnalysisArgument, AnalysisMetric, AnalysisTemplateRef, NginxAnalysisTemplate, PodTemplateHash, Rollout, RolloutAnalysis,
  RolloutStep, RolloutStrategy, TrafficRouter,
} from '../lib';

/**
 * Any HTTP service, not nginx: a payments API with its config from a ConfigMap, its database password from a Secret,
 * its own ServiceAccount, a HorizontalPodAutoscaler, and a canary through the NGINX Ingress controller that checks the
 * new pods' error rate before taking half of the traffic. The pod is written with cdk8s-plus' usual API.
 */
export function httpApiCanary(app: App): void {
  const chart = new Chart(app, 'http-api-canary', { namespace: 'payments', disableResourceNameHashes: true });

  const config = new kplus.ConfigMap(chart, 'config', {
    metadata: { name: 'payments-api-config' },
    data: { LOG_LEVEL: 'info', PAYMENT_PROVIDER_URL: 'https://provider.example.com' },
  });
  // Created by the cluster's secret manager (External Secrets, Sealed Secrets, ...): no secret value lives in git.
  const database = kplus.Secret.fromSecretName(chart, 'database', 'payments-db');
  const serviceAccount = new kplus.ServiceAccount(chart, 'service-account', { metadata: { name: 'payments-api' } });

  // A Prometheus template over the API's own metrics: the new pods answer at least 99% of requests without a 5xx.
  const errorRate = new NginxAnalysisTemplate(chart, 'error-rate', {
    name: 'payments-api-error-rate',
    prometheusAddress: 'http://prometheus-server.monitoring.svc:80',
    metrics: [AnalysisMetric.prometheus({
      name: 'success-rate',
      query: 'sum(rate(http_requests_total{namespace="{{args.namespace}}",rollouts_pod_template_hash="{{args.latest-hash}}",code!~"5.."}[2m]))'
        + ' / sum(rate(http_requests_total{namespace="{{args.namespace}}",rollouts_pod_template_hash="{{args.latest-hash}}"}[2m]))',
      successCondition: 'len(result) > 0 && result[0] >= 0.99',
    })],
    count: 5,
    interval: Duration.minutes(1),
  });
  const analysisArgs = [
    AnalysisArgument.fromFieldPath('namespace', 'metadata.namespace'),
    AnalysisArgument.fromFieldPath('rollout', 'metadata.name'),
    AnalysisArgument.fromPodTemplateHash('latest-hash', PodTemplateHash.LATEST),
    AnalysisArgument.fromPodTemplateHash('stable-hash', PodTemplateHash.STABLE),
  ];

  const api = new Rollout(chart, 'api', {
    metadata: { name: 'payments-api' },
    serviceAccount,
    servicePorts: [{ name: 'http', port: 80, targetPort: 8080 }],
    containers: [{
      name: 'api',
      image: 'ghcr.io/acme/payments-api:1.4.2',
      portNumber: 8080,
      envFrom: [kplus.Env.fromConfigMap(config)],
      envVariables: { DATABASE_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: database, key: 'password' }) },
      resources: {
        cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(1000) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      },
      // Argo counts a pod as available by its readiness: the canary's steps wait for /healthz.
      readiness: kplus.Probe.fromHttpGet('/healthz', { port: 8080 }),
      securityContext: { user: 10001, group: 10001 },
    }],
    strategy: RolloutStrategy.canary({
      routers: [TrafficRouter.nginx({ host: 'payments.example.com' })],
      steps: [
        RolloutStep.weight(10),
        RolloutStep.pause(Duration.minutes(2)),
        RolloutStep.analysis(RolloutAnalysis.templates([AnalysisTemplateRef.fromTemplate(errorRate)], { args: analysisArgs })),
        RolloutStep.weight(50),
        RolloutStep.pause(Duration.minutes(5)),
      ],
    }),
  });
  // Spread the pods over zones, so one zone's outage leaves the API serving.
  api.scheduling.spread({ topology: kplus.Topology.ZONE, weight: 100 });

  new kplus.HorizontalPodAutoscaler(chart, 'autoscaler', {
    metadata: { name: 'payments-api' },
    target: api,
    minReplicas: 3,
    maxReplicas: 12,
    metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))],
  });
}
