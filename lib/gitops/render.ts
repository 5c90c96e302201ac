import { GitOpsInputError } from './errors';
import { GENERATED_HEADER, KUSTOMIZATION_FILE, objectFileName } from './layout';
import { EnvironmentObject } from './synth';
import { toYaml } from './yaml';
import { ArgoCdSettings, Environment, GitOpsConfig, SyncPolicy } from './types';

/** A folder's files: name to content, in the order they are listed. */
export type FolderFiles = Map<string, string>;

/**
 * The folder of one environment: one file per object, in the bytes `cdk8s synth` writes (see toYaml) after the
 * generated-file header (a YAML comment: kubectl, kustomize and Argo CD ignore it), and a
 * `kustomization.yaml` that lists them in apply order. `sortOptions: fifo` keeps kustomize (and Argo CD's kustomize)
 * from re-sorting them by its own kind order.
 */
export function renderEnvironment(env: Environment, objects: readonly EnvironmentObject[]): FolderFiles {
  const files: FolderFiles = new Map();
  for (const { app, object } of objects) {
    const name = objectFileName(object, env.namespace);
    if (files.has(name) || name === KUSTOMIZATION_FILE) {
      throw new GitOpsInputError(`environment '${env.name}': app '${app}' writes ${object.kind} ` +
        `'${object.metadata?.name}' to ${name}, which another object already uses; rename one of them`);
    }
    files.set(name, GENERATED_HEADER + toYaml(object));
  }
  files.set(KUSTOMIZATION_FILE, kustomization([...files.keys()]));
  return files;
}

function kustomization(resources: string[]): string {
  return GENERATED_HEADER + toYaml({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    sortOptions: { order: 'fifo' },
    resources,
  });
}

/** Repository settings with every default filled in. */
export interface ResolvedArgoCd {
  readonly repoURL: string;
  readonly targetRevision: string;
  readonly path: string;
  readonly namespace: string;
  readonly project: string;
  readonly applicationNamePrefix: string;
  readonly syncPolicy: SyncPolicy;
}

/** `settings` with defaults; `repoURL` comes from the caller when the config has none. */
export function resolveArgoCd(settings: ArgoCdSettings | undefined, repoURL: string): ResolvedArgoCd {
  return {
    repoURL,
    targetRevision: settings?.targetRevision ?? 'HEAD',
    path: (settings?.path ?? '').replace(/^(\.\/)+/, '').replace(/^\.$/, '').replace(/\/+$/, ''),
    namespace: settings?.namespace ?? 'argocd',
    project: settings?.project ?? 'default',
    applicationNamePrefix: settings?.applicationNamePrefix ?? 'nginx-',
    syncPolicy: settings?.syncPolicy ?? {},
  };
}

/** The `argocd/` folder: one Application per environment and a `kustomization.yaml` to apply them all with `-k`. */
export function renderApplications(config: GitOpsConfig, argocd: ResolvedArgoCd): FolderFiles {
  const files: FolderFiles = new Map();
  for (const env of config.environments) {
    files.set(`${env.name}.yaml`, GENERATED_HEADER + toYaml(application(env, argocd)));
  }
  files.set(KUSTOMIZATION_FILE, kustomization([...files.keys()]));
  return files;
}

/** The Argo CD Application that syncs the environment's folder into its namespace. */
export function application(env: Environment, argocd: ResolvedArgoCd): any {
  const policy = { ...argocd.syncPolicy, ...env.application?.syncPolicy };
  const destination = env.destination?.name !== undefined
    ? { name: env.destination.name, namespace: env.namespace }
    : { server: env.destination?.server ?? 'https://kubernetes.default.svc', namespace: env.namespace };
  const spec: any = {
    project: env.application?.project ?? argocd.project,
    source: {
      repoURL: argocd.repoURL,
      targetRevision: argocd.targetRevision,
      path: argocd.path === '' ? env.name : `${argocd.path}/${env.name}`,
    },
    destination,
  };
  const sync = syncPolicy(policy);
  if (sync) spec.syncPolicy = sync;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: env.application?.name ?? `${argocd.applicationNamePrefix}${env.name}`,
      namespace: argocd.namespace,
    },
    spec,
  };
}

/** Argo CD's `syncPolicy`, or undefined when it would be empty (manual sync into an existing namespace). */
function syncPolicy(policy: SyncPolicy): any {
  const result: any = {};
  if (policy.automated) {
    result.automated = { prune: policy.prune ?? true, selfHeal: policy.selfHeal ?? true };
  }
  if (policy.createNamespace ?? true) result.syncOptions = ['CreateNamespace=true'];
  return Object.keys(result).length > 0 ? result : undefined;
}
