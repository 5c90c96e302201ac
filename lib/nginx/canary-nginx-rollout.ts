import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { NginxAnalysisTemplate } from '../analysis/nginx-analysis-template';
import { validateCanaryNginxRolloutProps } from '../props-validation';
import { RolloutStep } from '../rollout/step';
import { RolloutStrategy } from '../rollout/strategy';
import { CanaryStep } from './canary-step';
import { nginxAnalysis } from './nginx-analysis';
import { NginxRollout, NginxRolloutProps } from './nginx-rollout';
import { validatedName } from './preset';
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
  /** The canary steps the props gave (or the defaults); `canarySteps` also has the steps added by `addStep()`. */
  public readonly steps: CanaryStep[];

  public constructor(scope: Construct, id: string, props: CanaryNginxRolloutProps = {}) {
    super(scope, id, props, canaryStrategy(scope, id, props), DEFAULT_CANARY_REPLICAS);
    this.steps = props.steps ?? DEFAULT_CANARY_STEPS as CanaryStep[];
  }

  /** The Ingress to the stable Service, when the construct creates one for NGINX Ingress routing. */
  public get ingress(): kplus.k8s.KubeIngress | undefined {
    return this.stableIngress;
  }
}

/** The props, checked (every problem in one error), as the general Rollout's canary strategy. */
function canaryStrategy(scope: Construct, id: string, props: CanaryNginxRolloutProps): RolloutStrategy {
  validatedName(scope, id, 'CanaryNginxRollout', props, (check, name) => validateCanaryNginxRolloutProps(check, props, { name, defaultSteps: DEFAULT_CANARY_STEPS }));
  const routing = props.trafficRouting;
  const background = props.backgroundAnalysis;
  return RolloutStrategy.canary({
    steps: props.steps === undefined ? defaultRolloutSteps() : props.steps.map((s) => s._toRolloutStep()),
    maxSurge: props.maxSurge,
    maxUnavailable: props.maxUnavailable,
    services: props.canaryServices ?? routing !== undefined,
    canaryServiceName: props.canaryServiceName,
    stableServiceName: props.stableServiceName,
    routers: routing ? [routing._toRouter()] : undefined,
    maxTrafficWeight: routing?.nginxOptions?.maxTrafficWeight,
    dynamicStableScale: props.dynamicStableScale,
    scaleDownDelay: props.scaleDownDelay,
    analysis: background ? nginxAnalysis(background.templates) : undefined,
    analysisStartingStep: background?.startingStep,
    antiAffinity: props.antiAffinity,
  });
}

let defaultSteps: readonly RolloutStep[] | undefined;

/**
 * The default steps as steps of the general Rollout: converted once (RolloutSteps are immutable value objects), in a
 * new array for each Rollout, since `strategy.canaryOptions.steps` is the Rollout's own.
 */
function defaultRolloutSteps(): RolloutStep[] {
  defaultSteps ??= DEFAULT_CANARY_STEPS.map((s) => s._toRolloutStep());
  return [...defaultSteps];
}
