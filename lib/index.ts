// The package's public surface.
export * from './props-checker';
// The generated Argo types that the constructs' members and props use, so users can name them. The generated
// `Rollout` L1 is `KubeRollout` here (as cdk8s-plus names its L1s `KubeDeployment`, ...): `Rollout` is the construct.
export { Rollout as KubeRollout } from '../imports/argo-rollouts-argoproj.io';
export type {
  RolloutProps as KubeRolloutProps, RolloutSpec, RolloutSpecStrategy, RolloutSpecTemplate, RolloutSpecStrategyCanarySteps,
} from '../imports/argo-rollouts-argoproj.io';
export { AnalysisTemplate } from '../imports/argo-analysis-argoproj.io';
export type { AnalysisTemplateProps } from '../imports/argo-analysis-argoproj.io';
export * from './nginx/nginx-conf';
export * from './nginx/nginx-pod';
export * from './nginx/nginx-rollout';
export * from './anti-affinity';
export * from './nginx/traffic-routing';
export * from './nginx/canary-step';
export * from './nginx/canary-nginx-rollout';
export * from './nginx/blue-green-nginx-rollout';
export * from './rollout';
export * from './analysis/analysis-metric';
export * from './analysis/nginx-analysis-template';
export { formatFinding, describeObject } from './rules/finding';
export type { Finding, Severity, ObjectRef } from './rules/finding';
export { markYamlDocumentStarts } from './yaml-output';
export { ingressBackendFor } from './cdk8s-plus-interop';
export type { IngressBackendClass, ServicePortsRef } from './cdk8s-plus-interop';
// The engines read plain objects (the YAML that reaches the cluster), so they serve any Rollout, not only ours.
export { validateRollout, validateObjects, validateSchema, RULES } from './rules';
export type { ValidateObjectsOptions, RuleId, RuleInfo } from './rules';
export { planRollout, planWarnings, formatPlanTable, formatPlanMarkdown, renderPlanSvg } from './plan';
export type { RolloutPlan, PlanStep, Wait, RowKind } from './plan';
export type { LoadedObject, LoadError, LoadResult } from './manifests';
import type { LoadResult } from './manifests';

/**
 * Reads every YAML (or JSON) document from the given files and folders (folders recursively, files sorted by path so
 * the result is deterministic). Empty documents are skipped; a list object is expanded into its items. Nothing here
 * throws for bad input: each problem is an error or warning naming its file, and the other files are still read.
 */
export function loadManifests(inputs: string[]): LoadResult {
  // Loaded on first call: the YAML reader (the yaml package, 70 modules) is 0.03-0.1 s of start-up that a cdk8s app
  // importing this package never uses (`npm run bench` measures synth against the bare start-up of cdk8s).
  return (require('./manifests') as typeof import('./manifests')).loadManifests(inputs);
}

// GitOps repository generation, for a config of your own (`nginx-rollouts gitops --config FILE`, or from code).
// The errors and the image variable come from their small modules; the generator (17 modules and a writer thread)
// loads on the first call, so that an app using only the constructs does not load it.
export { nginxImageFromEnv } from './gitops/image';
export { GitOpsInputError, GitOpsValidationError } from './gitops/errors';
import type { GenerateOptions, GenerateResult, GitOpsConfig } from './gitops';

/**
 * Writes `<out>/<env>/` per environment and `<out>/argocd/`. Every environment is synthesized and validated before
 * anything in `out` changes; on any error `out` is left as it was. One environment at a time is held in memory.
 */
export function generateRepository(config: GitOpsConfig, options: GenerateOptions): Promise<GenerateResult> {
  return (require('./gitops') as typeof import('./gitops')).generateRepository(config, options);
}
export type {
  GitOpsConfig, Environment, EnvironmentContext, GitOpsApp, ArgoCdSettings, SyncPolicy, GenerateOptions, GenerateResult,
  EnvironmentSummary, Destination, ApplicationSettings,
} from './gitops';
