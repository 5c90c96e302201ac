import { App, Chart, Duration } from 'cdk8s';
import { CanaryNginxRollout, CanaryStep, NginxAnalysisTemplate, TrafficRouting } from '../lib';

/**
 * A canary in a service mesh (SMI TrafficSplit): one canary pod takes a small share of traffic first, the stable
 * pods scale down as traffic moves, and an analysis runs in the background for the whole update.
 */
export function canarySmiBackgroundAnalysis(app: App): void {
  const chart = new Chart(app, 'canary-smi-background-analysis', { namespace: 'mesh', disableResourceNameHashes: true });
  const health = new NginxAnalysisTemplate(chart, 'health', {
    name: 'api-nginx-health',
    prometheusAddress: 'http://prometheus.linkerd-viz.svc:9090',
    count: 10,
    interval: Duration.minutes(1),
  });
  new CanaryNginxRollout(chart, 'api', {
    name: 'api',
    replicas: 6,
    image: 'nginx:1.25.3',
    trafficRouting: TrafficRouting.smi(),
    dynamicStableScale: true,
    steps: [
      CanaryStep.setCanaryScale({ replicas: 1 }),
      CanaryStep.setWeight(10),
      CanaryStep.pause(Duration.minutes(5)),
      CanaryStep.setCanaryScale({ matchTrafficWeight: true }),
      CanaryStep.setWeight(50),
      CanaryStep.pause(Duration.minutes(5)),
    ],
    backgroundAnalysis: { templates: [health], startingStep: 1 },
  });
}
