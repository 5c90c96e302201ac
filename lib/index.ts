// The package's public surface.
//
// Two parts. The first is the jsii surface: constructs, value objects, their props, and class entry points to the
// rules engine and the planner; jsii compiles it into the assembly that Python, Java, Go and .NET bindings are
// generated from, so everything there follows jsii's type rules. The second is TypeScript-only: functions, constants
// and type aliases, which jsii leaves out of the assembly by design (it has no free functions or constants), and the
// GitOps writer and manifest loader, whose types (unions, generics, `Error` subclasses, config fields named `build`)
// jsii cannot express. Internals (PropsChecker, the nginx pod builder, name helpers) are not exported at all.

// ---- jsii surface: the constructs and their value objects ------------------------------------------------------------
// The generated Argo Rollouts L1s (`cdk8s import` of the v1.9.1 CRDs), which the constructs' members return
// (`NginxRollout.rollout`, `NginxAnalysisTemplate.analysisTemplate`), as submodules: each file names its kind plainly
// (`Rollout`, `AnalysisTemplate`), and a submodule keeps that from clashing with the `Rollout` construct.
export * as argoRollouts from '../imports/argo-rollouts-argoproj.io';
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

// ---- TypeScript-only: functions, constants and type aliases (jsii leaves them out of the assembly) --------------------
import type * as checker from './props-checker';
import * as checkerValues from './props-checker';
import type * as interop from './cdk8s-plus-interop';
import type * as gitops from './gitops';
import * as gitopsValues from './gitops';
import type * as manifests from './manifests';
import type * as plan from './plan';
import type * as rules from './rules';
import * as argoRolloutsL1 from '../imports/argo-rollouts-argoproj.io';
import * as argoAnalysisL1 from '../imports/argo-analysis-argoproj.io';

// The L1s under their TypeScript names: the generated `Rollout` is `KubeRollout` here (as cdk8s-plus names its L1s
// `KubeDeployment`, ...): `Rollout` is the construct.
export const KubeRollout = argoRolloutsL1.Rollout;
export type KubeRollout = argoRolloutsL1.Rollout;
export type KubeRolloutProps = argoRolloutsL1.RolloutProps;
export type RolloutSpec = argoRolloutsL1.RolloutSpec;
export type RolloutSpecStrategy = argoRolloutsL1.RolloutSpecStrategy;
export type RolloutSpecTemplate = argoRolloutsL1.RolloutSpecTemplate;
export type RolloutSpecStrategyCanarySteps = argoRolloutsL1.RolloutSpecStrategyCanarySteps;
export const AnalysisTemplate = argoAnalysisL1.AnalysisTemplate;
export type AnalysisTemplate = argoAnalysisL1.AnalysisTemplate;
export type AnalysisTemplateProps = argoAnalysisL1.AnalysisTemplateProps;

export { DEFAULT_NGINX_CONF, DEFAULT_STATUS_PATH } from './nginx/nginx-conf';
export { DEFAULT_NGINX_IMAGE, DEFAULT_EXPORTER_IMAGE, DEFAULT_NGINX_RESOURCES, DEFAULT_EXPORTER_RESOURCES } from './nginx/nginx-pod';
export { DEFAULT_REPLICAS } from './nginx/nginx-rollout';
export { DEFAULT_CANARY_REPLICAS, DEFAULT_CANARY_STEPS } from './nginx/canary-nginx-rollout';
export type { CanaryStepAction } from './nginx/canary-step';
/**
 * The error a construct throws for bad props: every problem found, in one message that names the construct. A
 * constant and a type (not a class export) so that jsii, which cannot model `Error` subclasses, leaves it out: other
 * languages see the construct's error with the same message.
 */
export const PropsError = checkerValues.PropsError;
export type PropsError = checker.PropsError;
export { markYamlDocumentStarts } from './yaml-output';
export { ingressBackendFor } from './cdk8s-plus-interop';
export type IngressBackendClass<B> = interop.IngressBackendClass<B>;
export type ServicePortsRef = interop.ServicePortsRef;
// The engines as functions, with their TypeScript types (RulesEngine and RolloutPlanner call these).
export { formatFinding, describeObject } from './rules/finding';
export type { Severity } from './rules/finding';
export { validateRollout, validateObjects, validateSchema, RULES } from './rules';
export type RuleId = rules.RuleId;
export type RuleInfo = rules.RuleInfo;
export { planRollout, planWarnings, formatPlanTable, formatPlanMarkdown, renderPlanSvg } from './plan';
export type RolloutPlan = plan.RolloutPlan;
export type PlanStep = plan.PlanStep;
export type Wait = plan.Wait;
export type RowKind = plan.RowKind;
export { loadManifests } from './manifests';
export type LoadedObject = manifests.LoadedObject;
export type LoadError = manifests.LoadError;
export type LoadResult = manifests.LoadResult;
// GitOps repository generation, for a config of your own (`nginx-rollouts gitops --config FILE`, or from code).
export { generateRepository, nginxImageFromEnv } from './gitops';
export const GitOpsInputError = gitopsValues.GitOpsInputError;
export type GitOpsInputError = gitops.GitOpsInputError;
export const GitOpsValidationError = gitopsValues.GitOpsValidationError;
export type GitOpsValidationError = gitops.GitOpsValidationError;
export type GitOpsConfig = gitops.GitOpsConfig;
export type Environment = gitops.Environment;
export type EnvironmentContext = gitops.EnvironmentContext;
export type GitOpsApp = gitops.GitOpsApp;
export type ArgoCdSettings = gitops.ArgoCdSettings;
export type SyncPolicy = gitops.SyncPolicy;
export type GenerateOptions = gitops.GenerateOptions;
export type GenerateResult = gitops.GenerateResult;
export type EnvironmentSummary = gitops.EnvironmentSummary;
export type Destination = gitops.Destination;
export type ApplicationSettings = gitops.ApplicationSettings;
