import { Chart } from 'cdk8s';

/**
 * The GitOps repository: the environments to write and how Argo CD finds them. `environments.ts` at the project root
 * exports one as `config`.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export interface GitOpsConfig {
  /** Where Argo CD reads the repository, and its defaults for every environment's Application. */
  readonly argocd?: ArgoCdSettings;
  /** The environments, each written to `<out>/<name>/`, in this order. */
  readonly environments: readonly Environment[];
}

/**
 * One environment: a folder of manifests and an Argo CD Application that syncs it into one namespace.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export interface Environment {
  /** The folder name and the Application's name suffix: a DNS-1123 label, not `argocd`. */
  readonly name: string;
  /** The namespace of every object that does not set its own, and the Application's destination namespace. */
  readonly namespace: string;
  /**
   * The nginx image handed to the apps as `env.image`; the `NGINX_IMAGE` variable overrides it in every environment.
   * @default - the library's DEFAULT_NGINX_IMAGE
   */
  readonly image?: string;
  /**
   * The cluster Argo CD deploys to: its API `server` URL or its registered `name`, not both.
   * @default - { server: 'https://kubernetes.default.svc' }, the cluster Argo CD runs in
   */
  readonly destination?: Destination;
  /**
   * The Application of this environment, over `argocd`'s defaults.
   * @default - the defaults of `argocd`
   */
  readonly application?: ApplicationSettings;
  /** The apps of this environment, each synthesized as its own chart, in this order. */
  readonly apps: readonly GitOpsApp[];
  /**
   * An environment whose apps create no object is refused: its folder would list no resources, and Argo CD's
   * automated sync with prune then deletes every object of the environment. A `build` that returns early or forgets
   * to return its promise does exactly that. Set this to the string `'delete-all-objects'` (nothing else is accepted)
   * when an empty environment, and so the deletion, is what you want.
   * @default - an environment without objects fails the run
   */
  readonly allowEmpty?: typeof ALLOW_EMPTY;
}

/** The one value of `Environment.allowEmpty`: long and explicit, so that it is never set by accident (`true` is refused). */
export const ALLOW_EMPTY = 'delete-all-objects';

/**
 * One app of an environment: builds its objects with the library's constructs into `chart`.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export interface GitOpsApp {
  /** The chart id, used in error messages: a DNS-1123 label, unique within the environment. */
  readonly name: string;
  /**
   * Adds the app's constructs to `chart` (namespace `env.namespace`, resource name hashes off). It may be async: the
   * returned promise is awaited before the chart is synthesized, and its rejection fails the run before anything is
   * written. Promises it starts without returning them are not awaited. (`unknown`, not `void | Promise<void>`:
   * `(chart) => new CanaryNginxRollout(chart, ...)` returns the construct, and must stay a valid `build`.)
   */
  build(chart: Chart, env: EnvironmentContext): unknown;
}

/**
 * What an app's `build` knows about the environment it is built for.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export interface EnvironmentContext {
  /** The environment's name. */
  readonly name: string;
  /** The environment's namespace (already the chart's namespace). */
  readonly namespace: string;
  /** The nginx image to run: `NGINX_IMAGE`, else the environment's `image`, else the library's default. */
  readonly image: string;
}

/**
 * A cluster: by API server URL or by the name it is registered under in Argo CD.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export interface Destination {
  /** The API server URL. */
  readonly server?: string;
  /** The cluster's name in Argo CD. */
  readonly name?: string;
}

/**
 * How Argo CD syncs an environment.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export interface SyncPolicy {
  /**
   * Sync on every change of the repository (`syncPolicy.automated`); false leaves syncing to a person.
   * @default false
   */
  readonly automated?: boolean;
  /**
   * With `automated`: delete objects that left the repository.
   * @default true
   */
  readonly prune?: boolean;
  /**
   * With `automated`: undo changes made in the cluster.
   * @default true
   */
  readonly selfHeal?: boolean;
  /**
   * Create the destination namespace when it does not exist (`CreateNamespace=true`).
   * @default true
   */
  readonly createNamespace?: boolean;
}

/**
 * The Application settings one environment may override.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export interface ApplicationSettings {
  /**
   * The Application's name.
   * @default `${applicationNamePrefix}${environment name}`
   */
  readonly name?: string;
  /**
   * The Argo CD project.
   * @default - `argocd.project`
   */
  readonly project?: string;
  /**
   * How Argo CD syncs this environment.
   * @default - `argocd.syncPolicy`
   */
  readonly syncPolicy?: SyncPolicy;
}

/**
 * Where Argo CD finds the repository, and what every Application has unless its environment says otherwise.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export interface ArgoCdSettings {
  /**
   * The Git repository Argo CD clones.
   * @default - the `origin` remote of `--out` when `--out` is the root of a git checkout; otherwise the run fails
   */
  readonly repoURL?: string;
  /**
   * The branch, tag or commit Argo CD follows.
   * @default 'HEAD'
   */
  readonly targetRevision?: string;
  /**
   * Where `--out` is inside the repository; each Application's `path` is `<path>/<environment>`.
   * @default '' (`--out` is the repository's root)
   */
  readonly path?: string;
  /**
   * The namespace Argo CD runs in, where the Applications live.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * The Argo CD project of every Application.
   * @default 'default'
   */
  readonly project?: string;
  /**
   * The prefix of every Application's name.
   * @default 'nginx-'
   */
  readonly applicationNamePrefix?: string;
  /**
   * How Argo CD syncs every environment.
   * @default - manual sync, CreateNamespace=true
   */
  readonly syncPolicy?: SyncPolicy;
}
