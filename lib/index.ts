// The package's public surface.
//
// Two parts. The first is the jsii surface: constructs, value objects, their props, and class entry points to the
// rules engine and the planner; jsii compiles it into the assembly that Python, Java, Go and .NET bindings are
// generated from, so everything there follows jsii's type rules. The second is TypeScript-only: functions, constants
// and type aliases, which jsii leaves out of the assembly by design (it has no free functions or constants), and the
// declarations marked `@jsii ignore` (the GitOps writer, the manifest loader, the plan object, `Error` subclasses),
// whose types jsii cannot express. Internals (PropsChecker, the nginx pod builder, name helpers) are not exported.

// ---- jsii surface: the constructs and their value objects ------------------------------------------------------------
// The generated Argo Rollouts L1s (`cdk8s import` of the v1.9.1 CRDs), which the constructs' members return
// (`NginxRollout.rollout`, `NginxAnalysisTemplate.analysisTemplate`), as submodules: each file names its kind plainly
// (`Rollout`, `AnalysisTemplate`), and a submodule keeps that from clashing with the `Rollout` construct.
// (`@hidden`: docs/api.md leaves the generated classes out; they mirror the CRDs field by field.)
/** @hidden */
export * as argoRollouts from '../imports/argo-rollouts-argoproj.io';
/** @hidden */
export * as argoAnalysis from '../imports/argo-analysis-argoproj.io';
// The general Rollout construct and its value objects.
export * from './rollout';
// The nginx presets on it.
export { NginxRollout } from './nginx/nginx-rollout';
export type { NginxRolloutProps, NginxPodDisruptionBudget } from './nginx/nginx-rollout';
export { CanaryNginxRollout } from './nginx/canary-nginx-rollout';
export type { CanaryNginxRolloutProps, BackgroundAnalysis } from './nginx/canary-nginx-rollout';
export { BlueGreenNginxRollout } from './nginx/blue-green-nginx-rollout';
export type { BlueGreenNginxRolloutProps } from './nginx/blue-green-nginx-rollout';
export { CanaryStep } from './nginx/canary-step';
export type { CanaryScale } from './nginx/canary-step';
export { TrafficRouting } from './nginx/traffic-routing';
export type { NginxIngressRoutingOptions, SmiRoutingOptions } from './nginx/traffic-routing';
export { AntiAffinity } from './anti-affinity';
export { AnalysisMetric } from './analysis/analysis-metric';
export type { PrometheusMetricOptions } from './analysis/analysis-metric';
export { NginxAnalysisTemplate } from './analysis/nginx-analysis-template';
export type { NginxAnalysisTemplateProps } from './analysis/nginx-analysis-template';
// The engines read plain objects (the YAML that reaches the cluster), so they serve any Rollout, not only ours.
export { RulesEngine } from './rules/engine';
export type { Finding, ObjectRef } from './rules/finding';
export type { ValidateObjectsOptions } from './rules/objects';
export { RolloutPlanner } from './plan/planner';

// ---- TypeScript-only -------------------------------------------------------------------------------------------------
// jsii leaves functions, constants and type aliases out of the assembly by design (other languages have no free
// functions), and the declarations marked `@jsii ignore` in their files: the GitOps writer's config and results, the
// manifest loader's results, the plan object (nullable fields, unions), and `Error` subclasses (jsii cannot model
// them: in other languages the construct's error arrives with the same message).
import * as argoRolloutsL1 from '../imports/argo-rollouts-argoproj.io';
import * as argoAnalysisL1 from '../imports/argo-analysis-argoproj.io';

// The L1s under their TypeScript names: the generated `Rollout` is `KubeRollout` here (as cdk8s-plus names its L1s
// `KubeDeployment`, ...): `Rollout` is the construct. A constant and a type, which jsii skips (the jsii languages
// reach the class as `argoRollouts.Rollout`).
/** The generated Argo Rollouts `Rollout` L1 (`NginxRollout.rollout`, for `addJsonPatch` and dependencies). */
export const KubeRollout = argoRolloutsL1.Rollout;
/** The generated Argo Rollouts `Rollout` L1. */
export type KubeRollout = argoRolloutsL1.Rollout;
/** The props of the generated `Rollout` L1. */
export type KubeRolloutProps = argoRolloutsL1.RolloutProps;
/** `spec` of a Rollout, as the CRD defines it. */
export type RolloutSpec = argoRolloutsL1.RolloutSpec;
/** `spec.strategy` of a Rollout, as the CRD defines it. */
export type RolloutSpecStrategy = argoRolloutsL1.RolloutSpecStrategy;
/** `spec.template` of a Rollout, as the CRD defines it. */
export type RolloutSpecTemplate = argoRolloutsL1.RolloutSpecTemplate;
/** One of `spec.strategy.canary.steps`, as the CRD defines it. */
export type RolloutSpecStrategyCanarySteps = argoRolloutsL1.RolloutSpecStrategyCanarySteps;
/** The generated Argo Rollouts `AnalysisTemplate` L1 (`NginxAnalysisTemplate.analysisTemplate`). */
export const AnalysisTemplate = argoAnalysisL1.AnalysisTemplate;
/** The generated Argo Rollouts `AnalysisTemplate` L1. */
export type AnalysisTemplate = argoAnalysisL1.AnalysisTemplate;
/** The props of the generated `AnalysisTemplate` L1. */
export type AnalysisTemplateProps = argoAnalysisL1.AnalysisTemplateProps;

export { DEFAULT_NGINX_CONF, DEFAULT_STATUS_PATH } from './nginx/nginx-conf';
export { DEFAULT_NGINX_IMAGE, DEFAULT_EXPORTER_IMAGE, DEFAULT_NGINX_RESOURCES, DEFAULT_EXPORTER_RESOURCES } from './nginx/nginx-pod';
export { DEFAULT_REPLICAS } from './nginx/nginx-rollout';
export { DEFAULT_CANARY_REPLICAS, DEFAULT_CANARY_STEPS } from './nginx/canary-nginx-rollout';
export type { CanaryStepAction } from './nginx/canary-step';
export { PropsError } from './props-checker';
export { markYamlDocumentStarts } from './yaml-output';
export { ingressBackendFor } from './cdk8s-plus-interop';
export type { IngressBackendClass, ServicePortsRef } from './cdk8s-plus-interop';
// The engines as functions, with their TypeScript types (RulesEngine and RolloutPlanner call these).
export { formatFinding, describeObject } from './rules/finding';
export type { Severity } from './rules/finding';
export { validateRollout, validateObjects, validateSchema, RULES } from './rules';
export type { RuleId, RuleInfo } from './rules';
export { planRollout, planWarnings, formatPlanTable, formatPlanMarkdown, renderPlanSvg } from './plan';
export type { RolloutPlan, PlanStep, Wait, RowKind } from './plan';
export type { LoadedObject, LoadError, LoadResult, LoadWarning } from './manifests';
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
export { GitOpsInputError, GitOpsValidationError, GitOpsWriteError } from './gitops/errors';
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
export type { StepHook } from './gitops/journal';
