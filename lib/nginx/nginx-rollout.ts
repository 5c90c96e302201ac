import { createHash } from 'crypto';
import { ApiObject, Chart, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { Rollout, RolloutSpecStrategy } from '../../imports/argo-rollouts-argoproj.io';
import type { NginxAnalysisTemplate } from '../analysis/nginx-analysis-template';
import { AntiAffinity } from '../anti-affinity';
import { durationSeconds, PropsChecker } from '../props-checker';
import { imageReferenceError } from '../rules/image';
import { registerOwner } from '../synth-validation';
import { DEFAULT_NGINX_CONF } from './nginx-conf';
import { CONF_KEY, nginxPodTemplate } from './nginx-pod';
import { nginxService } from './nginx-service';

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
   * @default 'nginx:1.14.1'
   */
  readonly image?: string;

  /**
   * The `nginx/nginx-prometheus-exporter` sidecar image.
   * @default 'nginx/nginx-prometheus-exporter:0.11.0'
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
   * @default - a static site on port 80 with `stub_status` at `/nginx_status`, localhost only
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

/** How a strategy subclass completes the shared workload. */
export interface NginxRolloutStrategy {
  /** The construct's class name, which every error message starts with. */
  readonly typeName: string;
  /** The replicas when the props give none. @default 1 */
  readonly defaultReplicas?: number;
  /** Checks every prop (the shared ones included), recording problems; `name` is the resolved Rollout name. */
  validate(check: PropsChecker, name: string): void;
  /** The Rollout's `spec.strategy`, from props already validated. */
  render(resolved: ResolvedNginxRollout): RolloutSpecStrategy;
}

/** The replicas of a Rollout whose props give none. */
export const DEFAULT_REPLICAS = 1;

/**
 * The shared nginx workload: a ConfigMap with `nginx.conf`, and an Argo Rollout whose pod runs nginx with that
 * ConfigMap and the Prometheus exporter sidecar. Each strategy subclass adds its `strategy` and its own objects.
 */
export abstract class NginxRollout extends Construct {
  /** The Rollout's name. */
  public readonly name: string;
  /** The pod labels, which are also the Rollout's selector. */
  public readonly labels: Record<string, string>;
  /** The ConfigMap holding `nginx.conf`. */
  public readonly configMap: kplus.ConfigMap;
  /** The Argo Rollouts `Rollout`, for `addJsonPatch` and dependencies. */
  public readonly rollout: Rollout;
  /** The PodDisruptionBudget, when `podDisruptionBudget` is given. */
  public readonly podDisruptionBudget?: kplus.k8s.KubePodDisruptionBudget;

  /** Checks props, naming this construct in every message. */
  protected readonly check: PropsChecker;
  /** Where the construct's Services go and the port they expose. */
  private readonly serviceOptions: { readonly namespace?: string; readonly port?: number };

  protected constructor(scope: Construct, id: string, props: NginxRolloutProps, strategy: NginxRolloutStrategy) {
    super(scope, id);
    this.check = new PropsChecker(strategy.typeName, this);
    // The chart names objects from a construct's path (with or without a hash, as the chart is set up); this
    // construct's own path gives the Rollout the name a user sees in `kubectl get rollouts`. Read defensively: the
    // props are not checked yet (a non-string name is reported by the validation, which needs the resolved name).
    const givenName = (props as { name?: unknown } | null | undefined)?.name;
    const name = typeof givenName === 'string' ? givenName : Chart.of(this).generateObjectName(this as unknown as ApiObject);
    // Every prop, before anything is built from them: all problems in one error naming this construct.
    this.check.run((check) => strategy.validate(check, name));

    this.name = name;
    this.labels = props.labels ?? { app: this.name };
    this.serviceOptions = { namespace: props.namespace, port: props.servicePort };

    const conf = props.nginxConf ?? DEFAULT_NGINX_CONF;
    const checksum = createHash('sha256').update(conf).digest('hex');
    const configMapPrefix = props.configMapName ?? `${this.name}-conf`;
    const configMapName = props.hashConfigMapName ? `${configMapPrefix}-${checksum.slice(0, 10)}` : configMapPrefix;

    this.configMap = new kplus.ConfigMap(this, 'ConfigMap', {
      metadata: { name: configMapName, namespace: props.namespace },
      data: { [CONF_KEY]: conf },
    });
    // cdk8s-plus writes `immutable: false`, the API server's default; left out, the output is the seed's ConfigMap.
    ApiObject.of(this.configMap).addJsonPatch(JsonPatch.remove('/immutable'));

    const strategyJson = strategy.render({ name: this.name, labels: this.labels });
    if (props.antiAffinity) {
      for (const s of Object.values(strategyJson)) Object.assign(s, { antiAffinity: props.antiAffinity.toJson() });
    }

    this.rollout = new Rollout(this, 'Rollout', {
      metadata: { name: this.name, namespace: props.namespace },
      spec: {
        replicas: props.replicas ?? strategy.defaultReplicas ?? DEFAULT_REPLICAS,
        revisionHistoryLimit: props.revisionHistoryLimit,
        minReadySeconds: durationSeconds(props.minReady),
        progressDeadlineSeconds: durationSeconds(props.progressDeadline),
        progressDeadlineAbort: props.progressDeadlineAbort,
        selector: { matchLabels: { ...this.labels } },
        template: nginxPodTemplate({
          ...props,
          labels: this.labels,
          configMapName,
          // A hashed name already changes the pod template; the checksum would only repeat it.
          configChecksum: props.hashConfigMapName ? undefined : `sha256:${checksum}`,
        }),
        strategy: strategyJson,
      },
    });
    // The ConfigMap is mounted by every pod: it must be applied before the Rollout, whatever order `new` ran in.
    this.applyBeforeRollout(this.configMap);

    if (props.podDisruptionBudget) {
      this.podDisruptionBudget = this.createPodDisruptionBudget(props.podDisruptionBudget, props.namespace);
    }
    registerOwner(this, strategy.typeName);
  }

  /** Makes `construct` (a cdk8s-plus construct or an ApiObject) come before the Rollout in the output. */
  protected applyBeforeRollout(construct: IConstruct): void {
    this.rollout.addDependency(construct instanceof ApiObject ? construct : ApiObject.of(construct));
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
  protected addAnalysisTemplates(templates: Iterable<NginxAnalysisTemplate>): void {
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

/** A container image reference: `[registry[:port]/]path[:tag][@digest]`, as Docker's reference grammar has it. */
export function isImageReference(image: string): boolean {
  return imageReferenceError(image) === undefined;
}
