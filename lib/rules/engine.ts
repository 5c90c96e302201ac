import type { Finding } from './finding';
import { formatFinding } from './finding';
import { validateObjects, type ValidateObjectsOptions } from './objects';
import { validateRollout } from './rollout';
import { validateSchema } from './index';

/**
 * The rules engine as a class, so that every jsii language reaches it (jsii has no free functions): Argo Rollouts'
 * own validation, the Kubernetes rules users hit, the references between objects, and the CRD schema, over plain
 * objects (the JSON that reaches the cluster), for any Rollout, not only this package's.
 *
 * TypeScript users can call the functions (`validateObjects`, `validateRollout`, `validateSchema`) directly.
 */
export class RulesEngine {
  /**
   * Every rule over a set of objects (as one `kubectl apply` would send them, in order): each object's own rules,
   * and the references between them (Services, AnalysisTemplates, ConfigMaps a Rollout names).
   */
  public static validateObjects(objects: any[], options?: ValidateObjectsOptions): Finding[] {
    return validateObjects(objects, options);
  }

  /** Argo Rollouts' own validation of one Rollout (the controller's rules and messages). */
  public static validateRollout(rollout: any): Finding[] {
    return validateRollout(rollout);
  }

  /**
   * The object against its Argo CRD schema, strictly (unknown fields are errors, like `kubectl argo rollouts lint`).
   * Rollouts, AnalysisTemplates and ClusterAnalysisTemplates are checked; other kinds give no findings.
   */
  public static validateSchema(object: any): Finding[] {
    return validateSchema(object);
  }

  /** One line: `severity: file: Kind/name: path: message [rule]`, without the parts that are unknown. */
  public static formatFinding(finding: Finding): string {
    return formatFinding(finding);
  }

  private constructor() {}
}
