import { ApiObjectMetadata, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';

/*
 * The pod props of `Rollout`, declared here rather than inherited from cdk8s-plus-27's `WorkloadProps`, so that the
 * app's own cdk8s-plus objects of any major fit them. cdk8s-plus' `Volume`, `EnvFrom`, `Probe` and `Handler` classes
 * have private fields, which makes each major's class a distinct TypeScript type: a cdk8s-plus-33 app's `Volume` is
 * not a cdk8s-plus-27 `Volume`, although cdk8s-plus-27 only ever calls what both have (`name`, `asVolume()` and
 * `_toKube()`). Each such prop takes the cdk8s-plus-27 class (what Python, Java and .NET pass: their bindings check
 * the class) or one of the structural interfaces below, which say what cdk8s-plus-27 calls (what TypeScript checks).
 * Plain JavaScript can pass anything: `checkedPodProps` in rollout.ts checks the shapes before cdk8s-plus reads them.
 */

/**
 * Storage of any cdk8s-plus major that a container can mount (cdk8s-plus' `IStorage`: a `Volume`, a
 * `PersistentVolume`, ...): what cdk8s-plus-27's `Container.mount()` calls.
 */
export interface IPodStorage extends IConstruct {
  /** The storage as a pod volume. */
  asVolume(): IPodVolume;
}

/**
 * A pod volume of any cdk8s-plus major: what cdk8s-plus-27 calls on a `Volume` it mounts and renders.
 *
 * TypeScript apps pass their own cdk8s-plus `Volume` (`kplus.Volume.fromConfigMap(...)`, `fromEmptyDir(...)`, ...)
 * of cdk8s-plus-27 or later; the other languages pass a cdk8s-plus-27 `Volume`.
 */
export interface IPodVolume extends IPodStorage {
  /** The volume's name in the pod spec. */
  readonly name: string;
  /** @internal the pod spec's volume entry, written by the cdk8s-plus that made the volume */
  _toKube(): unknown;
}

/**
 * A source of environment variables of any cdk8s-plus major (`kplus.Env.fromConfigMap(...)`,
 * `kplus.Env.fromSecret(...)`): what cdk8s-plus-27 calls on an `EnvFrom`.
 */
export interface IPodEnvFrom {
  /** @internal the container's `envFrom` entry */
  _toKube(): unknown;
}

/**
 * A probe (`kplus.Probe.fromHttpGet(...)`, ...) or lifecycle handler (`kplus.Handler.fromCommand(...)`, ...) of any
 * cdk8s-plus major: what cdk8s-plus-27 calls on a `Probe` or a `Handler`.
 */
export interface IPodContainerAction {
  /** @internal the probe or handler for the container it belongs to (its port is the default port) */
  _toKube(container: any): unknown;
}

/** A volume mount of a Rollout's container: cdk8s-plus' `VolumeMount`, for a volume of any cdk8s-plus major. */
export interface RolloutVolumeMount extends kplus.MountOptions {
  /** The volume to mount. */
  readonly volume: kplus.Volume | IPodVolume;
  /**
   * Path within the container at which the volume should be mounted. Must not contain ':'.
   */
  readonly path: string;
}

/** Lifecycle handlers of a Rollout's container: cdk8s-plus' `ContainerLifecycle`, for handlers of any major. */
export interface RolloutContainerLifecycle {
  /**
   * This hook is executed immediately after a container is created. However, there is no guarantee that the hook
   * will execute before the container ENTRYPOINT.
   * @default - no postStart handler
   */
  readonly postStart?: kplus.Handler | IPodContainerAction;
  /**
   * This hook is called immediately before a container is terminated due to an API request or management event such
   * as a liveness/startup probe failure, preemption, resource contention, etc.
   * @default - no preStop handler
   */
  readonly preStop?: kplus.Handler | IPodContainerAction;
}

/**
 * A container of a Rollout's pods: cdk8s-plus' `ContainerProps`, whose `envFrom`, `volumeMounts`, probes and
 * `lifecycle` also take the objects of the app's own cdk8s-plus major.
 */
export interface RolloutContainerProps {
  /** Docker image name. */
  readonly image: string;
  /**
   * Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL).
   * @default 'main'
   */
  readonly name?: string;
  /**
   * @deprecated - use `portNumber`.
   */
  readonly port?: number;
  /**
   * Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536. This port is
   * added to the list of ports mentioned in the `ports` property.
   * @default - Only the ports mentiond in the `ports` property are exposed.
   */
  readonly portNumber?: number;
  /**
   * List of ports to expose from this container.
   * @default - Only the port mentioned in the `portNumber` property is exposed.
   */
  readonly ports?: kplus.ContainerPort[];
  /**
   * Entrypoint array. Not executed within a shell. The docker image's ENTRYPOINT is used if this is not provided.
   * @default - The docker image's ENTRYPOINT.
   */
  readonly command?: string[];
  /**
   * Arguments to the entrypoint. The docker image's CMD is used if `command` is not provided.
   * @default []
   */
  readonly args?: string[];
  /**
   * Container's working directory.
   * @default - The container runtime's default.
   */
  readonly workingDir?: string;
  /**
   * Environment variables to set in the container.
   * @default - No environment variables.
   */
  readonly envVariables?: { [name: string]: kplus.EnvValue };
  /**
   * List of sources to populate environment variables in the container (`kplus.Env.fromConfigMap(cm)`,
   * `kplus.Env.fromSecret(secret)`). When a key exists in multiple sources, the value associated with the last source
   * will take precedence. Values defined by the `envVariables` property with a duplicate key will take precedence.
   * @default - No sources.
   */
  readonly envFrom?: Array<kplus.EnvFrom | IPodEnvFrom>;
  /**
   * Pod volumes to mount into the container's filesystem (the volumes are added to the pod).
   * @default - No volume mounts.
   */
  readonly volumeMounts?: RolloutVolumeMount[];
  /**
   * Image pull policy for this container
   * @default ImagePullPolicy.ALWAYS
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;
  /**
   * Determines when the container is ready to serve traffic.
   * @default - no readiness probe is defined
   */
  readonly readiness?: kplus.Probe | IPodContainerAction;
  /**
   * Periodic probe of container liveness. Container will be restarted if the probe fails.
   * @default - no liveness probe is defined
   */
  readonly liveness?: kplus.Probe | IPodContainerAction;
  /**
   * StartupProbe indicates that the Pod has successfully initialized. If specified, no other probes are executed
   * until this completes successfully.
   * @default - If a port is provided, then knocks on that port to determine when the container is ready for
   * readiness and liveness probe checks. Otherwise, no startup probe is defined.
   */
  readonly startup?: kplus.Probe | IPodContainerAction;
  /**
   * Describes actions that the management system should take in response to container lifecycle events.
   * @default - no lifecycle handlers
   */
  readonly lifecycle?: RolloutContainerLifecycle;
  /**
   * Compute resources (CPU and memory requests and limits) required by the container.
   * @default - cpu request 1000 millis, limit 1500 millis; memory request 512 mebibytes, limit 2048 mebibytes
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * SecurityContext defines the security options the container should be run with. If set, the fields override
   * equivalent fields of the pod's security context. Its `capabilities` take cdk8s-plus-27's `Capability` values
   * (cdk8s-plus 33 spells the values differently, so the enums of the two majors are not interchangeable).
   * @default - ensureNonRoot true, privileged false, readOnlyRootFilesystem true, allowPrivilegeEscalation false,
   * user 25000, group 26000
   */
  readonly securityContext?: kplus.ContainerSecurityContextProps;
}

/**
 * The pod props of a Rollout: those of a cdk8s-plus `Deployment` (`WorkloadProps`), with containers and volumes of
 * any cdk8s-plus major.
 */
export interface RolloutPodProps {
  /**
   * Metadata that all persisted resources must have, which includes all objects users must create.
   * @default - a name generated from the construct path
   */
  readonly metadata?: ApiObjectMetadata;
  /**
   * The pod metadata of this workload.
   * @default - no extra pod metadata
   */
  readonly podMetadata?: ApiObjectMetadata;
  /**
   * Automatically allocates a pod label selector for this workload and add it to the pod metadata. This ensures this
   * workload manages pods created by its pod template.
   * @default true
   */
  readonly select?: boolean;
  /**
   * Automatically spread pods across hostname and zones.
   * @default false
   */
  readonly spread?: boolean;
  /**
   * List of containers belonging to the pod. You can add containers later with `addContainer()`.
   * @default - No containers. Note that a pod spec must include at least one container.
   */
  readonly containers?: Array<kplus.ContainerProps | RolloutContainerProps>;
  /**
   * List of initialization containers belonging to the pod, executed in order before the containers start.
   * @see https://kubernetes.io/docs/concepts/workloads/pods/init-containers/
   * @default - No init containers.
   */
  readonly initContainers?: Array<kplus.ContainerProps | RolloutContainerProps>;
  /**
   * List of volumes that can be mounted by containers belonging to the pod. You can also add volumes later with
   * `addVolume()`.
   * @see https://kubernetes.io/docs/concepts/storage/volumes
   * @default - No volumes.
   */
  readonly volumes?: Array<kplus.Volume | IPodVolume>;
  /**
   * Restart policy for all containers within the pod.
   * @default RestartPolicy.ALWAYS
   */
  readonly restartPolicy?: kplus.RestartPolicy;
  /**
   * A service account provides an identity for processes that run in a Pod.
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/
   * @default - No service account.
   */
  readonly serviceAccount?: kplus.IServiceAccount;
  /**
   * SecurityContext holds pod-level security attributes and common container settings.
   * @default - fsGroupChangePolicy: FsGroupChangePolicy.ALWAYS, ensureNonRoot: true
   */
  readonly securityContext?: kplus.PodSecurityContextProps;
  /**
   * HostAlias holds the mapping between IP and hostnames that will be injected as an entry in the pod's hosts file.
   * @default - no host aliases
   */
  readonly hostAliases?: kplus.HostAlias[];
  /**
   * DNS settings for the pod.
   * @see https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/
   * @default - policy: DnsPolicy.CLUSTER_FIRST, hostnameAsFQDN: false
   */
  readonly dns?: kplus.PodDnsProps;
  /**
   * A secret containing docker credentials for authenticating to a registry.
   * @default - No auth. Images are assumed to be publicly available.
   */
  readonly dockerRegistryAuth?: kplus.ISecret;
  /**
   * Indicates whether a service account token should be automatically mounted.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
  /**
   * Isolates the pod. This will prevent any ingress or egress connections to / from this pod.
   * @default false
   */
  readonly isolate?: boolean;
  /**
   * Host network for the pod.
   * @default false
   */
  readonly hostNetwork?: boolean;
  /**
   * Grace period until the pod is terminated
   * @default Duration.seconds(30)
   */
  readonly terminationGracePeriod?: Duration;
}

/*
 * TypeScript only: the shapes of the scheduling and selection objects of any cdk8s-plus major, for the pod methods
 * `Rollout` inherits from cdk8s-plus-27 (see the `Rollout` interface in rollout.ts). jsii cannot widen an inherited
 * method's parameters (JSII5006), and the other languages pass cdk8s-plus-27's objects anyway.
 */

/**
 * A cdk8s-plus `LabelSelector`, `NodeLabelQuery` or `NodeTaintQuery` of any major: it renders itself, which is all
 * cdk8s-plus-27 calls on it.
 * @jsii ignore TypeScript only
 */
export interface PodQueryRef {
  /** @internal the query's Kubernetes form */
  _toKube(): any;
}

/**
 * A cdk8s-plus `LabeledNode` of any major (`kplus.Node.labeled(kplus.NodeLabelQuery.is('disk', 'ssd'))`).
 * @jsii ignore TypeScript only
 */
export interface LabeledNodeRef {
  /** The node label queries. */
  readonly labelSelector: readonly PodQueryRef[];
}

/**
 * A cdk8s-plus `TaintedNode` of any major (`kplus.Node.tainted(kplus.NodeTaintQuery.exists('gpu'))`).
 * @jsii ignore TypeScript only
 */
export interface TaintedNodeRef {
  /** The node taint queries. */
  readonly taintSelector: readonly PodQueryRef[];
}

/**
 * What a cdk8s-plus `IPodSelector` of any major gives (cdk8s-plus' `PodSelectorConfig`).
 * @jsii ignore TypeScript only
 */
export interface PodSelectorConfigRef {
  /** The label selector of the pods. */
  readonly labelSelector: PodQueryRef;
  /** The namespaces of the pods. */
  readonly namespaces?: {
    /** The label selector of the namespaces. */
    readonly labelSelector?: PodQueryRef;
    /** The names of the namespaces. */
    readonly names?: string[];
  };
}

/**
 * A cdk8s-plus `IPodSelector` of any major: a `Deployment`, a `Rollout`, `kplus.Pods.select(...)`, ...
 * @jsii ignore TypeScript only
 */
export interface PodSelectorRef extends IConstruct {
  /** The selector's configuration. */
  toPodSelectorConfig(): PodSelectorConfigRef;
}

/**
 * A Rollout's `scheduling` (cdk8s-plus-27's `WorkloadScheduling`), as TypeScript sees it: its methods also take the
 * nodes, queries and pod selectors of the app's own cdk8s-plus major (cdk8s-plus-27 calls only what the shapes above
 * have). `assign(kplus.Node.named(...))` and `spread({ topology })` take any major's objects as they are.
 * @jsii ignore TypeScript only
 */
export interface RolloutScheduling extends kplus.WorkloadScheduling {
  /** Tolerates the taints of the nodes (cdk8s-plus' `tolerate`). */
  tolerate(node: TaintedNodeRef): void;
  /** Attracts the pods to the nodes (cdk8s-plus' `attract`). */
  attract(node: LabeledNodeRef, options?: kplus.PodSchedulingAttractOptions): void;
  /** Co-locates the pods with the selected pods (cdk8s-plus' `colocate`). */
  colocate(selector: PodSelectorRef, options?: kplus.PodSchedulingColocateOptions): void;
  /** Keeps the pods away from the selected pods (cdk8s-plus' `separate`). */
  separate(selector: PodSelectorRef, options?: kplus.PodSchedulingSeparateOptions): void;
}
