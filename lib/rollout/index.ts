// The general Rollout construct and its value objects (the public part of lib/rollout).
export { AnalysisArgument, AnalysisTemplateRef, PodTemplateHash, RolloutAnalysis } from './analysis';
export type { IAnalysisTemplate, RolloutAnalysisOptions } from './analysis';
export { ExperimentSpecRef, RolloutStep, RolloutStepAction, StringMatch } from './step';
export type {
  ExperimentAnalysis, ExperimentStepOptions, ExperimentTemplate, HeaderRouteMatch, MirrorRouteMatch, MirrorRouteOptions,
} from './step';
export { TrafficRouter, TrafficRouterKind } from './traffic-router';
export type {
  AlbRouterOptions, ApisixRouterOptions, AppMeshRouterOptions, GatewayApiRouterOptions, IstioDestinationRule,
  IstioRouterOptions, IstioTlsRoute, IstioVirtualService, NginxRouterOptions, SmiRouterOptions,
} from './traffic-router';
export { RolloutStrategy, RolloutStrategyKind } from './strategy';
export type { BlueGreenStrategyOptions, CanaryStrategyOptions, PingPongServices, ReplicaSetMetadata } from './strategy';
export { Rollout } from './rollout';
export type { AnalysisRunHistory, RolloutContainer, RolloutPodSelectorConfig, RolloutProps, RolloutScalingTarget } from './rollout';
export type {
  IPodContainerAction, IPodEnvFrom, IPodStorage, IPodVolume, LabeledNodeRef, PodQueryRef, PodSelectorConfigRef,
  PodSelectorRef, RolloutContainerLifecycle, RolloutContainerProps, RolloutPodProps, RolloutScheduling,
  RolloutVolumeMount, TaintedNodeRef,
} from './pod-props';
