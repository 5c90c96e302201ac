import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AntiAffinity, CanaryNginxRollout, CanaryStep, NginxAnalysisTemplate, TrafficRouting,
} from '../lib';

/**
 * A canary behind the NGINX Ingress controller: exact traffic weights, and an analysis of the exporter's metrics
 * between the steps that aborts the update when the new pods do not serve.
 */
export function canaryIngressAnalysis(app: App): void {
  const chart = new Chart(app, 'canary-ingress-analysis', { namespace: 'shop', disableResourceNameHashes: true });
  const health = new NginxAnalysisTemplate(chart, 'health', {
    name: 'shop-nginx-health',
    prometheusAddress: 'http://prometheus-server.monitoring.svc:80',
  });
  new CanaryNginxRollout(chart, 'shop', {
    name: 'shop',
    replicas: 4,
    image: 'nginx:1.25.3',
    trafficRouting: TrafficRouting.nginxIngress({ host: 'shop.example.com' }),
    steps: [
      CanaryStep.setWeight(5),
      CanaryStep.analysis(health),
      CanaryStep.setWeight(25),
      CanaryStep.pause(Duration.minutes(2)),
      CanaryStep.setWeight(50),
      CanaryStep.analysis(health),
      CanaryStep.setWeight(100),
    ],
    antiAffinity: AntiAffinity.preferred(),
    progressDeadline: Duration.minutes(10),
    progressDeadlineAbort: true,
    podDisruptionBudget: { minAvailable: kplus.PercentOrAbsolute.percent(75) },
  });
}
