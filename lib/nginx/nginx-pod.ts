import { Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  RolloutSpecTemplate,
  RolloutSpecTemplateSpecContainers,
  RolloutSpecTemplateSpecContainersResources,
  RolloutSpecTemplateSpecContainersReadinessProbe,
  RolloutSpecTemplateSpecContainersReadinessProbeHttpGetPort,
  RolloutSpecTemplateSpecContainersReadinessProbeTcpSocketPort,
} from '../../imports/argo-rollouts-argoproj.io';
import { splitImageReference } from '../rules/image';
import { DEFAULT_STATUS_PATH } from './nginx-conf';

/** The nginx image used when none is given: a pinned tag of nginx's stable branch (1.28). */
export const DEFAULT_NGINX_IMAGE = 'nginx:1.28.0';
/** The Prometheus exporter image used when none is given: a pinned 1.x release, which takes `--flag=value`. */
export const DEFAULT_EXPORTER_IMAGE = 'nginx/nginx-prometheus-exporter:1.5.3';
/** The port the exporter serves `/metrics` on. */
export const EXPORTER_PORT = 9113;
/** The port nginx listens on in the default `nginx.conf`. */
export const NGINX_PORT = 80;
/** The pod annotation that changes with `nginx.conf`, so that a config change rolls out like an image change. */
export const CONFIG_CHECKSUM_ANNOTATION = 'checksum/nginx-conf';

/** Requests and limits of the nginx container when none are given. */
export const DEFAULT_NGINX_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
  memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
};

/** Requests and limits of the exporter sidecar when none are given. */
export const DEFAULT_EXPORTER_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(100) },
  memory: { request: Size.mebibytes(16), limit: Size.mebibytes(64) },
};

/** The name of the pod's volume that holds the ConfigMap. */
export const CONF_VOLUME = 'nginx-conf';
/** The key of `nginx.conf` in the ConfigMap. */
export const CONF_KEY = 'nginx.conf';
/** Where the ConfigMap's `nginx.conf` is mounted: over the image's own file. */
export const NGINX_CONF_PATH = '/etc/nginx/nginx.conf';
/** The name of the nginx container. */
export const NGINX_CONTAINER = 'nginx';
/** The name of the exporter sidecar. */
export const EXPORTER_CONTAINER = 'nginx-exporter';

/** What the pod template is made of, resolved from a construct's props. */
export interface NginxPodOptions {
  /** The pod labels. */
  readonly labels: Record<string, string>;
  /** The ConfigMap that holds `nginx.conf`. */
  readonly configMapName: string;
  /** The nginx image. @default DEFAULT_NGINX_IMAGE */
  readonly image?: string;
  /** The exporter image. @default DEFAULT_EXPORTER_IMAGE */
  readonly exporterImage?: string;
  /** Where nginx serves `stub_status`. @default '/nginx_status' */
  readonly statusPath?: string;
  /** Extra pod annotations. @default - none */
  readonly podAnnotations?: Record<string, string>;
  /** The checksum of `nginx.conf`, written as a pod annotation. @default - no checksum annotation */
  readonly configChecksum?: string;
  /** Readiness and liveness probes. @default true */
  readonly probes?: boolean;
  /** An HTTP readiness path for nginx. @default - a TCP check on port 80 */
  readonly readinessPath?: string;
  /** nginx's requests and limits. @default DEFAULT_NGINX_RESOURCES */
  readonly resources?: kplus.ContainerResources;
  /** The exporter's requests and limits. @default DEFAULT_EXPORTER_RESOURCES */
  readonly exporterResources?: kplus.ContainerResources;
}

/** The pod both strategies run: nginx with its ConfigMap, and the exporter sidecar scraping `stub_status`. */
export function nginxPodTemplate(options: NginxPodOptions): RolloutSpecTemplate {
  const probes = options.probes ?? true;
  const annotations: Record<string, string> = {
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': EXPORTER_PORT_STRING,
  };
  if (options.configChecksum) annotations[CONFIG_CHECKSUM_ANNOTATION] = options.configChecksum;
  return {
    metadata: {
      annotations: options.podAnnotations === undefined ? annotations : { ...annotations, ...options.podAnnotations },
      labels: { ...options.labels },
    },
    spec: {
      volumes: [{ name: CONF_VOLUME, configMap: { name: options.configMapName, items: CONF_ITEMS } }],
      containers: [nginxContainer(options, probes), exporterContainer(options, probes)],
    },
  };
}

/**
 * Deep-frozen parts of the template that every pod writes the same, shared by all pods: the pod template is only read
 * (rendered into new objects at synth), and a write into one would be refused rather than change every Rollout.
 */
function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) frozen(v);
    Object.freeze(value);
  }
  return value;
}

const EXPORTER_PORT_STRING = String(EXPORTER_PORT);
const CONF_ITEMS = frozen([{ key: CONF_KEY, path: CONF_KEY }]);
const NGINX_PORTS = frozen([{ containerPort: NGINX_PORT }]);
const NGINX_MOUNTS = frozen([{ mountPath: NGINX_CONF_PATH, readOnly: true, name: CONF_VOLUME, subPath: CONF_KEY }]);
const NGINX_TCP = frozen({ port: RolloutSpecTemplateSpecContainersReadinessProbeTcpSocketPort.fromNumber(NGINX_PORT) });
// Argo counts a pod as available by readiness: this is what holds a step until the new pods really serve.
const NGINX_TCP_READINESS: RolloutSpecTemplateSpecContainersReadinessProbe = frozen({ tcpSocket: NGINX_TCP, periodSeconds: 5, failureThreshold: 3 });
const NGINX_LIVENESS = frozen({ tcpSocket: NGINX_TCP, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3 });
const EXPORTER_PORTS = frozen([{ containerPort: EXPORTER_PORT }]);
const EXPORTER_METRICS = frozen({ path: '/metrics', port: RolloutSpecTemplateSpecContainersReadinessProbeHttpGetPort.fromNumber(EXPORTER_PORT) });
const EXPORTER_READINESS = frozen({ httpGet: EXPORTER_METRICS, periodSeconds: 10 });
const EXPORTER_LIVENESS = frozen({ httpGet: EXPORTER_METRICS, initialDelaySeconds: 10, periodSeconds: 20 });
// The exporter image runs as user 1001 and writes nothing: it needs no privilege at all.
const EXPORTER_SECURITY_CONTEXT = frozen({
  runAsNonRoot: true,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
});

function nginxContainer(options: NginxPodOptions, probes: boolean): RolloutSpecTemplateSpecContainers {
  // The stock nginx image runs its master as root (it binds :80 and switches to `user nginx`), so only the sidecar is
  // locked down. A TCP check works for any nginx.conf (a custom one may serve nothing at `/`, and the status page only
  // answers localhost); `readinessPath` switches to an HTTP check for a config that serves a health page.
  const container: Mutable<RolloutSpecTemplateSpecContainers> = {
    name: NGINX_CONTAINER,
    image: options.image ?? DEFAULT_NGINX_IMAGE,
    ports: NGINX_PORTS,
    volumeMounts: NGINX_MOUNTS,
    resources: resourcesJson(options.resources, DEFAULT_NGINX_RESOURCES),
  };
  if (probes) {
    container.readinessProbe = options.readinessPath
      ? { httpGet: { path: options.readinessPath, port: RolloutSpecTemplateSpecContainersReadinessProbeHttpGetPort.fromNumber(NGINX_PORT) }, periodSeconds: 5, failureThreshold: 3 }
      : NGINX_TCP_READINESS;
    container.livenessProbe = NGINX_LIVENESS;
  }
  return container;
}

function exporterContainer(options: NginxPodOptions, probes: boolean): RolloutSpecTemplateSpecContainers {
  const image = options.exporterImage ?? DEFAULT_EXPORTER_IMAGE;
  const container: Mutable<RolloutSpecTemplateSpecContainers> = {
    name: EXPORTER_CONTAINER,
    image,
    args: exporterArgsOf(image, options.statusPath ?? DEFAULT_STATUS_PATH),
    ports: EXPORTER_PORTS,
    resources: resourcesJson(options.exporterResources, DEFAULT_EXPORTER_RESOURCES),
    securityContext: EXPORTER_SECURITY_CONTEXT,
  };
  if (probes) {
    container.readinessProbe = EXPORTER_READINESS;
    container.livenessProbe = EXPORTER_LIVENESS;
  }
  return container;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// cdk8s-plus exports through getters: read once.
const ALWAYS = kplus.ImagePullPolicy.ALWAYS;
const IF_NOT_PRESENT = kplus.ImagePullPolicy.IF_NOT_PRESENT;
// Kubernetes drops every capability for `ALL`; cdk8s-plus-27's enum lists the single ones only.
const DROP_ALL = ['ALL' as kplus.Capability];

/**
 * The nginx container's props as cdk8s-plus' `Container` holds them: what the preset writes, so that the object tells
 * what the pod runs (its image, port 80, the `nginx.conf` mount, resources). The output is written by
 * {@link nginxPodTemplate}, not by cdk8s-plus, which would add its own defaults (a non-root, read-only security
 * context, `imagePullPolicy: Always`). The stock nginx image runs its master as root: the security context says what
 * a container without one gets.
 */
export function nginxContainerProps(options: NginxPodOptions, confVolume: kplus.Volume): kplus.ContainerProps {
  const image = options.image ?? DEFAULT_NGINX_IMAGE;
  return {
    name: NGINX_CONTAINER,
    image,
    imagePullPolicy: defaultPullPolicy(image),
    ports: [{ number: NGINX_PORT }],
    volumeMounts: [{ path: NGINX_CONF_PATH, volume: confVolume, readOnly: true, subPath: CONF_KEY }],
    resources: options.resources ?? DEFAULT_NGINX_RESOURCES,
    securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: false, allowPrivilegeEscalation: true },
  };
}

/**
 * The exporter sidecar's props as cdk8s-plus' `Container` holds them (see {@link nginxContainerProps}); its security
 * context is the one the preset writes, but for `seccompProfile: RuntimeDefault`, which cdk8s-plus-27 cannot hold.
 */
export function exporterContainerProps(options: NginxPodOptions): kplus.ContainerProps {
  const image = options.exporterImage ?? DEFAULT_EXPORTER_IMAGE;
  return {
    name: EXPORTER_CONTAINER,
    image,
    imagePullPolicy: defaultPullPolicy(image),
    args: exporterArgs(image, options.statusPath ?? DEFAULT_STATUS_PATH),
    ports: [{ number: EXPORTER_PORT }],
    resources: options.exporterResources ?? DEFAULT_EXPORTER_RESOURCES,
    securityContext: { ensureNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: DROP_ALL } },
  };
}

/**
 * The pull policy the API server gives a container that sets none, which is what the preset's containers get:
 * `Always` for an image tagged `latest` or with neither tag nor digest, else `IfNotPresent`.
 */
export function defaultPullPolicy(image: string): kplus.ImagePullPolicy {
  const { tag, digest } = splitImageReference(image);
  if (tag === undefined) return digest === undefined ? ALWAYS : IF_NOT_PRESENT;
  return tag === 'latest' ? ALWAYS : IF_NOT_PRESENT;
}

/**
 * The exporter's arguments in the syntax its version documents. 0.x parses flags with Go's `flag` package and documents
 * `-nginx.scrape-uri=...` (it would also take two dashes); 1.x parses them with kingpin, documents
 * `--nginx.scrape-uri=...`, and rewrites a single dash with a deprecation warning on every start. So an image whose
 * tag is a 0.x version keeps the single dash; any other image (1.x, a digest, an unversioned tag) gets two dashes,
 * which every version accepts.
 */
function exporterArgs(image: string, statusPath: string): string[] {
  const dashes = /:v?0\.[^:/@]*(@|$)/.test(image) ? '-' : '--';
  return [`${dashes}nginx.scrape-uri=http://localhost${statusPath}`];
}

/** The args of the last pod written, shared (frozen) with the next pod of the same image and status path. */
let lastArgs: { image: string; statusPath: string; args: string[] } | undefined;

/** {@link exporterArgs}, computed once for a run of pods alike (most apps give them all the same two values). */
function exporterArgsOf(image: string, statusPath: string): string[] {
  if (lastArgs === undefined || lastArgs.image !== image || lastArgs.statusPath !== statusPath) {
    lastArgs = { image, statusPath, args: frozen(exporterArgs(image, statusPath)) };
  }
  return lastArgs.args;
}

/** The default resources as Kubernetes writes them, made once (frozen and shared, as the other constant parts). */
const defaultResourcesJson = new Map<kplus.ContainerResources, RolloutSpecTemplateSpecContainersResources>();

/** `resources` as Kubernetes writes them; the default's written once for all pods. */
function resourcesJson(resources: kplus.ContainerResources | undefined, defaults: kplus.ContainerResources): RolloutSpecTemplateSpecContainersResources {
  if (resources !== undefined && resources !== defaults) return toResources(resources);
  let json = defaultResourcesJson.get(defaults);
  if (json === undefined) defaultResourcesJson.set(defaults, json = frozen(toResources(defaults)));
  return json;
}

function toResources(r: kplus.ContainerResources): RolloutSpecTemplateSpecContainersResources {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (r.cpu?.request) requests.cpu = r.cpu.request.amount;
  if (r.cpu?.limit) limits.cpu = r.cpu.limit.amount;
  if (r.memory?.request) requests.memory = quantity(r.memory.request);
  if (r.memory?.limit) limits.memory = quantity(r.memory.limit);
  if (r.ephemeralStorage?.request) requests['ephemeral-storage'] = quantity(r.ephemeralStorage.request);
  if (r.ephemeralStorage?.limit) limits['ephemeral-storage'] = quantity(r.ephemeralStorage.limit);
  return {
    ...(Object.keys(requests).length ? { requests } : {}),
    ...(Object.keys(limits).length ? { limits } : {}),
  };
}

/** A memory quantity as Kubernetes writes it: whole mebibytes, or kibibytes when it is not (`Size.kibibytes(1536)`). */
function quantity(size: Size): string {
  const kib = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  return kib % 1024 === 0 ? `${kib / 1024}Mi` : `${kib}Ki`;
}
