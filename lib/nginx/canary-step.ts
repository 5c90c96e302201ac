import { Duration } from 'cdk8s';
import { RolloutSpecStrategyCanarySteps, RolloutSpecStrategyCanaryStepsPauseDuration } from '../../imports/argo-rollouts-argoproj.io';
import { analysisReference } from '../analysis/analysis-reference';
import { NginxAnalysisTemplate } from '../analysis/nginx-analysis-template';
import { checkTemplates } from '../analysis/analysis-reference';
import { durationSeconds, PropsChecker } from '../props-checker';
import { RolloutStep } from '../rollout/step';
import { nginxAnalysis } from './nginx-analysis';

/** How many pods the canary runs, independently of its traffic weight (`setCanaryScale`). Give exactly one field. */
export interface CanaryScale {
  /**
   * A number of canary pods.
   * @default - not set
   */
  readonly replicas?: number;
  /**
   * A percent of `replicas`.
   * @default - not set
   */
  readonly weight?: number;
  /**
   * Scale the canary with its traffic weight again (undoes an earlier `setCanaryScale`).
   * @default - not set
   */
  readonly matchTrafficWeight?: boolean;
}

/** The action of a canary step, as Argo names it. */
export type CanaryStepAction = 'setWeight' | 'pause' | 'analysis' | 'setCanaryScale';

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
  public static weight(weight: number): CanaryStep {
    return new CanaryStep('setWeight', weight);
  }

  /**
   * The same as {@link CanaryStep.weight}, under Argo's name, for TypeScript. Left out of the other languages' bindings
   * (`@jsii ignore`): in Java a `setXxx` method reads as a property setter.
   * @param weight 0..100
   * @jsii ignore
   */
  public static setWeight(weight: number): CanaryStep {
    return CanaryStep.weight(weight);
  }

  /**
   * Wait before the next step: for `duration`, or without one until someone runs `kubectl argo rollouts promote`.
   * @param duration how long to wait; whole seconds
   */
  public static pause(duration?: Duration): CanaryStep {
    // Not `integral`: a fraction of a second is reported by the construct that uses the step, naming it. Nor does a
    // plain-JavaScript number (no Duration) throw here: the construct reports it with its path and the step's index.
    return new CanaryStep('pause', durationSeconds(duration), [], undefined, duration);
  }

  /**
   * Run an analysis of the new pods and wait for it: a failed analysis aborts the update.
   * @param templates the templates to run (their metrics need a finite `count`)
   */
  public static analysis(...templates: NginxAnalysisTemplate[]): CanaryStep {
    return new CanaryStep('analysis', undefined, templates);
  }

  /**
   * Scale the canary independently of its traffic weight. Needs `trafficRouting`.
   */
  public static canaryScale(scale: CanaryScale): CanaryStep {
    return new CanaryStep('setCanaryScale', undefined, [], scale);
  }

  /**
   * The same as {@link CanaryStep.canaryScale}, under Argo's name, for TypeScript (left out of the other languages'
   * bindings, as `setWeight` is).
   * @jsii ignore
   */
  public static setCanaryScale(scale: CanaryScale): CanaryStep {
    return CanaryStep.canaryScale(scale);
  }

  private constructor(
    /** The step's action. */
    public readonly action: CanaryStepAction,
    /** The weight of a `setWeight` step; the seconds of a `pause` step (undefined: until promoted). */
    public readonly value: number | undefined,
    /** The templates an `analysis` step runs. */
    public readonly templates: NginxAnalysisTemplate[] = [],
    /** The scale of a `setCanaryScale` step. */
    public readonly scale?: CanaryScale,
    /** The `pause` duration as given, which the construct checks. */
    private readonly duration?: unknown,
  ) {}

  /**
   * @internal checks the step's values as the construct's `prop` (`steps[2]`), for input from plain JavaScript too.
   * Returns whether the step can be written out.
   */
  public _check(check: PropsChecker, index: number, maxWeight: number): boolean {
    const prop = `steps[${index}].${this.action}`;
    const before = check.problems.length;
    switch (this.action) {
      case 'setWeight':
        if (this.value === undefined) check.fail(prop, this.value, `it must be an integer in 0..${maxWeight}`);
        else check.integer(prop, this.value, 0, maxWeight);
        break;
      case 'pause':
        check.seconds(`${prop}.duration`, this.duration);
        break;
      case 'analysis':
        checkTemplates(check, `${prop}.templates`, this.templates);
        break;
      case 'setCanaryScale': {
        if (this.scale === undefined || !check.object(prop, this.scale)) {
          if (this.scale === undefined) check.fail(prop, this.scale, 'give exactly one of replicas, weight and matchTrafficWeight');
          break;
        }
        const s = this.scale;
        const set = (['replicas', 'weight', 'matchTrafficWeight'] as const).filter((k) => s[k] !== undefined);
        if (set.length !== 1) check.fail(prop, s, 'give exactly one of replicas, weight and matchTrafficWeight');
        check.integer(`${prop}.replicas`, s.replicas, 0);
        check.integer(`${prop}.weight`, s.weight, 0, 100);
        // Argo's field is a bool: `matchTrafficWeight: false` means nothing, so only true is accepted.
        if (check.boolean(`${prop}.matchTrafficWeight`, s.matchTrafficWeight) && !s.matchTrafficWeight) {
          check.fail(`${prop}.matchTrafficWeight`, false, 'it must be true (leave it out otherwise)');
        }
        break;
      }
    }
    return check.problems.length === before;
  }

  /** @internal the step of the general Rollout this one is (props already checked) */
  public _toRolloutStep(): RolloutStep {
    switch (this.action) {
      case 'setWeight':
        return RolloutStep.weight(this.value!);
      case 'pause':
        return this.value === undefined ? RolloutStep.pauseUntilPromoted() : RolloutStep.pause(Duration.seconds(this.value));
      case 'analysis':
        return RolloutStep.analysis(nginxAnalysis(this.templates));
      case 'setCanaryScale': {
        const s = this.scale!;
        if (s.replicas !== undefined) return RolloutStep.canaryScaleReplicas(s.replicas);
        if (s.weight !== undefined) return RolloutStep.canaryScaleWeight(s.weight);
        return RolloutStep.canaryScaleMatchTrafficWeight();
      }
    }
  }

  /** The step as it appears in the Rollout. */
  public toStep(): RolloutSpecStrategyCanarySteps {
    switch (this.action) {
      case 'setWeight':
        return { setWeight: this.value };
      case 'pause':
        return {
          pause: this.value === undefined ? {} : { duration: RolloutSpecStrategyCanaryStepsPauseDuration.fromNumber(this.value) },
        };
      case 'analysis':
        return { analysis: analysisReference(this.templates) };
      case 'setCanaryScale':
        return { setCanaryScale: { ...this.scale } };
    }
  }
}

