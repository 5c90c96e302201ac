import { Duration } from 'cdk8s';
import { RolloutSpecStrategyCanarySteps, RolloutSpecStrategyCanaryStepsPauseDuration } from '../imports/argo-rollouts-argoproj.io';
import { PropsChecker } from './props-checker';

/**
 * One step of a canary Rollout, named as in Argo Rollouts' `spec.strategy.canary.steps`.
 *
 * ```ts
 * steps: [CanaryStep.setWeight(20), CanaryStep.pause(Duration.seconds(60)), CanaryStep.setWeight(80), CanaryStep.pause()]
 * ```
 */
export class CanaryStep {
  /**
   * Send `weight` percent of the traffic to the new version. Without traffic routing the controller approximates this
   * by pod counts (see `nginx-rollouts plan`).
   * @param weight 0..100
   */
  public static setWeight(weight: number): CanaryStep {
    return new CanaryStep('setWeight', weight);
  }

  /**
   * Wait before the next step: for `duration`, or without one until someone runs `kubectl argo rollouts promote`.
   * @param duration how long to wait; whole seconds
   */
  public static pause(duration?: Duration): CanaryStep {
    // Not `integral`: a fraction of a second is reported by the construct that uses the step, naming it.
    return new CanaryStep('pause', duration?.toSeconds({ integral: false }));
  }

  private constructor(
    /** The step's action, as Argo names it: `setWeight` or `pause`. */
    public readonly action: 'setWeight' | 'pause',
    /** The weight of a `setWeight` step; the seconds of a `pause` step (undefined: until promoted). */
    public readonly value: number | undefined,
  ) {}

  /** @internal checks the step's values, naming it as `steps[index]` of the construct. */
  public _check(check: PropsChecker, index: number): void {
    const prop = `steps[${index}].${this.action}`;
    if (this.action === 'setWeight') {
      const weight = this.value;
      if (weight === undefined || !Number.isInteger(weight) || weight < 0 || weight > 100) {
        check.fail(prop, weight, 'it must be an integer in 0..100');
      }
    } else if (this.value !== undefined && (!Number.isInteger(this.value) || this.value < 0)) {
      check.fail(`${prop}.duration`, `${this.value}s`, 'it must be whole seconds, 0 or more');
    }
  }

  /** The step as it appears in the Rollout. */
  public toStep(): RolloutSpecStrategyCanarySteps {
    if (this.action === 'setWeight') return { setWeight: this.value };
    return {
      pause: this.value === undefined ? {} : { duration: RolloutSpecStrategyCanaryStepsPauseDuration.fromNumber(this.value) },
    };
  }
}
