import type { Finding } from '../rules/finding';
import { planRollout, planWarnings } from './plan';
import { formatPlanMarkdown, formatPlanTable } from './render';
import { renderPlanSvg } from './svg';

/**
 * The rollout planner as a class, so that every jsii language reaches it (jsii has no free functions): what each
 * step of a Rollout (a plain object, the YAML that reaches the cluster) does to pods and traffic.
 *
 * The plan object is returned as plain JSON (`plan()`): its TypeScript type, `RolloutPlan`, has nullable fields and
 * unions that jsii cannot model, and in other languages it arrives as a dictionary/map with the same keys.
 */
export class RolloutPlanner {
  /** The plan of one Rollout: `{ name, strategy, replicas, steps: [{ index, kind, action, canaryReplicas, ... }], ... }`. */
  public static plan(rollout: any): any {
    return planRollout(rollout);
  }

  /** What the plan will do that the YAML does not say plainly (rule ids `plan-...`). */
  public static warnings(rollout: any): Finding[] {
    return planWarnings(rollout);
  }

  /** The plan as a text table, as `nginx-rollouts plan` prints it. */
  public static formatTable(rollout: any, file?: string): string {
    return formatPlanTable(planRollout(rollout), file);
  }

  /** The plan as Markdown (a heading and a table), for pull request comments. */
  public static formatMarkdown(rollout: any, file?: string): string {
    return formatPlanMarkdown(planRollout(rollout), file);
  }

  /** The plans of the Rollouts as one SVG chart of pods and traffic per step. */
  public static renderSvg(rollouts: any[]): string {
    return renderPlanSvg(rollouts.map((r) => planRollout(r)));
  }

  private constructor() {}
}
