/**
 * The environments of the GitOps repository (`npm run gitops -- --out DIR`): each gets `DIR/<name>/` and an Argo CD
 * Application in `DIR/argocd/`. Every environment runs the same two apps, a canary and a blue/green nginx, with its
 * own replicas, image and namespace; production also routes the canary through the NGINX Ingress controller and gates
 * it on an analysis of the exporter's metrics. `NGINX_IMAGE` overrides `image` in every environment.
 */
import { Duration } from 'cdk8s';
import {
  BlueGreenNginxRollout, CanaryNginxRollout, CanaryStep, NginxAnalysisTemplate, TrafficRouting,
} from './lib';
import { EnvironmentContext, GitOpsApp, GitOpsConfig } from './lib/gitops';

/** What differs between the environments' apps. */
interface AppSizing {
  readonly webReplicas: number;
  readonly catalogReplicas: number;
  /** Route the canary by NGINX Ingress at this host, with analysis between the steps. */
  readonly ingressHost?: string;
  /** How long blue/green's new pods wait behind the preview Service before they take the traffic. */
  readonly previewFor: Duration;
}

const PROMETHEUS = 'http://prometheus-server.monitoring.svc:80';

/** The canary app `web`: plain weights by pod count, or Ingress-routed with analysis when `ingressHost` is set. */
function web(sizing: AppSizing): GitOpsApp {
  return {
    name: 'web',
    build: (chart, env: EnvironmentContext) => {
      if (sizing.ingressHost === undefined) {
        // Without a traffic router the weight is the share of pods: with 2 replicas only 50% is exact.
        new CanaryNginxRollout(chart, 'web', {
          name: 'web',
          replicas: sizing.webReplicas,
          image: env.image,
          steps: [CanaryStep.setWeight(50), CanaryStep.pause(Duration.minutes(1))],
        });
        return;
      }
      const health = new NginxAnalysisTemplate(chart, 'health', { name: 'web-health', prometheusAddress: PROMETHEUS });
      const steps: CanaryStep[] = [
        CanaryStep.setWeight(10),
        CanaryStep.analysis(health),
        CanaryStep.setWeight(50),
        CanaryStep.pause(Duration.minutes(5)),
        CanaryStep.analysis(health),
      ];
      new CanaryNginxRollout(chart, 'web', {
        name: 'web',
        replicas: sizing.webReplicas,
        image: env.image,
        trafficRouting: TrafficRouting.nginxIngress({ host: sizing.ingressHost }),
        steps,
      });
    },
  };
}

/** The blue/green app `catalog`. */
function catalog(sizing: AppSizing): GitOpsApp {
  return {
    name: 'catalog',
    build: (chart, env) => {
      new BlueGreenNginxRollout(chart, 'catalog', {
        name: 'catalog',
        replicas: sizing.catalogReplicas,
        image: env.image,
        activeServiceName: 'catalog-active',
        previewServiceName: 'catalog-preview',
        scaleDownDelay: Duration.seconds(30),
        autoPromotionEnabled: true,
        autoPromotionDelay: sizing.previewFor,
      });
    },
  };
}

const apps = (sizing: AppSizing): GitOpsApp[] => [web(sizing), catalog(sizing)];

export const config: GitOpsConfig = {
  argocd: {
    repoURL: 'https://github.com/example/nginx-rollouts-gitops.git',
    targetRevision: 'main',
    syncPolicy: { automated: true },
  },
  environments: [
    {
      name: 'staging',
      namespace: 'nginx-staging',
      image: 'nginx:1.27.3',
      apps: apps({ webReplicas: 2, catalogReplicas: 2, previewFor: Duration.seconds(30) }),
    },
    {
      name: 'production',
      namespace: 'nginx-production',
      image: 'nginx:1.26.2',
      // Argo CD syncs what is merged, but deleting production objects stays a person's decision.
      application: { syncPolicy: { automated: true, prune: false } },
      apps: apps({ webReplicas: 6, catalogReplicas: 4, ingressHost: 'www.example.com', previewFor: Duration.minutes(10) }),
    },
  ],
};
