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
import { PropsChecker } from './props-checker';
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
    const steps = props.steps ?? DEFAULT_CANARY_STEPS;
    const routing = props.trafficRouting;
    const withServices = props.canaryServices ?? routing !== undefined;
    let names = { canary: '', stable: '' };
    super(scope, id, 'CanaryNginxRollout', props, ({ name }, check) => {
      checkCanaryProps(check, props, steps, withServices);
      names = { canary: props.canaryServiceName ?? `${name}-canary`, stable: props.stableServiceName ?? `${name}-stable` };
      return { canary: canaryStrategy(props, steps, withServices ? names : undefined, name, check) };
    });
    this.steps = steps;

    if (withServices) {
      this.check.objectName('canaryServiceName', names.canary, 'service');
      this.canaryService = this.addService('CanaryService', names.canary);
      this.check.objectName('stableServiceName', names.stable, 'service');
      this.stableService = this.addService('StableService', names.stable);
    }
    if (routing?.router === 'nginx' && routing.nginx?.stableIngress === undefined) {
      this.ingress = this.createIngress(routing, names.stable, props);
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
  check: PropsChecker,
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
    scaleDownDelaySeconds: check.seconds('scaleDownDelay', props.scaleDownDelay),
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

function checkCanaryProps(
  check: PropsChecker,
  props: CanaryNginxRolloutProps,
  steps: readonly CanaryStep[],
  withServices: boolean,
): void {
  const routing = props.trafficRouting;
  const maxWeight = routing?.maxTrafficWeight ?? 100;
  check.integer('trafficRouting.maxTrafficWeight', routing?.nginx?.maxTrafficWeight, 1);
  steps.forEach((step, i) => step._check(check, i, maxWeight));
  checkIntOrPercent(check, 'maxSurge', props.maxSurge);
  checkIntOrPercent(check, 'maxUnavailable', props.maxUnavailable);
  if (props.maxSurge?.isZero() && props.maxUnavailable?.isZero()) {
    check.fail('maxSurge', props.maxSurge.value, 'maxSurge and maxUnavailable can not both be 0');
  }
  if (routing && !withServices) {
    check.fail('canaryServices', false, 'trafficRouting needs the canary and stable Services');
  }
  if (withServices && props.canaryServiceName !== undefined && props.canaryServiceName === props.stableServiceName) {
    check.fail('stableServiceName', props.stableServiceName, 'the canary and stable Services must differ (canaryServiceName is the same)');
  }
  // Argo rejects these without a router (they only make sense when traffic does not follow pod counts).
  if (!routing) {
    const scaleStep = steps.findIndex((s) => s.action === 'setCanaryScale');
    if (scaleStep >= 0) check.fail(`steps[${scaleStep}].setCanaryScale`, steps[scaleStep].scale, 'it needs trafficRouting');
    if (props.dynamicStableScale !== undefined) check.fail('dynamicStableScale', props.dynamicStableScale, 'it needs trafficRouting');
    if (props.scaleDownDelay !== undefined) check.fail('scaleDownDelay', `${props.scaleDownDelay.toSeconds({ integral: false })}s`, 'it needs trafficRouting');
  } else if (props.dynamicStableScale && props.scaleDownDelay !== undefined) {
    check.fail('scaleDownDelay', `${props.scaleDownDelay.toSeconds({ integral: false })}s`, 'it can not be used with dynamicStableScale');
  }
  const background = props.backgroundAnalysis;
  if (background) {
    if (background.templates.length === 0) check.fail('backgroundAnalysis.templates', [], 'it needs at least one template');
    check.integer('backgroundAnalysis.startingStep', background.startingStep, 0, Math.max(steps.length - 1, 0));
  }
}

/** Argo reads any string as a percent ("1" is 1%), so percents go out as "N%" strings and pod counts as numbers. */
function intOrPercent<T>(
  value: kplus.PercentOrAbsolute | undefined,
  type: { fromNumber(n: number): T; fromString(s: string): T },
): T | undefined {
  if (value === undefined) return undefined;
  return typeof value.value === 'number' ? type.fromNumber(value.value) : type.fromString(String(value.value));
}

function checkIntOrPercent(check: PropsChecker, prop: string, value: kplus.PercentOrAbsolute | undefined): void {
  if (value === undefined) return;
  const v = value.value;
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0) check.fail(prop, v, 'it must be a whole number of pods, 0 or more');
  } else {
    const percent = Number(String(v).replace(/%$/, ''));
    if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
      check.fail(prop, v, 'it must be a whole percent in 0..100');
    }
  }
}
