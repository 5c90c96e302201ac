import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  RolloutSpecStrategyCanary, RolloutSpecStrategyCanaryMaxSurge, RolloutSpecStrategyCanaryMaxUnavailable,
  RolloutSpecStrategyCanaryTrafficRouting,
} from '../imports/argo-rollouts-argoproj.io';
import { analysisReference } from './analysis/analysis-reference';
import { NginxAnalysisTemplate } from './analysis/nginx-analysis-template';
import { CanaryStep } from './canary-step';
import { durationSeconds } from './props-checker';
import { validateCanaryNginxRolloutProps } from './props-validation';
import { NginxRollout, NginxRolloutProps } from './nginx/nginx-rollout';
import { NGINX_PORT } from './nginx/nginx-pod';
import { TrafficRouting } from './traffic-routing';

/** Analysis that runs alongside the whole canary update (`canary.analysis`); a failure aborts the update. */
export interface BackgroundAnalysis {
  /** The templates to run. */
  readonly templates: NginxAnalysisTemplate[];
  /**
   * The step index at which the analysis starts.
   * @default - from the first step
   */
  readonly startingStep?: number;
}

/** Props of {@link CanaryNginxRollout}. */
export interface CanaryNginxRolloutProps extends NginxRolloutProps {
  /**
   * The canary steps, in order. An empty list makes the update a plain rolling update.
   * @default - setWeight 20, pause 60s, setWeight 80, pause 60s
   */
  readonly steps?: CanaryStep[];

  /**
   * How many pods may run above `replicas` during the update (`canary.maxSurge`): `PercentOrAbsolute.percent(25)`
   * or `PercentOrAbsolute.absolute(1)`.
   * @default - not set: the controller uses 25%, rounded up
   */
  readonly maxSurge?: kplus.PercentOrAbsolute;

  /**
   * How many pods may be unavailable during the update (`canary.maxUnavailable`); not 0 together with `maxSurge`.
   * @default - not set: the controller uses 25%, rounded down
   */
  readonly maxUnavailable?: kplus.PercentOrAbsolute;

  /**
   * Split traffic by a router (`canary.trafficRouting`) instead of by pod counts: `TrafficRouting.nginxIngress()` or
   * `TrafficRouting.smi()`. Creates the canary and stable Services, which routing needs.
   * @default - no routing: traffic follows the pod counts
   */
  readonly trafficRouting?: TrafficRouting;

  /**
   * Create a canary and a stable Service (`canary.canaryService`, `canary.stableService`); the controller points each
   * at its version's pods. Needed by `trafficRouting`; useful without it to reach either version directly.
   * @default - true with `trafficRouting`, false without
   */
  readonly canaryServices?: boolean;

  /**
   * The canary Service's name.
   * @default `${name}-canary`
   */
  readonly canaryServiceName?: string;

  /**
   * The stable Service's name.
   * @default `${name}-stable`
   */
  readonly stableServiceName?: string;

  /**
   * Scale the stable pods down as traffic moves to the canary (`canary.dynamicStableScale`). Needs `trafficRouting`.
   * @default - not set: the stable pods stay at `replicas` until the end
   */
  readonly dynamicStableScale?: boolean;

  /**
   * How long the old pods keep running after the update completes (`canary.scaleDownDelaySeconds`). Needs
   * `trafficRouting`, and not with `dynamicStableScale`.
   * @default - not set: the controller uses 30 seconds with traffic routing
   */
  readonly scaleDownDelay?: Duration;

  /**
   * Analysis that runs in the background for the whole update.
   * @default - no background analysis
   */
  readonly backgroundAnalysis?: BackgroundAnalysis;
}

/**
 * The replicas of a canary whose props give none: the seed's 5, with which the default steps' 20 % and 80 % are whole
 * pods (1 canary + 4 stable, then 4 + 1). With the controller's own default of 1, every weight from 1 to 99 runs 1
 * canary next to 1 stable pod (50 %, one pod above `replicas`), which `plan` and `synth --strict` report.
 */
export const DEFAULT_CANARY_REPLICAS = 5;

/** The seed's steps: 20% for a minute, 80% for a minute, then all. */
export const DEFAULT_CANARY_STEPS: readonly CanaryStep[] = Object.freeze([
  CanaryStep.setWeight(20),
  CanaryStep.pause(Duration.seconds(60)),
  CanaryStep.setWeight(80),
  CanaryStep.pause(Duration.seconds(60)),
]);

/**
 * nginx shipped by an Argo Rollouts canary: a ConfigMap with `nginx.conf` and a Rollout whose pods run nginx and
 * the Prometheus exporter sidecar, updated step by step (`setWeight`, `pause`, `analysis`), optionally with canary
 * and stable Services and traffic routing through the NGINX Ingress controller or SMI.
 */
export class CanaryNginxRollout extends NginxRollout {
  /** The canary steps. */
  public readonly steps: readonly CanaryStep[];
  /** The Service the controller points at the canary pods, when created. */
  public readonly canaryService?: kplus.Service;
  /** The Service the controller points at the stable pods, when created. */
  public readonly stableService?: kplus.Service;
  /** The Ingress to the stable Service, when the construct creates one for NGINX Ingress routing. */
  public readonly ingress?: kplus.k8s.KubeIngress;

  public constructor(scope: Construct, id: string, props: CanaryNginxRolloutProps = {}) {
    let names: { canary: string; stable: string } | undefined;
    let steps: readonly CanaryStep[] = DEFAULT_CANARY_STEPS;
    super(scope, id, props, {
      typeName: 'CanaryNginxRollout',
      defaultReplicas: DEFAULT_CANARY_REPLICAS,
      validate: (check, name) => validateCanaryNginxRolloutProps(check, props, name),
      render: ({ name }) => {
        steps = props.steps ?? DEFAULT_CANARY_STEPS;
        if (props.canaryServices ?? props.trafficRouting !== undefined) {
          names = { canary: props.canaryServiceName ?? `${name}-canary`, stable: props.stableServiceName ?? `${name}-stable` };
        }
        return { canary: canaryStrategy(props, steps, names, name) };
      },
    });
    this.steps = steps;

    if (names) {
      this.canaryService = this.addService('CanaryService', names.canary);
      this.stableService = this.addService('StableService', names.stable);
    }
    const routing = props.trafficRouting;
    if (routing?.router === 'nginx' && routing.nginx?.stableIngress === undefined) {
      this.ingress = this.createIngress(routing, names!.stable, props);
      this.applyBeforeRollout(this.ingress);
    }
    this.addAnalysisTemplates([...steps.flatMap((s) => s.templates), ...(props.backgroundAnalysis?.templates ?? [])]);
  }

  private createIngress(routing: TrafficRouting, stableService: string, props: CanaryNginxRolloutProps): kplus.k8s.KubeIngress {
    const o = routing.nginx ?? {};
    return new kplus.k8s.KubeIngress(this, 'Ingress', {
      metadata: { name: this.name, namespace: props.namespace },
      spec: {
        ingressClassName: o.ingressClassName ?? 'nginx',
        rules: [{
          host: o.host,
          http: {
            paths: [{
              path: o.path ?? '/',
              pathType: 'Prefix',
              backend: { service: { name: stableService, port: { number: props.servicePort ?? NGINX_PORT } } },
            }],
          },
        }],
      },
    });
  }
}

function canaryStrategy(
  props: CanaryNginxRolloutProps,
  steps: readonly CanaryStep[],
  services: { canary: string; stable: string } | undefined,
  name: string,
): RolloutSpecStrategyCanary {
  const background = props.backgroundAnalysis;
  return {
    canaryService: services?.canary,
    stableService: services?.stable,
    steps: steps.map((s) => s.toStep()),
    maxSurge: intOrPercent(props.maxSurge, RolloutSpecStrategyCanaryMaxSurge),
    maxUnavailable: intOrPercent(props.maxUnavailable, RolloutSpecStrategyCanaryMaxUnavailable),
    trafficRouting: props.trafficRouting ? trafficRoutingJson(props.trafficRouting, services!.stable, name) : undefined,
    dynamicStableScale: props.dynamicStableScale,
    scaleDownDelaySeconds: durationSeconds(props.scaleDownDelay),
    analysis: background ? { ...analysisReference(background.templates), startingStep: background.startingStep } : undefined,
  };
}

function trafficRoutingJson(routing: TrafficRouting, stableService: string, name: string): RolloutSpecStrategyCanaryTrafficRouting {
  if (routing.router === 'nginx') {
    return {
      nginx: { stableIngress: routing.nginx?.stableIngress ?? name },
      maxTrafficWeight: routing.nginx?.maxTrafficWeight,
    };
  }
  return {
    smi: { rootService: routing.smi?.rootService ?? stableService, trafficSplitName: routing.smi?.trafficSplitName ?? name },
  };
}

/** Argo reads any string as a percent ("1" is 1%), so percents go out as "N%" strings and pod counts as numbers. */
function intOrPercent<T>(
  value: kplus.PercentOrAbsolute | undefined,
  type: { fromNumber(n: number): T; fromString(s: string): T },
): T | undefined {
  if (value === undefined) return undefined;
  return typeof value.value === 'number' ? type.fromNumber(value.value) : type.fromString(String(value.value));
}
