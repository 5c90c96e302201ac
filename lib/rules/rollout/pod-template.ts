/**
 * Rules 7-10: Kubernetes' `ValidatePodTemplateSpecForReplicaSet`, which Argo runs on the pod template (after
 * defaulting, so an empty restartPolicy is Always and an empty port protocol TCP). Only the checks users hit are here.
 */
import type { Finding } from '../finding';
import { duplicate, forbidden, invalid, notFound, notSupported, required } from '../field';
import { imageReferenceError } from '../image';
import { dns1123LabelOk, isDNS1123Label, isValidPortName, isValidPortNum } from '../k8s-names';
import { selectorEmpty, selectorMatchesIn, validateAnnotations, validateLabels } from '../labels';
import { finding } from '../report';
import { arr, isSet, obj, str } from '../util';
import { type RolloutCheck, selectorParsableOf } from './view';

const TEMPLATE = 'spec.template';
const POD = 'spec.template.spec';
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const CONTAINER_FIELDS = ['containers', 'initContainers'];

/*
 * The checks below run on every container, port, mount and volume of every Rollout: they loop without closures or
 * iterators (they run unoptimized at first) and write a field's path only for a finding.
 */

/**
 * Rule 7. A missing or unparsable selector is reported by its own rule; repeating it as a mismatch would only add
 * noise, so this rule needs a parsable, non-empty selector (an empty one selects everything).
 */
export const checkSelectorMatchesTemplate: RolloutCheck = (ro, out) => {
  const { template } = ro;
  const selector = ro.spec.selector;
  if (!template || !isSet(selector) || !selectorParsableOf(ro) || selectorEmpty(selector)) return;
  const labels = obj(template.metadata)?.labels;
  if (selectorMatchesIn(selector, labels)) return;
  out.push(finding('selector-template-mismatch', `${TEMPLATE}.metadata.labels`, invalid(labels ?? null, '`selector` does not match template `labels`')));
};

export const checkTemplateMetadata: RolloutCheck = ({ template }, out) => {
  if (!template) return;
  const meta = obj(template.metadata) ?? {};
  validateLabels(meta.labels, `${TEMPLATE}.metadata.labels`, 'label-syntax', out);
  validateAnnotations(meta.annotations, `${TEMPLATE}.metadata.annotations`, out);
};

/** Rules 8-9: a ReplicaSet's pods always restart and never have a deadline. */
export const checkRestartPolicyAndDeadline: RolloutCheck = ({ pod }, out) => {
  if (!pod) return;
  const restartPolicy = str(pod.restartPolicy) || 'Always';
  if (restartPolicy !== 'Always') out.push(finding('restart-policy', `${POD}.restartPolicy`, notSupported(restartPolicy, ['Always'])));
  if (isSet(pod.activeDeadlineSeconds)) {
    out.push(finding('active-deadline-seconds', `${POD}.activeDeadlineSeconds`, forbidden('activeDeadlineSeconds in ReplicaSet is not Supported')));
  }
};

/** Container names: required, DNS-1123 labels, unique across containers and init containers. */
export const checkContainerNames: RolloutCheck = ({ pod }, out) => {
  if (!pod) return;
  const containers = arr(pod.containers);
  if (containers.length === 0) {
    out.push(finding('containers-required', `${POD}.containers`, required()));
    return;
  }
  const seen = new Set<string>();
  for (let f = 0; f < CONTAINER_FIELDS.length; f++) {
    const field = CONTAINER_FIELDS[f];
    const list = field === 'containers' ? containers : arr(pod.initContainers);
    for (let i = 0; i < list.length; i++) {
      const name = str(obj(list[i])?.name);
      const bad = name === '' || !dns1123LabelOk(name) || seen.has(name);
      if (bad) {
        const path = `${POD}.${field}[${i}].name`;
        if (name === '') out.push(finding('container-name', path, required()));
        else for (const msg of isDNS1123Label(name)) out.push(finding('container-name', path, invalid(name, msg)));
        if (seen.has(name) && name !== '') out.push(finding('container-name-duplicate', path, duplicate(name)));
      }
      seen.add(name);
    }
  }
};

/** `spec.template.spec.<field>[i]` */
const containerPath = (field: string, i: number): string => `${POD}.${field}[${i}]`;

function checkImage(out: Finding[], container: Record<string, any>, field: string, i: number): void {
  const image = str(container.image);
  if (image === '') out.push(finding('container-image', `${containerPath(field, i)}.image`, required()));
  else if (image !== image.trim()) out.push(finding('container-image', `${containerPath(field, i)}.image`, invalid(image, 'must not have leading or trailing whitespace')));
  else {
    const error = imageReferenceError(image);
    if (error) out.push(finding('container-image', `${containerPath(field, i)}.image`, invalid(image, error)));
  }
}

/** A port with nothing to report: the common case, told apart without writing paths. */
function portOk(port: Record<string, any>, names: Set<string>): boolean {
  const containerPort = port.containerPort;
  if (typeof containerPort !== 'number' || isValidPortNum(containerPort).length > 0) return false;
  if (port.hostPort !== undefined) return false;
  const name = port.name;
  if (name !== undefined && (typeof name !== 'string' || name === '' || isValidPortName(name).length > 0 || names.has(name))) return false;
  const protocol = port.protocol;
  return protocol === undefined || protocol === 'TCP' || protocol === 'UDP' || protocol === 'SCTP';
}

function checkPorts(out: Finding[], container: Record<string, any>, field: string, i: number): void {
  const names = new Set<string>();
  const ports = arr(container.ports);
  for (let j = 0; j < ports.length; j++) {
    const port = obj(ports[j]) ?? {};
    if (portOk(port, names)) {
      if (typeof port.name === 'string') names.add(port.name);
      continue;
    }
    const p = `${containerPath(field, i)}.ports[${j}]`;
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
  }
}

/** Whether the pod has a volume of that name (a scan: pods have a few volumes, and most one or none). */
function hasVolume(volumes: any[], name: string): boolean {
  for (let i = 0; i < volumes.length; i++) if (str(obj(volumes[i])?.name) === name) return true;
  return false;
}

function checkVolumeMounts(out: Finding[], container: Record<string, any>, field: string, i: number, volumes: any[]): void {
  const mounts = arr(container.volumeMounts);
  for (let j = 0; j < mounts.length; j++) {
    const mount = obj(mounts[j]) ?? {};
    const name = str(mount.name);
    const mountPath = str(mount.mountPath);
    const known = name !== '' && hasVolume(volumes, name);
    if (known && mountPath !== '') continue;
    const p = `${containerPath(field, i)}.volumeMounts[${j}]`;
    if (name === '') out.push(finding('volume-mount', `${p}.name`, required()));
    else if (!known) out.push(finding('volume-mount', `${p}.name`, notFound(name)));
    if (mountPath === '') out.push(finding('volume-mount', `${p}.mountPath`, required()));
  }
}

/** Per container: image, ports, and that every volume mount names a volume of the pod. */
export const checkContainers: RolloutCheck = ({ pod }, out) => {
  if (!pod) return;
  const volumes = arr(pod.volumes);
  for (let f = 0; f < CONTAINER_FIELDS.length; f++) {
    const field = CONTAINER_FIELDS[f];
    const containers = arr(pod[field]);
    for (let i = 0; i < containers.length; i++) {
      const container = obj(containers[i]) ?? {};
      checkImage(out, container, field, i);
      checkPorts(out, container, field, i);
      checkVolumeMounts(out, container, field, i, volumes);
    }
  }
};

/** Volume names: required, DNS-1123 labels, unique. */
export const checkVolumes: RolloutCheck = ({ pod }, out) => {
  if (!pod) return;
  const seen = new Set<string>();
  const volumes = arr(pod.volumes);
  for (let i = 0; i < volumes.length; i++) {
    const name = str(obj(volumes[i])?.name);
    if (name === '' || !dns1123LabelOk(name) || seen.has(name)) {
      const path = `${POD}.volumes[${i}].name`;
      if (name === '') out.push(finding('volume-name', path, required()));
      else for (const msg of isDNS1123Label(name)) out.push(finding('volume-name', path, invalid(name, msg)));
      if (name !== '' && seen.has(name)) out.push(finding('volume-name', path, duplicate(name)));
    }
    seen.add(name);
  }
};
