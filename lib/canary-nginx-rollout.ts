import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { RolloutSpecStrategyCanaryMaxSurge, RolloutSpecStrategyCanaryMaxUnavailable } from '../imports/argo-rollouts-argoproj.io';
import { CanaryStep } from './canary-step';
import { PropsChecker } from './props-checker';
import { NginxRollout, NginxRolloutProps } from './nginx/nginx-rollout';

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
 * the Prometheus exporter sidecar, updated step by step (`setWeight`, `pause`).
 */
export class CanaryNginxRollout extends NginxRollout {
  /** The canary steps. */
  public readonly steps: readonly CanaryStep[];

  public constructor(scope: Construct, id: string, props: CanaryNginxRolloutProps = {}) {
    const steps = props.steps ?? DEFAULT_CANARY_STEPS;
    super(scope, id, 'CanaryNginxRollout', props, () => ({
      canary: {
        steps: steps.map((s) => s.toStep()),
        maxSurge: intOrPercent(props.maxSurge, RolloutSpecStrategyCanaryMaxSurge),
        maxUnavailable: intOrPercent(props.maxUnavailable, RolloutSpecStrategyCanaryMaxUnavailable),
      },
    }));
    this.steps = steps;
    steps.forEach((step, i) => step._check(this.check, i));
    checkIntOrPercent(this.check, 'maxSurge', props.maxSurge);
    checkIntOrPercent(this.check, 'maxUnavailable', props.maxUnavailable);
    if (props.maxSurge?.isZero() && props.maxUnavailable?.isZero()) {
      this.check.fail('maxSurge', props.maxSurge.value, 'maxSurge and maxUnavailable can not both be 0');
    }
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
