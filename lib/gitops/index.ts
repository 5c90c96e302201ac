/**
 * GitOps repository generation: environments in a typed config, one folder of manifests per environment with a
 * kustomization in apply order, and an Argo CD Application per environment.
 */
export * from './types';
export { GitOpsInputError, GitOpsValidationError, GitOpsWriteError } from './errors';
export { nginxImageFromEnv } from './image';
export { checkConfig } from './check-config';
export { loadConfig } from './load-config';
export { generateRepository } from './generate';
export type { GenerateOptions, GenerateResult, EnvironmentSummary } from './generate';
export { synthApp, synthEnvironment, environmentContext } from './synth';
export type { EnvironmentObject } from './synth';
export { renderEnvironment, renderApplications, resolveArgoCd, application } from './render';
export type { FolderFiles, ResolvedArgoCd } from './render';
export { applyRank, syncWave, inApplyOrder, SYNC_WAVE_ANNOTATION } from './order';
export { ARGOCD_DIR, MANIFEST_FILE, KUSTOMIZATION_FILE, objectFileName } from './layout';
export { RepositoryWriter } from './writer';
