/**
 * The rules engine: Argo Rollouts' own validation, the Kubernetes rules users hit, the references between objects,
 * and the CRD schema, over plain objects (the JSON that reaches the cluster).
 */
import type { Finding } from './finding';

export { formatFinding, describeObject, refOf } from './finding';
export type { Finding, ObjectRef, Severity } from './finding';
export { validateRollout } from './rollout';
export { validateObjects } from './objects';
export type { ValidateObjectsOptions } from './objects';
export { RULES } from './catalog';
export { NAME_RULES, isNamespaceName, nameRuleBroken } from './names';
export type { NameKind, NameRule } from './names';
export { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from './k8s-names';
export type { RuleId, RuleInfo } from './catalog';

/**
 * The object against its Argo CRD schema, strictly (unknown fields are errors, like `kubectl argo rollouts lint`).
 * Rollouts, AnalysisTemplates and ClusterAnalysisTemplates are checked; other kinds give no findings.
 * The schemas and their validator load on first use, so importing the engine stays cheap for `cdk8s synth`.
 */
export function validateSchema(object: any): Finding[] {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (require('./schema') as typeof import('./schema')).validateSchema(object);
}
