import { createHash } from 'crypto';
import { Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Rollout as KubeRollout } from '../../imports/argo-rollouts-argoproj.io';
import type { NginxAnalysisTemplate } from '../analysis/nginx-analysis-template';
import { AntiAffinity } from '../anti-affinity';
import { apiObjectOf, presetCheckedProps, Rollout, RolloutScalingTarget } from '../rollout/rollout';
import { RolloutStrategy } from '../rollout/strategy';
import { imageReferenceError } from '../rules/image';
import { DEFAULT_NGINX_CONF } from './nginx-conf';
import {
  CONF_KEY, CONF_VOLUME, exporterContainerProps, NGINX_PORT, nginxContainerProps, NginxPodOptions, nginxPodTemplate,
} from './nginx-pod';
import { nginxService } from './nginx-service';
import { userPodParts } from './preset';
import { PresetContainer, PresetParts } from './preset-container';


/**
 * What both strategies share: the nginx pod, its ConfigMap and the exporter sidecar.
 */
export interface NginxRolloutProps {
  /**
   * The Rollout's name.
   * @default - a name cdk8s generates from the construct path
   */
  readonly name?: string;

  /**
   * The namespace of every object this construct creates.
   * @default - the chart's namespace
   */
  readonly namespace?: string;

  /**
   * How many nginx pods run once the Rollout is healthy. Always written out, because the controller writes its
   * default of 1 back into an object that omits it, which a GitOps tool then reports as drift.
   * @default 1 for BlueGreenNginxRollout; 5 for CanaryNginxRollout, so that its default steps' 20 % and 80 % are
   * whole pods (with 1 pod, the controller runs 1 canary next to 1 stable pod: 50 %, and one pod more than replicas)
   */
  readonly replicas?: number;

  /**
   * The nginx container image.
   * @default DEFAULT_NGINX_IMAGE
   */
  readonly image?: string;

  /**
   * The `nginx/nginx-prometheus-exporter` sidecar image.
   * @default DEFAULT_EXPORTER_IMAGE
   */
  readonly exporterImage?: string;

  /**
   * Labels of the pods; the Rollout selects its pods (and the Services their endpoints) by exactly these.
   * @default { app: name }
   */
  readonly labels?: Record<string, string>;

  /**
   * Extra annotations of the pods, merged over the `prometheus.io/scrape`, `prometheus.io/port` and config checksum
   * annotations.
   * @default - only those annotations
   */
  readonly podAnnotations?: Record<string, string>;

  /**
   * The `nginx.conf` mounted at `/etc/nginx/nginx.conf`. It must serve `stub_status` at `statusPath` on port 80 for
   * the exporter to report anything.
   * @default DEFAULT_NGINX_CONF: the image's page at `/` on port 80, `stub_status` at `/nginx_status`, localhost only
   */
  readonly nginxConf?: string;

  /**
   * The path at which `nginxConf` serves `stub_status`; the exporter scrapes `http://localhost<statusPath>`.
   * @default '/nginx_status'
   */
  readonly statusPath?: string;

  /**
   * The name of the ConfigMap that holds `nginx.conf` (with `hashConfigMapName`, the prefix of its name).
   * @default `${name}-conf`
   */
  readonly configMapName?: string;

  /**
   * Name the ConfigMap after its content (`${configMapName}-<hash>`), as Argo Rollouts recommends: a changed
   * `nginx.conf` then becomes a new ConfigMap and a new pod template, so canary pods run the new config while stable
   * pods keep the old one. The old ConfigMap must stay in the cluster until the old ReplicaSet is gone. Without it,
   * the ConfigMap keeps its name and a `checksum/nginx-conf` pod annotation makes a config change roll all the same,
   * but every pod that (re)starts reads the newest config.
   * @default false
   */
  readonly hashConfigMapName?: boolean;

  /**
   * Readiness and liveness probes on nginx (TCP on port 80, or HTTP on `readinessPath`) and the exporter (`/metrics`).
   * Argo counts a pod as available by its readiness.
   * @default true
   */
  readonly probes?: boolean;

  /**
   * An HTTP path on port 80 that nginx answers with 200 when it is ready; the readiness probe then checks it instead
   * of the TCP port.
   * @default - a TCP check on port 80 (the default nginx.conf has no page that answers every client with 200)
   */
  readonly readinessPath?: string;

  /**
   * Requests and limits of the nginx container.
   * @default - cpu 100m request / 500m limit, memory 64Mi request / 128Mi limit
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Requests and limits of the exporter sidecar.
   * @default - cpu 10m request / 100m limit, memory 16Mi request / 64Mi limit
   */
  readonly exporterResources?: kplus.ContainerResources;

  /**
   * The port the construct's Services expose; they forward it to nginx on port 80.
   * @default 80
   */
  readonly servicePort?: number;

  /**
   * Keep new pods off the nodes that run old pods (the strategy's `antiAffinity`).
   * @default - no anti-affinity
   */
  readonly antiAffinity?: AntiAffinity;

  /**
   * How many old ReplicaSets the controller keeps for rollback (`spec.revisionHistoryLimit`).
   * @default - not set: the controller keeps 10
   */
  readonly revisionHistoryLimit?: number;

  /**
   * How long a new pod must be ready before it counts as available (`spec.minReadySeconds`).
   * @default - not set: available as soon as ready
   */
  readonly minReady?: Duration;

  /**
   * How long an update may make no progress before the Rollout is Degraded (`spec.progressDeadlineSeconds`); it must
   * be longer than `minReady`.
   * @default - not set: the controller uses 600 seconds
   */
  readonly progressDeadline?: Duration;

  /**
   * Abort the update (scale the new version back down) when `progressDeadline` passes (`spec.progressDeadlineAbort`).
   * @default - not set: the controller only marks the Rollout Degraded
   */
  readonly progressDeadlineAbort?: boolean;

  /**
   * The ServiceAccount the pods run as (`serviceAccountName`).
   * @default - the namespace's default ServiceAccount
   */
  readonly serviceAccount?: kplus.IServiceAccount;

  /**
   * A `kubernetes.io/dockerconfigjson` Secret to pull the images with (`imagePullSecrets`).
   * @default - no pull secret
   */
  readonly dockerRegistryAuth?: kplus.ISecret;

  /**
   * A PodDisruptionBudget over the pods (both versions during an update), so that node drains keep some serving.
   * @default - no PodDisruptionBudget
   */
  readonly podDisruptionBudget?: NginxPodDisruptionBudget;
}

/** The PodDisruptionBudget of an nginx Rollout: give exactly one of the two. */
export interface NginxPodDisruptionBudget {
  /**
   * How many pods must stay available during a voluntary disruption.
   * @default - not set
   */
  readonly minAvailable?: kplus.PercentOrAbsolute;
  /**
   * How many pods may be unavailable during a voluntary disruption.
   * @default - not set
   */
  readonly maxUnavailable?: kplus.PercentOrAbsolute;
}

/** The values every strategy needs once the shared props are resolved. */
export interface ResolvedNginxRollout {
  /** The Rollout's name. */
  readonly name: string;
  /** The pod labels. */
  readonly labels: Record<string, string>;
}

// cdk8s-plus exports through getters: read once.
const TCP = kplus.Protocol.TCP;

/**
 * The Services' ports when the props give no `servicePort`: one frozen list for all presets. The Rollout only reads
 * it, and cdk8s-plus' `Service` copies each port it binds.
 */
const DEFAULT_SERVICE_PORTS: kplus.ServicePort[] = Object.freeze([Object.freeze({ port: NGINX_PORT, targetPort: NGINX_PORT, protocol: TCP })]) as kplus.ServicePort[];

/**
 * The patch that drops the ConfigMap's `immutable: false`: one for all presets. A `JsonPatch` holds its operation and
 * nothing else, and cdk8s applies a deep copy of each operation (`JsonPatch.apply`), so a shared one is never changed.
 */
const REMOVE_IMMUTABLE = JsonPatch.remove('/immutable');

/** `{ name, namespace }` without the absent ones (cdk8s spreads the metadata over the name it generates). */
function nameAndNamespace(name: string | undefined, namespace: string | undefined): { name?: string; namespace?: string } {
  if (namespace === undefined) return name === undefined ? {} : { name };
  return name === undefined ? { namespace } : { name, namespace };
}

/** The replicas of a Rollout whose props give none. */
export const DEFAULT_REPLICAS = 1;

/**
 * The shared nginx workload, as a preset on the general {@link Rollout}: a ConfigMap with `nginx.conf`, and pods that
 * run nginx with that ConfigMap and the Prometheus exporter sidecar. Each strategy subclass passes its strategy. The
 * pod API of `Rollout` adds to the preset's pod: containers, init containers, volumes, a service account, image pull
 * secrets and scheduling (pod-level security context, DNS and token settings stay the Kubernetes defaults). nginx and
 * the exporter are cdk8s-plus `Container`s (`nginxContainer`, `exporterContainer`): env vars, env from ConfigMaps and
 * Secrets, mounts and ports added to them are written after the preset's own.
 *
 * ```ts
 * const web = new CanaryNginxRollout(chart, 'web', { name: 'web' });
 * web.nginxContainer.env.addVariable('TZ', kplus.EnvValue.fromValue('UTC'));
 * web.nginxContainer.mount('/var/cache/nginx', kplus.Volume.fromEmptyDir(chart, 'cache', 'cache'));
 * ```
 */
export abstract class NginxRollout extends Rollout {
  /** The pod labels, which are also the Rollout's selector. */
  public readonly labels: Record<string, string>;
  /** The ConfigMap holding `nginx.conf`. */
  public readonly configMap: kplus.ConfigMap;
  /** The PodDisruptionBudget, when `podDisruptionBudget` is given. */
  public readonly podDisruptionBudget?: kplus.k8s.KubePodDisruptionBudget;

  /** What the nginx pod is made of. */
  private readonly pod: NginxPodOptions;
  /** Where the construct's Services go and the port they expose. */
  private readonly serviceOptions: { readonly namespace?: string; readonly port?: number };
  /** How messages name this construct (`CanaryNginxRollout`). */
  private readonly typeName: string;
  /** The replicas the props give, if any (`replicas` holds the preset's default otherwise). */
  private readonly givenReplicas?: number;
  /** nginx, the exporter and the ConfigMap's volume, once asked for (see `presetParts`). */
  private parts?: PresetParts;

  /**
   * @param props checked already, by the subclass' validation (see `validatedName`)
   * @param strategy the Rollout's strategy, made from `props`
   * @param defaultReplicas the replicas when `props` give none
   */
  protected constructor(scope: Construct, id: string, props: NginxRolloutProps, strategy: RolloutStrategy, defaultReplicas: number = DEFAULT_REPLICAS) {
    super(scope, id, presetCheckedProps({
      metadata: nameAndNamespace(props.name, props.namespace),
      // The preset selects its pods by `labels` alone (as the seed manifests do), not by cdk8s-plus' address label.
      select: false,
      replicas: props.replicas ?? defaultReplicas,
      minReady: props.minReady,
      progressDeadline: props.progressDeadline,
      progressDeadlineAbort: props.progressDeadlineAbort,
      revisionHistoryLimit: props.revisionHistoryLimit,
      servicePorts: props.servicePort === undefined ? DEFAULT_SERVICE_PORTS : [{ port: props.servicePort, targetPort: NGINX_PORT, protocol: TCP }],
      serviceAccount: props.serviceAccount,
      dockerRegistryAuth: props.dockerRegistryAuth,
      strategy,
    }));
    this.labels = props.labels ?? { app: this.name };
    this.select(kplus.LabelSelector.of({ labels: this.labels }));
    this.serviceOptions = { namespace: props.namespace, port: props.servicePort };
    this.givenReplicas = props.replicas;
    this.typeName = new.target.name;

    const conf = props.nginxConf ?? DEFAULT_NGINX_CONF;
    const checksum = sha256Hex(conf);
    const configMapPrefix = props.configMapName ?? `${this.name}-conf`;
    const configMapName = props.hashConfigMapName ? `${configMapPrefix}-${checksum.slice(0, 10)}` : configMapPrefix;

    this.configMap = new kplus.ConfigMap(this, 'ConfigMap', {
      metadata: { name: configMapName, namespace: props.namespace },
      data: { [CONF_KEY]: conf },
    });
    // cdk8s-plus writes `immutable: false`, the API server's default; left out, the output is the seed's ConfigMap.
    const configMapObject = apiObjectOf(this.configMap);
    configMapObject.addJsonPatch(REMOVE_IMMUTABLE);
    // The ConfigMap is mounted by every pod: it must be applied before the Rollout, whatever order `new` ran in.
    this.applyBeforeRollout(configMapObject);

    // The fields the pod is made of, named (a spread of the whole props bag, of either preset's shape, costs more).
    this.pod = {
      labels: this.labels,
      configMapName,
      image: props.image,
      exporterImage: props.exporterImage,
      statusPath: props.statusPath,
      podAnnotations: props.podAnnotations,
      // A hashed name already changes the pod template; the checksum would only repeat it.
      configChecksum: props.hashConfigMapName ? undefined : `sha256:${checksum}`,
      probes: props.probes,
      readinessPath: props.readinessPath,
      resources: props.resources,
      exporterResources: props.exporterResources,
    };

    if (props.podDisruptionBudget) {
      this.podDisruptionBudget = this.createPodDisruptionBudget(props.podDisruptionBudget, props.namespace);
    }
  }

  /**
   * The nginx container, first in `containers`, as cdk8s-plus' `Container`: its image, port 80, the `nginx.conf` mount
   * (`configVolume`) and resources come from the props. What is added to it (`env.addVariable`, `env.copyFrom`,
   * `mount`, `addPort`) is written after the preset's own entries; the probes (`probes`, `readinessPath`) are written by
   * the preset and not held by the object.
   */
  public get nginxContainer(): kplus.Container {
    return this.presetParts().nginx;
  }

  /**
   * The Prometheus exporter sidecar, second in `containers`, with the same API as `nginxContainer`. Its args point it
   * at `statusPath`; it runs non-root with a read-only root filesystem, no privilege escalation, all capabilities
   * dropped and the `RuntimeDefault` seccomp profile (which cdk8s-plus-27's security context cannot hold).
   */
  public get exporterContainer(): kplus.Container {
    return this.presetParts().exporter;
  }

  /** The pod volume (`nginx-conf`) holding the ConfigMap, mounted by `nginxContainer` at `/etc/nginx/nginx.conf`. */
  public get configVolume(): kplus.Volume {
    return this.presetParts().volume;
  }

  /** The pod's containers: nginx, the exporter sidecar, then those added with `addContainer`. */
  public get containers(): kplus.Container[] {
    // Read by cdk8s-plus' constructors before this class' fields exist: no preset parts yet.
    if (this.pod !== undefined) this.presetParts();
    return super.containers;
  }

  /**
   * The Rollout as a HorizontalPodAutoscaler's target. Its replicas are those the props give: the preset's own default
   * (5 for a canary, 1 for blue/green) is left out of the spec when an autoscaler targets it, so cdk8s-plus' check that
   * a target has no fixed replicas passes, and the autoscaler (not the manifest) owns the count.
   */
  public toScalingTarget(): kplus.ScalingTarget {
    return { ...super.toScalingTarget(), replicas: this.givenReplicas };
  }

  /** The Argo Rollouts `Rollout` object (the default child), for `addJsonPatch` and dependencies. */
  public get rollout(): KubeRollout {
    return this.apiObject as KubeRollout;
  }

  /**
   * @internal the seed's pod (nginx, the exporter sidecar, the ConfigMap volume) with what was added to its two
   * containers, then what was added through the pod API of `Rollout`
   */
  public _toPodTemplate(): any {
    const template = nginxPodTemplate(this.pod) as any;
    // Not `presetParts()`: a preset nobody asked for its parts has no additions, and need not pay for making them.
    const parts = this.parts;
    const user = userPodParts(this, { scope: this, typeName: this.typeName }, parts);
    if (user === undefined) return template;
    const [nginx, exporter] = template.spec.containers;
    return {
      metadata: {
        annotations: { ...template.metadata.annotations, ...user.annotations },
        labels: { ...template.metadata.labels, ...user.labels },
      },
      spec: {
        ...template.spec,
        ...user.spec,
        containers: [parts ? parts.nginx._render(nginx) : nginx, parts ? parts.exporter._render(exporter) : exporter, ...user.containers],
        volumes: [...template.spec.volumes, ...user.volumes],
      },
    };
  }

  /**
   * nginx and the exporter as cdk8s-plus Containers, and the ConfigMap's volume, made when first asked for (by a member,
   * `containers` or a method that reads them): most presets are never customised, and making these for each of them
   * cost a sixth of a preset's construction. They go ahead of containers added before, as the pod has always listed
   * them.
   */
  private presetParts(): PresetParts {
    if (this.parts === undefined) {
      const volume = kplus.Volume.fromConfigMap(this, 'ConfigVolume', this.configMap, { name: CONF_VOLUME, items: { [CONF_KEY]: { path: CONF_KEY } } });
      const owner = { scope: this, typeName: this.typeName };
      const nginx = new PresetContainer(nginxContainerProps(this.pod, volume), owner, 'nginxContainer');
      const exporter = new PresetContainer(exporterContainerProps(this.pod), owner, 'exporterContainer');
      // cdk8s-plus keeps a pod's containers in `_containers` (`containers` hands out a copy) and only appends to it.
      (this as unknown as { _containers: kplus.Container[] })._containers.unshift(nginx, exporter);
      this.parts = { nginx, exporter, volume };
    }
    return this.parts;
  }

  /** Whether objects this Rollout names may live outside the chart: no, the preset creates everything it names. */
  protected allowsExternalReferences(): boolean {
    return false;
  }

  /**
   * A Service named `name` selecting the pods, before the Rollout: the controller looks up the Services a Rollout
   * names when it reconciles it, and reports the Rollout Degraded while one is missing.
   */
  protected addService(id: string, name: string): kplus.Service {
    const svc = nginxService(this, id, { name, labels: this.labels, ...this.serviceOptions });
    this.applyBeforeRollout(svc);
    return svc;
  }

  /** Puts each template (once) before the Rollout: the controller needs it when it starts an analysis. */
  protected addAnalysisTemplates(templates: NginxAnalysisTemplate[]): void {
    for (const t of new Set(templates)) this.applyBeforeRollout(t.analysisTemplate);
  }

  private createPodDisruptionBudget(pdb: NginxPodDisruptionBudget, namespace: string | undefined) {
    const value = (v: kplus.PercentOrAbsolute | undefined) =>
      v === undefined ? undefined : (typeof v.value === 'number'
        ? kplus.k8s.IntOrString.fromNumber(v.value) : kplus.k8s.IntOrString.fromString(String(v.value)));
    return new kplus.k8s.KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
      metadata: { name: this.name, namespace },
      spec: {
        minAvailable: value(pdb.minAvailable),
        maxUnavailable: value(pdb.maxUnavailable),
        selector: { matchLabels: { ...this.labels } },
      },
    });
  }
}

/** The SHA-256 of each `nginx.conf` seen lately: most apps give every Rollout the same few configs (or the default). */
const CHECKSUMS = new Map<string, string>();
/** Enough for the distinct configs of a large app; beyond it the cache starts over (it only saves time). */
const CHECKSUMS_MAX = 64;

/** The hex SHA-256 of `conf`, hashed once per content. */
function sha256Hex(conf: string): string {
  let hex = CHECKSUMS.get(conf);
  if (hex === undefined) {
    hex = createHash('sha256').update(conf).digest('hex');
    if (CHECKSUMS.size >= CHECKSUMS_MAX) CHECKSUMS.clear();
    CHECKSUMS.set(conf, hex);
  }
  return hex;
}

/** A container image reference: `[registry[:port]/]path[:tag][@digest]`, as Docker's reference grammar has it. */
export function isImageReference(image: string): boolean {
  return imageReferenceError(image) === undefined;
}

/**
 * TypeScript signatures for the app's own cdk8s-plus objects of any major, as `Rollout` has them (declaration
 * merging; see the `Rollout` interface in rollout.ts): the preset's `toScalingTarget` override would otherwise hide
 * the base's, and a cdk8s-plus-33 `HorizontalPodAutoscaler` would refuse the preset as its target.
 */
export interface NginxRollout {
  /**
   * The Rollout as the target of a HorizontalPodAutoscaler of any cdk8s-plus major.
   * @jsii ignore TypeScript only: the other languages see cdk8s-plus-27's `IScalable.toScalingTarget`
   */
  toScalingTarget(): RolloutScalingTarget;
}
