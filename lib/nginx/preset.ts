import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { checkSameCdk8s } from '../cdk8s-copies';
import { futureConstruct, PropsChecker } from '../props-checker';
import { containerJson } from '../rollout/pod-json';
import { CONF_VOLUME } from './nginx-pod';
import type { PresetOwner, PresetParts } from './preset-container';

/**
 * Runs a preset's validation before anything is built, naming the construct by the path it is about to take, and
 * returns the Rollout's name (given, or generated from that path as the chart names objects). The construct does not
 * exist yet (the strategy is made from the checked props and passed to the base class).
 *
 * With a name given (the usual case) nothing is added to the tree: the messages name the path the construct will
 * take, computed only when there is something to report. Without one, the chart's `generateObjectName` needs a
 * construct at that path (it hashes the path's ids, and a chart may override it): a placeholder stands there for the
 * check and is removed again by its own id, which constructs sanitizes (`a/b` is the child `a--b`).
 */
export function validatedName(scope: Construct, id: string, typeName: string, props: unknown, validate: (check: PropsChecker, name: string) => void): string {
  const givenName = (props as { name?: unknown } | null | undefined)?.name;
  // A call that `new Construct(scope, id)` refuses (taken id, empty id, locked scope) keeps constructs' own error,
  // thrown first as before: the placeholder path below raises it.
  if (typeof givenName === 'string' && id && !scope.node.locked && scope.node.tryFindChild(id) === undefined) {
    const future = futureConstruct(scope, id);
    checkSameCdk8s(future, typeName);
    const check = new PropsChecker(typeName, future);
    validate(check, givenName);
    check.throwIfAny();
    return givenName;
  }
  const placeholder = new Construct(scope, id);
  try {
    checkSameCdk8s(placeholder, typeName);
    const name = typeof givenName === 'string' ? givenName : Chart.of(scope).generateObjectName(placeholder as unknown as ApiObject);
    new PropsChecker(typeName, placeholder).run((check) => validate(check, name));
    return name;
  } finally {
    scope.node.tryRemoveChild(placeholder.node.id);
  }
}

/** What a user added to a preset's pod through the pod API of `Rollout`, as Kubernetes writes it (none: undefined). */
export interface UserPodParts {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly containers: any[];
  readonly volumes: any[];
  /** Pod-level fields, only those the user set. */
  readonly spec: Record<string, any>;
}

/**
 * The parts of the pod added through the cdk8s-plus API. Only what the user set is taken: cdk8s-plus' pod-level
 * defaults (non-root security context, no service account token, ...) would change the preset's pod, and the stock
 * nginx image runs its master as root. The preset's own containers and volume are the preset's to write: they are
 * left out, but the volumes mounted into them are collected like any other.
 *
 * Two different volumes of one name are refused, naming the preset and where the second is mounted or added: the API
 * server rejects a pod whose volume names repeat (cdk8s-plus refuses them in a Deployment the same way, at synth).
 */
export function userPodParts(workload: kplus.Workload, owner: PresetOwner, preset: PresetParts | undefined): UserPodParts | undefined {
  const metadata = podMetadataJson(workload);
  // Nothing added (most presets): no lists to build and merge. cdk8s-plus' getters hand out copies, each a read.
  const scheduling = (workload.scheduling as any)._toKube() as { affinity?: unknown; nodeName?: string; tolerations?: unknown[] };
  if (metadata === NO_METADATA && preset === undefined && !workload.serviceAccount && !workload.dockerRegistryAuth
    && (workload as unknown as { _containers: kplus.Container[] })._containers.length === 0
    && workload.initContainers.length === 0 && workload.volumes.length === 0 && workload.hostAliases.length === 0
    && !scheduling.affinity && !scheduling.nodeName && !scheduling.tolerations?.length) {
    return undefined;
  }
  const labels: Record<string, string> = { ...metadata.labels };
  // The address label cdk8s-plus always puts on a workload's pods: the preset selects by its own labels.
  delete labels[kplus.Pod.ADDRESS_LABEL];

  // Read past the preset's `containers`, which would make its own two (see NginxRollout.presetParts).
  const containers = (workload as unknown as { _containers: kplus.Container[] })._containers;
  const initContainers = workload.initContainers;
  // The name is the preset's whether its volume was made or not.
  const volumes = new Map<string, kplus.Volume | undefined>([[CONF_VOLUME, preset?.volume]]);
  let check: PropsChecker | undefined;
  const add = (v: kplus.Volume, where: string) => {
    if (!volumes.has(v.name)) volumes.set(v.name, v);
    else if (volumes.get(v.name) !== v) {
      check ??= new PropsChecker(owner.typeName, owner.scope);
      check.fail(`${where}.name`, v.name, v.name === CONF_VOLUME
        ? 'it is the name of the preset\'s nginx.conf volume (configVolume); a pod\'s volumes need different names'
        : 'another volume of the pod has this name; a pod\'s volumes need different names');
    }
  };
  initContainers.forEach((c, i) => c.mounts.forEach((m, j) => add(m.volume, `initContainers[${i}].mounts[${j}].volume`)));
  // Named as `containers` lists them, where the preset's two come first (made or not).
  const first = preset ? 0 : 2;
  containers.forEach((c, i) => c.mounts.forEach((m, j) => add(m.volume, `containers[${first + i}].mounts[${j}].volume`)));
  workload.volumes.forEach((v, i) => add(v, `volumes[${i}]`));
  check?.throwIfAny();
  volumes.delete(CONF_VOLUME);

  const render = (c: kplus.Container) => containerJson((c as any)._toKube());

  const spec: Record<string, any> = {};
  if (initContainers.length > 0) spec.initContainers = initContainers.map(render);
  if (workload.serviceAccount) spec.serviceAccountName = workload.serviceAccount.name;
  if (workload.dockerRegistryAuth) spec.imagePullSecrets = [{ name: workload.dockerRegistryAuth.name }];
  if (workload.hostAliases.length > 0) spec.hostAliases = workload.hostAliases;
  if (scheduling.affinity) spec.affinity = scheduling.affinity;
  if (scheduling.nodeName) spec.nodeName = scheduling.nodeName;
  if (scheduling.tolerations?.length) spec.tolerations = scheduling.tolerations;
  return {
    labels,
    annotations: { ...metadata.annotations },
    containers: containers.filter((c) => c !== preset?.nginx && c !== preset?.exporter).map(render),
    volumes: [...volumes.values()].map((v) => kplus.k8s.toJson_Volume(v!._toKube())),
    spec,
  };
}

/**
 * Whether cdk8s-plus' `Workload` makes its pod metadata when `podMetadata` is first read and keeps it in
 * `_podMetadata` (its getter's source says so; read once). Then a preset whose `podMetadata` was never read has no
 * pod labels or annotations of the user's (a preset passes no `podMetadata` prop).
 */
let lazyPodMetadata: boolean | undefined;

/** The pod metadata of a preset whose metadata was never made. */
const NO_METADATA: { labels?: Record<string, string>; annotations?: Record<string, string> } = Object.freeze({});

/**
 * `workload.podMetadata.toJson()`, or nothing when the metadata was never made: cdk8s-plus would make it on this read
 * (with only its address label, which the preset drops), and cdk8s' `toJson` resolves it with a walk to the App for
 * every value, about a twentieth of a preset's synthesis, for no output.
 */
function podMetadataJson(workload: kplus.Workload): { labels?: Record<string, string>; annotations?: Record<string, string> } {
  if (lazyPodMetadata === undefined) {
    const getter = Object.getOwnPropertyDescriptor(kplus.Workload.prototype, 'podMetadata')?.get;
    lazyPodMetadata = /if \(!this\._podMetadata\)/.test(String(getter)) && /this\._podMetadata = /.test(String(getter));
  }
  const made = (workload as unknown as { _podMetadata?: unknown })._podMetadata !== undefined;
  const given = (workload as unknown as { _props?: { podMetadata?: unknown } })._props?.podMetadata !== undefined;
  if (lazyPodMetadata && !made && !given) return NO_METADATA;
  return workload.podMetadata.toJson();
}
