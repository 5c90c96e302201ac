/**
 * Rules 7-10: Kubernetes' `ValidatePodTemplateSpecForReplicaSet`, which Argo runs on the pod template (after
 * defaulting, so an empty restartPolicy is Always and an empty port protocol TCP). Only the checks users hit are here.
 */
import type { Finding } from '../finding';
import { duplicate, forbidden, invalid, notFound, notSupported, required } from '../field';
import { imageReferenceError } from '../image';
import { isDNS1123Label, isValidPortName, isValidPortNum } from '../k8s-names';
import { selectorEmpty, selectorMatches, selectorParsable, validateAnnotations, validateLabels } from '../labels';
import { finding } from '../report';
import { arr, isSet, obj, str, strMap } from '../util';
import type { RolloutCheck, RolloutView } from './view';

const TEMPLATE = 'spec.template';
const POD = 'spec.template.spec';
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** With a workloadRef the template comes from the referenced workload, which the controller validates after resolving. */
function ownTemplate({ spec }: RolloutView): Record<string, any> | undefined {
  return isSet(spec.workloadRef) ? undefined : (obj(spec.template) ?? {});
}

function podSpec(ro: RolloutView): Record<string, any> | undefined {
  const template = ownTemplate(ro);
  return template ? (obj(template.spec) ?? {}) : undefined;
}

/**
 * Rule 7. A missing or unparsable selector is reported by its own rule; repeating it as a mismatch would only add
 * noise, so this rule needs a parsable, non-empty selector (an empty one selects everything).
 */
export const checkSelectorMatchesTemplate: RolloutCheck = (ro) => {
  const template = ownTemplate(ro);
  const selector = ro.spec.selector;
  if (!template || !isSet(selector) || !selectorParsable(selector) || selectorEmpty(selector)) return [];
  const labels = obj(template.metadata)?.labels;
  if (selectorMatches(selector, strMap(labels))) return [];
  return [finding('selector-template-mismatch', `${TEMPLATE}.metadata.labels`, invalid(labels ?? null, '`selector` does not match template `labels`'))];
};

export const checkTemplateMetadata: RolloutCheck = (ro) => {
  const template = ownTemplate(ro);
  if (!template) return [];
  const meta = obj(template.metadata) ?? {};
  return [...validateLabels(meta.labels, `${TEMPLATE}.metadata.labels`), ...validateAnnotations(meta.annotations, `${TEMPLATE}.metadata.annotations`)];
};

/** Rules 8-9: a ReplicaSet's pods always restart and never have a deadline. */
export const checkRestartPolicyAndDeadline: RolloutCheck = (ro) => {
  const pod = podSpec(ro);
  if (!pod) return [];
  const out: Finding[] = [];
  const restartPolicy = str(pod.restartPolicy) || 'Always';
  if (restartPolicy !== 'Always') out.push(finding('restart-policy', `${POD}.restartPolicy`, notSupported(restartPolicy, ['Always'])));
  if (isSet(pod.activeDeadlineSeconds)) {
    out.push(finding('active-deadline-seconds', `${POD}.activeDeadlineSeconds`, forbidden('activeDeadlineSeconds in ReplicaSet is not Supported')));
  }
  return out;
};

/** Container names: required, DNS-1123 labels, unique across containers and init containers. */
export const checkContainerNames: RolloutCheck = (ro) => {
  const pod = podSpec(ro);
  if (!pod) return [];
  const containers = arr(pod.containers);
  if (containers.length === 0) return [finding('containers-required', `${POD}.containers`, required())];
  const out: Finding[] = [];
  const seen = new Set<string>();
  const visit = (list: any[], field: string) =>
    list.forEach((c, i) => {
      const name = str(obj(c)?.name);
      const path = `${POD}.${field}[${i}].name`;
      if (name === '') out.push(finding('container-name', path, required()));
      else for (const msg of isDNS1123Label(name)) out.push(finding('container-name', path, invalid(name, msg)));
      if (seen.has(name) && name !== '') out.push(finding('container-name-duplicate', path, duplicate(name)));
      seen.add(name);
    });
  visit(containers, 'containers');
  visit(arr(pod.initContainers), 'initContainers');
  return out;
};

function checkImage(container: Record<string, any>, path: string): Finding[] {
  const image = str(container.image);
  if (image === '') return [finding('container-image', `${path}.image`, required())];
  if (image !== image.trim()) return [finding('container-image', `${path}.image`, invalid(image, 'must not have leading or trailing whitespace'))];
  const error = imageReferenceError(image);
  return error ? [finding('container-image', `${path}.image`, invalid(image, error))] : [];
}

function checkPorts(container: Record<string, any>, path: string): Finding[] {
  const out: Finding[] = [];
  const names = new Set<string>();
  arr(container.ports).forEach((raw, j) => {
    const port = obj(raw) ?? {};
    const p = `${path}.ports[${j}]`;
    // A port that is not a number is a schema error; reporting a range error too would only confuse.
    if (!isSet(port.containerPort) || port.containerPort === 0) out.push(finding('container-port', `${p}.containerPort`, required()));
    else if (typeof port.containerPort === 'number') {
      for (const msg of isValidPortNum(port.containerPort)) out.push(finding('container-port', `${p}.containerPort`, invalid(port.containerPort, msg)));
    }
    if (typeof port.hostPort === 'number' && port.hostPort !== 0) {
      for (const msg of isValidPortNum(port.hostPort)) out.push(finding('container-port', `${p}.hostPort`, invalid(port.hostPort, msg)));
    }
    const name = str(port.name);
    if (name !== '') {
      for (const msg of isValidPortName(name)) out.push(finding('container-port-name', `${p}.name`, invalid(name, msg)));
      if (names.has(name)) out.push(finding('container-port-name', `${p}.name`, duplicate(name)));
      names.add(name);
    }
    const protocol = str(port.protocol) || 'TCP';
    if (!PROTOCOLS.includes(protocol)) out.push(finding('container-port-protocol', `${p}.protocol`, notSupported(protocol, PROTOCOLS)));
  });
  return out;
}

function checkVolumeMounts(container: Record<string, any>, path: string, volumes: Set<string>): Finding[] {
  const out: Finding[] = [];
  arr(container.volumeMounts).forEach((raw, j) => {
    const mount = obj(raw) ?? {};
    const p = `${path}.volumeMounts[${j}]`;
    const name = str(mount.name);
    if (name === '') out.push(finding('volume-mount', `${p}.name`, required()));
    else if (!volumes.has(name)) out.push(finding('volume-mount', `${p}.name`, notFound(name)));
    if (str(mount.mountPath) === '') out.push(finding('volume-mount', `${p}.mountPath`, required()));
  });
  return out;
}

/** Per container: image, ports, and that every volume mount names a volume of the pod. */
export const checkContainers: RolloutCheck = (ro) => {
  const pod = podSpec(ro);
  if (!pod) return [];
  const volumes = new Set(arr(pod.volumes).map((v) => str(obj(v)?.name)));
  const out: Finding[] = [];
  for (const field of ['containers', 'initContainers']) {
    arr(pod[field]).forEach((raw, i) => {
      const container = obj(raw) ?? {};
      const path = `${POD}.${field}[${i}]`;
      out.push(...checkImage(container, path), ...checkPorts(container, path), ...checkVolumeMounts(container, path, volumes));
    });
  }
  return out;
};

/** Volume names: required, DNS-1123 labels, unique. */
export const checkVolumes: RolloutCheck = (ro) => {
  const pod = podSpec(ro);
  if (!pod) return [];
  const out: Finding[] = [];
  const seen = new Set<string>();
  arr(pod.volumes).forEach((raw, i) => {
    const name = str(obj(raw)?.name);
    const path = `${POD}.volumes[${i}].name`;
    if (name === '') out.push(finding('volume-name', path, required()));
    else for (const msg of isDNS1123Label(name)) out.push(finding('volume-name', path, invalid(name, msg)));
    if (name !== '' && seen.has(name)) out.push(finding('volume-name', path, duplicate(name)));
    seen.add(name);
  });
  return out;
};
