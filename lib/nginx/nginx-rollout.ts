import { ApiObject, Chart, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Rollout, RolloutSpecStrategy, RolloutSpecTemplate } from '../../imports/argo-rollouts-argoproj.io';
import { PropsChecker } from '../props-checker';
import { registerOwner } from '../synth-validation';
import { DEFAULT_NGINX_CONF, DEFAULT_STATUS_PATH } from './nginx-conf';

/** The nginx image used when none is given. */
export const DEFAULT_NGINX_IMAGE = 'nginx:1.14.1';
/** The Prometheus exporter image used when none is given. */
export const DEFAULT_EXPORTER_IMAGE = 'nginx/nginx-prometheus-exporter:0.11.0';
/** The port the exporter serves `/metrics` on. */
export const EXPORTER_PORT = 9113;
/** The port nginx listens on in the default `nginx.conf`. */
export const NGINX_PORT = 80;

const CONF_VOLUME = 'nginx-conf';
const CONF_KEY = 'nginx.conf';

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
   * @default 1
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
   * Extra annotations of the pods, merged over the `prometheus.io/scrape` and `prometheus.io/port` annotations.
   * @default - only the Prometheus annotations
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
   * The name of the ConfigMap that holds `nginx.conf`.
   * @default `${name}-conf`
   */
  readonly configMapName?: string;

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
}

/** The values every strategy needs once the shared props are resolved. */
export interface ResolvedNginxRollout {
  readonly name: string;
  readonly labels: Record<string, string>;
}

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

  protected readonly check: PropsChecker;

  protected constructor(
    scope: Construct,
    id: string,
    typeName: string,
    props: NginxRolloutProps,
    strategy: (resolved: ResolvedNginxRollout, check: PropsChecker) => RolloutSpecStrategy,
  ) {
    super(scope, id);
    this.check = new PropsChecker(typeName, this);
    checkSharedProps(this.check, props);

    // The chart names objects from a construct's path (with or without a hash, as the chart is set up); this
    // construct's own path gives the Rollout the name a user sees in `kubectl get rollouts`.
    this.name = props.name ?? Chart.of(this).generateObjectName(this as unknown as ApiObject);
    this.labels = props.labels ?? { app: this.name };
    const configMapName = props.configMapName ?? `${this.name}-conf`;
    this.check.objectName('configMapName', configMapName, 'subdomain');

    this.configMap = new kplus.ConfigMap(this, 'ConfigMap', {
      metadata: { name: configMapName, namespace: props.namespace },
      data: { [CONF_KEY]: props.nginxConf ?? DEFAULT_NGINX_CONF },
    });
    // cdk8s-plus writes `immutable: false`, the API server's default; left out, the output is the seed's ConfigMap.
    ApiObject.of(this.configMap).addJsonPatch(JsonPatch.remove('/immutable'));

    const resolved: ResolvedNginxRollout = { name: this.name, labels: this.labels };
    this.rollout = new Rollout(this, 'Rollout', {
      metadata: { name: this.name, namespace: props.namespace },
      spec: {
        replicas: props.replicas ?? 1,
        revisionHistoryLimit: props.revisionHistoryLimit,
        minReadySeconds: this.check.seconds('minReady', props.minReady),
        progressDeadlineSeconds: this.check.seconds('progressDeadline', props.progressDeadline),
        selector: { matchLabels: { ...this.labels } },
        template: nginxPodTemplate({ ...props, configMapName, labels: this.labels }),
        strategy: strategy(resolved, this.check),
      },
    });
    // The ConfigMap is mounted by every pod: it must be applied before the Rollout, whatever order `new` ran in.
    this.rollout.addDependency(ApiObject.of(this.configMap));
    registerOwner(this, typeName);
  }
}

function checkSharedProps(check: PropsChecker, props: NginxRolloutProps): void {
  check.objectName('name', props.name, 'subdomain');
  check.objectName('namespace', props.namespace, 'service');
  check.integer('replicas', props.replicas, 0);
  check.integer('revisionHistoryLimit', props.revisionHistoryLimit, 0);
  check.labels('labels', props.labels, true);
  for (const prop of ['image', 'exporterImage'] as const) {
    const image = props[prop];
    if (image !== undefined && !isImageReference(image)) {
      check.fail(prop, image, 'it must be a container image reference such as nginx:1.14.2');
    }
  }
  const statusPath = props.statusPath;
  if (statusPath !== undefined && !/^\/\S*$/.test(statusPath)) {
    check.fail('statusPath', statusPath, "it must be a URL path starting with '/'");
  }
  const minReady = check.seconds('minReady', props.minReady) ?? 0;
  const progressDeadline = check.seconds('progressDeadline', props.progressDeadline);
  if (progressDeadline !== undefined && progressDeadline <= minReady) {
    check.fail('progressDeadline', `${progressDeadline}s`, `it must be longer than minReady (${minReady}s)`);
  }
  if (props.progressDeadline === undefined && minReady >= 600) {
    check.fail('minReady', `${minReady}s`, 'it must be shorter than progressDeadline (default 600s)');
  }
}

/** A container image reference: `[registry[:port]/]path[:tag][@digest]`, as the Docker reference grammar has it. */
export function isImageReference(image: string): boolean {
  return IMAGE_REFERENCE.test(image);
}

// Docker's reference grammar (distribution/reference): lower-case path components, a tag of at most 128 word
// characters, an optional digest.
const IMAGE_REFERENCE = new RegExp(
  '^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?/)?' +
  '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*' +
  '(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$',
);

interface PodTemplateOptions extends NginxRolloutProps {
  readonly configMapName: string;
  readonly labels: Record<string, string>;
}

/** The pod both strategies run: nginx with its ConfigMap, and the exporter sidecar scraping `stub_status`. */
function nginxPodTemplate(options: PodTemplateOptions): RolloutSpecTemplate {
  const statusPath = options.statusPath ?? DEFAULT_STATUS_PATH;
  return {
    metadata: {
      annotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(EXPORTER_PORT),
        ...options.podAnnotations,
      },
      labels: { ...options.labels },
    },
    spec: {
      volumes: [{
        name: CONF_VOLUME,
        configMap: { name: options.configMapName, items: [{ key: CONF_KEY, path: CONF_KEY }] },
      }],
      containers: [
        {
          name: 'nginx',
          image: options.image ?? DEFAULT_NGINX_IMAGE,
          ports: [{ containerPort: NGINX_PORT }],
          volumeMounts: [{ mountPath: '/etc/nginx/nginx.conf', readOnly: true, name: CONF_VOLUME, subPath: CONF_KEY }],
        },
        {
          name: 'nginx-exporter',
          image: options.exporterImage ?? DEFAULT_EXPORTER_IMAGE,
          // Single dash, as in the seed: 0.11.0 uses Go's flag package; 1.x still accepts it (with a warning).
          args: [`-nginx.scrape-uri=http://localhost${statusPath}`],
          ports: [{ containerPort: EXPORTER_PORT }],
        },
      ],
    },
  };
}
