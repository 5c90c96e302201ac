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
export { loadManifests } from './manifests';
export type { LoadedObject, LoadError, LoadResult } from './manifests';
// GitOps repository generation, for a config of your own (`nginx-rollouts gitops --config FILE`, or from code).
export { generateRepository, nginxImageFromEnv, GitOpsInputError, GitOpsValidationError } from './gitops';
export type {
  GitOpsConfig, Environment, EnvironmentContext, GitOpsApp, ArgoCdSettings, SyncPolicy, GenerateOptions, GenerateResult,
  EnvironmentSummary, Destination, ApplicationSettings,
} from './gitops';
