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
  /** Promote blue/green automatically once the new pods are ready. */
  readonly autoPromote: boolean;
}

const PROMETHEUS = 'http://prometheus-server.monitoring.svc:80';

/** The canary app `web`: plain weights by pod count, or Ingress-routed with analysis when `ingressHost` is set. */
function web(sizing: AppSizing): GitOpsApp {
  return {
    name: 'web',
    build: (chart, env: EnvironmentContext) => {
      if (sizing.ingressHost === undefined) {
        new CanaryNginxRollout(chart, 'web', { name: 'web', replicas: sizing.webReplicas, image: env.image });
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
        autoPromotionEnabled: sizing.autoPromote,
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
      apps: apps({ webReplicas: 2, catalogReplicas: 2, autoPromote: true }),
    },
    {
      name: 'production',
      namespace: 'nginx-production',
      image: 'nginx:1.26.2',
      // People promote production; Argo CD still syncs what is merged, and prunes nothing by itself.
      application: { syncPolicy: { automated: true, prune: false } },
      apps: apps({ webReplicas: 6, catalogReplicas: 4, ingressHost: 'www.example.com', autoPromote: false }),
    },
  ],
};
